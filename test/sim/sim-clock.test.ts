import { describe, it, expect } from "vitest";
import { SimClock } from "../../src/sim/sim-clock";
import { nodeClock } from "./sim-helpers";

describe("SimClock", () => {
  it("runs timers in due order, stable for equal times, and jumps time to each", () => {
    const c = new SimClock(null);
    const seen: string[] = [];
    c.setTimer(10, () => seen.push("b@" + c.now()));
    c.setTimer(5, () => seen.push("a@" + c.now()));
    c.setTimer(10, () => seen.push("c@" + c.now()));
    expect(c.pending()).toBe(3);
    expect(c.runUntilIdle()).toBe(3);
    expect(seen).toEqual(["a@5", "b@10", "c@10"]);
    expect(c.pending()).toBe(0);
  });

  it("clears timers; unknown handles are ignored", () => {
    const c = new SimClock(null);
    let fired = 0;
    const h = c.setTimer(1, () => fired++);
    c.clearTimer(h);
    c.clearTimer(h);
    c.clearTimer(12345);
    expect(c.pending()).toBe(0);
    c.runUntilIdle();
    expect(fired).toBe(0);
  });

  it("advance() passes time without firing; late timers fire at the next step and time never goes back", () => {
    const c = new SimClock(null);
    const at: number[] = [];
    c.setTimer(2, () => at.push(c.now()));
    c.advance(7.5);
    expect(at).toEqual([]);
    c.step();
    expect(at).toEqual([7.5]);
    expect(c.now()).toBe(7.5);
  });

  it("advanceAndRun() fires what is due within the window and ends at now + ms", () => {
    const c = new SimClock(null);
    const at: number[] = [];
    c.setTimer(3, () => at.push(c.now()));
    c.setTimer(30, () => at.push(c.now()));
    c.advanceAndRun(10);
    expect(at).toEqual([3]);
    expect(c.now()).toBe(10);
    expect(c.pending()).toBe(1);
  });

  it("pumps itself and lets Promise continuations run between timers", async () => {
    const c = nodeClock();
    const sleep = (ms: number) => new Promise<void>((r) => c.setTimer(ms, r));
    const log: string[] = [];
    const a = sleep(10)
      .then(() => {
        log.push("a1@" + c.now());
        return sleep(10);
      })
      .then(() => log.push("a2@" + c.now()));
    const b = sleep(15).then(() => log.push("b@" + c.now()));
    await Promise.all([a, b]);
    expect(log).toEqual(["a1@10", "b@15", "a2@20"]);
    expect(c.pending()).toBe(0);
  });

  it("simulates a long wait instantly", async () => {
    const c = nodeClock();
    await new Promise<void>((r) => c.setTimer(3600000, r));
    expect(c.now()).toBe(3600000);
  });
});
