import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { isCoded } from "../../src/bytes/coded-error";
import {
  collectTlv,
  encodeLength,
  encodeTag,
  encodeTlv,
  encodeTlvNodes,
  findTag,
  isConstructed,
  parseTlv,
  tagHex,
  TlvCursor,
  type TlvInput,
  type TlvNode,
  type TlvOptions,
} from "../../src/emv/tlv";
import { ALL_ANSWERS, MC_RECORD, PPSE, VISA_FCI, VISA_GPO } from "../../host/fuzz/answers";

/** A tree as plain data: primitive → [tag hex, value hex], constructed → [tag hex, [...]]. */
type Shape = [string, string | Shape[]];
function shape(nodes: TlvNode[]): Shape[] {
  return nodes.map((n) => [tagHex(n.tag), n.children ? shape(n.children) : toHex(n.value)] as Shape);
}
function input(s: Shape[]): TlvInput[] {
  return s.map(([t, v]) => (typeof v === "string" ? { tag: parseInt(t, 16), value: fromHex(v) } : { tag: parseInt(t, 16), children: input(v) }));
}
function thrown(f: () => unknown): { code?: unknown; tag?: unknown; offset?: unknown } {
  try {
    f();
  } catch (e) {
    if (!isCoded(e)) throw e;
    return { code: e.code, tag: e.tag, offset: e.offset };
  }
  throw new Error("did not throw");
}
const x = (n: number, byte = "AB") => byte.repeat(n);

describe("BER-TLV vectors, both ways (EMV Book 3 Annex B)", () => {
  const vectors: { name: string; hex: string; tree: Shape[] }[] = [
    { name: "one primitive (5A PAN)", hex: "5A 08 5413330089010434", tree: [["5A", "5413330089010434"]] },
    { name: "empty value", hex: "9F03 00", tree: [["9F03", ""]] },
    { name: "several top-level objects", hex: "9F36 02 001C 9F27 01 80", tree: [["9F36", "001C"], ["9F27", "80"]] },
    { name: "2-byte tag 9F7C", hex: "9F7C 03 010203", tree: [["9F7C", "010203"]] },
    { name: "3-byte tag DF8129", hex: "DF8129 08 F0F0F0F0F0F0F0F0", tree: [["DF8129", "F0F0F0F0F0F0F0F0"]] },
    { name: "4-byte tag DF818101", hex: "DF818101 01 00", tree: [["DF818101", "00"]] },
    { name: "constructed 2-byte tag BF0C", hex: "BF0C 05 9F4D 02 0B0A", tree: [["BF0C", [["9F4D", "0B0A"]]]] },
    { name: "length 127, short form", hex: "9F4B 7F " + x(127), tree: [["9F4B", x(127)]] },
    { name: "length 128, form 81", hex: "9F4B 81 80 " + x(128), tree: [["9F4B", x(128)]] },
    { name: "length 255, form 81", hex: "90 81 FF " + x(255), tree: [["90", x(255)]] },
    { name: "length 256, form 82", hex: "90 82 0100 " + x(256), tree: [["90", x(256)]] },
    { name: "length 65536, form 83", hex: "90 83 010000 " + x(65536, "5A"), tree: [["90", x(65536, "5A")]] },
    {
      name: "template with a long-form child",
      hex: "70 81 88 9F46 81 80 " + x(128) + " 9F47 01 03",
      tree: [["70", [["9F46", x(128)], ["9F47", "03"]]]],
    },
    {
      name: "SELECT PPSE answer",
      hex: toHex(PPSE),
      tree: [
        [
          "6F",
          [
            ["84", "325041592E5359532E4444463031"],
            [
              "A5",
              [
                [
                  "BF0C",
                  [
                    ["61", [["4F", "A0000000031010"], ["50", "56495341"], ["87", "01"], ["9F2A", "03"]]],
                    ["61", [["4F", "A000000333010101"], ["87", "02"]]],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    },
    {
      name: "Visa GPO answer, format 2",
      hex: toHex(VISA_GPO),
      tree: [
        [
          "77",
          [
            ["82", "2000"],
            ["94", "10020200"],
            ["57", "4761739001010119D22122011143804400000F"],
            ["5F20", "2F"],
            ["9F10", "06011203A00000"],
            ["9F26", "29CCA15AE665FA2E"],
            ["9F27", "80"],
            ["9F36", "001C"],
            ["9F6C", "0000"],
            ["9F6E", "20700000"],
            ["5F34", "00"],
          ],
        ],
      ],
    },
    { name: "GPO answer, format 1 (80 is primitive)", hex: "80 0A 1980 08010100 10010300", tree: [["80", "198008010100" + "10010300"]] },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      const bytes = fromHex(v.hex);
      expect(shape(parseTlv(bytes))).toEqual(v.tree);
      expect(toHex(encodeTlvNodes(input(v.tree)))).toBe(toHex(bytes));
      expect(toHex(encodeTlvNodes(parseTlv(bytes)))).toBe(toHex(bytes));
    });
  }

  it("records node offsets and values as views into the input", () => {
    const nodes = parseTlv(VISA_FCI);
    const a5 = nodes[0].children![1];
    expect(a5.offset).toBe(11);
    const pdol = a5.children!.find((n) => n.tag === 0x9f38)!;
    expect(pdol.value.buffer).toBe(VISA_FCI.buffer);
    expect(toHex(pdol.value)).toBe("9F66049F02069F03069F1A0295055F2A029A039C019F3704");
  });
});

describe("padding 00 (Annex B: before, between and after objects)", () => {
  it("is skipped at the top level and inside templates", () => {
    const bytes = fromHex("00 00 5A 01 12 00 00 70 08 00 9F36 02 001C 00 00 00 00");
    expect(shape(parseTlv(bytes))).toEqual([["5A", "12"], ["70", [["9F36", "001C"]]]]);
    expect(toHex(collectTlv(bytes)["9F36"])).toBe("001C");
  });
  it("only padding is an empty list", () => {
    expect(parseTlv(fromHex("00 00 00"))).toEqual([]);
    expect(parseTlv(new Uint8Array(0))).toEqual([]);
  });
  it("a template holding only padding has no children", () => {
    expect(shape(parseTlv(fromHex("70 03 00 00 00")))).toEqual([["70", []]]);
  });
});

describe("long-form lengths 81–84, minimal or not (Annex B2; ISO/IEC 8825-1 §8.1.3.5 note 2)", () => {
  // hex as a card may send it → the tree, and the minimal encoding the encoder gives back.
  const vectors: { name: string; hex: string; tree: Shape[]; minimal: string }[] = [
    { name: "81 04 for a 4-byte value", hex: "9F6E 81 04 20700000", tree: [["9F6E", "20700000"]], minimal: "9F6E 04 20700000" },
    { name: "81 00, empty value", hex: "9F03 81 00", tree: [["9F03", ""]], minimal: "9F03 00" },
    { name: "81 7F", hex: "9F4B 81 7F " + x(127), tree: [["9F4B", x(127)]], minimal: "9F4B 7F " + x(127) },
    { name: "82 00 05", hex: "5A 82 0005 1234567890", tree: [["5A", "1234567890"]], minimal: "5A 05 1234567890" },
    { name: "82 00 80 for 128", hex: "9F46 82 0080 " + x(128), tree: [["9F46", x(128)]], minimal: "9F46 81 80 " + x(128) },
    { name: "83 00 00 05", hex: "5A 83 000005 1234567890", tree: [["5A", "1234567890"]], minimal: "5A 05 1234567890" },
    { name: "83 00 01 00 for 256", hex: "90 83 000100 " + x(256), tree: [["90", x(256)]], minimal: "90 82 0100 " + x(256) },
    { name: "84 00 00 00 04", hex: "9F36 84 00000002 001C", tree: [["9F36", "001C"]], minimal: "9F36 02 001C" },
    { name: "84 00 00 01 00 for 256", hex: "90 84 00000100 " + x(256), tree: [["90", x(256)]], minimal: "90 82 0100 " + x(256) },
    { name: "84 for 65536, the minimal 83 form's range", hex: "90 84 00010000 " + x(65536, "5A"), tree: [["90", x(65536, "5A")]], minimal: "90 83 010000 " + x(65536, "5A") },
    {
      name: "templates and children with long forms",
      hex: "77 84 0000000D 82 81 02 2000 9F36 83 000002 001C",
      tree: [["77", [["82", "2000"], ["9F36", "001C"]]]],
      minimal: "77 09 82 02 2000 9F36 02 001C",
    },
    {
      name: "a long-form child that exactly fills its template",
      hex: "70 08 5A 84 00000002 1234",
      tree: [["70", [["5A", "1234"]]]],
      minimal: "70 04 5A 02 1234",
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      const bytes = fromHex(v.hex);
      expect(shape(parseTlv(bytes))).toEqual(v.tree);
      expect(toHex(encodeTlvNodes(parseTlv(bytes)))).toBe(toHex(fromHex(v.minimal)));
      expect(toHex(encodeTlvNodes(input(v.tree)))).toBe(toHex(fromHex(v.minimal)));
      // collectTlv and findTag read the same values as from the minimal encoding
      const want = collectTlv(fromHex(v.minimal));
      const got = collectTlv(bytes);
      expect(Object.keys(got).map((k) => k + "=" + toHex(got[k]))).toEqual(Object.keys(want).map((k) => k + "=" + toHex(want[k])));
      for (const k of Object.keys(want)) expect(toHex(findTag(bytes, parseInt(k, 16))!)).toBe(toHex(want[k]));
    });
  }

  it("TlvCursor reports where the value starts after a 5-byte length field", () => {
    const c = new TlvCursor(fromHex("9F36 84 00000002 001C 9F27 01 80"));
    expect(c.next(true)).toBe(true);
    expect([c.offset, c.valueOffset, c.length]).toEqual([0, 7, 2]);
    expect(c.next(true)).toBe(true);
    expect([tagHex(c.tag), c.offset, toHex(c.value())]).toEqual(["9F27", 9, "80"]);
  });
});

describe("errors: incomplete (TLV_TRUNCATED) vs invalid (TLV_INVALID)", () => {
  const cases: { name: string; hex: string; code: string; tag?: number; offset: number; lenient?: boolean }[] = [
    { name: "tag only", hex: "5A", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "multi-byte tag cut", hex: "9F", code: "TLV_TRUNCATED", offset: 0 },
    { name: "3-byte tag cut", hex: "DF 81", code: "TLV_TRUNCATED", offset: 0 },
    { name: "value cut", hex: "5A 08 54 13 33", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "81 length cut", hex: "9F46 81", code: "TLV_TRUNCATED", tag: 0x9f46, offset: 0 },
    { name: "82 length cut", hex: "90 82 01", code: "TLV_TRUNCATED", tag: 0x90, offset: 0 },
    { name: "trailing tag byte", hex: "5A 01 12 34", code: "TLV_TRUNCATED", tag: 0x34, offset: 3 },
    { name: "trailing partial object", hex: "5A 01 12 9F36 02 00", code: "TLV_TRUNCATED", tag: 0x9f36, offset: 3 },
    { name: "template longer than the input", hex: "77 05 9F36 02 00", code: "TLV_TRUNCATED", tag: 0x77, offset: 0 },
    { name: "indefinite length 80", hex: "70 80 5A 01 12 00 00", code: "TLV_INVALID", tag: 0x70, offset: 0 },
    { name: "indefinite length 80 inside a template", hex: "70 04 5A 80 12 00", code: "TLV_INVALID", tag: 0x5a, offset: 2 },
    { name: "length form 85", hex: "5A 85 00 00 00 00 01 12", code: "TLV_INVALID", tag: 0x5a, offset: 0 },
    { name: "length form 88", hex: "5A 88 0000000000000001 12", code: "TLV_INVALID", tag: 0x5a, offset: 0 },
    { name: "length form FF", hex: "5A FF", code: "TLV_INVALID", tag: 0x5a, offset: 0 },
    { name: "tag longer than 4 bytes", hex: "DF 81 81 81 01 01 00", code: "TLV_INVALID", offset: 0 },
    { name: "83 length cut", hex: "5A 83 00 00", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "84 length cut", hex: "5A 84 00 00 00", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "84 length cut by its template", hex: "70 04 5A 84 00 00 00 05", code: "TLV_INVALID", tag: 0x5a, offset: 2 },
    { name: "84 value longer than the input", hex: "5A 84 00 00 00 05 1234", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "84 FFFFFFFF (4 GB) at the top level", hex: "5A 84 FFFFFFFF 12", code: "TLV_TRUNCATED", tag: 0x5a, offset: 0 },
    { name: "84 FFFFFFFF (4 GB) inside a template", hex: "70 07 5A 84 FFFFFFFF 12", code: "TLV_INVALID", tag: 0x5a, offset: 2 },
    { name: "81 05 child past its template", hex: "70 06 5A 81 05 12345678", code: "TLV_INVALID", tag: 0x5a, offset: 2 },
    { name: "82 template value past the input", hex: "70 82 0010 5A 01 12", code: "TLV_TRUNCATED", tag: 0x70, offset: 0 },
    { name: "child value past its template", hex: "70 04 5A 03 12 34 56", code: "TLV_INVALID", tag: 0x5a, offset: 2 },
    { name: "child length past its template", hex: "70 02 9F36 02 00 1C", code: "TLV_INVALID", tag: 0x9f36, offset: 2 },
    { name: "child tag cut by its template", hex: "70 01 9F 36 00", code: "TLV_INVALID", offset: 2 },
    { name: "trailing byte inside a template", hex: "70 04 5A 01 12 34", code: "TLV_INVALID", tag: 0x34, offset: 5 },
  ];
  for (const c of cases) {
    it(c.name + " → " + c.code, () => {
      const e = thrown(() => parseTlv(fromHex(c.hex)));
      expect(e).toEqual({ code: c.code, tag: c.tag, offset: c.offset });
    });
  }

  it("the deprecated allowNonMinimalLength changes nothing: 80 and 85–FF stay invalid", () => {
    const opt: TlvOptions = { allowNonMinimalLength: true };
    expect(shape(parseTlv(fromHex("5A 84 00000005 1234567890"), opt))).toEqual([["5A", "1234567890"]]);
    expect(thrown(() => parseTlv(fromHex("70 80 5A 01 12 00 00"), opt)).code).toBe("TLV_INVALID");
    expect(thrown(() => parseTlv(fromHex("5A 85 00 00 00 00 01 12"), opt)).code).toBe("TLV_INVALID");
  });

  it("every proper prefix of a complete answer is TLV_TRUNCATED, never TLV_INVALID", () => {
    for (const answer of ALL_ANSWERS) {
      for (let cut = 1; cut < answer.length; cut++) {
        expect(thrown(() => parseTlv(answer.subarray(0, cut))).code).toBe("TLV_TRUNCATED");
      }
    }
  });
});

describe("depth bound", () => {
  function nested(levels: number): Uint8Array {
    let inner = encodeTlv(0x5a, [0x12]);
    for (let i = 0; i < levels; i++) inner = encodeTlv(0x70, inner);
    return inner;
  }
  it("8 nested templates parse by default, 9 are TLV_TOO_DEEP", () => {
    const ok = parseTlv(nested(8));
    let n: TlvNode = ok[0];
    for (let i = 1; i < 8; i++) n = n.children![0];
    expect(toHex(n.children![0].value)).toBe("12");
    // the 9th template (offset 16) is read at depth 8 and refused when entered
    expect(thrown(() => parseTlv(nested(9)))).toEqual({ code: "TLV_TOO_DEEP", tag: 0x70, offset: 16 });
  });
  it("maxDepth is an option, for every walker", () => {
    const opt: TlvOptions = { maxDepth: 2 };
    expect(parseTlv(nested(2), opt)).toHaveLength(1);
    expect(thrown(() => parseTlv(nested(3), opt)).code).toBe("TLV_TOO_DEEP");
    expect(thrown(() => collectTlv(nested(3), undefined, opt)).code).toBe("TLV_TOO_DEEP");
    expect(thrown(() => findTag(nested(3), 0x5a, opt)).code).toBe("TLV_TOO_DEEP");
  });
  it("a deep but unvisited template costs nothing: next(false) skips it", () => {
    const c = new TlvCursor(nested(20));
    expect(c.next(false)).toBe(true);
    expect(c.tag).toBe(0x70);
    expect(c.next(false)).toBe(false);
  });
  it("the encoder takes 8 levels, as the parser does", () => {
    expect(toHex(encodeTlvNodes(parseTlv(nested(8))))).toBe(toHex(nested(8)));
  });
  it("the encoder refuses more than 8 levels too", () => {
    let t: TlvInput = { tag: 0x5a, value: [1] };
    for (let i = 0; i < 9; i++) t = { tag: 0x70, children: [t] };
    expect(thrown(() => encodeTlvNodes([t])).code).toBe("TLV_TOO_DEEP");
  });
});

describe("TlvCursor: a flat walk without trees", () => {
  it("yields tag, depth, offsets in document order when descending", () => {
    const c = new TlvCursor(VISA_GPO);
    const seen: string[] = [];
    while (c.next(true)) seen.push(`${tagHex(c.tag)}@${c.offset}+${c.valueOffset - c.offset}:${c.length}/d${c.depth}`);
    expect(seen.slice(0, 4)).toEqual(["77@0+2:81/d0", "82@2+2:2/d1", "94@6+2:4/d1", "57@12+2:19/d1"]);
    expect(seen).toHaveLength(12);
    expect(c.next(true)).toBe(false);
  });
  it("descends only where asked", () => {
    const c = new TlvCursor(PPSE);
    const tags: string[] = [];
    // enter 6F, A5, BF0C; list the 61 entries without entering them
    while (c.next(c.tag === 0x6f || c.tag === 0xa5 || c.tag === 0xbf0c)) tags.push(tagHex(c.tag));
    expect(tags).toEqual(["6F", "84", "A5", "BF0C", "61", "61"]);
  });
  it("reads the 61 directory entries of a PPSE answer one by one", () => {
    const c = new TlvCursor(PPSE);
    const aids: string[] = [];
    while (c.next(true)) if (c.tag === 0x4f) aids.push(toHex(c.value()));
    expect(aids).toEqual(["A0000000031010", "A000000333010101"]);
  });
  it("find() moves to each next object with a tag, entering templates", () => {
    const c = new TlvCursor(PPSE);
    const found: string[] = [];
    while (c.find(0x4f)) found.push(toHex(c.value()) + "/d" + c.depth + "@" + c.offset);
    expect(found).toEqual(["A0000000031010/d4@25", "A000000333010101/d4@49"]);
    expect(c.find(0x4f)).toBe(false);
  });
  it("find() then next(): the walk goes on from the match", () => {
    const c = new TlvCursor(VISA_GPO);
    expect(c.find(0x9f26)).toBe(true);
    expect(c.next(false)).toBe(true);
    expect(tagHex(c.tag)).toBe("9F27");
    expect(c.depth).toBe(1);
  });
  it("collect() gathers the rest of a walk", () => {
    const c = new TlvCursor(VISA_GPO);
    expect(c.find(0x9f36)).toBe(true);
    expect(Object.keys(c.collect({}, false)).sort()).toEqual(["5F34", "9F6C", "9F6E"]);
    expect(c.next(true)).toBe(false);
  });
  it("an end past the input is clamped to it", () => {
    const c = new TlvCursor(fromHex("5A 01 12"), undefined, 0, 10);
    expect(c.next(true)).toBe(true);
    expect(c.next(true)).toBe(false);
  });
  it("walks a sub-range", () => {
    const data = fromHex("AA BB 5A 01 12 CC");
    const c = new TlvCursor(data, undefined, 2, 5);
    expect(c.next(true)).toBe(true);
    expect(toHex(c.value())).toBe("12");
    expect(c.next(true)).toBe(false);
  });
});

describe("findTag", () => {
  it("finds inside templates, first match", () => {
    expect(toHex(findTag(VISA_FCI, 0x9f38)!)).toBe("9F66049F02069F03069F1A0295055F2A029A039C019F3704");
    expect(toHex(findTag(PPSE, 0x4f)!)).toBe("A0000000031010");
    expect(toHex(findTag(PPSE, 0x9f2a)!)).toBe("03");
    expect(toHex(findTag(PPSE, 0xbf0c)!).length).toBe(0x27 * 2);
  });
  it("undefined when absent", () => {
    expect(findTag(VISA_GPO, 0x9f4b)).toBeUndefined();
    expect(findTag(new Uint8Array(0), 0x5a)).toBeUndefined();
  });
  it("stops at the match: later bytes are not checked", () => {
    const bytes = fromHex("5A 01 12 9F");
    expect(toHex(findTag(bytes, 0x5a)!)).toBe("12");
    expect(thrown(() => findTag(bytes, 0x57)).code).toBe("TLV_TRUNCATED");
  });
});

describe("collectTlv: primitives by tag hex", () => {
  it("collects a GPO answer", () => {
    const r = collectTlv(VISA_GPO);
    // key order means nothing (JS lists integer-like keys such as "57" first)
    expect(Object.keys(r).sort()).toEqual(["57", "5F20", "5F34", "82", "94", "9F10", "9F26", "9F27", "9F36", "9F6C", "9F6E"]);
    expect(toHex(r["9F26"])).toBe("29CCA15AE665FA2E");
    expect(toHex(r["9F36"])).toBe("001C");
    expect(r["77"]).toBeUndefined();
  });
  it("accumulates several answers into one record", () => {
    const r = collectTlv(VISA_FCI);
    collectTlv(MC_RECORD, r);
    expect(toHex(r["9F38"]).length).toBe(48);
    expect(toHex(r["5A"])).toBe("5413330089010434");
  });
  it("a repeated tag is TLV_DUPLICATE with tag and offset", () => {
    const bytes = fromHex("70 06 5A 01 12 5A 01 34");
    expect(thrown(() => collectTlv(bytes))).toEqual({ code: "TLV_DUPLICATE", tag: 0x5a, offset: 5 });
  });
  it("also across answers collected into one record", () => {
    const r = collectTlv(fromHex("9F36 02 001C"));
    expect(thrown(() => collectTlv(fromHex("77 05 9F36 02 001D"), r))).toEqual({ code: "TLV_DUPLICATE", tag: 0x9f36, offset: 2 });
  });
  it("allowDuplicates keeps the first", () => {
    const r = collectTlv(fromHex("70 06 5A 01 12 5A 01 34"), undefined, { allowDuplicates: true });
    expect(toHex(r["5A"])).toBe("12");
  });
  it("the same tag in two PPSE entries is a duplicate: walk those with TlvCursor", () => {
    expect(thrown(() => collectTlv(PPSE)).code).toBe("TLV_DUPLICATE");
  });
});

describe("tags as numbers", () => {
  it("tagHex", () => {
    expect([0x5a, 0x9f26, 0xbf0c, 0xdf8129, 0x01, 0xdf818101].map(tagHex)).toEqual(["5A", "9F26", "BF0C", "DF8129", "01", "DF818101"]);
  });
  it("isConstructed reads b6 of the first byte", () => {
    expect([0x6f, 0x77, 0x70, 0xa5, 0xbf0c, 0x61].every(isConstructed)).toBe(true);
    expect([0x5a, 0x80, 0x9f26, 0xdf8129, 0x57].some(isConstructed)).toBe(false);
  });
});

describe("encoder", () => {
  it("encodeTag and encodeLength", () => {
    expect(toHex(encodeTag(0x9f26))).toBe("9F26");
    expect(toHex(encodeTag(0xdf8129))).toBe("DF8129");
    expect(toHex(encodeTag(0xff818101))).toBe("FF818101");
    expect([0, 5, 127, 128, 255, 256, 65535, 65536, 0xffffff].map((n) => toHex(encodeLength(n)))).toEqual([
      "00",
      "05",
      "7F",
      "8180",
      "81FF",
      "820100",
      "82FFFF",
      "83010000",
      "83FFFFFF",
    ]);
  });
  it("refuses malformed tags and lengths", () => {
    for (const t of [0, 0x1f, 0x9f, 0x5a1f, 0x9f0101, 0x9f8181, 0x1ff818101, -1, 1.5]) {
      expect(thrown(() => encodeTag(t)).code).toBe("TLV_INVALID");
    }
    for (const n of [-1, 0x1000000, 2.5, NaN]) expect(thrown(() => encodeLength(n)).code).toBe("TLV_INVALID");
  });
  it("encodeTlv builds one object", () => {
    expect(toHex(encodeTlv(0x83, fromHex("000000001250")))).toBe("8306000000001250");
    expect(toHex(encodeTlv(0x9f4b, new Uint8Array(200))).substring(0, 10)).toBe("9F4B81C800");
  });
  it("encodeTlvNodes refuses children under a primitive tag and objects without a value", () => {
    expect(thrown(() => encodeTlvNodes([{ tag: 0x5a, children: [] }])).code).toBe("TLV_INVALID");
    expect(thrown(() => encodeTlvNodes([{ tag: 0x70 }])).code).toBe("TLV_INVALID");
  });
  it("a constructed tag may carry a pre-encoded value", () => {
    expect(toHex(encodeTlvNodes([{ tag: 0x77, value: fromHex("9F360200 1C") }]))).toBe("77059F3602001C");
  });
});
