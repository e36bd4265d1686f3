/**
 * The simulator's clock when a person watches the terminal: real time, plus the bus time the
 * simulated buses charge (SimI2c.advance), so the PN532 simulator, the virtual phone's
 * processing and the RF field's off periods take as long as they would on a bench (a Field
 * Off Request of 1.3 s is 1.3 s for the phone too). src/sim/sim-clock.ts jumps straight to
 * the next timer instead, which suits a one-shot tap (`npm run tap`) but not a terminal whose
 * runner, UI and authorizer run on Node's real timers beside it.
 *
 * It extends SimClock only because SimI2c takes one: every public method is replaced, the
 * base's queue is never used.
 */
import type { TimerHandle } from "../../src/hal/types";
import { SimClock } from "../../src/sim/sim-clock";

export class PacedClock extends SimClock {
  private readonly startedAt: number;
  /** Bus time charged so far, ms: this clock runs that much ahead of real time. */
  private charged = 0;
  private handles = new Map<number, NodeJS.Timeout>();
  private lastId = 0;

  constructor() {
    super(null);
    this.startedAt = performance.now();
  }

  now(): number {
    return performance.now() - this.startedAt + this.charged;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = ++this.lastId;
    this.handles.set(
      id,
      setTimeout(
        () => {
          this.handles.delete(id);
          fn();
        },
        ms > 0 ? ms : 0,
      ),
    );
    return id;
  }

  clearTimer(handle: TimerHandle): void {
    const t = this.handles.get(handle);
    if (t !== undefined) clearTimeout(t);
    this.handles.delete(handle);
  }

  /** A bus transfer's time: the clock moves ahead, nothing fires early. */
  advance(ms: number): void {
    if (ms > 0) this.charged += ms;
  }

  pending(): number {
    return this.handles.size;
  }

  /** Real timers: there is no manual mode. */
  step(): boolean {
    return false;
  }

  runUntilIdle(): number {
    return 0;
  }

  advanceAndRun(ms: number): void {
    this.advance(ms);
  }

  /** Cancels every timer (at exit). */
  stop(): void {
    for (const t of this.handles.values()) clearTimeout(t);
    this.handles.clear();
  }
}
