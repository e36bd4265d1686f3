/**
 * The card engine's state machine, driven with hand-written command APDUs: what a card
 * answers in each state (EMV Book 1 §11.3, Book 3 §6.5; ISO/IEC 7816-4 §5.6 status words).
 */
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { isCoded } from "../../src/bytes/coded-error";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { nodeCardCrypto } from "../../host/crypto";
import { card, expectedAc, genAc, gpo, mcCdolData, profile, readRecord, send, SELECT_PPSE, selectAid, tagOrder, tags, TXN, visaPdolData } from "./card-helpers";

const VISA_GPO = "80A80000238321" + "36004000" + "000000001250" + "000000000000" + "0840" + "0000000000" + "0840" + "250115" + "00" + "A1B2C3D4" + "00";

describe("card engine: a qVSDC card (card-visa)", () => {
  it("answers the contactless transaction PPSE → SELECT → GPO → READ RECORD", () => {
    const t = card("card-visa");
    const ppse = send(t, "00A404000E325041592E5359532E444446303100");
    expect(ppse.sw).toBe("9000");
    expect(ppse.data).toBe(
      "6F3B" + "840E325041592E5359532E4444463031" + "A529" + "BF0C26" + "6124" + "4F07A0000000031010" + "500B5649534120435245444954" + "870101" + "9F0A080001050100000000",
    );
    const sel = send(t, "00A4040007A000000003101000");
    expect(sel.sw).toBe("9000");
    expect(tags(sel.data)["84"]).toBe("A0000000031010");
    expect(tags(sel.data)["9F38"]).toBe("9F66049F02069F03069F1A0295055F2A029A039C019F3704");
    const g = send(t, VISA_GPO);
    expect(g.sw).toBe("9000");
    expect(g.data.slice(0, 2)).toBe("77");
    const v = tags(g.data);
    expect(v["82"]).toBe("0000");
    expect(v["94"]).toBe("18010100");
    expect(v["9F36"]).toBe("0031");
    expect(v["9F27"]).toBe("80");
    expect(v["9F10"]).toBe("06011203A00000");
    expect(v["9F26"]).toBe(expectedAc("visa-cvn18", "0123456789ABCDEFFEDCBA9876543210", "4761739001010010", "01", TXN, "0000", "0031", "06011203A00000"));
    const rec = send(t, "00B2011C00");
    expect(rec.sw).toBe("9000");
    expect(tags(rec.data)["5A"]).toBe("4761739001010010");
  });

  it("charges the profile's processing time and S(WTX) for work done, not for refusals", () => {
    const t = card("card-visa");
    expect(send(t, SELECT_PPSE).ms).toBe(6);
    send(t, selectAid("A0000000031010"));
    const g = send(t, VISA_GPO);
    expect([g.ms, g.wtx]).toEqual([85, 1]);
    const again = send(t, VISA_GPO);
    expect([again.sw, again.ms, again.wtx]).toEqual(["6985", 4, 0]);
  });

  const refusals: [string, string[], string, string][] = [
    ["GPO before any SELECT", [], VISA_GPO, "6985"],
    ["GPO after SELECT PPSE only", [SELECT_PPSE], VISA_GPO, "6985"],
    ["GPO twice", [selectAid("A0000000031010"), VISA_GPO], VISA_GPO, "6985"],
    ["GPO with empty PDOL data for a 33-byte PDOL", [selectAid("A0000000031010")], "80A8000002830000", "6700"],
    ["GPO with 32 bytes for a 33-byte PDOL", [selectAid("A0000000031010")], gpo("00".repeat(32)), "6700"],
    ["GPO whose L disagrees with Lc", [selectAid("A0000000031010")], "80A800000483210000" + "00", "6700"],
    ["GPO data not in tag 83", [selectAid("A0000000031010")], "80A80000238421" + "00".repeat(33) + "00", "6A80"],
    ["GPO with P1 01", [selectAid("A0000000031010")], "80A80100238321" + "00".repeat(33) + "00", "6A86"],
    ["GENERATE AC on a qVSDC card (cryptogram made in GPO)", [selectAid("A0000000031010"), VISA_GPO], genAc("80", "00".repeat(8)), "6985"],
    ["READ RECORD before SELECT", [], "00B2011C00", "6985"],
    ["READ RECORD of a missing record", [selectAid("A0000000031010")], "00B2021C00", "6A83"],
    ["READ RECORD of an unknown SFI", [selectAid("A0000000031010")], readRecord(4, 1), "6A82"],
    ["READ RECORD with P2 not ending in 100", [selectAid("A0000000031010")], "00B2011800", "6A86"],
    ["READ RECORD of record 0", [selectAid("A0000000031010")], "00B2001C00", "6A86"],
    ["SELECT of an unknown AID", [], "00A4040007A000000004101000", "6A82"],
    ["SELECT by partial name on a card that does not allow it", [], "00A4040005A00000000300", "6A82"],
    ["SELECT by file identifier (P1 00)", [], "00A40000023F0000", "6A86"],
    ["SELECT PPSE next occurrence", [SELECT_PPSE], "00A404020E325041592E5359532E444446303100", "6A82"],
    ["SELECT of the contact PSE 1PAY.SYS.DDF01", [], "00A404000E315041592E5359532E444446303100", "6A82"],
    ["GET DATA before SELECT", [], "80CA9F3600", "6985"],
    ["GET DATA of a tag the card does not give", [selectAid("A0000000031010")], "80CA9F1300", "6A88"],
    ["GET CHALLENGE (not an EMV contactless command)", [], "0084000008", "6D00"],
    ["SELECT with CLA 80", [], "80A4040007A000000003101000", "6E00"],
    ["GPO with CLA 00", [selectAid("A0000000031010")], "00A80000238321" + "00".repeat(33) + "00", "6E00"],
    ["a 2-byte command", [], "00A4", "6700"],
    ["Lc beyond the end", [], "00A4040007A0000000", "6700"],
  ];
  for (const r of refusals) {
    const what = r[0], before = r[1], command = r[2], sw = r[3];
    it("answers " + sw + " to " + what, () => {
      const t = card("card-visa");
      for (const c of before) expect(send(t, c).sw).toBe("9000");
      const a = send(t, command);
      expect(a.sw).toBe(sw);
      expect(a.data).toBe("");
    });
  }

  it("GET DATA gives the ATC before and after a transaction", () => {
    const t = card("card-visa");
    send(t, selectAid("A0000000031010"));
    expect(send(t, "80CA9F3600").data).toBe("9F36020030");
    send(t, VISA_GPO);
    expect(send(t, "80CA9F3600").data).toBe("9F36020031");
    expect(send(t, "80CA9F1700").data).toBe("9F170103");
  });

  it("keeps the ATC across taps (reset) and counts one per GPO", () => {
    const t = card("card-visa");
    const atcs: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.reset?.();
      send(t, selectAid("A0000000031010"));
      atcs.push(tags(send(t, VISA_GPO).data)["9F36"]);
    }
    expect(atcs).toEqual(["0031", "0032", "0033"]);
  });

  it("a new SELECT starts a new transaction", () => {
    const t = card("card-visa");
    send(t, selectAid("A0000000031010"));
    send(t, VISA_GPO);
    send(t, selectAid("A0000000031010"));
    expect(tags(send(t, VISA_GPO).data)["9F36"]).toBe("0032");
  });

  it("answers an AAC to an offline-only reader (TTQ byte 1 b4): the card is online-only", () => {
    const t = card("card-visa");
    send(t, selectAid("A0000000031010"));
    const txn = { ...TXN, ttq: "28000000" };
    const v = tags(send(t, gpo(visaPdolData(txn))).data);
    expect(v["9F27"]).toBe("00");
    // CVR byte 2 b6-b5 = 00: AAC returned (IAD byte 5).
    expect(v["9F10"]).toBe("06011203800000");
    expect(v["9F26"]).toBe(expectedAc("visa-cvn18", "0123456789ABCDEFFEDCBA9876543210", "4761739001010010", "01", txn, "0000", "0031", "06011203800000"));
  });

  it("refuses a GPO once the ATC is exhausted (FFFF)", () => {
    const p = profile("card-visa");
    p.apps[0].keys.atc = "FFFF";
    const t = card(p);
    send(t, selectAid("A0000000031010"));
    expect(send(t, VISA_GPO).sw).toBe("6985");
  });
});

describe("card engine: an M/Chip card (card-mastercard)", () => {
  const cdol = mcCdolData(TXN);

  function ready(): ReturnType<typeof card> {
    const t = card("card-mastercard");
    send(t, selectAid("A0000000041010"));
    expect(send(t, "80A8000002830000").data).toBe("800A18801001010018010200");
    return t;
  }

  it("answers GPO without PDOL in format 1 and gives CDOL1 in a record", () => {
    const t = ready();
    expect(tags(send(t, readRecord(3, 2)).data)["8C"]).toBe("9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F34039F21039F7C14");
  });

  it("GENERATE AC ARQC: 77 with 9F27 9F36 9F26 9F10, the ARQC over the CDOL1 values", () => {
    const t = ready();
    const r = send(t, "80AE8000" + "42" + cdol + "00");
    expect(r.sw).toBe("9000");
    const v = tags(r.data);
    expect(tagOrder(r.data)).toEqual(["9F27", "9F36", "9F26", "9F10"]);
    expect(v["9F27"]).toBe("80");
    expect(v["9F36"]).toBe("0008");
    expect(v["9F26"]).toBe(expectedAc("mastercard-cvn16", "0123456789ABCDEFFEDCBA9876543210", "5413330089010434", "01", TXN, "1880", "0008", v["9F10"]));
  });

  it("GENERATE AC AAC (P1 00): CID 00 and the CVR says AAC", () => {
    const t = ready();
    const v = tags(send(t, genAc("00", cdol)).data);
    expect(v["9F27"]).toBe("00");
    expect(v["9F10"].slice(4, 6)).toBe("80");
    expect(v["9F26"]).toBe(expectedAc("mastercard-cvn16", "0123456789ABCDEFFEDCBA9876543210", "5413330089010434", "01", TXN, "1880", "0008", v["9F10"]));
  });

  it("GENERATE AC TC (P1 40) or with CDA requested (P1 90) gets an ARQC from this online-only card", () => {
    for (const p1 of ["40", "90"]) {
      const t = ready();
      expect(tags(send(t, genAc(p1, cdol)).data)["9F27"]).toBe("80");
    }
  });

  const refusals: [string, boolean, string, string][] = [
    ["GENERATE AC before GPO", false, genAc("80", cdol), "6985"],
    ["GENERATE AC with CDOL1 data one byte short", true, genAc("80", cdol.slice(2)), "6700"],
    ["GENERATE AC with P1 C0 (RFU)", true, genAc("C0", cdol), "6A86"],
    ["GENERATE AC with P2 01", true, "80AE800142" + cdol + "00", "6A86"],
    ["GPO with data for a card without PDOL", false, gpo("00000000"), "6700"],
  ];
  for (const r of refusals) {
    const what = r[0], afterGpo = r[1], command = r[2], sw = r[3];
    it("answers " + sw + " to " + what, () => {
      const t = afterGpo ? ready() : card("card-mastercard");
      if (!afterGpo) send(t, selectAid("A0000000041010"));
      expect(send(t, command).sw).toBe(sw);
    });
  }

  it("answers only one GENERATE AC per transaction", () => {
    const t = ready();
    expect(send(t, genAc("80", cdol)).sw).toBe("9000");
    expect(send(t, genAc("80", cdol)).sw).toBe("6985");
  });
});

describe("card engine: SELECT by partial name (ISO/IEC 7816-4 §7.1.1)", () => {
  function twoApps(): CardProfile {
    const p = profile("card-unionpay");
    const second = JSON.parse(JSON.stringify(p.apps[0])) as CardProfile["apps"][number];
    p.apps[0].aid = "A000000333010101";
    p.apps.push(second);
    return p;
  }

  it("P2 00 selects the first matching application, P2 02 the next, then 6A82", () => {
    const t = card(twoApps());
    const first = send(t, "00A4040005A00000033300");
    expect(tags(first.data)["84"]).toBe("A000000333010101");
    const next = send(t, "00A4040205A00000033300");
    expect(tags(next.data)["84"]).toBe("A000000333010102");
    expect(send(t, "00A4040205A00000033300").sw).toBe("6A82");
    expect(tags(send(t, "00A4040005A00000033300").data)["84"]).toBe("A000000333010101");
  });

  it("the full AID still selects exactly", () => {
    const t = card(twoApps());
    expect(tags(send(t, selectAid("A000000333010102")).data)["84"]).toBe("A000000333010102");
  });
});

describe("card engine: RF identity", () => {
  it("cards have their fixed 7-byte UID, ATQA 0044, SAK 20", () => {
    const t = card("card-visa");
    expect([toHex(t.atqa), t.sak, toHex(t.uid)]).toEqual(["0044", 0x20, "04A23C52B16F80"]);
    t.reset?.();
    expect(toHex(t.uid)).toBe("04A23C52B16F80");
  });

  it("phones show a random UID 08 xx xx xx, new at each activation", () => {
    let n = 0;
    const random = { bytes: (k: number) => new Uint8Array(k).fill(++n) };
    const t = card("applepay-visa", { random });
    expect(toHex(t.uid)).toBe("08010101");
    t.reset?.();
    expect(toHex(t.uid)).toBe("08020202");
    expect(toHex(t.atqa)).toBe("0004");
  });

  it("options set the UID and the arrival and leaving times", () => {
    const t = card("googlepay-mastercard", { uid: fromHex("08ABCDEF"), arriveAtMs: 100, leaveAtMs: 900 });
    expect([toHex(t.uid), t.arriveAtMs, t.leaveAtMs]).toEqual(["08ABCDEF", 100, 900]);
  });
});

describe("card engine: profile checks (SIM_PROFILE)", () => {
  const faults: [string, (p: CardProfile) => void][] = [
    ["a tag that is not BER-TLV", (p) => (p.apps[0].fci[0][0] = "9F")],
    ["a lower-case tag", (p) => (p.apps[0].fci[0][0] = "6f")],
    ["an unknown computed value", (p) => (p.apps[0].gpo.data[0][1] = "$FOO")],
    ["a cryptogram in the FCI", (p) => (p.apps[0].fci[0][1] = [["9F26", "$AC"]])],
    ["bad hex", (p) => (p.apps[0].gpo.data[0][1] = "XYZ")],
    ["children under a primitive tag", (p) => (p.apps[0].gpo.data[0][1] = [["5A", "00"]])],
    ["no AIP", (p) => (p.apps[0].gpo.data = p.apps[0].gpo.data.filter((x) => x[0] !== "82"))],
    ["an AFL of 3 bytes", (p) => (p.apps[0].gpo.data[1][1] = "180101")],
    ["a 15-byte IMK", (p) => (p.apps[0].keys.imk = "00".repeat(15))],
    ["letters in the PAN", (p) => (p.apps[0].keys.pan = "47617390010100AB")],
    ["a 1-digit PSN", (p) => (p.apps[0].keys.psn = "1")],
    ["an unknown cryptogram version", (p) => ((p.apps[0].keys as { version: string }).version = "visa-cvn99")],
    ["an ATS whose TL is wrong", (p) => (p.rf.ats = "05788082")],
    ["record SFI 31", (p) => (p.apps[0].records[0].sfi = 31)],
    ["GENERATE AC without CDOL1", (p) => (p.apps[0].generateAc = [["9F26", "$AC"]])],
    ["a bad PDOL", (p) => (p.apps[0].fci = [["6F", [["84", "$AID"], ["A5", [["9F38", "9F66"]]]]]])],
    ["no apps", (p) => (p.apps = [])],
    ["a seePhone answer of another kind", (p) => (p.quirks = { seePhone: { times: 1, answer: "9000" as "6986" } })],
    ["timing without defaultMs", (p) => ((p as { timing: unknown }).timing = {})],
  ];
  for (const f of faults) {
    it("refuses " + f[0], () => {
      const p = profile("card-visa");
      f[1](p);
      let caught: unknown = null;
      try {
        createCard(p, nodeCardCrypto);
      } catch (e) {
        caught = e;
      }
      expect(isCoded(caught, "SIM_PROFILE"), String(caught)).toBe(true);
    });
  }
});
