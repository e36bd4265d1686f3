// src/bytes/hex.ts: toHex against a plain reference, with its JavaScript stand-ins and with the
// natives a board hands over (useNativeHex; here a model of E.mapInPlace and E.toString),
// toHexLower, nibbleText, printableText, fromHex round trip.
import { afterEach, describe, expect, it } from "vitest";
import { bytesEqual, copyBytes, fromHex, hexOf, nibbleText, printableText, toHex, toHexLower, useNativeHex } from "../../src/bytes/hex";
import { modelMapInPlace, modelToString } from "./hex-natives";

afterEach(() => useNativeHex(null, null));

describe("toHex", () => {
  it("matches Node's hex for every length 0–33 and every byte value", () => {
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    expect(toHex(all)).toBe(Buffer.from(all).toString("hex").toUpperCase());
    expect(hexOf(all)).toBe(toHex(all));
    for (let n = 0; n < 34; n++) {
      const b = all.subarray(200, 200 + n);
      expect(toHex(b)).toBe(Buffer.from(b).toString("hex").toUpperCase());
      expect(fromHex(toHex(b))).toEqual(new Uint8Array(b));
    }
    expect(toHex([0x0a, 0xf0, 0x5])).toBe("0AF005");
  });

  it("gives the same text through the natives, for views and plain arrays, both cases", () => {
    const all = new Uint8Array(256);
    for (let i = 0; i < 256; i++) all[i] = i;
    const js: string[] = [];
    for (let n = 0; n < 34; n++) js.push(toHex(all.subarray(200, 200 + n)) + toHexLower(all.subarray(200, 200 + n)));
    useNativeHex(modelMapInPlace, modelToString);
    expect(toHex(all)).toBe(Buffer.from(all).toString("hex").toUpperCase());
    expect(toHexLower(all)).toBe(Buffer.from(all).toString("hex"));
    expect(hexOf(all.subarray(3, 9))).toBe(Buffer.from(all.subarray(3, 9)).toString("hex").toUpperCase());
    for (let n = 0; n < 34; n++) expect(toHex(all.subarray(200, 200 + n)) + toHexLower(all.subarray(200, 200 + n))).toBe(js[n]);
    expect(toHex([0x0a, 0xf0, 0x5])).toBe("0AF005");
    expect(toHexLower([0x0a, 0xf0, 0x5])).toBe("0af005");
  });

  it("keeps the JavaScript stand-ins when what is handed over is not a function (a Node shim without mapInPlace)", () => {
    useNativeHex(undefined, modelToString);
    expect(toHex(new Uint8Array([0xab]))).toBe("AB");
  });
});

describe("nibbleText and printableText", () => {
  const CLASSES = new Uint8Array(16);
  CLASSES.fill(48, 0, 10);
  CLASSES.fill(88, 10, 16);
  for (const native of [false, true]) {
    it("map nibbles to a given alphabet and take printable ASCII only" + (native ? " (natives)" : ""), () => {
      if (native) useNativeHex(modelMapInPlace, modelToString);
      expect(nibbleText(new Uint8Array([0x12, 0xab, 0x9f]), CLASSES)).toBe("00XX0X");
      expect(nibbleText(new Uint8Array(0), CLASSES)).toBe("");
      expect(printableText(Buffer.from(" VISA CREDIT ~"))).toBe(" VISA CREDIT ~");
      expect(printableText(new Uint8Array(0))).toBe("");
      for (const bad of [0x00, 0x1f, 0x7f, 0x80, 0xff]) expect(printableText(new Uint8Array([0x41, bad, 0x42]))).toBeNull();
      for (let b = 0x20; b <= 0x7e; b++) expect(printableText(new Uint8Array([b]))).toBe(String.fromCharCode(b));
    });
  }
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
