import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { maskName, maskPan, maskPanNibbles, maskTrack1, maskTrack1Pan } from "../../src/bytes/mask";

describe("maskPan: first 6, last 4", () => {
  const table: [string, string][] = [
    ["1234567890123456", "123456******3456"],
    ["4761739001010119", "476173******0119"],
    ["6011000990139424311", "601100*********4311"],
    ["374245455400126", "374245*****0126"],
    ["12345678901", "123456*8901"],
    ["1234567890", "**********"],
    ["", ""],
  ];
  for (const [pan, masked] of table) it(`${pan} → ${masked}`, () => expect(maskPan(pan)).toBe(masked));
});

describe("maskPanNibbles: middle digits → F, lengths unchanged", () => {
  const table: [string, string, string][] = [
    ["5A, 16 digits", "4761739001010119", "476173FFFFFF0119"],
    ["5A, 15 digits + F pad", "374245455400126F", "374245FFFFF0126F"],
    ["5A, 19 digits + F pad", "6011000990139424311F", "601100FFFFFFFFF4311F"],
    ["Track 2: only the PAN before D", "4761739001010119D22122011143804400000F", "476173FFFFFF0119D22122011143804400000F"],
    ["Track 2, PAN with odd digits", "374245455400126D2212201F", "374245FFFFF0126D2212201F"],
    ["short PAN: all digits", "1234567890", "FFFFFFFFFF"],
    ["already masked: unchanged", "476173FFFFFF0119D2212201", "476173FFFFFF0119D2212201"],
  ];
  for (const [name, before, after] of table) {
    it(name, () => {
      const b = fromHex(before);
      maskPanNibbles(b, 0, b.length);
      expect(toHex(b)).toBe(after);
      maskPanNibbles(b, 0, b.length);
      expect(toHex(b)).toBe(after);
    });
  }
  it("touches only the given range", () => {
    const b = fromHex("AA 4761739001010119 BB");
    maskPanNibbles(b, 1, 9);
    expect(toHex(b)).toBe("AA476173FFFFFF0119BB");
  });
});

describe("maskTrack1Pan: ASCII PAN between B and ^", () => {
  it("masks the middle of the PAN, keeps name and the rest", () => {
    const b = new TextEncoder().encode("B4761739001010119^CARDHOLDER/VISA^22122011");
    maskTrack1Pan(b, 0, b.length);
    expect(new TextDecoder().decode(b)).toBe("B476173******0119^CARDHOLDER/VISA^22122011");
    maskTrack1Pan(b, 0, b.length);
    expect(new TextDecoder().decode(b)).toBe("B476173******0119^CARDHOLDER/VISA^22122011");
  });
});

describe("names: every byte *, lengths unchanged", () => {
  const ascii = (s: string) => new TextEncoder().encode(s);
  const text = (b: Uint8Array) => new TextDecoder().decode(b);

  it("maskName: 5F20 / 9F0B values, only the given range", () => {
    const b = ascii("[TEST/VISA CARD]");
    maskName(b, 1, b.length - 1);
    expect(text(b)).toBe("[**************]");
  });

  it("maskTrack1: the PAN 6/4 and the whole name; separators and the rest stay", () => {
    const b = ascii("B4761739001010119^CARDHOLDER/VISA^22122011");
    maskTrack1(b, 0, b.length);
    expect(text(b)).toBe("B476173******0119^***************^22122011");
    maskTrack1(b, 0, b.length);
    expect(text(b)).toBe("B476173******0119^***************^22122011");
  });

  it("maskTrack1 without a second ^ masks everything after the PAN", () => {
    const b = ascii("B4761739001010119^CARDHOLDER/VI");
    maskTrack1(b, 0, b.length);
    expect(text(b)).toBe("B476173******0119^*************");
  });
});
