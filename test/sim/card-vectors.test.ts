/**
 * The card engine reproduces published cryptograms end to end: a profile given the vector's
 * keys, PAN, AIP, IAD and ATC, driven with command APDUs carrying the vector's terminal
 * values, must answer the vector's ARQC. This checks the engine's data assembly (DOL
 * splitting, element order, AIP, ATC increment, IAD/CVR) on top of the host crypto.
 *
 * Sources of the values copied here:
 * - Visa CVN 10, Visa CVN 18, Mastercard CVN 16: issuer master key and PAN of EMV Book 2
 *   Annex A1's examples, cryptograms as published with knovichikhin/pyemv
 *   (tests/test_cvn_hsm.py), checked there against an HSM.
 * - UnionPay (PBOC 3.0, CVN 01): the worked example "ARQC and ARPC calculation methods and
 *   examples" (553668.com/manong/959163.html), as in test/crypto/card-crypto.test.ts.
 */
import { describe, expect, it } from "vitest";
import { card, genAc, gpo, profile, send, SELECT_PPSE, selectAid, setSpec, tags } from "./card-helpers";

const IMK = "0123456789ABCDEFFEDCBA9876543210";

describe("card engine against published cryptograms", () => {
  it("Visa CVN 18 (EMV Book 2 A1 keys, pyemv): ARQC 7A788EA6B8A3E733 in the GPO answer", () => {
    const p = profile("card-visa");
    const app = p.apps[0];
    app.keys = { version: "visa-cvn18", imk: IMK, pan: "1234567890123456", psn: "00", iad: "06011203A0B800", atc: "001B" };
    setSpec(app.gpo.data, "82", "1800");
    const t = card(p);
    expect(send(t, SELECT_PPSE).sw).toBe("9000");
    expect(send(t, "00A4040007A000000003101000").sw).toBe("9000");
    // PDOL 9F66 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37
    const r = send(t, "80A80000238321" + "36004000" + "000000004000" + "000000000000" + "0124" + "8000048000" + "0124" + "191105" + "01" + "52BF4585" + "00");
    expect(r.sw).toBe("9000");
    const v = tags(r.data);
    expect(v["9F36"]).toBe("001C");
    expect(v["9F10"]).toBe("06011203A0B800");
    expect(v["9F27"]).toBe("80");
    expect(v["9F26"]).toBe("7A788EA6B8A3E733");
  });

  it("Visa CVN 10 (pyemv): ARQC 29CCA15AE665FA2E, CVR 03A06010 from the IAD", () => {
    const p = profile("card-visa");
    const app = p.apps[0];
    app.keys = { version: "visa-cvn10", imk: IMK, pan: "1234567890123456", psn: "00", iad: "06010A03A06010", atc: "001B" };
    setSpec(app.gpo.data, "82", "1800");
    const t = card(p);
    send(t, selectAid("A0000000031010"));
    const r = send(t, gpo("36004000" + "000000004000" + "000000000000" + "0124" + "8000048000" + "0124" + "191105" + "01" + "52BF4585"));
    expect(tags(r.data)["9F26"]).toBe("29CCA15AE665FA2E");
  });

  it("Mastercard CVN 16 (EMV Book 2 A1 keys, pyemv): ARQC 24CCF3DEE3158C70 in GENERATE AC", () => {
    const p = profile("card-mastercard");
    const app = p.apps[0];
    app.keys = { version: "mastercard-cvn16", imk: IMK, pan: "1234567890123456", psn: "00", iad: "0110A00003220000000000000000000000FF", atc: "001B" };
    setSpec(app.gpo.data, "82", "1800");
    const t = card(p);
    send(t, "00A4040007A000000004101000");
    // No PDOL: format 1 answer 80 AIP AFL.
    expect(send(t, "80A8000002830000").data).toBe("800A18001001010018010200");
    // CDOL1 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 | 9F35 9F45 9F4C 9F34 9F21 9F7C
    const cdol =
      "000000009999" + "000000000000" + "0124" + "8000000000" + "0124" + "209906" + "00" + "ABCDEF12" +
      "22" + "0000" + "0000000000000000" + "3F0000" + "120000" + "00".repeat(20);
    const r = send(t, genAc("80", cdol));
    expect(r.sw).toBe("9000");
    expect(r.data.slice(0, 4)).toBe("7729");
    const v = tags(r.data);
    expect(v["9F27"]).toBe("80");
    expect(v["9F36"]).toBe("001C");
    expect(v["9F26"]).toBe("24CCF3DEE3158C70");
  });

  it("UnionPay CVN 01 (PBOC 3.0 worked example): ARQC 5D016C91005E7CC2", () => {
    const p = profile("card-unionpay");
    const app = p.apps[0];
    app.keys = {
      version: "unionpay-cvn01",
      imk: "F0C34A8124CEE0A91A0B034AA97D6EAC",
      pan: "6228000100001",
      psn: "01",
      iad: "07000103A04002010A010000000000000000",
      atc: "023F",
    };
    setSpec(app.gpo.data, "82", "7D00");
    const t = card(p);
    send(t, selectAid("A000000333010102"));
    // PDOL 9F66 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 DF69
    const r = send(t, gpo("26000000" + "000000000001" + "000000000000" + "0156" + "0080046000" + "0156" + "140701" + "00" + "1E78EEBC" + "00"));
    const v = tags(r.data);
    expect(v["9F36"]).toBe("0240");
    expect(v["9F26"]).toBe("5D016C91005E7CC2");
  });
});
