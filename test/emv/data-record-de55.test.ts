// The data record's DE 55 (record.de55, made by buildRecord with `icc`) against what the
// authorization request made before from `icc` alone (iccDataHex): the same text, so the same
// request body and signature, for every kernel; and `icc` itself against the record as it was
// built before (one hexOf per tag, then 9F66 and 9F63 deleted by kernel).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { below, prng } from "../../host/fuzz/prng";
import * as f from "../../host/fuzz/emv-fixtures";
import { buildAuthRequest, iccDataHex, requestBody, type AuthRequestInput } from "../../src/auth/request";
import { fromHex, hexOf, toHex, useNativeHex } from "../../src/bytes/hex";
import { buildRecord, maskRecord, type DataRecord } from "../../src/emv/data-record";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Cvm, OutcomeType } from "../../src/emv/outcome";
import type { TlvRecord } from "../../src/emv/tlv";
import { modelMapInPlace, modelToString } from "../bytes/hex-natives";

const INPUT: AuthRequestInput = {
  terminalId: "TAPPOS01", merchantId: "MERCHANT0001", stan: "000042", clientTransactionId: "0f".repeat(16),
  amountMinor: 1250, currency: 756, country: 756, time9f21: "103000",
};

/** The body as the request made it before record.de55: from `icc` alone. */
function bodyFromIcc(r: DataRecord): string {
  const copy: DataRecord = Object.assign({}, r);
  delete copy.de55;
  return requestBody(buildAuthRequest(copy, INPUT));
}

/** DE 55 tags in order; "*" marks the terminal's (docs/architecture.md "Authorization request"). */
const TAGS = "9F26 9F27 9F10 *9F37 9F36 *95 *9A *9C *9F02 *9F03 *5F2A 82 84 *9F1A *9F33 *9F34 *9F35 *9F66 9F6C 9F6E 9F19 9F24 9F63 5F34".split(" ");

/** `icc` as buildRecord made it before: one hexOf per tag present, then 9F66 (C-2) and 9F63 (all but C-7) deleted. */
function iccBefore(kernel: number, card: TlvRecord, term: TlvRecord): { [tag: string]: string } {
  const icc: { [tag: string]: string } = {};
  for (const t of TAGS) {
    const tag = t.replace("*", "");
    const v = t[0] === "*" ? term[tag] : card[tag];
    if (v) icc[tag] = hexOf(v);
  }
  if (kernel === 2) delete icc["9F66"];
  if (kernel !== 7) delete icc["9F63"];
  return icc;
}

/** Random bytes, `n` of them. */
function bytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = below(rand, 256);
  return b;
}

for (const native of [false, true]) {
  describe(native ? "DE 55 of the data record (natives model)" : "DE 55 of the data record", () => {
    beforeAll(() => useNativeHex(native ? modelMapInPlace : null, native ? modelToString : null));
    afterAll(() => useNativeHex(null, null));

    it("the three kernels' taps (fixtures): de55 is iccDataHex(icc), the body is byte for byte the one made from icc", async () => {
      const taps: [f.Exchange[], typeof f.VISA][] = [
        [f.quickPassUnionPay(), f.UNIONPAY],
        [f.applePayVisa(), f.VISA],
        [f.googlePayMastercard(), f.MASTERCARD],
      ];
      for (const tap of taps) {
        const answers = tap[0].map((s) => s[1]);
        let i = 0;
        const channel = { transceive: () => Promise.resolve(fromHex(answers[i++])) };
        const o = await runEntryPoint(channel, f.config([tap[1]]), { amountMinor: 1250 }, f.calendar, f.random);
        expect(o.type).toBe(OutcomeType.OnlineRequest);
        const r = o.record as DataRecord;
        expect(r.de55).toBe(iccDataHex(r.icc));
        expect(requestBody(buildAuthRequest(r, INPUT))).toBe(bodyFromIcc(r));
        expect(r.de55).toContain("9F2608" + r.icc["9F26"]);
      }
    });

    it("every kernel, 3,000 random records: icc as before, de55 = iccDataHex(icc) (long values: the long-form lengths), same body", () => {
      const rand = prng(55);
      let long = 0;
      for (let k = 0; k < 3000; k++) {
        const kernel = [2, 3, 7, 4][k % 4];
        const card: TlvRecord = { "57": fromHex("4761739001010010D25122011234567890123F") };
        const term: TlvRecord = {};
        for (const t of TAGS) {
          if (below(rand, 4) === 0) continue;
          // Mostly short values; now and then empty or 128 bytes and more (long-form length).
          const n = below(rand, 20) === 0 ? 120 + below(rand, 200) : below(rand, 12) === 0 ? 0 : 1 + below(rand, 33);
          (t[0] === "*" ? term : card)[t.replace("*", "")] = t === "5F34" ? fromHex("0" + below(rand, 10)) : bytes(rand, n); // the PSN is read as BCD
          // A card value for a terminal tag must never be taken (the UN, the amount).
          if (t[0] === "*") card[t.substring(1)] = bytes(rand, 3);
        }
        const r = buildRecord(kernel, "A0000000031010", card, term, Cvm.NoCvm);
        expect(JSON.stringify(r.icc)).toBe(JSON.stringify(iccBefore(kernel, card, term)));
        if (r.de55 === undefined) {
          long++;
          expect(Object.keys(r.icc).some((t) => r.icc[t].length >= 256)).toBe(true);
        } else expect(r.de55).toBe(iccDataHex(r.icc));
        expect(requestBody(buildAuthRequest(r, INPUT))).toBe(bodyFromIcc(r));
      }
      expect(long).toBeGreaterThan(100);
    });

    it("a record whose icc changed and lost its de55 (as DataRecord.de55 asks) and a masked copy: DE 55 from icc", () => {
      const card: TlvRecord = { "57": fromHex("4761739001010010D25122011234567890123F"), "9F26": fromHex("1122334455667788"), "9F36": fromHex("0001") };
      const r = buildRecord(3, "A0000000031010", card, { "9F37": fromHex("11223344") }, Cvm.NoCvm);
      expect(r.de55).toBe("9F260811223344556677889F3704112233449F36020001");
      r.icc["9F36"] = "0002";
      delete r.de55;
      expect(buildAuthRequest(r, INPUT).iccData).toBe("9F260811223344556677889F3704112233449F36020002");
      const m = maskRecord(r);
      expect(m.de55).toBeUndefined();
      expect(toHex(fromHex(buildAuthRequest(m, INPUT).iccData))).toBe("9F260811223344556677889F3704112233449F36020002");
    });
  });
}
