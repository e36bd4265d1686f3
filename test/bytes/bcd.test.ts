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

/** What a call gives: its bytes as hex, or the error's code, message and fields. */
function outcome(f: () => Uint8Array): unknown {
  try {
    return toHex(f());
  } catch (e) {
    if (!isCoded(e)) throw e;
    return JSON.stringify(e) + " " + (e as Error).message;
  }
}

/** BCD of two decimal digits, the way the formats n6 dates and times are written (EMV Book 3 Annex A). */
const two = (v: number) => String(v % 100).padStart(2, "0");

describe("the native fast paths give the bytes and errors of the digit loops", () => {
  it("amountToN12 = numberToBcd(v, 6) for whole amounts, at the 10^8 edge, and for every bad input", () => {
    const rand = prng(1250);
    const values: number[] = [0, -0, 1, 99999999, 100000000, 100000001, 999999999999, 1e12, -1, 0.5, 99999999.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 32, 2 ** 53];
    for (let i = 0; i < 3000; i++) values.push(below(rand, 10 ** below(rand, 13)));
    for (const v of values) expect(outcome(() => amountToN12(v)), String(v)).toBe(outcome(() => numberToBcd(v, 6)));
    for (const s of ["1250", null, undefined, {}]) {
      expect(outcome(() => amountToN12(s as unknown as number))).toBe(outcome(() => numberToBcd(s as unknown as number, 6)));
    }
  });

  it("dateToBcd and timeToBcd: every valid date and time as two digits each", () => {
    for (let y = 2000; y <= 2099; y++) expect(toHex(dateToBcd(y, 12, 31))).toBe(two(y) + "1231");
    for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) expect(toHex(dateToBcd(2026, m, d))).toBe("26" + two(m) + two(d));
    for (let h = 0; h <= 23; h++) for (let m = 0; m <= 59; m++) expect(toHex(timeToBcd(h, m, 59 - m))).toBe(two(h) + two(m) + two(59 - m));
  });

  it("dateToBcd and timeToBcd: out of range, fractions, strings and NaN throw the first value's BCD_RANGE, as before", () => {
    const bad: unknown[] = [-1, -0.5, 0.5, 1.5, NaN, Infinity, "5", null, 2 ** 32 + 5];
    for (const b of bad) {
      const v = b as number;
      expect(outcome(() => dateToBcd(v, 1, 1))).toContain("year out of range");
      expect(outcome(() => dateToBcd(2026, v, 1))).toContain("month out of range");
      expect(outcome(() => dateToBcd(2026, 1, v))).toContain("day out of range");
      expect(outcome(() => timeToBcd(v, 0, 0))).toContain("hour out of range");
      expect(outcome(() => timeToBcd(0, v, 0))).toContain("minute out of range");
      expect(outcome(() => timeToBcd(0, 0, v))).toContain("second out of range");
    }
    expect(outcome(() => timeToBcd(0.5, 0, 0))).toContain("hour out of range: 0.5");
    expect(outcome(() => dateToBcd(1999, 13, 0))).toContain("year out of range: 1999"); // the first fault
    expect(toHex(timeToBcd(-0, -0, -0))).toBe("000000");
  });
});
