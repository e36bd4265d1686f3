import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex, useNativeHex } from "../../src/bytes/hex";
import { modelMapInPlace, modelToString } from "../bytes/hex-natives";
import { bcdToDigits } from "../../src/bytes/bcd";
import { bcdDigits, buildRecord, cardholderData, iccData, maskRecord, parseTrack2, parseTrack2Nibbles } from "../../src/emv/data-record";
import { prng } from "../../host/fuzz/prng";
import { Cvm } from "../../src/emv/outcome";
import type { TlvRecord } from "../../src/emv/tlv";

function rec(values: { [tag: string]: string }): TlvRecord {
  const r: TlvRecord = {};
  for (const k of Object.keys(values)) r[k] = fromHex(values[k]);
  return r;
}

// Everything twice: with the JavaScript stand-ins (Node) and with the natives a board hands over.
for (const native of [false, true]) {
  describe(native ? "with a board's native hex (E.mapInPlace model)" : "with JavaScript hex", () => {
    beforeAll(() => useNativeHex(native ? modelMapInPlace : null, native ? modelToString : null));
    afterAll(() => useNativeHex(null, null));

    describe("Track 2 Equivalent Data (57)", () => {
      const good: [string, string, string, string][] = [
        ["4761739001010010D25122011234567890123F", "4761739001010010", "2512", "201"],
        ["5413330089010434D2512201000000000000", "5413330089010434", "2512", "201"],
        ["6214830112345678901D2812201000000F", "6214830112345678901", "2812", "201"],
        ["476173900101D2501101", "476173900101", "2501", "101"],
      ];
      for (const g of good) {
        it("parses " + g[0], () => {
          expect(parseTrack2(fromHex(g[0]), "57")).toEqual({ pan: g[1], expiry: g[2], serviceCode: g[3] });
        });
      }
      const bad: [string, string][] = [
        ["4761739001010010E25122011234567890123F", "no separator"],
        ["47617390010D25122011", "PAN of 11 digits"],
        ["47617390010100101234D2512201", "PAN of 20 digits"],
        ["4761739001010010D251F2", "F before the end"],
        ["4761739001010010D2512FFF", "no service code"],
        ["4761739001010010D2513201", "month 13"],
        ["4761739001010010DA512201", "nibble A"],
        ["", "empty"],
      ];
      for (const b of bad) {
        it("rejects " + b[1], () => {
          expect(() => parseTrack2(fromHex(b[0]), "57")).toThrow(expect.objectContaining({ code: b[1] === "month 13" ? "EMV_DATA_INVALID" : "EMV_TRACK2_INVALID", tag: "57" }));
        });
      }
    });

    describe("cardholder data", () => {
      it("prefers Track 2, falls back to 9F6B, then 5A + 5F24", () => {
        expect(cardholderData(rec({ "9F6B": "5413330089010434D2512201000000000000" })).pan).toBe("5413330089010434");
        expect(cardholderData(rec({ "5A": "6214830112345678", "5F24": "281231" }))).toMatchObject({ pan: "6214830112345678", expiry: "2812", track2: null });
        expect(cardholderData(rec({ "5A": "621483011234567F", "5F24": "281231" })).pan).toBe("621483011234567");
      });
      it("takes Track 2's PAN when 5A names the same one (odd length padded with F, masked replay digits)", () => {
        expect(cardholderData(rec({ "57": "4761739001010010D2512201", "5A": "4761739001010010" })).pan).toBe("4761739001010010");
        expect(cardholderData(rec({ "57": "6214830112345678901D2812201F", "5A": "6214830112345678901F" })).pan).toBe("6214830112345678901");
        expect(cardholderData(rec({ "57": "476173FFFFFF0010D2512201", "5A": "476173FFFFFF0010" })).pan).toBe("476173******0010");
        expect(() => cardholderData(rec({ "57": "6214830112345678901D2812201F", "5A": "621483011234567890" }))).toThrow(expect.objectContaining({ code: "EMV_PAN_MISMATCH" }));
        expect(() => cardholderData(rec({ "57": "4761739001010010D2512201", "5A": "476173900101001A" }))).toThrow(expect.objectContaining({ code: "EMV_DATA_INVALID", tag: "5A" }));
        expect(() => cardholderData(rec({ "57": "4761739001010010D2512201", "5A": "4761739001010010FF" }))).toThrow(expect.objectContaining({ code: "EMV_DATA_INVALID", tag: "5A" }));
      });
      it("errors carry the tag", () => {
        expect(() => cardholderData(rec({}))).toThrow(expect.objectContaining({ code: "EMV_MISSING_TAG", tag: "57" }));
        expect(() => cardholderData(rec({ "5A": "6214830112345678" }))).toThrow(expect.objectContaining({ code: "EMV_MISSING_TAG", tag: "5F24" }));
        expect(() => cardholderData(rec({ "5A": "62148301123456AB", "5F24": "281231" }))).toThrow(expect.objectContaining({ code: "EMV_DATA_INVALID", tag: "5A" }));
        expect(() => cardholderData(rec({ "5A": "6214830112345678", "5F24": "2812" }))).toThrow(expect.objectContaining({ code: "EMV_MISSING_TAG", tag: "5F24" }));
        expect(() => cardholderData(rec({ "57": "4761739001010010D2512201", "5A": "4761739001010011" }))).toThrow(expect.objectContaining({ code: "EMV_PAN_MISMATCH" }));
      });
    });

    describe("data record", () => {
      const card = rec({
        "57": "4761739001010010D25122011234567890123F", "5F34": "01", "9F26": "1122334455667788", "9F27": "80", "9F10": "06011203A00000",
        "9F36": "0001", "82": "2000", "84": "A0000000031010", "9F6E": "23880000", "9F19": "040010030273", "9F24": "5630303130", "9F37": "DEADBEEF",
      });
      const term = rec({ "9F37": "11223344", "9F02": "000000001250", "9F66": "20804000", "95": "0000000000", "9F34": "1F0302" });

      it("takes terminal values from the terminal record only (a card cannot supply the UN)", () => {
        const r = buildRecord(3, "A0000000031010", card, term, Cvm.NoCvm);
        expect(r.icc["9F37"]).toBe("11223344");
        expect(r.icc["9F66"]).toBe("20804000");
        expect(r.wallet).toEqual({ formFactor: "PHONE", tokenRequestor: "40010030273", par: "V0010", tokenHint: "9F19" });
        expect(buildRecord(2, "A0000000041010", card, term, Cvm.NoCvm).icc["9F66"]).toBeUndefined();
      });

      it("PSN (5F34) of every one-byte value as bcdToDigits reads it, else EMV_DATA_INVALID with the tag", () => {
        const base = { "57": "4761739001010010D2512201" };
        for (let b = 0; b < 256; b++) {
          const h = toHex([b]);
          let want: string | null = null;
          try {
            want = bcdToDigits(Uint8Array.of(b));
          } catch (e) {
            want = null;
          }
          const make = () => buildRecord(3, "A0000000031010", rec(Object.assign({ "5F34": h }, base)), term, Cvm.NoCvm);
          if (want !== null) expect(make().psn).toBe(want);
          else expect(make).toThrow(expect.objectContaining({ code: "EMV_DATA_INVALID", tag: "5F34" }));
        }
        expect(buildRecord(3, "A0000000031010", rec(Object.assign({ "5F34": "0123" }, base)), term, Cvm.NoCvm).psn).toBe("0123");
        expect(buildRecord(3, "A0000000031010", rec(Object.assign({ "5F34": "" }, base)), term, Cvm.NoCvm).psn).toBe("");
      });

      it("DE 55 bytes in the fixed order; masked view hides the PAN everywhere", () => {
        const r = buildRecord(3, "A0000000031010", card, term, Cvm.NoCvm);
        const de55 = toHex(iccData(r));
        expect(de55.startsWith("9F2608112233445566778" + "89F2701809F100706011203A000009F370411223344")).toBe(true);
        expect(de55.endsWith("5F340101")).toBe(true);
        const m = maskRecord(r);
        expect(m.pan).toBe("476173******0010");
        expect(m.track2).toBe("476173FFFFFF0010D25122011234567890123F");
        expect(JSON.stringify(m)).not.toMatch(/7390010/);
        expect(r.pan).toBe("4761739001010010");
      });
    });

    describe("token hint: from 9F19, 9F24 or 9F6E only, never from the PAN", () => {
      const up = { "5A": "6234560000000123", "5F24": "301231", "9F26": "1122334455667788", "9F27": "80", "9F10": "07010103A00000", "9F36": "0001" };
      const term = rec({ "9F37": "11223344" });
      const hint = (kernel: number, extra: { [tag: string]: string }) => buildRecord(kernel, "A000000333010101", rec(Object.assign({}, up, extra)), term, Cvm.NoCvm).wallet.tokenHint;

      it("a 62… PAN (UnionPay's IIN) alone is no token hint", () => {
        expect(hint(7, {})).toBeUndefined();
      });
      it("9F19 token requestor, then 9F24 PAR, then 9F6E naming a device", () => {
        expect(hint(7, { "9F19": "040010030273", "9F24": "5630303130" })).toBe("9F19");
        expect(hint(7, { "9F24": "5630303130" })).toBe("9F24");
        expect(hint(3, { "9F6E": "23880000" })).toBe("9F6E"); // Visa form factor 3: phone
        expect(hint(3, { "9F6E": "20700000" })).toBeUndefined(); // form factor 0: card
        expect(hint(2, { "9F6E": "07560000323100" })).toBe("9F6E"); // Mastercard device type "21"
        expect(hint(2, { "9F6E": "07560000303000" })).toBeUndefined(); // device type "00": card
      });
      it("9F63 (C-7 Product Identification Information) goes into the ICC data for kernel 7 only", () => {
        const c = rec(Object.assign({}, up, { "9F63": "30313032303330340000000000000000" }));
        expect(buildRecord(7, "A000000333010101", c, term, Cvm.NoCvm).icc["9F63"]).toBe("30313032303330340000000000000000");
        expect(buildRecord(3, "A0000000031010", c, term, Cvm.NoCvm).icc["9F63"]).toBeUndefined();
      });
    });

    describe("masked PANs from tappos transcripts (docs/architecture.md, Transcript)", () => {
      it("reads F nibbles in the middle of a Track 2 PAN as masked digits", () => {
        const t2 = parseTrack2(fromHex("476173FFFFFF0110D30122010000000000000F"), "57");
        expect(t2.pan).toBe("476173******0110");
        expect(t2.expiry).toBe("3012");
      });
      it("refuses F nibbles in the first six or the last four digits", () => {
        for (const hex of ["4761F3FFFFFF0110D3012201", "476173FFFFFF01F0D3012201"]) {
          expect(() => parseTrack2(fromHex(hex), "57")).toThrow(expect.objectContaining({ code: "EMV_TRACK2_INVALID" }));
        }
      });
    });

    describe("fast paths (native nibble maps) agree with the nibble loops", () => {
      /** What a call gives: its result, or the error's code, tag and offset. */
      function outcome(f: () => unknown): unknown {
        try {
          return f();
        } catch (e) {
          const c = e as { code?: string; tag?: string; offset?: number };
          return { code: c.code, tag: c.tag, offset: c.offset };
        }
      }
      /** Random hex mostly made of digits, with D, F and A–E now and then. */
      function randomHex(rand: () => number, nibbles: number): string {
        const alphabet = "0123456789012345678901234567890123456789DDFFFABCE";
        let s = "";
        for (let i = 0; i < nibbles; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
        return s;
      }
      /** A Track 2 shape: digit PAN (masked middle now and then), D, YYMM, digits, pad F; one nibble changed in half of them. */
      function track2Like(rand: () => number): string {
        let pan = randomHex(rand, 0);
        const n = 10 + Math.floor(rand() * 12);
        for (let i = 0; i < n; i++) pan += Math.floor(rand() * 10);
        if (rand() < 0.3) pan = pan.substring(0, 6) + "FFFFFF".substring(0, Math.max(0, n - 10)) + pan.substring(Math.min(n, 12));
        let rest = rand() < 0.8 ? "28" + (rand() < 0.9 ? "12" : "13") : "" + Math.floor(rand() * 10000);
        const m = Math.floor(rand() * 14);
        for (let i = 0; i < m; i++) rest += Math.floor(rand() * 10);
        let hex = pan + "D" + rest;
        if (hex.length % 2) hex += "F";
        if (rand() < 0.5) {
          const at = Math.floor(rand() * hex.length);
          hex = hex.substring(0, at) + "0123456789ABCDEF"[Math.floor(rand() * 16)] + hex.substring(at + 1);
        }
        return hex;
      }
      it("Track 2: same result or the same error for 4,000 random and Track 2-like values", () => {
        const rand = prng(57);
        let parsed = 0;
        for (let i = 0; i < 4000; i++) {
          const hex = i % 2 === 0 ? randomHex(rand, 2 * Math.floor(rand() * 20)) : track2Like(rand);
          const t2 = fromHex(hex);
          const fast = outcome(() => parseTrack2(t2, "57"));
          expect(fast).toEqual(outcome(() => parseTrack2Nibbles(t2, "57")));
          if ((fast as { pan?: string }).pan !== undefined) parsed++;
        }
        expect(parsed).toBeGreaterThan(400);
      });
      it("BCD digits: the digits bcdToDigits gives, or null where it throws", () => {
        const rand = prng(34);
        for (let i = 0; i < 4000; i++) {
          const v = fromHex(randomHex(rand, 2 * Math.floor(rand() * 8)));
          const ref = outcome(() => bcdToDigits(v));
          expect(bcdDigits(v)).toBe(typeof ref === "string" ? ref : null);
        }
        expect(bcdDigits(fromHex("040010030273"))).toBe("040010030273");
        expect(bcdDigits(fromHex("12345FFF"))).toBe("12345");
        expect(bcdDigits(fromHex("12F4"))).toBeNull();
      });
    });
  });
}
