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
 */
import { codedError } from "../bytes/coded-error";
import type { I2cBus } from "../hal/types";

export interface BusScript {
  /** 7-bit address every transaction used. */
  address: number;
  /** Per transaction: +n read of n bytes, −n write of n bytes. */
  ops: number[];
  /** Per transaction: bytes stored in `bytes` (a read's trailing zeros are left out). */
  kept: number[];
  /** The stored bytes of every transaction, in order. */
  bytes: Uint8Array;
}

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
    const r = this.bus.read(address, length);
    let k = r.length;
    while (k > 0 && r[k - 1] === 0) k--;
    this.ops.push(length);
    this.kept.push(k);
    this.parts.push(new Uint8Array(r.subarray(0, k)));
    return r;
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
 * transaction the key a call must match (a read: `address + ":" + length`; a write:
 * `address + "|" + bytesKey(data)`, so a read never matches a write) and, for a read, its
 * stored bytes as a view of `bytes` (reads with the same stored bytes share one view).
 */
export interface ReplayScript {
  script: BusScript;
  keys: string[];
  reads: (Uint8Array | null)[];
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
  const keys: string[] = [];
  const reads: (Uint8Array | null)[] = [];
  const same: { [bytes: string]: Uint8Array } = {};
  let p = 0;
  for (let i = 0; i < s.ops.length; i++) {
    const n = s.ops[i];
    const b = s.bytes.subarray(p, p + s.kept[i]);
    p += s.kept[i];
    if (n < 0) {
      keys.push(s.address + "|" + key(b));
      reads.push(null);
    } else {
      keys.push(s.address + ":" + n);
      const id = "r" + b.join();
      if (!same[id]) same[id] = b;
      reads.push(same[id]);
    }
  }
  return { script: s, keys: keys, reads: reads, bytesKey: key };
}

/** The replaying bus: an I2C bus that also starts a script and checks it was played out. */
export interface ReplayI2c extends I2cBus {
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
 * copies byte by byte). Each call is one key compare on the common path: the error is built
 * by `outOfStep` only when a call differs. Closures, not `this` fields: fewer tokens per call
 * (the interpreter lexes a body at each call; docs/espruino-notes.md "CPU").
 * @throws REPLAY_OUT_OF_STEP (fields `op` index, `expected` op, `got` op, `at`: "write",
 *   "write bytes" or "read") on a call that differs from the recording or runs past its end
 */
export function replayI2c(): ReplayI2c {
  let s: BusScript | null = null;
  let keys: string[] = [];
  let reads: (Uint8Array | null)[] = [];
  let key: (b: Uint8Array) => string = joinBytes;
  let op = 0;
  /** The rare path: `got` is the length read, or the bytes written. */
  function outOfStep(address: number, got: number | Uint8Array): void {
    let at = "read";
    let n = got as number;
    if (typeof got !== "number") {
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
  return {
    play: function (r: ReplayScript) {
      s = r.script;
      keys = r.keys;
      reads = r.reads;
      key = r.bytesKey;
      op = 0;
    },
    write: function (address: number, data: Uint8Array) {
      if (keys[op] !== address + "|" + key(data)) outOfStep(address, data);
      op++;
    },
    read: function (address: number, length: number): Uint8Array {
      if (keys[op] !== address + ":" + length) outOfStep(address, length);
      const out = new Uint8Array(length);
      out.set(reads[op++] as Uint8Array);
      return out;
    },
    finished: function () {
      if (s && op !== s.ops.length) throw codedError("REPLAY_LEFTOVER", "script not played to its end", { op: op, ops: s.ops.length });
    },
  };
}
