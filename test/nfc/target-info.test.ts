// ISO/IEC 14443-4 §5.2: ATS = TL T0 [TA(1)] [TB(1)] [TC(1)] historical bytes. Every expected
// value below is worked out from the spec: T0 b5/b6/b7 announce TA/TB/TC, b4-b1 FSCI →
// FSC {16,24,32,40,48,64,96,128,256}; TB(1) b8-b5 FWI, b4-b1 SFGI; FWT = 4096/13.56 MHz × 2^FWI
// (302.06 µs × 2^FWI); TC(1) b2 CID, b1 NAD.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { decodeAts, describeTarget, frameTimeMs } from "../../src/nfc/target-info";
import { prng, randomBytes, mutate, codeOrNull, below } from "../apdu/fuzz";
import { targetA } from "./fake-pn532";

// [what, ATS, fsc, ta, fwi, sfgi, fwtMs (3 decimals), cid, nad, historical]
const vectors: [string, string, number, number | null, number, number, number, boolean, boolean, string][] = [
  // T0 78: TA TB TC present, FSCI 8. TA 80: same divisor both ways, 106 kbit/s only. TB 70: FWI 7.
  ["phone-style 05 78 80 70 02", "0578807002", 256, 0x80, 7, 0, 38.664, true, false, ""],
  // T0 75: FSCI 5 → 64. TA 77: 212/424/848 both ways. TB 81: FWI 8, SFGI 1. Historical 80.
  ["card-style 06 75 77 81 02 80", "0675778102" + "80", 64, 0x77, 8, 1, 77.329, true, false, "80"],
  // Historical bytes in compact-TLV (80, then 31 80, then 66 + 6 bytes): TL 0E = 5 + 9.
  ["card with 9 historical bytes", "0E78778102" + "803180" + "66B08412016E", 256, 0x77, 8, 1, 77.329, true, false, "80318066B08412016E"],
  // TL 1: no T0, all defaults (FSCI 2 → 32, FWI 4, SFGI 0, CID yes, NAD no).
  ["TL only", "01", 32, null, 4, 0, 4.833, true, false, ""],
  // T0 00: no interface bytes, FSCI 0 → 16.
  ["T0 without interface bytes", "0200", 16, null, 4, 0, 4.833, true, false, ""],
  // T0 2F: TB only, FSCI F (RFU, read as 8 → 256); TB FF: FWI 15 and SFGI 15 are RFU → 4 and 0.
  ["RFU FSCI, FWI and SFGI", "032FFF", 256, null, 4, 0, 4.833, true, false, ""],
  // T0 20 TB E0: FWI 14, the largest: 4096 × 16384 / 13.56 MHz.
  ["FWI 14", "0320E0", 16, null, 14, 0, 4949.031, true, false, ""],
  // T0 58: TA and TC, no TB (defaults FWI 4); TC 01: NAD, no CID.
  ["TA and TC only", "04588001", 256, 0x80, 4, 0, 4.833, false, true, ""],
];

describe("ATS (ISO/IEC 14443-4 §5.2)", () => {
  for (const v of vectors) {
    it("decodes " + v[0], () => {
      const a = decodeAts(fromHex(v[1]));
      expect(a.fsc).toBe(v[2]);
      expect(a.ta).toBe(v[3]);
      expect(a.fwi).toBe(v[4]);
      expect(a.sfgi).toBe(v[5]);
      expect(Math.round(a.fwtMs * 1000) / 1000).toBe(v[6]);
      expect(a.cid).toBe(v[7]);
      expect(a.nad).toBe(v[8]);
      expect(toHex(a.historical)).toBe(v[9]);
    });
  }

  it("computes FWT and SFGT with shifts: 302.06 µs × 2^i", () => {
    expect(frameTimeMs(0)).toBeCloseTo(0.30206, 5);
    for (let i = 1; i <= 14; i++) expect(frameTimeMs(i) / frameTimeMs(i - 1)).toBeCloseTo(2, 12);
    expect(decodeAts(fromHex("0675778102" + "80")).sfgtMs).toBeCloseTo(0.60413, 5);
    expect(decodeAts(fromHex("0578807002")).sfgtMs).toBe(0);
  });

  // [what, ATS, code, fields]
  const errors: [string, string, string, object][] = [
    ["empty", "", "ATS_TOO_SHORT", { offset: 0 }],
    ["TL 0", "00", "ATS_BAD_TL", { tl: 0, length: 1 }],
    ["TL shorter than the bytes (TL 0C for 15 bytes)", "0C7877B40280318066B08412016E01", "ATS_BAD_TL", { tl: 12, length: 15 }],
    ["TL longer than the bytes", "05788070", "ATS_BAD_TL", { tl: 5, length: 4 }],
    ["T0 78 with only TA inside TL", "037880", "ATS_TRUNCATED", { offset: 3 }],
    ["T0 78 alone", "0278", "ATS_TRUNCATED", { offset: 2 }],
  ];
  for (const v of errors) {
    it("rejects " + v[0] + " with " + v[2], () => {
      expect(() => decodeAts(fromHex(v[1]))).toThrow(expect.objectContaining({ code: v[2], ...v[3] }));
    });
  }

  it("fuzz: random and mutated ATS decode or throw ATS_ errors only", () => {
    const rand = prng(0x14443);
    const seeds = vectors.map((v) => fromHex(v[1]));
    let ok = 0;
    for (let i = 0; i < 4000; i++) {
      const input = i & 1 ? randomBytes(rand, 20) : mutate(rand, seeds[below(rand, seeds.length)]);
      if (i % 3 === 0 && input.length) input[0] = input.length; // a consistent TL reaches the T0 checks
      const code = codeOrNull(() => {
        const a = decodeAts(input);
        expect(a.fsc).toBeGreaterThanOrEqual(16);
        expect(a.fwi).toBeLessThan(15);
        expect(a.historical.length).toBeLessThan(input.length);
      }, "ATS_", toHex(input));
      if (!code) ok++;
    }
    expect(ok).toBeGreaterThan(500);
  });
});

describe("describeTarget", () => {
  it("shows a phone with its random UID flagged", () => {
    expect(describeTarget(targetA(1, 0x20, "08A1B2C3", "0578807002"))).toBe(
      "ATQA 0004 SAK 20 UID 08A1B2C3 (random, not an identity) ATS 0578807002 FSC 256 FWT 38.7ms",
    );
  });

  it("shows a card's 7-byte UID and historical bytes", () => {
    expect(describeTarget(targetA(1, 0x20, "04112233445566", "067577810280", "0044"))).toBe(
      "ATQA 0044 SAK 20 UID 04112233445566 ATS 067577810280 FSC 64 FWT 77.3ms hist 80",
    );
  });

  it("shows a target that is not ISO-DEP, and a bad ATS by its error code", () => {
    expect(describeTarget(targetA(1, 0x08, "11223344", null))).toBe("ATQA 0004 SAK 08 UID 11223344 not ISO-DEP");
    expect(describeTarget(targetA(1, 0x20, "08000001", "0578"))).toBe(
      "ATQA 0004 SAK 20 UID 08000001 (random, not an identity) ATS 0578 (ATS_BAD_TL)",
    );
  });
});
