// Board `bench` (issue 7): the bus replay refuses a tap out of step, the bundle builds with its
// recording, and dist/bench.js with `var BENCH_TAPS=1;` prepended prints BENCH PASS 3/3 in
// `espruino` (a plain file) and in `espruino-esp32` (from Storage, as a board runs saved code).
// Skipped, with the reason, when an interpreter is missing (host/espruino-dir.ts).
import { describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { RecordingI2c, replayI2c, replayScript } from "../../src/sim/bus-replay";
import type { I2cBus } from "../../src/hal/types";
import { espruinoSkipReason, runInEspruino, runInEspruinoFromFlash } from "./helpers";

/** A bus that answers reads with a counter and swallows writes. */
function counterBus(): I2cBus {
  let n = 0;
  return {
    write: () => undefined,
    read: (_a, len) => {
      const r = new Uint8Array(len);
      r[0] = ++n;
      return r;
    },
  };
}

describe("bus replay", () => {
  const rec = new RecordingI2c(counterBus());
  rec.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 0]));
  rec.read(0x24, 7);
  rec.read(0x24, 1);
  const script = rec.take();
  const replay = replayScript(script);

  it("records ops, kept lengths (a read's trailing zeros dropped) and bytes", () => {
    expect(script.ops).toEqual([-9, 7, 1]);
    expect(script.kept).toEqual([9, 1, 1]);
    expect(script.bytes.length).toBe(11);
  });

  it("replays the same transactions, bytes for bytes, and checks it reached the end", () => {
    const bus = replayI2c();
    bus.play(replay);
    bus.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 0]));
    expect(Array.from(bus.read(0x24, 7))).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(() => bus.finished()).toThrow(expect.objectContaining({ code: "REPLAY_LEFTOVER" }));
    expect(Array.from(bus.read(0x24, 1))).toEqual([2]);
    bus.finished();
  });

  it("a different write, length or address is REPLAY_OUT_OF_STEP, not a skip", () => {
    const bus = replayI2c();
    bus.play(replay);
    expect(() => bus.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 4, 0x28, 0]))).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, at: "write bytes" }));
    bus.play(replay);
    expect(() => bus.read(0x24, 7)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", expected: -9, got: 7 }));
    bus.play(replay);
    expect(() => bus.write(0x48, new Uint8Array(9))).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, at: "write" }));
    bus.play(replay);
    expect(() => bus.write(0x24, new Uint8Array(8))).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, expected: -9, got: -8, at: "write" }));
  });

  it("a read of another length or address, or past the end, or with no script, is REPLAY_OUT_OF_STEP", () => {
    const frame = new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 0]);
    const bus = replayI2c();
    expect(() => bus.read(0x24, 7)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, expected: null, got: 7, at: "read" }));
    bus.finished();
    bus.play(replay);
    bus.write(0x24, frame);
    expect(() => bus.read(0x24, 8)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 1, expected: 7, got: 8, at: "read" }));
    expect(() => bus.read(0x25, 7)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 1, expected: 7, got: 7, at: "read" }));
    bus.read(0x24, 7);
    bus.read(0x24, 1);
    expect(() => bus.read(0x24, 1)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 3, expected: null, got: 1, at: "read" }));
    expect(() => bus.write(0x24, frame)).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 3, expected: null, got: -9, at: "write" }));
    bus.finished();
  });

  it("writes compared through the script's bytesKey (E.toString on the board: a binary string)", () => {
    const binary = replayScript(script, (b) => Buffer.from(b).toString("latin1"));
    const bus = replayI2c();
    bus.play(binary);
    bus.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 0]));
    bus.read(0x24, 7);
    bus.read(0x24, 1);
    bus.finished();
    bus.play(binary);
    expect(() => bus.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 1]))).toThrow(expect.objectContaining({ code: "REPLAY_OUT_OF_STEP", op: 0, at: "write bytes" }));
  });

  it("each read is a fresh array: changing one changes no later replay", () => {
    const bus = replayI2c();
    for (let i = 0; i < 2; i++) {
      bus.play(replay);
      bus.write(0x24, new Uint8Array([0, 0, 0xff, 2, 0xfe, 0xd4, 2, 0x2a, 0]));
      const r = bus.read(0x24, 7);
      expect(Array.from(r)).toEqual([1, 0, 0, 0, 0, 0, 0]);
      r.fill(0xee);
      expect(Array.from(bus.read(0x24, 1))).toEqual([2]);
      bus.finished();
    }
  });
});

describe("bench board", () => {
  const built = buildBoard({ entry: "board/bench/main.ts", write: false });

  it("builds within its budget, with the recorded taps of three kernels", async () => {
    const b = await built;
    expect(b.problems).toEqual([]);
    expect(b.code).toContain("UnionPay C-7");
    expect(b.code).toContain("Mastercard C-2");
  }, 120000);

  const withTaps = (code: string, n: number) => `var BENCH_TAPS=${n};` + code;

  it.skipIf(espruinoSkipReason("espruino") !== null)("espruino: BENCH_TAPS=1 passes 3/3, every tap an Online Request; BENCH_TAPS=0 loads only", async () => {
    const code = (await built).code;
    const out = runInEspruino(withTaps(code, 1));
    expect(out).toContain("BENCH PASS 3/3");
    expect(out.match(/ONLINE_REQUEST/g)?.length).toBe(3);
    expect(runInEspruino(withTaps(code, 0))).toContain("BENCH PASS 0/0");
  }, 120000);

  it.skipIf(espruinoSkipReason("espruino-esp32") !== null)("espruino-esp32 from Storage: BENCH_TAPS=1 passes 3/3 with 16,383 JsVars", async () => {
    const out = runInEspruinoFromFlash(withTaps((await built).code, 1));
    expect(out).toContain("BENCH PASS 3/3");
    expect(out).not.toMatch(/Uncaught|FAIL|LOW_MEMORY/);
  }, 120000);

  if (espruinoSkipReason("espruino") !== null) it.skip("espruino runs: " + espruinoSkipReason("espruino"), () => undefined);
});
