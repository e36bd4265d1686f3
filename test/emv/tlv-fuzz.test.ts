import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";
import { buildDolData, parseDol } from "../../src/emv/dol";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { collectTlv, encodeTag, encodeTlvNodes, findTag, isConstructed, parseTlv, tagHex, TlvCursor, type TlvInput, type TlvNode } from "../../src/emv/tlv";
import { ALL_ANSWERS, VISA_FCI } from "../../host/fuzz/answers";
import { mutateTlv } from "../../host/fuzz/mutate";
import { prng } from "../../host/fuzz/prng";

const SEED = 0x7a9905;
const TLV_CODES = ["TLV_TRUNCATED", "TLV_INVALID", "TLV_TOO_DEEP", "TLV_DUPLICATE"];

/** Runs f; returns its error code or "ok"; anything but the module's coded errors fails the test. */
function outcome(f: () => unknown, allowed: string[], what: string): string {
  try {
    f();
    return "ok";
  } catch (e) {
    if (!isCoded(e) || allowed.indexOf(e.code) < 0) throw new Error(what + ": unexpected " + String(e));
    return e.code + "@" + String(e.offset);
  }
}

describe("TLV fuzz: only TLV_ coded errors, no hang", () => {
  it("random and mutated EMV answers (seeded)", () => {
    const r = prng(SEED);
    const counts: { [k: string]: number } = {};
    for (let i = 0; i < 4000; i++) {
      let input: Uint8Array;
      if (i % 4 === 0) input = r.bytes(r.int(48));
      else {
        input = ALL_ANSWERS[r.int(ALL_ANSWERS.length)];
        const rounds = 1 + r.int(4);
        for (let k = 0; k < rounds; k++) input = mutateTlv(input, r);
      }
      const what = `case ${i} seed ${SEED} input ${toHex(input)}`;
      const o = outcome(() => parseTlv(input), TLV_CODES, what);
      const kind = o.split("@")[0];
      counts[kind] = (counts[kind] ?? 0) + 1;
      outcome(() => collectTlv(input), TLV_CODES, what);
      outcome(() => findTag(input, 0x9f26), TLV_CODES, what);
      outcome(() => parseTlv(input, { allowNonMinimalLength: true, maxDepth: 3 }), TLV_CODES, what);
      outcome(
        () => {
          const c = new TlvCursor(input);
          let steps = 0;
          while (c.next(true)) if (++steps > input.length) throw new Error("cursor does not advance");
        },
        TLV_CODES,
        what,
      );
      // next(), find and collect must agree, error included (test/emv/tlv-keep.test.ts holds
      // next() and the kernels' keepTlv to a plain reference reader).
      const viaNext = outcome(
        () => {
          const c = new TlvCursor(input);
          const rec: { [k: string]: string } = {};
          while (c.next(true)) if (!c.constructed && rec[tagHex(c.tag)] === undefined) rec[tagHex(c.tag)] = toHex(c.value());
          return JSON.stringify(rec);
        },
        TLV_CODES,
        what,
      );
      const viaCollect = outcome(() => collectTlv(input, undefined, { allowDuplicates: true }), TLV_CODES, what);
      const viaFind = outcome(() => findTag(input, 0xdf7f01), TLV_CODES, what); // absent: walks it all
      expect([viaCollect, viaFind]).toEqual([viaNext, viaNext]);
      if (viaNext === "ok") {
        const c = new TlvCursor(input);
        const rec: { [k: string]: string } = {};
        while (c.next(true)) if (!c.constructed && rec[tagHex(c.tag)] === undefined) rec[tagHex(c.tag)] = toHex(c.value());
        const col = collectTlv(input, undefined, { allowDuplicates: true });
        const colHex: { [k: string]: string } = {};
        for (const k of Object.keys(col)) colHex[k] = toHex(col[k]);
        expect(colHex).toEqual(rec);
      }
      // Whatever parses re-encodes to the same bytes once padding is gone.
      if (o === "ok") {
        const once = encodeTlvNodes(parseTlv(input));
        expect(toHex(encodeTlvNodes(parseTlv(once)))).toBe(toHex(once));
      }
      // The transcript masker never throws and keeps the length.
      const rapdu = new Uint8Array(input.length + 2);
      rapdu.set(input);
      rapdu[input.length] = 0x90;
      expect(maskResponseApdu(rapdu).length).toBe(rapdu.length);
    }
    // The corpus reaches every outcome, so the loop tested something.
    expect(counts["ok"]).toBeGreaterThan(100);
    expect(counts["TLV_TRUNCATED"]).toBeGreaterThan(100);
    expect(counts["TLV_INVALID"]).toBeGreaterThan(100);
  });

  it("DOL reader: only DOL_ coded errors", () => {
    const r = prng(SEED + 1);
    const pdol = findTag(VISA_FCI, 0x9f38)!;
    const source = { get: (tag: number) => (tag & 1 ? new Uint8Array([1, 2, 3]) : undefined) };
    let ok = 0;
    for (let i = 0; i < 2000; i++) {
      const dol = i % 3 === 0 ? r.bytes(r.int(24)) : mutateTlv(mutateTlv(pdol, r), r);
      const what = `case ${i} dol ${toHex(dol)}`;
      if (outcome(() => parseDol(dol), ["DOL_TRUNCATED", "DOL_INVALID"], what) === "ok") {
        ok++;
        const data = buildDolData(dol, source);
        expect(data.length).toBe(parseDol(dol).reduce((n, e) => n + e.length, 0));
      }
    }
    expect(ok).toBeGreaterThan(100);
  });

  it("long-form lengths: the same answers with lengths rewritten as 81–84 parse to the same trees", () => {
    const r = prng(SEED + 3);
    /** Encodes `nodes` with every length in a random form: short when it fits, or 81–84 padded with 00. */
    function loose(nodes: TlvNode[]): number[] {
      const out: number[] = [];
      for (const n of nodes) {
        const value = n.children ? loose(n.children) : Array.from(n.value);
        const len: number[] = [];
        for (let v = value.length; v > 0; v = Math.floor(v / 256)) len.unshift(v % 256);
        const form = value.length < 0x80 && r.int(3) === 0 ? 0 : Math.max(1, len.length) + r.int(5 - Math.max(1, len.length));
        while (len.length < form) len.unshift(0);
        out.push(...Array.from(encodeTag(n.tag)), ...(form ? [0x80 | form] : [value.length]), ...len.slice(len.length - form), ...value);
      }
      return out;
    }
    let forms = 0;
    for (let i = 0; i < 400; i++) {
      const answer = ALL_ANSWERS[i % ALL_ANSWERS.length];
      const bytes = new Uint8Array(loose(parseTlv(answer)));
      if (bytes.length > answer.length) forms++;
      const what = `case ${i} seed ${SEED + 3} input ${toHex(bytes)}`;
      expect(toHex(encodeTlvNodes(parseTlv(bytes))), what).toBe(toHex(answer));
      const rec = collectTlv(bytes, undefined, { allowDuplicates: true });
      const want = collectTlv(answer, undefined, { allowDuplicates: true });
      expect(Object.keys(rec).map((k) => k + "=" + toHex(rec[k])), what).toEqual(Object.keys(want).map((k) => k + "=" + toHex(want[k])));
      // Cut anywhere: incomplete, never invalid; a length byte set to 80 or 85–FF: invalid.
      const cut = 1 + r.int(bytes.length - 1);
      expect(outcome(() => parseTlv(bytes.subarray(0, cut)), TLV_CODES, what + " cut " + cut).split("@")[0]).toBe("TLV_TRUNCATED");
      const c = new TlvCursor(bytes);
      c.next(false);
      const lenAt = c.offset + encodeTag(c.tag).length;
      const wrong = bytes.slice();
      wrong[lenAt] = r.int(2) ? 0x80 : 0x85 + r.int(0x7b);
      expect(outcome(() => parseTlv(wrong), TLV_CODES, what).split("@")[0]).toBe("TLV_INVALID");
    }
    expect(forms).toBeGreaterThan(300);
  });

  it("random valid trees round-trip: parse(encode(t)) re-encodes to the same bytes", () => {
    const r = prng(SEED + 2);
    const primitives = [0x5a, 0x57, 0x82, 0x94, 0x9f26, 0x9f36, 0x9f4b, 0xdf8129, 0x9f7c, 0x50];
    const templates = [0x70, 0x77, 0x6f, 0xa5, 0xbf0c, 0x61];
    function tree(depth: number): TlvInput[] {
      const n = r.int(4);
      const out: TlvInput[] = [];
      for (let i = 0; i < n; i++) {
        if (depth < 8 && r.int(3) === 0) out.push({ tag: templates[r.int(templates.length)], children: tree(depth + 1) });
        else out.push({ tag: primitives[r.int(primitives.length)], value: r.bytes(r.int(3) === 0 ? 120 + r.int(300) : r.int(10)) });
      }
      return out;
    }
    for (let i = 0; i < 500; i++) {
      const t = tree(1);
      const bytes = encodeTlvNodes(t);
      const back = parseTlv(bytes);
      expect(back.length).toBe(t.length);
      expect(toHex(encodeTlvNodes(back))).toBe(toHex(bytes));
      for (const n of back) expect(isConstructed(n.tag)).toBe(n.children !== undefined);
    }
  });
});
