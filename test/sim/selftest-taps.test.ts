// The selftest's full taps (src/sim/selftest-taps.ts) on Node: each See Phone restart goes
// through a Field Off Request the chip saw (RF off ≥ the hold time), and the APDU stack is
// the one of src/nfc/apdu-stack.ts.
import { describe, expect, it } from "vitest";
import { runFullSelftest } from "../../src/sim/selftest-all";

describe("selftest taps", () => {
  it("Visa and Mastercard phones come back after 1300 ms of field off; every step passes", async () => {
    const lines: string[] = [];
    const ok = await runFullSelftest({ print: (l) => lines.push(l), memory: () => "-", defer: (fn) => setImmediate(fn) });
    expect(lines.filter((l) => l.startsWith("FAIL")), lines.join("\n")).toEqual([]);
    expect(ok).toBe(true);
    const tap = (name: string) => lines.find((l) => l.startsWith("ok   tap " + name))!;
    expect(tap("Apple Pay Visa")).toMatch(/ONLINE_REQUEST OK kernel 3 .* after 1 See Phone \(field off 1300 ms\)/);
    expect(tap("Google Pay Mastercard")).toMatch(/ONLINE_REQUEST OK kernel 2 .* after 1 See Phone \(field off 1300 ms\)/);
    expect(tap("QuickPass UnionPay")).not.toMatch(/field off/);
  });
});
