// The bench's bus replay with P70_IRQ (UM0701-02 §6.2.4): the I2C link on the simulated PN532's
// IRQ line is recorded (looks at the line and falling edges in order with the bus transactions),
// then the same link replays it with no simulator: the looks answered and the edges handed back
// at the recorded points; anything else is REPLAY_OUT_OF_STEP, a script not played out
// REPLAY_LEFTOVER.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import type { Clock } from "../../src/hal/types";
import { Pn532 } from "../../src/pn532/driver";
import { I2cLink } from "../../src/pn532/link-i2c";
import { IRQ_EDGE, IRQ_HIGH, RecordingI2c, replayI2c, replayScript, type BusScript } from "../../src/sim/bus-replay";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimI2c } from "../../src/sim/sim-i2c";
import { simpleTarget } from "../../src/sim/simple-target";
import { nodeClock } from "./sim-helpers";

const SELECT_PPSE = fromHex("00A404000E325041592E5359532E444446303100");
const FCI = "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310109000";

/** SAMConfiguration with the IRQ, InListPassiveTarget, one InDataExchange: the link on P70_IRQ. */
async function session(pn: Pn532): Promise<string> {
  await pn.samConfiguration(1, 0, true);
  const [t] = await pn.inListPassiveTarget(1, 500);
  return toHex(await pn.inDataExchange(t.tg, SELECT_PPSE, 500));
}

async function record(): Promise<BusScript> {
  const clock = nodeClock();
  const chip = new Pn532Chip(clock, { targets: [simpleTarget({ answer: () => fromHex(FCI), processingMs: 30 })] });
  const bus = new RecordingI2c(new SimI2c(chip, clock));
  const pn = new Pn532(new I2cLink(bus, clock, { irq: bus.irq(chip.irq) }), clock);
  expect(await session(pn)).toBe(FCI);
  return bus.take();
}

/** Turns of a host event loop by hand: the replay's `later`. */
function turns(): { later: (fn: () => void) => void; run(): number } {
  const q: (() => void)[] = [];
  return {
    later: (fn) => void q.push(fn),
    run() {
      let n = 0;
      while (q.length) {
        n++;
        (q.shift() as () => void)();
      }
      return n;
    },
  };
}

/**
 * As the bench board runs the replay (board/bench/bench-clock.ts): timers and the replay's
 * edges in one queue, each at the next turn in the order set, time moved to a timer's due time.
 */
function benchLoop(): { clock: Clock; later: (fn: () => void) => void; edges: () => number; run(until: () => boolean): Promise<void> } {
  let t = 0;
  let id = 0;
  let edges = 0;
  const q: { id: number; due: number; fn: () => void }[] = [];
  return {
    clock: {
      now: () => t,
      setTimer: (ms, fn) => (q.push({ id: ++id, due: t + ms, fn }), id),
      clearTimer: (h) => {
        const i = q.findIndex((x) => x.id === h);
        if (i >= 0) q.splice(i, 1);
      },
    },
    later: (fn) => {
      edges++;
      q.push({ id: ++id, due: t, fn });
    },
    edges: () => edges,
    async run(until) {
      for (let n = 0; n < 1000 && !until(); n++) {
        const x = q.shift();
        if (x) {
          if (x.due > t) t = x.due;
          x.fn();
        }
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

describe("bus replay with P70_IRQ", () => {
  const recorded = record();

  it("records each look at the line (high: no frame yet) and each falling edge, in order with the bus: no empty read", async () => {
    const s = await recorded;
    const seq = s.ops.map((o, i) => (o === 0 ? ["high", "low", "edge"][s.kept[i]] : o > 0 ? "R" + o : "W" + -o));
    // Wake-up read, then per command: its write, the line high, the ACK's edge, the ACK read,
    // the line high, the answer's edge, the answer read.
    const cycle = ["high", "edge", "R7", "high", "edge", "R129"];
    expect(seq).toEqual(["R1", "W12", ...cycle, "W11", ...cycle, "W30", ...cycle]);
    expect(s.kept.filter((_k, i) => s.ops[i] === 0)).toEqual(new Array(12).fill(0).map((_x, i) => (i % 2 ? IRQ_EDGE : IRQ_HIGH)));
  });

  it("replays in step with no simulator: the same answers, every edge handed back before the link's deadline, the script played out", async () => {
    const loop = benchLoop();
    const bus = replayI2c(loop.later);
    const pn = new Pn532(new I2cLink(bus, loop.clock, { irq: bus.irq }), loop.clock);
    bus.play(replayScript(await recorded));
    let result: string | null = null;
    session(pn).then((r) => (result = r));
    await loop.run(() => result !== null);
    expect(result).toBe(FCI);
    expect(loop.edges()).toBe(6);
    bus.finished();
  });

  it("a bus read where the script has a look at the line is REPLAY_OUT_OF_STEP (the link polled instead of waiting)", async () => {
    const s = await recorded;
    const bus = replayI2c(turns().later);
    bus.play(replayScript(s));
    bus.read(0x24, 1);
    bus.write(0x24, s.bytes.slice(0, 12)); // SAMConfiguration, as recorded (the wake-up read kept no byte)
    expect(() => bus.read(0x24, 7)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 2, expected: 0, got: 7, at: "read" }));
  });

  it("a look at the line where the script has a bus transaction is REPLAY_OUT_OF_STEP at \"irq look\"", async () => {
    const bus = replayI2c(turns().later);
    bus.play(replayScript(await recorded));
    expect(() => bus.irq.isAsserted()).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, expected: 1, got: 0, at: "irq look" }));
  });

  it("a look again before the recorded edge came (a deadline first) is REPLAY_OUT_OF_STEP; an edge due out of its place too", async () => {
    const s = await recorded;
    const t = turns();
    const bus = replayI2c(t.later);
    bus.play(replayScript(s));
    bus.read(0x24, 1);
    bus.write(0x24, s.bytes.slice(0, 12));
    expect(bus.irq.isAsserted()).toBe(false); // high: the recorded edge is now due
    expect(() => bus.irq.isAsserted()).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 3, expected: 0, at: "irq look" }));
    bus.play(replayScript(s)); // the edge still due lands on the first transaction of a new play
    expect(() => t.run()).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, expected: 1, got: 0, at: "irq edge" }));
  });

  it("a script ended before its last edge and read: REPLAY_LEFTOVER", async () => {
    const s = await recorded;
    const bus = replayI2c(turns().later);
    bus.play(replayScript(s));
    bus.read(0x24, 1);
    expect(() => bus.finished()).toThrow(expect.objectContaining({ code: "REPLAY_LEFTOVER", op: 1, ops: s.ops.length }));
  });
});
