/**
 * Simulated time for the PN532 simulator and everything above it (docs/architecture.md "Timing model").
 * Milliseconds, fractional. Timers run in due-time order (stable for equal times); time jumps
 * straight to the next due timer, so a 30 s wait costs nothing in real time.
 *
 * Self-running: with a `defer` function (Node: setImmediate, Espruino: fn => setTimeout(fn, 0))
 * every queued timer arms one "pump" that runs the earliest timer and re-arms while timers
 * remain. One timer per real event-loop turn lets Promise continuations run between timers,
 * as they would between interrupts. Without `defer` (manual mode) tests drive it with step(),
 * runUntilIdle() and advanceAndRun().
 *
 * advance(ms) is synchronous passage of time: the bus models charge a transfer with it. It
 * fires nothing; timers that fell due meanwhile run at the next pump, late, as on a busy CPU.
 */
import type { Clock, TimerHandle } from "../hal/types";

interface SimTimer {
  id: number;
  at: number;
  fn: () => void;
}

export class SimClock implements Clock {
  private t = 0;
  private nextId = 1;
  private queue: SimTimer[];
  private armed = false;
  private defer: ((fn: () => void) => void) | null;

  /** @param defer schedules `fn` on the host event loop; null = manual mode. */
  constructor(defer: ((fn: () => void) => void) | null) {
    this.defer = defer;
    this.queue = [];
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const at = this.t + (ms > 0 ? ms : 0);
    const q = this.queue;
    let i = q.length;
    while (i > 0 && q[i - 1].at > at) i--;
    const id = this.nextId++;
    q.splice(i, 0, { id: id, at: at, fn: fn });
    this.arm();
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    const q = this.queue;
    for (let i = 0; i < q.length; i++) {
      if (q[i].id === handle) {
        q.splice(i, 1);
        return;
      }
    }
  }

  /** Synchronous passage of time (a bus transfer); fires no timer. */
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }

  /** Timers still queued: 0 after a test means nothing leaked. */
  pending(): number {
    return this.queue.length;
  }

  /** Manual mode: runs the earliest timer; false when none is queued. */
  step(): boolean {
    const tm = this.queue.shift();
    if (!tm) return false;
    if (tm.at > this.t) this.t = tm.at;
    this.arm();
    tm.fn();
    return true;
  }

  /** Manual mode: runs timers (also those they queue) until none is left or `maxSteps` ran. */
  runUntilIdle(maxSteps?: number): number {
    const max = maxSteps ?? 100000;
    let n = 0;
    while (n < max && this.step()) n++;
    return n;
  }

  /** Manual mode: runs every timer due within `ms`, then sets the time to now + ms. */
  advanceAndRun(ms: number): void {
    const end = this.t + ms;
    while (this.queue.length > 0 && this.queue[0].at <= end) this.step();
    if (end > this.t) this.t = end;
  }

  private arm(): void {
    if (this.armed || !this.defer || this.queue.length === 0) return;
    this.armed = true;
    this.defer(() => {
      this.armed = false;
      this.step();
    });
  }
}
