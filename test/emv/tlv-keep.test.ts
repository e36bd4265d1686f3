import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { collect, keepGpo, need } from "../../src/emv/kernel";
import { encodeTag, keepSet, keepTlv, parseTlv, tagHex, TLV_MAX_DEPTH, TlvCursor, type TlvNode, type TlvRecord } from "../../src/emv/tlv";
import { ALL_ANSWERS, MC_RECORD, PPSE, VISA_FCI, VISA_GPO } from "../../host/fuzz/answers";
import { mutateTlv } from "../../host/fuzz/mutate";
import { prng } from "../../host/fuzz/prng";

// keepTlv and collect() (src/emv/kernel.ts) take the common object in a fast loop and the
// rest in helpers; these tests hold them to a plain reference reader written from the rules
// in tlv-cursor.ts (EMV Book 3 Annex B), errors included.

class RefError {
  constructor(
    readonly code: string,
    readonly tag: number,
    readonly offset: number,
  ) {}
}

interface Head {
  tag: number;
  start: number;
  value: number;
  length: number;
}

/** The next object from `p` (00 padding skipped), null at `end`; `depth` 0 = running out is TLV_TRUNCATED. */
function refHead(b: Uint8Array, p: number, end: number, depth: number): Head | null {
  while (p < end && b[p] === 0) p++;
  if (p >= end) return null;
  const cut = depth === 0 ? "TLV_TRUNCATED" : "TLV_INVALID";
  const start = p;
  let tag = b[p++];
  if ((tag & 0x1f) === 0x1f) {
    let more = true;
    while (more) {
      if (p - start >= 4) throw new RefError("TLV_INVALID", -1, start);
      if (p >= end) throw new RefError(cut, -1, start);
      more = (b[p] & 0x80) !== 0;
      tag = tag * 256 + b[p++];
    }
  }
  if (p >= end) throw new RefError(cut, tag, start);
  let length = b[p++];
  if (length > 0x7f) {
    const k = length & 0x7f;
    if (k === 0 || k > 4) throw new RefError("TLV_INVALID", tag, start);
    if (p + k > end) throw new RefError(cut, tag, start);
    length = 0;
    for (let i = 0; i < k; i++) length = length * 256 + b[p++];
  }
  if (p + length > end) throw new RefError(cut, tag, start);
  return { tag: tag, start: start, value: p, length: length };
}

function refKeep(rec: TlvRecord, b: Uint8Array, p: number, end: number, depth: number, keep: number[], maxDepth: number): void {
  for (let h = refHead(b, p, end, depth); h; h = refHead(b, h.value + h.length, end, depth)) {
    if (b[h.start] & 0x20) {
      if (depth >= maxDepth) throw new RefError("TLV_TOO_DEEP", h.tag, h.start);
      refKeep(rec, b, h.value, h.value + h.length, depth + 1, keep, maxDepth);
    } else if (keep.indexOf(h.tag) >= 0) {
      if (rec[tagHex(h.tag)] !== undefined) throw new RefError("TLV_DUPLICATE", h.tag, h.start);
      rec[tagHex(h.tag)] = b.slice(h.value, h.value + h.length);
    }
  }
}

function refCollect(rec: TlvRecord, b: Uint8Array, template: number, keep: number[]): void {
  const top = refHead(b, 0, b.length, 0);
  if (!top || top.tag !== template) throw new RefError("TLV_INVALID", template, 0);
  const after = refHead(b, top.value + top.length, b.length, 0);
  if (after) throw new RefError("TLV_INVALID", after.tag, after.start);
  refKeep(rec, b, top.value, top.value + top.length, 0, keep, TLV_MAX_DEPTH);
}

/** What f did: its error as code/tag/offset, or the record as tag=hex. */
function outcome(rec: TlvRecord, f: () => void): string {
  try {
    f();
  } catch (e) {
    if (e instanceof RefError) return e.code + "/" + (e.tag < 0 ? "-" : e.tag) + "/" + e.offset;
    if (!isCoded(e)) throw e;
    return e.code + "/" + (typeof e.tag === "number" ? e.tag : "-") + "/" + String(e.offset);
  }
  return Object.keys(rec)
    .sort()
    .map((k) => k + "=" + toHex(rec[k]))
    .join(" ");
}

/** The tags of a tree, constructed ones included. */
function tagsOf(nodes: TlvNode[], out: number[]): number[] {
  for (const n of nodes) {
    out.push(n.tag);
    if (n.children) tagsOf(n.children, out);
  }
  return out;
}

/** `nodes` encoded with random length forms (short, 81–84 padded with 00) and 00 padding between objects. */
function loose(nodes: TlvNode[], r: ReturnType<typeof prng>): number[] {
  const out: number[] = [];
  for (const n of nodes) {
    if (r.int(8) === 0) out.push(0);
    const value = n.children ? loose(n.children, r) : Array.from(n.value);
    const len: number[] = [];
    for (let v = value.length; v > 0; v = Math.floor(v / 256)) len.unshift(v % 256);
    const form = value.length < 0x80 && r.int(3) !== 0 ? 0 : Math.max(1, len.length) + r.int(5 - Math.max(1, len.length));
    while (len.length < form) len.unshift(0);
    out.push(...Array.from(encodeTag(n.tag)), ...(form ? [0x80 | form] : [value.length]), ...len.slice(len.length - form), ...value);
  }
  return out;
}

const SEED = 0x4b33d;
const MC_KEEP = [0x82, 0x94, 0x57, 0x5a, 0x5f24, 0x5f34, 0x8c, 0x8e, 0x9f42, 0x9f6b, 0x9f6e, 0x9f19, 0x9f24];

describe("collect: a template's kept tags, as the plain reader reads them", () => {
  it("fuzz: mutated, re-encoded and padded answers, errors with tag and offset", () => {
    const r = prng(SEED);
    const seen: { [k: string]: number } = {};
    for (let i = 0; i < 6000; i++) {
      const base = ALL_ANSWERS[r.int(ALL_ANSWERS.length)];
      let input: Uint8Array = i % 3 === 0 ? new Uint8Array(loose(parseTlv(base), r)) : base;
      const rounds = i % 5 === 0 ? 0 : 1 + r.int(3);
      for (let k = 0; k < rounds; k++) input = mutateTlv(input, r);
      const tags = tagsOf(parseTlv(base), []);
      const keep = i % 4 === 0 ? MC_KEEP : tags.filter(() => r.int(2) === 0).concat([0xdf8129, 0x9f4b]);
      const template = r.int(8) === 0 ? [0x6f, 0x70, 0x77, 0x9f38][r.int(4)] : base[0];
      const earlier: TlvRecord = r.int(4) === 0 ? { [tagHex(keep[0])]: new Uint8Array([1]) } : {};
      const want: TlvRecord = Object.assign({}, earlier);
      const got: TlvRecord = Object.assign({}, earlier);
      const what = `case ${i} seed ${SEED} template ${tagHex(template)} input ${toHex(input)}`;
      const w = outcome(want, () => refCollect(want, input, template, keep));
      expect(outcome(got, () => collect(got, input, template, keepSet(keep))), what).toBe(w);
      const kind = w.indexOf("TLV_") === 0 ? w.split("/")[0] : "ok";
      seen[kind] = (seen[kind] ?? 0) + 1;
    }
    for (const k of ["ok", "TLV_TRUNCATED", "TLV_INVALID", "TLV_DUPLICATE"]) expect(seen[k], k).toBeGreaterThan(50);
  });

  it("keepTlv over part of an input agrees too", () => {
    const r = prng(SEED + 1);
    let deep = 0;
    for (let i = 0; i < 3000; i++) {
      let input = ALL_ANSWERS[r.int(ALL_ANSWERS.length)];
      // Nested 0–9 templates deep (a 2-byte tag, a short or 81 length), so TLV_TOO_DEEP comes up.
      for (let k = r.int(10); k > 0; k--) {
        const tag = [[0xa5], [0xbf, 0x0c], [0x70]][r.int(3)];
        const len = input.length < 0x80 && r.int(2) ? [input.length] : [0x81, input.length];
        if (input.length > 0xff) break;
        input = new Uint8Array([...tag, ...len, ...Array.from(input)]);
      }
      for (let k = r.int(3); k > 0; k--) input = mutateTlv(input, r);
      const keep = tagsOf(parseTlv(ALL_ANSWERS[r.int(ALL_ANSWERS.length)]), []);
      const maxDepth = TLV_MAX_DEPTH;
      const start = r.int(4);
      const end = Math.max(start, input.length - r.int(3));
      const want: TlvRecord = {};
      const got: TlvRecord = {};
      const what = `case ${i} seed ${SEED + 1} ${start}..${end} input ${toHex(input)}`;
      const w = outcome(want, () => refKeep(want, input, start, end, 0, keep, maxDepth));
      if (w.indexOf("TLV_TOO_DEEP") === 0) deep++;
      expect(outcome(got, () => keepTlv(got, input, start, end, keepSet(keep))), what).toBe(w);
    }
    expect(deep).toBeGreaterThan(50);
  });

  it("keeps views of the answer, not copies (each answer comes in a buffer of its own)", () => {
    const data = MC_RECORD.slice();
    const card: TlvRecord = {};
    collect(card, data, 0x70, keepSet([0x5a]));
    expect(toHex(card["5A"])).toBe("5413330089010434");
    expect(card["5A"].buffer).toBe(data.buffer);
  });

  const cases: { name: string; hex: string; want: string }[] = [
    { name: "short form", hex: "70 07 5A 01 12 9F36 01 34", want: "5A=12 9F36=34" },
    { name: "81 form", hex: "70 81 07 5A 01 12 9F36 01 34", want: "5A=12 9F36=34" },
    { name: "82 form", hex: "70 82 0007 5A 01 12 9F36 01 34", want: "5A=12 9F36=34" },
    { name: "padding around", hex: "00 70 09 00 5A 01 12 00 9F36 01 34 00 00", want: "5A=12 9F36=34" },
    { name: "long lengths inside", hex: "70 0B 5A 81 01 12 9F36 83 000001 34", want: "5A=12 9F36=34" },
    { name: "nested templates", hex: "70 0D A5 0A BF0C 07 5A 01 12 9F36 01 34 00", want: "5A=12 9F36=34" },
    { name: "nested template with an 81 length", hex: "70 81 8A A5 81 87 5A 01 12 9F7F 81 80" + " 00".repeat(128), want: "5A=12" },
    { name: "3-byte tag", hex: "70 09 DF8129 01 07 9F36 01 34", want: "9F36=34 DF8129=07" },
    { name: "data after", hex: "70 03 5A 01 12 9F36 01 34", want: "TLV_INVALID/40758/5" },
    { name: "other template", hex: "77 03 5A 01 12", want: "TLV_INVALID/112/0" },
    { name: "empty", hex: "", want: "TLV_INVALID/112/0" },
    { name: "cut inside", hex: "70 06 5A 01 12 9F36 02", want: "TLV_TRUNCATED/40758/5" },
    { name: "cut inside a nested template", hex: "70 08 A5 06 5A 01 12 9F36 02", want: "TLV_INVALID/40758/7" },
    { name: "template cut", hex: "70 08 5A 01 12", want: "TLV_TRUNCATED/112/0" },
    { name: "81 length cut", hex: "70 81", want: "TLV_TRUNCATED/112/0" },
    { name: "indefinite", hex: "70 05 5A 80 12 00 00", want: "TLV_INVALID/90/2" },
    { name: "duplicate", hex: "70 06 5A 01 12 5A 01 34", want: "TLV_DUPLICATE/90/5" },
    { name: "unkept repeats", hex: "70 08 9F01 01 12 9F01 01 34", want: "" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got: TlvRecord = {};
      const want: TlvRecord = {};
      const b = fromHex(c.hex);
      expect(outcome(want, () => refCollect(want, b, 0x70, [0x5a, 0x9f36, 0xdf8129]))).toBe(c.want);
      expect(outcome(got, () => collect(got, b, 0x70, keepSet([0x5a, 0x9f36, 0xdf8129])))).toBe(c.want);
    });
  }

  it("more than 8 templates inside the answer's is TLV_TOO_DEEP", () => {
    let v = "5A0112";
    for (let d = 0; d < 9; d++) v = "A5" + toHex(new Uint8Array([v.length / 2])) + v;
    const b = fromHex("70" + toHex(new Uint8Array([v.length / 2])) + v);
    expect(outcome({}, () => collect({}, b, 0x70, keepSet([0x5a])))).toBe("TLV_TOO_DEEP/165/18");
    const rec: TlvRecord = {};
    expect(outcome(rec, () => collect(rec, b.subarray(2 + 2), 0xa5, keepSet([0x5a])))).toBe("5A=12");
  });
});

describe("keepGpo and need", () => {
  it("format 2 is collected from its 77 template, format 1 split into 82 and 94", () => {
    const two: TlvRecord = {};
    keepGpo(two, VISA_GPO, keepSet([0x82, 0x9f36]));
    expect(outcome(two, () => undefined)).toBe("82=2000 9F36=001C");
    const one: TlvRecord = {};
    keepGpo(one, fromHex("80 06 1980 08010100"), keepSet([]));
    expect(outcome(one, () => undefined)).toBe("82=1980 94=08010100");
    expect(outcome({}, () => keepGpo({}, fromHex("80 03 1980 08"), keepSet([])))).toBe("TLV_INVALID/128/0");
    expect(outcome({}, () => keepGpo({}, new Uint8Array(0), keepSet([])))).toBe("TLV_INVALID/119/0");
  });

  it("need throws EMV_MISSING_TAG for the first absent or empty tag", () => {
    const card: TlvRecord = { "5A": fromHex("12"), "9F36": new Uint8Array(0) };
    expect(() => need(card, ["5A"])).not.toThrow();
    for (const [tags, tag] of [
      [["5A", "9F36"], "9F36"],
      [["57", "5A"], "57"],
    ] as [string[], string][]) {
      let e: unknown;
      try {
        need(card, tags);
      } catch (x) {
        e = x;
      }
      expect(isCoded(e) && e.code === "EMV_MISSING_TAG" && e.tag === tag).toBe(true);
    }
  });
});

describe("TlvCursor.next: its fast path and step() agree with the plain reader", () => {
  it("over PPSE and FCI walks and their mutations", () => {
    const r = prng(SEED + 2);
    for (let i = 0; i < 3000; i++) {
      let input = [PPSE, VISA_FCI, VISA_GPO, MC_RECORD][i % 4];
      for (let k = r.int(3); k > 0; k--) input = mutateTlv(input, r);
      const what = `case ${i} input ${toHex(input)}`;
      const seq: string[] = [];
      const ref: string[] = [];
      const walk = (p: number, end: number, depth: number): void => {
        for (let h = refHead(input, p, end, depth); h; h = refHead(input, h.value + h.length, end, depth)) {
          ref.push(tagHex(h.tag) + "@" + h.start + "+" + h.length + "d" + depth);
          if (input[h.start] & 0x20) {
            if (depth >= TLV_MAX_DEPTH) throw new RefError("TLV_TOO_DEEP", h.tag, h.start);
            walk(h.value, h.value + h.length, depth + 1);
          }
        }
      };
      const w = outcome({}, () => walk(0, input.length, 0));
      const g = outcome({}, () => {
        const c = new TlvCursor(input);
        while (c.next(true)) seq.push(tagHex(c.tag) + "@" + c.offset + "+" + c.length + "d" + c.depth);
      });
      expect(g, what).toBe(w);
      expect(seq, what).toEqual(ref);
    }
  });
});
