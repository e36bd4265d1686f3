/**
 * I2C bus transactions recorded once and replayed byte for byte (docs/architecture.md "Boards and budgets": the
 * `bench` board counts the interpreter's instructions of a tap over a bus that only replays).
 * No model of the PN532 here: the recorder logs what a real or simulated bus did, the
 * replayer hands the same bytes back in the same order and fails on the first transaction
 * that differs — a replay out of step is an error, never a skip (docs/architecture.md "Conventions" §7).
 *
 * A script is `ops` (one per transaction: +n = a read of n bytes, −n = a write of n bytes),
 * `kept` (per transaction, how many of its bytes are stored: a read's trailing zeros are
 * not — a poll that finds no frame reads status 00 and zeros) and `bytes` (the stored bytes
 * of every transaction, concatenated in order).
 *
 * The PN532's P70_IRQ line (UM0701-02 §6.2.4: low while a frame waits for the host) is part
 * of the script when the link used it: op 0 is a line event, in order with the bus
 * transactions, its kind in `kept` (no bytes stored): IRQ_HIGH / IRQ_LOW, what a look at the
 * line (isAsserted) answered, or IRQ_EDGE, a falling edge handed to the link's listener. The
 * replay answers the looks and hands the edges back at the recorded points; an edge is due
 * after a look that found the line high (the link then waits for it).
 */
import { codedError } from "../bytes/coded-error";
import type { I2cBus, IrqPin } from "../hal/types";

/** `kept` of an op 0: what a look at P70_IRQ answered (high: no frame), or a falling edge. */
export const IRQ_HIGH = 0;
export const IRQ_LOW = 1;
export const IRQ_EDGE = 2;

export interface BusScript {
  /** 7-bit address every transaction used. */
  address: number;
  /** Per transaction: +n read of n bytes, −n write of n bytes; 0 a P70_IRQ event. */
  ops: number[];
  /** Per transaction: bytes stored in `bytes` (a read's trailing zeros are left out); for op 0 the IRQ_* kind. */
  kept: number[];
  /** The stored bytes of every transaction, in order. */
  bytes: Uint8Array;
}

const NO_BYTES = new Uint8Array(0);

/** Wraps `bus`, logging every transaction; `take()` returns the script so far and starts a new one. */
export class RecordingI2c implements I2cBus {
  private readonly bus: I2cBus;
  private ops: number[];
  private kept: number[];
  private parts: Uint8Array[];
  private address = -1;

  constructor(bus: I2cBus) {
    this.bus = bus;
    this.ops = [];
    this.kept = [];
    this.parts = [];
  }

  write(address: number, data: Uint8Array): void {
    this.note(address);
    this.ops.push(-data.length);
    this.kept.push(data.length);
    this.parts.push(new Uint8Array(data));
    this.bus.write(address, data);
  }

  read(address: number, length: number): Uint8Array {
    this.note(address);
    // The op goes in first: a P70_IRQ edge the chip raises during the read comes after it.
    const i = this.ops.length;
    this.event(length, 0);
    const r = this.bus.read(address, length);
    let k = r.length;
    while (k > 0 && r[k - 1] === 0) k--;
    this.kept[i] = k;
    this.parts[i] = new Uint8Array(r.subarray(0, k));
    return r;
  }

  /**
   * Wraps `pin` (the chip's P70_IRQ) for the link: each look at the line and each falling
   * edge handed to the link's listener goes in the script as an op 0, in order with the bus.
   */
  irq(pin: IrqPin): IrqPin {
    const self = this;
    return {
      isAsserted: function () {
        const low = pin.isAsserted();
        self.event(0, low ? IRQ_LOW : IRQ_HIGH);
        return low;
      },
      onAssert: function (l: (() => void) | null) {
        pin.onAssert(
          l
            ? function () {
                self.event(0, IRQ_EDGE);
                l();
              }
            : null,
        );
      },
    };
  }

  private event(op: number, kept: number): void {
    this.ops.push(op);
    this.kept.push(kept);
    this.parts.push(NO_BYTES);
  }

  take(): BusScript {
    let n = 0;
    for (let i = 0; i < this.parts.length; i++) n += this.parts[i].length;
    const bytes = new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < this.parts.length; i++) {
      bytes.set(this.parts[i], o);
      o += this.parts[i].length;
    }
    const s: BusScript = { address: this.address < 0 ? 0x24 : this.address, ops: this.ops, kept: this.kept, bytes: bytes };
    this.ops = [];
    this.kept = [];
    this.parts = [];
    return s;
  }

  private note(address: number): void {
    if (this.address >= 0 && address !== this.address) {
      throw codedError("REPLAY_ADDRESS", "one script holds one I2C address", { address: address, expected: this.address });
    }
    this.address = address;
  }
}

/**
 * A script made ready for replay once, when it is loaded, so a play costs nothing: per
 * transaction what a call must match. A read matches its op (the length; a write's op is
 * negative, an IRQ event's 0) and gets its stored bytes, a view of `bytes` (reads with the
 * same stored bytes share one view); a write matches `writes[i]`, bytesKey of its bytes (null
 * for any other op: no string equals it); an IRQ event matches `irq[i]`, its IRQ_* kind (−1
 * for a bus transaction; empty for a script without IRQ events). The address is compared as
 * a number.
 */
export interface ReplayScript {
  address: number;
  ops: number[];
  writes: (string | null)[];
  reads: (Uint8Array | null)[];
  irq: number[];
  /** The function the write keys were made with; the replay compares with the same. */
  bytesKey: (b: Uint8Array) => string;
}

function joinBytes(b: Uint8Array): string {
  return b.join();
}

/**
 * Prepares `s` for {@link ReplayI2c.play}. `bytesKey` makes a string that is equal for equal
 * bytes only: `join()` by default; a board passes `E.toString` (a native binary string:
 * measured in espruino-esp32-rel, ~18,000 instructions for 52 bytes where `join()` takes
 * ~140,000).
 */
export function replayScript(s: BusScript, bytesKey?: (b: Uint8Array) => string): ReplayScript {
  const key = bytesKey || joinBytes;
  const writes: (string | null)[] = [];
  const reads: (Uint8Array | null)[] = [];
  const irq: number[] = [];
  const same: { [bytes: string]: Uint8Array } = {};
  let p = 0;
  for (let i = 0; i < s.ops.length; i++) {
    const n = s.ops[i];
    const k = n === 0 ? 0 : s.kept[i];
    const b = s.bytes.subarray(p, p + k);
    p += k;
    writes.push(n < 0 ? key(b) : null);
    irq.push(n === 0 ? s.kept[i] : -1);
    let r: Uint8Array | null = null;
    if (n > 0) {
      const id = "r" + b.join();
      if (!same[id]) same[id] = b;
      r = same[id];
    }
    reads.push(r);
  }
  // A script without IRQ events keeps no array of them (RAM): a look at the line finds none.
  return { address: s.address, ops: s.ops, writes: writes, reads: reads, irq: s.ops.indexOf(0) >= 0 ? irq : [], bytesKey: key };
}

/**
 * Runs `fn` at a later turn of the event loop (`ms` 0): Espruino's setTimeout itself on the
 * bench board, which runs timers due at the same time in the order they were set.
 */
export type Later = (fn: () => void, ms: number) => unknown;

/** The replaying bus: an I2C bus that also starts a script and checks it was played out. */
export interface ReplayI2c extends I2cBus {
  /**
   * P70_IRQ as recorded (op 0 events): isAsserted() answers the recorded look; after a look
   * that found the line high, a recorded edge is handed to the listener through `later`
   * (replayI2c's argument, needed for a script with edges), before the link arms its deadline
   * timer, so it comes first, as when recorded.
   */
  readonly irq: IrqPin;
  /** Starts `r` from its first transaction. */
  play(r: ReplayScript): void;
  /** @throws REPLAY_LEFTOVER (fields `op`, `ops`) unless every transaction of the script ran. */
  finished(): void;
}

/**
 * Replays scripts. A write is compared through the script's `bytesKey` string (native, no
 * per-byte loop in JS); a read returns a fresh array of the length asked for with the stored
 * bytes set into it (zeros after them), as a bus read would: a board's `I2C.readFrom`
 * allocates its answer too, so the bench counts that allocation (`new Uint8Array(n)` then
 * `set`; measured in espruino-esp32-rel, ~2x cheaper than `new Uint8Array(full)`, which
 * copies byte by byte). Each call is a compare or two on the common path (a read: its length
 * with the op and the address, no string made); the error is built by `outOfStep` only when a
 * call differs. Closures, not `this` fields: fewer tokens per call
 * (the interpreter lexes a body at each call; docs/espruino-notes.md "CPU").
 * @throws REPLAY_OUT_OF_STEP (fields `op` index, `expected` op, `got` op, `at`: "write",
 *   "write bytes" or "read") on a call that differs from the recording or runs past its end
 */
export function replayI2c(later?: Later): ReplayI2c {
  let s: ReplayScript | null = null;
  let ops: number[] = [];
  let writes: (string | null)[] = [];
  let reads: (Uint8Array | null)[] = [];
  let irq: number[] = [];
  let key: (b: Uint8Array) => string = joinBytes;
  let adr = -1;
  let op = 0;
  let listener: (() => void) | null = null;
  /** The rare path: `got` is the length read, the bytes written, or the P70_IRQ event ("irq …"). */
  function outOfStep(address: number, got: number | Uint8Array | string): void {
    let at = "read";
    let n = got as number;
    if (typeof got === "string") {
      n = 0;
      at = got;
    } else if (typeof got !== "number") {
      n = -got.length;
      at = "write";
    }
    const expected = s && op < s.ops.length ? s.ops[op] : null;
    if (at === "write" && expected === n && s && address === s.address) at = "write bytes";
    throw codedError("REPLAY_OUT_OF_STEP", "bus transaction " + op + " differs from the recording (" + at + ")", {
      op: op,
      expected: expected,
      got: n,
      at: at,
    });
  }
  /** A look at the line that was not recorded high: low, else out of step. */
  function low(): boolean {
    if (irq[op] !== 1) outOfStep(-1, "irq look"); // IRQ_LOW (a literal: no global looked up)
    op++;
    return true;
  }
  /** A recorded falling edge, handed to the listener; out of step when the link did anything else first. */
  function edge(): void {
    if (irq[op] !== 2) outOfStep(-1, "irq edge"); // IRQ_EDGE
    op++;
    if (listener) listener();
  }
  return {
    play: function (r: ReplayScript) {
      s = r;
      ops = r.ops;
      writes = r.writes;
      reads = r.reads;
      irq = r.irq;
      key = r.bytesKey;
      adr = r.address;
      op = 0;
    },
    write: function (address: number, data: Uint8Array) {
      if (key(data) !== writes[op] || address !== adr) outOfStep(address, data);
      op++;
    },
    read: function (address: number, length: number): Uint8Array {
      if (length !== ops[op] || address !== adr) outOfStep(address, length);
      const out = new Uint8Array(length);
      out.set(reads[op++] as Uint8Array);
      return out;
    },
    irq: {
      isAsserted: function () {
        // IRQ_HIGH, then IRQ_EDGE: the link waits for the line now, the edge comes at the next turn.
        if (irq[op] !== 0) return low();
        if (irq[++op] === 2) (later as Later)(edge, 0);
        return false;
      },
      onAssert: function (l: (() => void) | null) {
        listener = l;
      },
    },
    finished: function () {
      if (s && op !== s.ops.length) throw codedError("REPLAY_LEFTOVER", "script not played to its end", { op: op, ops: s.ops.length });
    },
  };
}
