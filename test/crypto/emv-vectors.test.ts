/**
 * EMV symmetric cryptography against published vectors, byte for byte.
 *
 * Sources (values copied here so the project stands alone):
 * - EMV Book 2 v4.3 Annex A1 (Option A / Option B ICC master keys, common session key,
 *   ISO/IEC 9797-1 MAC algorithm 3, ARPC methods 1 and 2), with the issuer-side vectors
 *   published with knovichikhin/pyemv (tests/test_kd_hsm.py, tests/test_ac_hsm.py,
 *   tests/test_cvn_hsm.py), which its author checked against an HSM, and tests/test_cvn.py
 *   (test_mastercard_cvn16: the Mastercard ARPC).
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex, concat } from "../../src/bytes/hex";
import {
  arpcMethod1,
  arpcMethod2,
  commonSessionKey,
  deriveIccMasterKeyOptionA,
  deriveIccMasterKeyOptionB,
  kcv,
  macIso9797Alg3,
  mastercardCvn16Arqc,
  mastercardCvn16SessionKey,
  visaCvn10Arqc,
  visaCvn18Arqc,
  visaCvn18SessionKey,
} from "../../host/crypto";

const h = fromHex;
/** Test issuer master key (AC) of EMV Book 2 / pyemv, KCV 08D7B4. */
const IMK = h("0123456789ABCDEFFEDCBA9876543210");

describe("keys (EMV Book 2 A1.4, A1.3)", () => {
  it("issuer master key KCV", () => {
    expect(toHex(kcv(IMK))).toBe("08D7B4");
  });

  it.each([
    // PAN, PSN, ICC MK (AC), KCV
    ["12345678901234567", "45", "946DC1A8C78A624519BC4645CB073737", "FF089D"],
    ["12345678901234567", "01", "73AD54688CEF2934B0979857E3C719F1", null],
    ["99012345678901234", "45", "67F8292358083E5EA7AB7FDA58D53B6B", null],
    ["1234567890123456", "00", "154F349D8585CB7F6B0798E9839B10C1", null],
  ])("Option A: PAN %s PSN %s → %s", (pan, psn, mk, check) => {
    const iccMk = deriveIccMasterKeyOptionA(IMK, pan, psn);
    expect(toHex(iccMk)).toBe(mk);
    if (check) expect(toHex(kcv(iccMk))).toBe(check);
  });

  it("Option A: PAN 9901234567890123 PSN 45 (KCV 1DA5)", () => {
    expect(toHex(kcv(deriveIccMasterKeyOptionA(IMK, "9901234567890123", "45"), 2))).toBe("1DA5");
  });

  it.each([
    // PAN, PSN, ICC MK KCV (2 bytes, as pyemv publishes them)
    ["1234567890123456", "00", "BAB0"], // 16 digits: Option B is Option A
    ["12345678901234567", "45", "0BAF"],
    ["12345678901234567", "00", "4626"],
    ["123456789012345679", "00", "C2F3"],
    ["000000000000000005", "23", "DD73"], // SHA-1 gives < 16 decimal digits: A–F → 0–5
  ])("Option B: PAN %s PSN %s → KCV %s", (pan, psn, check) => {
    expect(toHex(kcv(deriveIccMasterKeyOptionB(IMK, pan, psn), 2))).toBe(check);
  });

  it("common session key: ICC MK 946DC1A8…3737, R 1234567890123456", () => {
    const sk = commonSessionKey(h("946DC1A8C78A624519BC4645CB073737"), h("1234567890123456"));
    expect(toHex(sk)).toBe("C7AEDF49AEF2F146D692400E0B851A8F");
    expect(toHex(kcv(sk))).toBe("DF8227");
  });
});

describe("MAC and ARPC (EMV Book 2 A1.2, §8.2)", () => {
  const sk = h("C7AEDF49AEF2F146D692400E0B851A8F");
  const data = h("0123456789ABCDEF0123456789ABCDEF");

  it("ISO/IEC 9797-1 algorithm 3, padding method 2", () => {
    expect(toHex(macIso9797Alg3(sk, data, 2))).toBe("19C1FBC83EBDC0D5");
  });

  it("ARPC method 1 with the ICC master key, ARC 0000", () => {
    expect(toHex(arpcMethod1(h("946DC1A8C78A624519BC4645CB073737"), h("19C1FBC83EBDC0D5"), h("0000")))).toBe(
      "78A372523FA35A03",
    );
  });

  it("ARPC method 1 with the session key, ARC 0000", () => {
    expect(toHex(arpcMethod1(sk, h("19C1FBC83EBDC0D5"), h("0000")))).toBe("C3620580668E5B65");
  });

  // PAN 9901234567890123, PSN 45; session key R 1234567890123456 (KCV 0995).
  const mk2 = deriveIccMasterKeyOptionA(IMK, "9901234567890123", "45");
  const sk2 = commonSessionKey(mk2, h("1234567890123456"));

  it("session key for PAN 9901234567890123 PSN 45: KCV 0995", () => {
    expect(toHex(kcv(sk2, 2))).toBe("0995");
  });

  it.each([
    // data, padding method, MAC, ARPC method 1 (ICC MK, ARC 0000)
    ["0123456789ABCDEF0123456789ABCDEF", 2, "4B46013359B7A58B", "F8C9CECAABD55AD1"],
    ["0123456789ABCDEF0123456789ABCDEF01", 1, "2E141C6BC4A20DA8", "16A49AAB314B9262"], // zeros added
    ["0123456789ABCDEF0123456789ABCDEF", 1, "922F3E83125EB46B", "8AE6E836084B0E80"], // nothing added
  ] as const)("MAC %s padding %i → %s", (d, padding, mac, arpc) => {
    const m = macIso9797Alg3(sk2, h(d), padding);
    expect(toHex(m)).toBe(mac);
    expect(toHex(arpcMethod1(mk2, m, h("0000")))).toBe(arpc);
  });

  it("ARPC method 2, CSU 00000000, with and without proprietary data", () => {
    const arqc = h("4B46013359B7A58B");
    expect(toHex(arpcMethod2(sk2, arqc, h("00000000"), h("1234567890ABCDEF")))).toBe("4962B76C");
    expect(toHex(arpcMethod2(sk2, arqc, h("00000000")))).toBe("7DFB1188");
  });

  it.each([
    // Option B PAN, PSN, session key KCV, ARQC, ARPC method 2 (CSU 00000000)
    ["12345678901234567", "45", "4262", "5760EE07B4FA65D1", "106B81D9"],
    ["12345678901234567", "00", "7F36", "0BAA251EA8989442", "C1C41F3A"],
    ["123456789012345679", "00", "7C35", "DC95BCE3EBBE0296", "ECCA0C4B"],
  ])("Option B %s/%s → SK KCV %s, ARQC %s, ARPC %s", (pan, psn, skKcv, arqc, arpc) => {
    const sk = commonSessionKey(deriveIccMasterKeyOptionB(IMK, pan, psn), h("1234567890123456"));
    expect(toHex(kcv(sk, 2))).toBe(skKcv);
    expect(toHex(macIso9797Alg3(sk, data, 2))).toBe(arqc);
    expect(toHex(arpcMethod2(sk, h(arqc), h("00000000")))).toBe(arpc);
  });
});

describe("scheme cryptograms: PAN 1234567890123456, PSN 00, ATC 001C", () => {
  const iccMk = h("154F349D8585CB7F6B0798E9839B10C1");
  const atc = h("001C");
  // 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 (Visa example)
  const visaCommon = [
    h("000000004000"), // 9F02 amount, authorised
    h("000000000000"), // 9F03 amount, other
    h("0124"), //         9F1A terminal country code
    h("8000048000"), //   95   TVR
    h("0124"), //         5F2A transaction currency code
    h("191105"), //       9A   transaction date
    h("01"), //           9C   transaction type
    h("52BF4585"), //     9F37 unpredictable number
    h("1800"), //         82   AIP
    atc, //               9F36 ATC
  ];

  it("Visa CVN 10: ICC MK, padding method 1, … 9F36 CVR", () => {
    const data = concat([...visaCommon, h("03A06010")]);
    const arqc = visaCvn10Arqc(iccMk, data);
    expect(toHex(arqc)).toBe("29CCA15AE665FA2E");
    expect(toHex(arpcMethod1(iccMk, arqc, h("3030")))).toBe("28993816AFAE4AEB");
  });

  it("Visa CVN 18: common SK (R = ATC‖000000000000), padding method 2, … 9F36 IAD", () => {
    const sk = visaCvn18SessionKey(iccMk, atc);
    expect(toHex(sk)).toBe("436B942AD637E08564B532B0EC97CB26");
    expect(toHex(kcv(sk, 2))).toBe("22C8");
    const data = concat([...visaCommon, h("06011203A0B800")]);
    const arqc = visaCvn18Arqc(iccMk, atc, data);
    expect(toHex(arqc)).toBe("7A788EA6B8A3E733");
    expect(toHex(arpcMethod2(sk, arqc, h("00000000")))).toBe("9AF514C1");
  });

  it("Visa CVN 18 with an Option B key: PAN 000000000000000005 PSN 23", () => {
    const mk = deriveIccMasterKeyOptionB(IMK, "000000000000000005", "23");
    expect(toHex(kcv(visaCvn18SessionKey(mk, atc), 2))).toBe("04F8");
    const arqc = visaCvn18Arqc(mk, atc, concat([...visaCommon, h("06011203A0B800")]));
    expect(toHex(arqc)).toBe("8CAD6F2489C640B1");
    expect(toHex(arpcMethod2(visaCvn18SessionKey(mk, atc), arqc, h("00000000"), h("12345678")))).toBe("E39F1876");
  });

  it("Mastercard CVN 16: SK with R = ATC‖0000‖UN, padding method 2, … 9F36 CVR", () => {
    const un = h("ABCDEF12");
    const sk = mastercardCvn16SessionKey(iccMk, atc, un);
    expect(toHex(sk)).toBe("5D8F37BCD9E5DA68048CDFA2EA255D9E");
    const data = concat([
      h("000000009999"), // 9F02
      h("000000000000"), // 9F03
      h("0124"), //         9F1A
      h("8000000000"), //   95
      h("0124"), //         5F2A
      h("209906"), //       9A
      h("00"), //           9C
      un, //                9F37
      h("1800"), //         82
      atc, //               9F36
      h("A00003220000"), // CVR (6 bytes)
    ]);
    expect(toHex(mastercardCvn16Arqc(iccMk, atc, un, data))).toBe("24CCF3DEE3158C70");
    expect(toHex(kcv(sk, 2))).toBe("2FD5");
  });

  it("Mastercard CVN 16 ARPC: method 1 under the ICC MK AC (KCV BAB0), ARC 0010 → 73F6BBF389A6586C", () => {
    // pyemv tests/test_cvn.py::test_mastercard_cvn16: IMK AC 0123456789ABCDEFFEDCBA9876543210,
    // PAN 1234567890123456, PSN 00; the ARPC uses no session key.
    const mk = deriveIccMasterKeyOptionA(IMK, "1234567890123456", "00");
    expect(toHex(mk)).toBe(toHex(iccMk));
    expect(toHex(kcv(mk, 2))).toBe("BAB0");
    expect(toHex(arpcMethod1(mk, h("24CCF3DEE3158C70"), h("0010")))).toBe("73F6BBF389A6586C");
  });
});
