// InListPassiveTarget answer parser (UM0701-02 §7.3.5): vectors both ways, then fuzz.
import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import type { TargetA } from "../../src/pn532/api";
import { parseInListPassiveTarget } from "../../src/pn532/targets";
import { mutateBytes as mutate } from "../../host/fuzz/mutate";
import { below, prng, randomBytes, type Rand } from "../../host/fuzz/prng";

/** The answer parameters (after D5 4B) the PN532 would send for these targets. */
function encodeTargets(targets: TargetA[]): Uint8Array {
  const out: number[] = [targets.length];
  for (const t of targets) {
    out.push(t.tg, t.atqa[0], t.atqa[1], t.sak, t.uid.length, ...t.uid);
    if (t.ats) out.push(...t.ats);
  }
  return Uint8Array.from(out);
}

function show(targets: TargetA[]): string[] {
  return targets.map((t) => `${t.tg} ${toHex(t.atqa)} ${toHex([t.sak])} ${toHex(t.uid)} ${t.ats ? toHex(t.ats) : "-"}`);
}

describe("parseInListPassiveTarget", () => {
  const good: [string, string, number, string[]][] = [
    ["no target", "00", 1, []],
    ["a phone (SAK 20, ATS)", "01 01 0004 20 04 08123456 0578807002", 1, ["1 0004 20 08123456 0578807002"]],
    ["a card with a 7-byte UID and a long ATS", "01 01 0044 20 07 04A1B2C3D4E5F6 0C7877B1028031 8073C821 10", 1, ["1 0044 20 04A1B2C3D4E5F6 0C7877B10280318073C82110"]],
    ["10-byte UID, no ISO-DEP", "01 01 0042 00 0A 00112233445566778899", 1, ["1 0042 00 00112233445566778899 -"]],
    ["ATS of TL only", "01 01 0004 20 04 08000000 01", 1, ["1 0004 20 08000000 01"]],
    ["two targets", "02 01 0004 20 04 08AABBCC 0578807002 02 0044 00 07 04112233445566", 2, ["1 0004 20 08AABBCC 0578807002", "2 0044 00 04112233445566 -"]],
  ];
  for (const g of good) {
    it("reads " + g[0] + " and writes it back the same", () => {
      const bytes = fromHex(g[1]);
      const targets = parseInListPassiveTarget(bytes, g[2], true);
      expect(show(targets)).toEqual(g[3]);
      expect(toHex(encodeTargets(targets))).toBe(toHex(bytes));
    });
  }

  it("without automatic RATS, SAK 20 has no ATS after it", () => {
    expect(show(parseInListPassiveTarget(fromHex("01 01 0004 20 04 08123456"), 1, false))).toEqual(["1 0004 20 08123456 -"]);
  });

  const bad: [string, string, number, number][] = [
    ["empty", "", 1, 0],
    ["more targets than MaxTg", "02 01 0004 00 04 01020304 02 0004 00 04 01020304", 1, 0],
    ["target cut in its header", "01 01 0004 20", 1, 5],
    ["NFCID1 length 5", "01 01 0004 00 05 0102030405", 1, 5],
    ["NFCID1 length 0", "01 01 0004 00 00", 1, 5],
    ["NFCID1 cut", "01 01 0004 00 07 010203", 1, 9],
    ["ATS missing", "01 01 0004 20 04 08123456", 1, 10],
    ["ATS TL 0", "01 01 0004 20 04 08123456 00", 1, 10],
    ["ATS cut", "01 01 0004 20 04 08123456 0578", 1, 12],
    ["bytes after the last target", "01 01 0004 00 04 01020304 9000", 1, 10],
    ["second target missing", "02 01 0004 00 04 01020304", 2, 10],
  ];
  for (const b of bad) {
    it("refuses " + b[0] + " at offset " + b[3], () => {
      expect(() => parseInListPassiveTarget(fromHex(b[1]), b[2], true)).toThrow(expect.objectContaining({ code: "PN532_BAD_ANSWER", offset: b[3] }));
    });
  }
});

function randomTarget(rand: Rand, tg: number): TargetA {
  const iso = below(rand, 2) === 1;
  const uidLength = [4, 7, 10][below(rand, 3)];
  const ats = iso ? randomBytes(rand, 1 + below(rand, 20)) : null;
  if (ats) ats[0] = ats.length;
  return { tg, atqa: randomBytes(rand, 2), sak: iso ? 0x20 | below(rand, 256) : below(rand, 256) & ~0x20, uid: randomBytes(rand, uidLength), ats };
}

/** Parses; returns the targets or null for PN532_BAD_ANSWER; anything else fails the test. */
function parseOrCodedError(bytes: Uint8Array, maxTargets: number, seed: number): TargetA[] | null {
  try {
    const targets = parseInListPassiveTarget(bytes, maxTargets, true);
    // Strict: whatever parses is exactly what it says, byte for byte.
    expect(toHex(encodeTargets(targets)), "seed " + seed).toBe(toHex(bytes));
    return targets;
  } catch (e) {
    if (!isCoded(e, "PN532_BAD_ANSWER")) throw new Error(`seed ${seed}: ${String(e)}`);
    const offset = e.offset as number;
    expect(Number.isInteger(offset) && offset >= 0 && offset <= bytes.length, "seed " + seed).toBe(true);
    return null;
  }
}

describe("parseInListPassiveTarget fuzz", () => {
  it("round-trips 2000 random valid answers", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const rand = prng(seed);
      const n = below(rand, 3);
      const targets: TargetA[] = [];
      for (let i = 0; i < n; i++) targets.push(randomTarget(rand, i + 1));
      const parsed = parseOrCodedError(encodeTargets(targets), 2, seed);
      expect(parsed && show(parsed), "seed " + seed).toEqual(show(targets));
    }
  });

  it("random bytes and mutated answers give targets or PN532_BAD_ANSWER, nothing else", () => {
    let parsedCount = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rand = prng(seed * 7919);
      let bytes: Uint8Array;
      if (seed % 3 === 0) {
        bytes = randomBytes(rand, below(rand, 48));
        if (bytes.length > 0) bytes[0] = below(rand, 4);
      } else {
        const targets: TargetA[] = [];
        for (let i = 0, n = 1 + below(rand, 2); i < n; i++) targets.push(randomTarget(rand, i + 1));
        bytes = mutate(rand, encodeTargets(targets));
      }
      if (parseOrCodedError(bytes, 1 + below(rand, 2), seed)) parsedCount++;
    }
    expect(parsedCount).toBeGreaterThan(0); // some mutations stay valid: both paths ran
  });
});
