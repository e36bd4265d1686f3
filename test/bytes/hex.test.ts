// src/bytes/hex.ts: toHex (two bytes per loop turn) against a plain reference, fromHex round trip.
import { describe, expect, it } from "vitest";
import { bytesEqual, copyBytes, fromHex, toHex } from "../../src/bytes/hex";

describe("toHex", () => {
  it("matches Node's hex for every length 0–33 and every byte value", () => {
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    expect(toHex(all)).toBe(Buffer.from(all).toString("hex").toUpperCase());
    for (let n = 0; n < 34; n++) {
      const b = all.subarray(200, 200 + n);
      expect(toHex(b)).toBe(Buffer.from(b).toString("hex").toUpperCase());
      expect(fromHex(toHex(b))).toEqual(new Uint8Array(b));
    }
    expect(toHex([0x0a, 0xf0, 0x5])).toBe("0AF005");
  });
});

describe("copyBytes", () => {
  it("copies, never a view; bytes past the end are 0", () => {
    const src = new Uint8Array([1, 2, 3, 4, 5]);
    const c = copyBytes(src, 1, 3);
    expect(Array.from(c)).toEqual([2, 3, 4]);
    c[0] = 9;
    expect(src[1]).toBe(2);
    expect(Array.from(copyBytes(src, 3, 4))).toEqual([4, 5, 0, 0]);
    expect(Array.from(copyBytes(src, 7, 2))).toEqual([0, 0]);
    expect(copyBytes(src, 0, 0).length).toBe(0);
  });
});

describe("fromHex", () => {
  it("plain hex (fast path) and spaced hex agree; both cases; errors name the offset", () => {
    expect(Array.from(fromHex("A000000333010101"))).toEqual([0xa0, 0, 0, 3, 0x33, 1, 1, 1]);
    expect(Array.from(fromHex("a0ff"))).toEqual([0xa0, 0xff]);
    expect(fromHex("A0 00:03\n33")).toEqual(fromHex("A0000333"));
    expect(fromHex("").length).toBe(0);
    expect(() => fromHex("A0G0")).toThrow(expect.objectContaining({ code: "HEX_INVALID", offset: 2 }));
    expect(() => fromHex("A0 0")).toThrow(expect.objectContaining({ code: "HEX_INVALID", offset: 4 }));
    expect(() => fromHex("ABC")).toThrow(expect.objectContaining({ code: "HEX_INVALID", offset: 3 }));
    expect(() => fromHex("0x")).toThrow(expect.objectContaining({ code: "HEX_INVALID", offset: 1 }));
  });
});

describe("bytesEqual", () => {
  it("compares typed and plain arrays by value", () => {
    expect(bytesEqual(new Uint8Array([1, 2, 3]), [1, 2, 3])).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(bytesEqual(new Uint8Array([12, 3]), new Uint8Array([1, 23]))).toBe(false);
    expect(bytesEqual([], new Uint8Array(0))).toBe(true);
    expect(bytesEqual([1], [1, 0])).toBe(false);
  });
});
