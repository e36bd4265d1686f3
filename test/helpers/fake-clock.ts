/**
 * A manual Clock for tests: time moves only when the test (or a fake it drives) says so.
 * `advance(ms)` fires due timers in time order (ties in the order they were set), each with
 * `now()` equal to its due time.
 */
import type { Clock, TimerHandle } from "../../src/hal/types";

interface Timer {
  id: number;
  atMs: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = 0) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, atMs: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  /** Timers set and not yet fired or cleared. */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.atMs > end) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.atMs;
      next.fn();
    }
    this.t = end;
  }

  /**
   * Settles `p`, letting Node's queues drain between steps and jumping to the next timer
   * whenever nothing else is left to run. Fails if `p` can never settle.
   */
  async run<T>(p: Promise<T>): Promise<T> {
    let settled = false;
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let idle = 0; !settled; ) {
      await new Promise((r) => setImmediate(r));
      if (settled) break;
      const next = this.earliest();
      if (next) {
        this.advance(next.atMs - this.t);
        idle = 0;
      } else if (++idle > 50) {
        throw new Error("FakeClock.run: the promise waits for something that never happens");
      }
    }
    return p;
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const x of this.timers) if (!best || x.atMs < best.atMs) best = x;
    return best;
  }
}
