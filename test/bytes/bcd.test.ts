import { describe, it, expect } from "vitest";
import { below, prng } from "../../host/fuzz/prng";
import { amountToN12, bcdToDigits, bcdToNumber, dateToBcd, digitsToBcd, digitsToCn, numberToBcd, timeToBcd } from "../../src/bytes/bcd";
import { isCoded } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";

function code(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    if (!isCoded(e)) throw e;
    return e.code;
  }
  return "no error";
}

describe("numberToBcd / amountToN12 (format n, right-justified)", () => {
  const table: [number, number, string][] = [
    [0, 6, "000000000000"],
    [1, 6, "000000000001"],
    [1250, 6, "000000001250"],
    [999999999999, 6, "999999999999"],
    [756, 2, "0756"],
    [2, 1, "02"],
    [99, 1, "99"],
    [9007199254740991, 8, "9007199254740991"],
  ];
  for (const [v, n, hex] of table) it(`${v} in ${n} bytes → ${hex}`, () => expect(toHex(numberToBcd(v, n))).toBe(hex));
  it("amountToN12", () => expect(toHex(amountToN12(56399))).toBe("000000056399"));
  it("amountToN12 (four digits at a time) = numberToBcd(v, 6) at every group boundary", () => {
    const edges = [0, -0, 9, 10, 9999, 10000, 10001, 99999999, 100000000, 100000001, 100009999, 4294967295, 999999999999, 999900000000, 1000010000];
    for (const v of edges) expect(toHex(amountToN12(v)), String(v)).toBe(toHex(numberToBcd(v, 6)));
  });
  for (const bad of [-1, 1.5, 1e12, NaN, Infinity, 2 ** 53]) {
    it(`amountToN12(${bad}) → BCD_RANGE`, () => expect(code(() => amountToN12(bad))).toBe("BCD_RANGE"));
  }
  it("100 in 1 byte → BCD_RANGE", () => expect(code(() => numberToBcd(100, 1))).toBe("BCD_RANGE"));
  it("exact for every 12-digit amount (random sample against decimal strings)", () => {
    const rand = prng(12345);
    for (let i = 0; i < 2000; i++) {
      const v = below(rand, 1000000) * 1000000 + below(rand, 1000000);
      expect(toHex(amountToN12(v))).toBe(String(v).padStart(12, "0"));
      expect(bcdToNumber(amountToN12(v))).toBe(v);
    }
  });
});

describe("reading BCD", () => {
  it("bcdToNumber", () => {
    expect(bcdToNumber(Uint8Array.of(0x00, 0x00, 0x00, 0x00, 0x12, 0x50))).toBe(1250);
    expect(bcdToNumber(Uint8Array.of(0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99))).toBe(99999999999999);
    expect(code(() => bcdToNumber(Uint8Array.of(0x1a)))).toBe("BCD_INVALID");
    expect(code(() => bcdToNumber(new Uint8Array(8)))).toBe("BCD_RANGE");
  });
  it("bcdToDigits: n, and cn with F padding", () => {
    expect(bcdToDigits(Uint8Array.of(0x00, 0x12, 0x50))).toBe("001250");
    expect(bcdToDigits(Uint8Array.of(0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x01, 0x19))).toBe("4761739001010119");
    expect(bcdToDigits(Uint8Array.of(0x12, 0x34, 0x5f, 0xff))).toBe("12345");
    expect(bcdToDigits(new Uint8Array(0))).toBe("");
  });
  it("bcdToDigits refuses A–E nibbles and digits after F padding, with the nibble offset", () => {
    for (const [bytes, offset] of [
      [Uint8Array.of(0x12, 0xd4), 2],
      [Uint8Array.of(0x1f, 0x23), 2],
      [Uint8Array.of(0xf1), 1],
    ] as [Uint8Array, number][]) {
      try {
        bcdToDigits(bytes);
        throw new Error("no error");
      } catch (e) {
        expect(isCoded(e, "BCD_INVALID") && e.offset).toBe(offset);
      }
    }
  });
});

describe("writing digits", () => {
  it("digitsToBcd: right-justified", () => {
    expect(toHex(digitsToBcd("756", 2))).toBe("0756");
    expect(toHex(digitsToBcd("", 1))).toBe("00");
    expect(code(() => digitsToBcd("12345", 2))).toBe("BCD_RANGE");
    expect(code(() => digitsToBcd("7a6", 2))).toBe("BCD_INVALID");
  });
  it("digitsToCn: left-justified, F-padded", () => {
    expect(toHex(digitsToCn("4761739001010119"))).toBe("4761739001010119");
    expect(toHex(digitsToCn("12345"))).toBe("12345F");
    expect(toHex(digitsToCn("12345", 4))).toBe("12345FFF");
    expect(toHex(digitsToCn("", 2))).toBe("FFFF");
    expect(code(() => digitsToCn("12345", 2))).toBe("BCD_RANGE");
    expect(code(() => digitsToCn("12 45"))).toBe("BCD_INVALID");
  });
});

describe("dates and times", () => {
  it("dateToBcd YYMMDD, timeToBcd HHMMSS", () => {
    expect(toHex(dateToBcd(2025, 3, 7))).toBe("250307");
    expect(toHex(dateToBcd(2000, 1, 1))).toBe("000101");
    expect(toHex(dateToBcd(2099, 12, 31))).toBe("991231");
    expect(toHex(timeToBcd(0, 0, 0))).toBe("000000");
    expect(toHex(timeToBcd(23, 59, 59))).toBe("235959");
  });
  for (const [y, m, d] of [
    [1999, 1, 1],
    [2100, 1, 1],
    [2025, 0, 1],
    [2025, 13, 1],
    [2025, 1, 0],
    [2025, 1, 32],
    [2025, 1.5, 1],
  ]) {
    it(`dateToBcd(${y}, ${m}, ${d}) → BCD_RANGE`, () => expect(code(() => dateToBcd(y, m, d))).toBe("BCD_RANGE"));
  }
  it("times out of range → BCD_RANGE", () => {
    expect(code(() => timeToBcd(24, 0, 0))).toBe("BCD_RANGE");
    expect(code(() => timeToBcd(0, 60, 0))).toBe("BCD_RANGE");
    expect(code(() => timeToBcd(0, 0, -1))).toBe("BCD_RANGE");
  });
});
