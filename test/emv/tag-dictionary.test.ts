import { describe, it, expect } from "vitest";
import { TagFormat, tagFormat } from "../../src/emv/tag-formats";
import { tagName } from "../../src/emv/tag-names";

/** The contactless tags the EMV layer works with (issue list). */
const CONTACTLESS_TAGS =
  "6F 84 A5 50 87 9F38 5F2D 9F11 9F12 BF0C 61 4F 9F2A 9F29 77 80 82 94 57 5A 5F20 5F24 5F25 5F28 5F30 5F34 " +
  "8C 8D 8E 8F 90 92 9F32 9F46 9F47 9F48 9F49 9F4A 9F4B 9F10 9F26 9F27 9F36 9F37 9F02 9F03 9F1A 5F2A 9A 9C " +
  "9F21 9F35 9F33 9F40 95 9B 9F66 9F6C 9F6E 9F6B 9F19 9F24 9F5D 9F7C 9F4E 9F1C 9F1E 9F09 9F34 9F53 DF4B 9F7A " +
  "DF60 DF69 9F74 9F0D 9F0E 9F0F 9F07 9F08 9F42 9F44 56 9F63 9F64 9F65 9F67 9F69 9F6A 70 5F36 9F39 9F15 9F16 " +
  "81 9F04 DF8129 9F45 9F4C 9F4D 9F0A";

describe("tag names (traces only)", () => {
  it("every contactless tag has a name", () => {
    const missing = CONTACTLESS_TAGS.split(" ").filter((t) => tagName(parseInt(t, 16)) === undefined);
    expect(missing).toEqual([]);
  });
  it("names read as expected and contain no separator", () => {
    expect(tagName(0x9f26)).toBe("Appl Cryptogram");
    expect(tagName(0x5a)).toBe("PAN");
    expect(tagName(0xdf8129)).toBe("Outcome Parameter Set");
    expect(tagName(0x9f7a)).toContain("EC");
    for (const t of CONTACTLESS_TAGS.split(" ")) expect(tagName(parseInt(t, 16))).not.toMatch(/[|]|^\s|\s$/);
  });
  it("unknown tags have none; a prefix does not match a longer tag", () => {
    expect(tagName(0x9f7f)).toBeUndefined();
    expect(tagName(0x9f)).toBeUndefined();
    expect(tagName(0xdf81)).toBeUndefined();
  });
});

describe("tag formats (EMV Book 3 Annex A)", () => {
  const table: [number, TagFormat][] = [
    [0x9f02, TagFormat.N],
    [0x9f03, TagFormat.N],
    [0x5f2a, TagFormat.N],
    [0x9f1a, TagFormat.N],
    [0x9a, TagFormat.N],
    [0x9c, TagFormat.N],
    [0x9f21, TagFormat.N],
    [0x5f24, TagFormat.N],
    [0x5f34, TagFormat.N],
    [0x9f6a, TagFormat.N],
    [0x5a, TagFormat.CN],
    [0x9f20, TagFormat.CN],
    [0x9f1c, TagFormat.AN],
    [0x9f1e, TagFormat.AN],
    [0x5f2d, TagFormat.AN],
    [0x50, TagFormat.ANS],
    [0x5f20, TagFormat.ANS],
    [0x9f4e, TagFormat.ANS],
    [0x57, TagFormat.B],
    [0x82, TagFormat.B],
    [0x9f37, TagFormat.B],
    [0x9f66, TagFormat.B],
    [0xdf8129, TagFormat.B],
    [0x2a, TagFormat.B], // "2A" is inside "5F2A": must not match
    [0x9f, TagFormat.B],
  ];
  for (const [tag, f] of table) {
    it(tag.toString(16).toUpperCase() + " → " + ["b", "n", "cn", "an", "ans"][f], () => expect(tagFormat(tag)).toBe(f));
  }
});
