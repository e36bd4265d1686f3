import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { buildDolData, dolFromRecords, parseDol, recordSource, type DataSource } from "../../src/emv/dol";
import { TagFormat } from "../../src/emv/tag-formats";
import { findTag, type TlvRecord } from "../../src/emv/tlv";
import { VISA_FCI, MC_RECORD } from "../../host/fuzz/answers";

function thrown(f: () => unknown): { code?: unknown; tag?: unknown; offset?: unknown } {
  try {
    f();
  } catch (e) {
    if (!isCoded(e)) throw e;
    return { code: e.code, tag: e.tag, offset: e.offset };
  }
  throw new Error("did not throw");
}

/** Test record: values by tag hex. */
function record(values: { [tag: string]: string }): TlvRecord {
  const rec: TlvRecord = {};
  for (const k of Object.keys(values)) rec[k] = fromHex(values[k]);
  return rec;
}

/** Test data source: values by tag hex. */
function source(values: { [tag: string]: string }): DataSource {
  return recordSource([record(values)]);
}

const VALUES = {
  "9F02": "000000001250", // n12
  "9F1A": "0756", // n3
  "5A": "4761739001010119", // cn, 16 digits
  "9F20": "12345F", // cn, 5 digits
  "9F37": "11223344", // b
  "9F1E": "5445524D30303031", // an "TERM0001"
  "9F4E": "53484F50", // ans "SHOP"
  "DF8101": "0102", // unknown to the format table: b
  "70": "5A0112", // constructed: never sent
};
const DATA = source(VALUES);

describe("parseDol", () => {
  it("reads the Visa PDOL of a SELECT answer", () => {
    const pdol = findTag(VISA_FCI, 0x9f38)!;
    expect(parseDol(pdol)).toEqual([
      { tag: 0x9f66, length: 4 },
      { tag: 0x9f02, length: 6 },
      { tag: 0x9f03, length: 6 },
      { tag: 0x9f1a, length: 2 },
      { tag: 0x95, length: 5 },
      { tag: 0x5f2a, length: 2 },
      { tag: 0x9a, length: 3 },
      { tag: 0x9c, length: 1 },
      { tag: 0x9f37, length: 4 },
    ]);
  });
  it("reads CDOL1 of a record, 3-byte tags and a zero length", () => {
    expect(parseDol(findTag(MC_RECORD, 0x8c)!)).toHaveLength(8);
    expect(parseDol(fromHex("DF8129 08 9F7C 00"))).toEqual([
      { tag: 0xdf8129, length: 8 },
      { tag: 0x9f7c, length: 0 },
    ]);
    expect(parseDol(new Uint8Array(0))).toEqual([]);
  });
  const errors: { hex: string; code: string; offset: number }[] = [
    { hex: "9F", code: "DOL_TRUNCATED", offset: 0 },
    { hex: "9F02", code: "DOL_TRUNCATED", offset: 0 },
    { hex: "9F02 06 9F", code: "DOL_TRUNCATED", offset: 3 },
    { hex: "9F02 81", code: "DOL_TRUNCATED", offset: 0 },
    { hex: "00 9F02 06", code: "DOL_INVALID", offset: 0 },
    { hex: "9F02 06 00", code: "DOL_INVALID", offset: 3 },
    { hex: "9F02 80", code: "DOL_INVALID", offset: 0 },
    { hex: "9F02 81 06", code: "DOL_INVALID", offset: 0 },
    { hex: "DF 81 81 81 01 01", code: "DOL_INVALID", offset: 0 },
    { hex: "9F02 81 FF 9F03 01", code: "DOL_INVALID", offset: 4 },
    { hex: "9F02 82 FFFF", code: "DOL_INVALID", offset: 0 },
  ];
  for (const c of errors) {
    it(`${c.hex} → ${c.code}`, () => {
      const e = thrown(() => parseDol(fromHex(c.hex)));
      expect([e.code, e.offset]).toEqual([c.code, c.offset]);
    });
  }
});

describe("buildDolData (EMV Book 3 §5.4)", () => {
  const cases: { name: string; dol: string; data: string }[] = [
    { name: "n, exact", dol: "9F02 06", data: "000000001250" },
    { name: "n, shorter: leftmost bytes cut", dol: "9F02 04", data: "00001250" },
    { name: "n, shorter than the digits: still cut on the left", dol: "9F02 01", data: "50" },
    { name: "n, longer: leading zeros", dol: "9F02 08", data: "0000000000001250" },
    { name: "n3 in 1 byte and in 3", dol: "9F1A 01 9F1A 03", data: "56" + "000756" },
    { name: "cn, exact", dol: "5A 08", data: "4761739001010119" },
    { name: "cn, longer: trailing FF", dol: "5A 0A", data: "4761739001010119FFFF" },
    { name: "cn, shorter: rightmost bytes cut", dol: "5A 06", data: "476173900101" },
    { name: "cn, odd digits keep their F nibble", dol: "9F20 04", data: "12345FFF" },
    { name: "b, shorter: cut on the right", dol: "9F37 02", data: "1122" },
    { name: "b, longer: trailing zeros", dol: "9F37 06", data: "112233440000" },
    { name: "an, longer: trailing zeros", dol: "9F1E 0A", data: "5445524D303030310000" },
    { name: "an, shorter: cut on the right", dol: "9F1E 04", data: "5445524D" },
    { name: "ans, longer: trailing zeros", dol: "9F4E 06", data: "53484F500000" },
    { name: "unknown tag: b rules", dol: "DF8101 03", data: "010200" },
    { name: "missing tag: zeros", dol: "9F7C 04", data: "00000000" },
    { name: "constructed tag: zeros even when the source has it", dol: "70 03", data: "000000" },
    { name: "zero length: nothing", dol: "9F02 00 9F37 01", data: "11" },
    {
      name: "several entries in order",
      dol: "9F37 04 9F02 06 5A 0A 9F7C 02 9F1A 02",
      data: "11223344" + "000000001250" + "4761739001010119FFFF" + "0000" + "0756",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(toHex(buildDolData(fromHex(c.dol), DATA))).toBe(c.data);
    });
  }

  it("formatOf can be replaced (e.g. a kernel's own table)", () => {
    const asN = () => TagFormat.N;
    expect(toHex(buildDolData(fromHex("9F37 06"), DATA, asN))).toBe("000011223344");
    expect(toHex(buildDolData(fromHex("9F37 02"), DATA, asN))).toBe("3344");
  });

  it("the source's bytes are not modified", () => {
    const pan = fromHex("4761739001010119");
    const src = recordSource([{ "5A": pan }]);
    buildDolData(fromHex("5A 0A 5A 04"), src);
    expect(toHex(pan)).toBe("4761739001010119");
  });

  it("DOL errors come out of buildDolData unchanged", () => {
    expect(thrown(() => buildDolData(fromHex("9F02"), DATA)).code).toBe("DOL_TRUNCATED");
  });
});

describe("dolFromRecords: buildDolData over two records, the DOL read once", () => {
  const dols = [
    "9F02 06", "9F02 04", "9F02 08", "9F1A 01 9F1A 03", "5A 0A", "5A 06", "9F20 04", "9F37 06", "9F1E 0A", "9F4E 06",
    "DF8101 03", "9F7C 04", "70 03", "9F02 00 9F37 01", "9F37 04 9F02 06 5A 0A 9F7C 02 9F1A 02", "", "DF8129 08 9F7C 00",
  ];
  it("the same bytes as buildDolData with recordSource([first, second]), first asked first", () => {
    const first = record({ "9F37": "AABBCCDD", "9F02": "000000009999" });
    const second = record(VALUES);
    dols.forEach((d0, n) => {
      // A leading entry of its own makes each DOL new to the cache: the first call reads it.
      const d = "DF7F " + (n + 1).toString(16).padStart(2, "0") + " " + d0;
      const got = toHex(dolFromRecords(fromHex(d), first, second));
      const expected = toHex(buildDolData(fromHex(d), recordSource([first, second])));
      expect(got, d).toBe(expected);
      expect(toHex(dolFromRecords(fromHex(d), first, second)), d + " again").toBe(expected);
    });
  });

  it("a kept DOL answers from the records of this call; the answer is a fresh copy", () => {
    const dol = fromHex("9F37 04 9F02 06");
    const a = dolFromRecords(dol, record({ "9F37": "01020304" }), record({ "9F02": "000000001250" }));
    a.fill(0xee);
    expect(toHex(dolFromRecords(dol, record({ "9F37": "05060708" }), record({})))).toBe("05060708" + "000000000000");
    expect(toHex(dolFromRecords(fromHex("9F37 04 9F02 06"), record({}), record({ "9F02": "000000001250" })))).toBe("00000000" + "000000001250");
  });

  it("more DOLs than the cache keeps: every answer still right", () => {
    const rec = record(VALUES);
    for (let round = 0; round < 2; round++) {
      for (let n = 1; n <= 10; n++) {
        const d = "9F37 " + n.toString(16).padStart(2, "0");
        expect(toHex(dolFromRecords(fromHex(d), rec, {}))).toBe(toHex(buildDolData(fromHex(d), DATA)));
      }
    }
  });

  it("a malformed DOL throws the codes of buildDolData every time (not kept)", () => {
    const bad = ["9F", "9F02", "9F02 06 9F", "00 9F02 06", "9F02 80", "9F02 81 06", "DF 81 81 81 01 01", "9F02 81 FF 9F03 01", "9F02 82 FFFF"];
    for (const h of bad) {
      const expected = thrown(() => buildDolData(fromHex(h), DATA));
      expect(thrown(() => dolFromRecords(fromHex(h), {}, {})), h).toEqual(expected);
      expect(thrown(() => dolFromRecords(fromHex(h), {}, {})), h + " again").toEqual(expected);
    }
  });
});

describe("recordSource", () => {
  it("asks the records in order", () => {
    const src = recordSource([{ "9F37": fromHex("01") }, { "9F37": fromHex("02"), "5A": fromHex("12") }]);
    expect(toHex(src.get(0x9f37)!)).toBe("01");
    expect(toHex(src.get(0x5a)!)).toBe("12");
    expect(src.get(0x9f02)).toBeUndefined();
  });
});
