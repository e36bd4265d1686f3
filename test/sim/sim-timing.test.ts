// RF time from first principles: ISO/IEC 14443-2 type A at fc/128 (106 kbit/s), 9 bit times
// per byte (8 + parity), start + end bit per frame, FDT 1172/fc between frames; ISO/IEC 14443-4
// I-blocks PCB + INF + CRC_A.
import { describe, it, expect } from "vitest";
import { fromHex } from "../../src/bytes/hex";
import { activationMs, airMs, BIT_MS, chainMs, fscFromAts, fwtMs, wtxMs } from "../../src/sim/sim-timing";

const FC = 13.56e6;
/** One frame of n bytes on the air plus the following FDT, in ms. */
const frame = (n: number) => (((9 * n + 2) * 128) / FC + 1172 / FC) * 1000;

describe("sim-timing (106 kbit/s, ISO-DEP framing)", () => {
  it("a byte on the air is 9 bit times of 128/fc ≈ 84.96 µs", () => {
    expect(9 * BIT_MS * 1000).toBeCloseTo(84.96, 2);
    expect(airMs(10, 1)).toBeCloseTo(frame(10), 12);
  });

  const fsc: [string, number][] = [
    ["0578807002", 256], // T0 78: FSCI 8
    ["0575807002", 64], // FSCI 5
    ["057080700A", 16], // FSCI 0
    ["01", 32], // no T0: default FSCI 2
  ];
  for (const v of fsc) {
    it("FSC of ATS " + v[0] + " is " + v[1], () => expect(fscFromAts(fromHex(v[0]))).toBe(v[1]));
  }

  it("FWT = 256·16/fc · 2^FWI: TB(1) 70 → FWI 7 ≈ 38.66 ms; no TB → FWI 4 ≈ 4.83 ms", () => {
    expect(fwtMs(fromHex("0578807002"))).toBeCloseTo(((256 * 16) / FC) * 128 * 1000, 9);
    expect(fwtMs(fromHex("0578807002"))).toBeCloseTo(38.664, 3);
    expect(fwtMs(fromHex("0510"))).toBeCloseTo(4.833, 3); // TA only
    expect(fwtMs(null)).toBeCloseTo(4.833, 3);
  });

  it("a 258-byte answer with FSD 64 takes 5 I-blocks (4 × 61 + 14 INF) and 4 R(ACK)s", () => {
    const c = chainMs(258, 64);
    expect(c.blocks).toBe(5);
    const expected = 4 * frame(64) + frame(14 + 3) + 4 * frame(3);
    expect(c.ms).toBeCloseTo(expected, 9);
    expect(c.ms).toBeCloseTo(25.16, 2);
  });

  it("a short command is one block; an empty one still is", () => {
    expect(chainMs(5, 256).blocks).toBe(1);
    expect(chainMs(5, 256).ms).toBeCloseTo(frame(8), 12);
    expect(chainMs(0, 64).blocks).toBe(1);
    expect(chainMs(61, 64).blocks).toBe(1);
    expect(chainMs(62, 64).blocks).toBe(2);
  });

  it("an S(WTX) round trip is two 4-byte frames", () => {
    expect(wtxMs(2)).toBeCloseTo(4 * frame(4), 9);
  });

  it("activation of a 4-byte UID ISO-DEP target: REQA/ATQA, one cascade level, RATS/ATS", () => {
    const expected = frame(1) + frame(2) + frame(2) + frame(5) + frame(9) + frame(3) + frame(4) + frame(5 + 2);
    expect(activationMs(4, 5)).toBeCloseTo(expected, 9);
    expect(activationMs(7, 0)).toBeGreaterThan(activationMs(4, 0));
  });
});
