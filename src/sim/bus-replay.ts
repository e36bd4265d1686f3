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
 * Replays scripts. `play(script)` starts one; `finished()` throws unless all of it was used.
 * Writes are compared through `join()` (native on Espruino, no per-byte loop in JS); reads
 * return a fresh array with the recorded bytes (native `set`), as a bus read would.
 * @throws REPLAY_OUT_OF_STEP (fields `op` index, `expected` op, `got` op, `at`: "write"/"read")
 */
export class ReplayI2c implements I2cBus {
  private script: BusScript | null = null;
  /** Expected writes as `join()` strings, indexed by op. */
  private writes: string[];
  private op = 0;
  private pos = 0;

  constructor() {
    this.writes = [];
  }

  play(script: BusScript): void {
    if (this.script !== script) {
      this.script = script;
      const writes: string[] = [];
      this.writes = writes;
      let p = 0;
      for (let i = 0; i < script.ops.length; i++) {
        const k = script.kept[i];
        writes.push(script.ops[i] < 0 ? script.bytes.subarray(p, p + k).join() : "");
        p += k;
      }
    }
    this.op = 0;
    this.pos = 0;
  }

  write(address: number, data: Uint8Array): void {
    const s = this.next(address, -data.length, "write");
    if (data.join() !== (this.writes as string[])[this.op]) this.outOfStep(s, -data.length, "write bytes");
    this.pos += s.kept[this.op];
    this.op++;
  }

  read(address: number, length: number): Uint8Array {
    const s = this.next(address, length, "read");
    const p = this.pos;
    const k = s.kept[this.op];
    this.pos = p + k;
    this.op++;
    const out = new Uint8Array(length);
    if (k > 0) out.set(s.bytes.subarray(p, p + k));
    return out;
  }

  /** @throws REPLAY_LEFTOVER (fields `op`, `ops`) unless every transaction of the script ran. */
  finished(): void {
    const s = this.script;
    if (s && this.op !== s.ops.length) throw codedError("REPLAY_LEFTOVER", "script not played to its end", { op: this.op, ops: s.ops.length });
  }

  private next(address: number, op: number, at: string): BusScript {
    const s = this.script;
    if (!s || this.op >= s.ops.length || s.ops[this.op] !== op || address !== s.address) this.outOfStep(s, op, at);
    return s as BusScript;
  }

  private outOfStep(s: BusScript | null, got: number, at: string): void {
    throw codedError("REPLAY_OUT_OF_STEP", "bus transaction " + this.op + " differs from the recording (" + at + ")", {
      op: this.op,
      expected: s && this.op < s.ops.length ? s.ops[this.op] : null,
      got: got,
      at: at,
    });
  }
}
