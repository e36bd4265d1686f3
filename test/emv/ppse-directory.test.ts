import { describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { readDirectory } from "../../src/emv/ppse";
import { TlvCursor } from "../../src/emv/tlv";
import { PPSE } from "../../host/fuzz/answers";
import { mutateTlv } from "../../host/fuzz/mutate";
import { prng } from "../../host/fuzz/prng";

// readDirectory reads the usual PPSE FCI level by level in short loops and leaves everything
// else to a cursor walk; both are held here to a reference written from Book B §3.3.2
// (6F → A5 → BF0C → 61, each template entered up to depth 4; 4F, 87 of one byte, 9F2A, 9F29
// directly inside a 61; the walk stops after the 33rd entry), errors included.

interface RefEntry {
  adf: string | null;
  priority: number;
  kernelId: string | null;
  ext: string | null;
}

function refDirectory(fci: Uint8Array): RefEntry[] {
  const out: RefEntry[] = [];
  const c = new TlvCursor(fci);
  let cur: RefEntry | null = null;
  let entryDepth = -1;
  let enter = false;
  while (c.next(enter)) {
    const tag = c.tag;
    if (cur && c.depth <= entryDepth) cur = null;
    enter = c.constructed && [0x6f, 0xa5, 0xbf0c, 0x61].indexOf(tag) >= 0 && c.depth < 4;
    if (tag === 0x61 && c.constructed) {
      cur = { adf: null, priority: 0, kernelId: null, ext: null };
      out.push(cur);
      entryDepth = c.depth;
    } else if (cur && c.depth === entryDepth + 1) {
      const v = toHex(c.value());
      if (tag === 0x4f) cur.adf = v;
      else if (tag === 0x87 && c.length === 1) cur.priority = c.value()[0] & 0x0f;
      else if (tag === 0x9f2a) cur.kernelId = v;
      else if (tag === 0x9f29) cur.ext = v;
    }
    if (out.length > 32) break;
  }
  return out;
}

function show(run: () => { adf: unknown; priority: number; kernelId: unknown; ext: unknown }[]): string {
  const hex = (v: unknown) => (v === null ? "-" : typeof v === "string" ? v : toHex(v as Uint8Array));
  try {
    return run()
      .map((e) => `${hex(e.adf)}/${e.priority}/${hex(e.kernelId)}/${hex(e.ext)}`)
      .join(" ");
  } catch (e) {
    if (!isCoded(e)) throw e;
    return `${e.code}/${String(e.tag)}/${String(e.offset)}`;
  }
}

const t = (tag: string, ...v: string[]) => {
  const body = v.join("");
  return tag + (body.length / 2).toString(16).padStart(2, "0") + body;
};

/** A plain PPSE FCI with `n` entries, some with extended selection, some without priority. */
function plainFci(r: ReturnType<typeof prng>, n: number): Uint8Array {
  let dir = "";
  for (let i = 0; i < n; i++) {
    const parts = [t("4F", "A0000000" + ["03", "04", "25", "65"][r.int(4)] + "1010" + (r.int(2) ? "01" : "")), t("50", "4341524420" + i.toString(16).padStart(2, "0"))];
    if (r.int(3)) parts.push(t("87", "0" + (1 + r.int(9))));
    if (r.int(2)) parts.push(t("9F2A", "0" + r.int(8)));
    if (!r.int(4)) parts.push(t("9F29", "0102"));
    dir += t("61", ...parts);
  }
  const a5 = r.int(3) ? t("A5", t("BF0C", dir)) : t("A5", t("88", "01"), t("BF0C", dir), t("5F2D", "656E"));
  return fromHex(t("6F", t("84", "325041592E5359532E4444463031"), a5));
}

describe("readDirectory against a reference walk", () => {
  it("the usual answers and 20,000 mutations of them: the same entries or the same error", () => {
    const r = prng(0x7053);
    let plain = 0;
    for (let i = 0; i < 20000; i++) {
      let b = i % 5 === 0 ? PPSE : plainFci(r, 1 + r.int(3));
      const edits = i % 7 === 0 ? 0 : 1 + r.int(3);
      for (let k = 0; k < edits; k++) b = mutateTlv(b, r);
      const want = show(() => refDirectory(b));
      if (edits === 0) plain++;
      expect(show(() => readDirectory(b)), `case ${i} ${toHex(b)}`).toBe(want);
    }
    expect(plain).toBeGreaterThan(2000);
  });

  it("reads the entries of a plain FCI", () => {
    const b = fromHex(t("6F", t("84", "325041592E5359532E4444463031"), t("A5", t("BF0C", t("61", t("4F", "A0000000041010"), t("87", "11"), t("9F2A", "02"), t("9F29", "AB")), t("61", t("4F", "A0000000031010"))))));
    expect(show(() => readDirectory(b))).toBe("A0000000041010/1/02/AB A0000000031010/0/-/-");
  });
});
