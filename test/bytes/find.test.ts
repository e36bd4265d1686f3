// src/bytes/find.ts: indexOf without Espruino 2v29's match past the end (docs/espruino-notes.md).
import { describe, expect, it } from "vitest";
import { prng } from "../../host/fuzz/prng";
import { find } from "../../src/bytes/find";

describe("find", () => {
  it.each([
    ["ab", "bc", 0, -1], // 2v29's indexOf says 1
    [" 56 57 5A ", " 82 ", 0, -1],
    [" 56 57 5A 5F20 5F24 9F0B 9F6B 9F21 ", " 9F26 ", 0, -1], // 2v29's indexOf says 34: every tag was dropped from DE 55
    [" 56 57 5A 5F20 5F24 9F0B 9F6B 9F21 ", " 5A ", 0, 6],
    [" 56 57 5A 5F20 5F24 9F0B 9F6B 9F21 ", " 9F21 ", 0, 29],
    ["abcabc", "bc", 2, 4],
    ["abc", "", 0, 0],
    ["", "a", 0, -1],
    ["a", "a", 1, -1],
  ])("find(%j, %j, %i) = %i", (hay, needle, from, want) => {
    expect(find(hay, needle, from)).toBe(want);
  });

  it("agrees with V8's indexOf on random strings over a small alphabet", () => {
    const r = prng(7);
    const rnd = (n: number) => r.int(n);
    const word = (len: number) => Array.from({ length: len }, () => "ab "[rnd(3)]).join("");
    for (let k = 0; k < 5000; k++) {
      const hay = word(rnd(12));
      const needle = word(1 + rnd(5));
      const from = rnd(hay.length + 2);
      expect(find(hay, needle, from)).toBe(hay.indexOf(needle, from));
    }
  });
});
