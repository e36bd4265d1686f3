import { describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { dolFromRecords, parseDol } from "../../src/emv/dol";
import { TagFormat, tagFormat } from "../../src/emv/tag-formats";
import { tagHex, type TlvRecord } from "../../src/emv/tlv";
import { mutateTlv } from "../../host/fuzz/mutate";
import { prng } from "../../host/fuzz/prng";

// dolFromRecords reads a DOL's common entries inline (compileDol) and keeps a plan per DOL;
// held here to a reference built on parseDol and the rules of EMV Book 3 §5.4 (n right-
// justified with leading 00, cn cut on the right and F-padded, others cut on the right and
// 00-padded; a constructed or missing tag gives zeros), errors included.

function refAnswer(dol: Uint8Array, first: TlvRecord, second: TlvRecord): Uint8Array {
  const entries = parseDol(dol);
  let total = 0;
  for (const e of entries) total += e.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    const key = tagHex(e.tag);
    const constructed = (parseInt(key.slice(0, 2), 16) & 0x20) !== 0;
    const v = constructed || e.length === 0 ? undefined : first[key] || second[key];
    if (v) {
      const f = tagFormat(e.tag);
      for (let i = 0; i < e.length; i++) {
        if (f === TagFormat.N) {
          const j = v.length - e.length + i;
          out[at + i] = j >= 0 ? v[j] : 0;
        } else out[at + i] = i < v.length ? v[i] : f === TagFormat.CN ? 0xff : 0;
      }
    }
    at += e.length;
  }
  return out;
}

function outcome(f: () => Uint8Array): string {
  try {
    return toHex(f());
  } catch (e) {
    if (!isCoded(e)) throw e;
    return `${e.code}/${String(e.tag)}/${String(e.offset)}`;
  }
}

const DOLS = [
  "9F66049F02069F03069F1A0295055F2A029A039C019F3704DF6901", // UnionPay PDOL
  "9F66049F02069F03069F1A0295055F2A029A039C019F3704", // Visa PDOL
  "9F1D089F1A029F3501", // Mastercard PDOL
  "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C14", // Mastercard CDOL1
  "5A0A9F20045F24029F4E069F1E0ADF81290870039F7C00",
];

const FIRST: TlvRecord = {
  "9F02": fromHex("000000001250"),
  "9F03": fromHex("000000000000"),
  "9F1A": fromHex("0250"),
  "95": fromHex("0000000000"),
  "5F2A": fromHex("0978"),
  "9A": fromHex("261207"),
  "9C": fromHex("00"),
  "9F37": fromHex("01020304"),
  "9F66": fromHex("20804000"),
  "9F35": fromHex("21"),
  "9F21": fromHex("041500"),
  "9F1E": fromHex("5445524D30303031"),
  "9F4E": fromHex("53484F50"),
  DF69: fromHex("00"),
};
const SECOND: TlvRecord = {
  "5A": fromHex("4761739001010119"),
  "9F20": fromHex("12345F"),
  "5F24": fromHex("301231"),
  "9F4C": fromHex("1122334455667788"),
  DF8129: fromHex("0102"),
  "9F37": fromHex("AABBCCDD"),
  "70": fromHex("5A0112"),
};

describe("dolFromRecords against a reference (parseDol + Book 3 §5.4)", () => {
  it("known DOLs and 20,000 mutations of them, asked twice (the second from the kept plan)", () => {
    const r = prng(0xd01);
    for (let i = 0; i < 20000; i++) {
      let d = fromHex(DOLS[i % DOLS.length]);
      const edits = i % 9 === 0 ? 0 : 1 + r.int(3);
      for (let k = 0; k < edits; k++) d = mutateTlv(d, r);
      const want = outcome(() => refAnswer(d, FIRST, SECOND));
      const what = `case ${i} ${toHex(d)}`;
      expect(outcome(() => dolFromRecords(d, FIRST, SECOND)), what).toBe(want);
      expect(outcome(() => dolFromRecords(d, FIRST, SECOND)), what + " again").toBe(want);
    }
  });
});
