/**
 * Quirks of phones and broken cards, tap by tap.
 *
 * Apple Pay Visa, observed on an iPhone: after the user authenticated, Apple Pay Visa
 * answered TTQ 32804000 with an ARQC; in express mode the same phone answered 69 86 (see
 * phone) to 32804000 and an ARQC with fDDA data to 33804000 (TTQ byte 1 b1: the reader
 * supports ODA for online authorisations). Mastercard phones say "see phone" in the GENERATE
 * AC answer: an AAC with the POS Cardholder Interaction Information DF4B asking for OD-CVM
 * (byte 2 b1), which Kernel 2 turns into message 20 through its Phone Message Table.
 */
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/bytes/hex";
import { isCoded } from "../../src/bytes/coded-error";
import { parseTlv } from "../../src/emv/tlv";
import { fromHex } from "../../src/bytes/hex";
import { card, expectedAc, genAc, gpo, mcCdolData, send, SELECT_PPSE, selectAid, tagOrder, tags, TXN, visaPdolData } from "./card-helpers";

const IMK = "0123456789ABCDEFFEDCBA9876543210";

describe("applepay-visa: see phone, then pay", () => {
  const TAP = { ...TXN, ttq: "32804000" };
  const EXPRESS = { ...TXN, ttq: "33804000" };

  function tap(t: ReturnType<typeof card>, txn: typeof TXN): { sw: string; v: { [tag: string]: string }; order: string[] } {
    t.reset?.();
    expect(send(t, SELECT_PPSE).sw).toBe("9000");
    expect(send(t, selectAid("A0000000031010")).sw).toBe("9000");
    const r = send(t, gpo(visaPdolData(txn)));
    return { sw: r.sw, v: r.sw === "9000" ? tags(r.data) : {}, order: r.sw === "9000" ? tagOrder(r.data) : [] };
  }

  it("answers 6986 to TTQ 32804000 first, then (holder authenticated) an ARQC with CDCVM", () => {
    const t = card("applepay-visa");
    const first = tap(t, TAP);
    expect(first.sw).toBe("6986");
    const second = tap(t, TAP);
    expect(second.sw).toBe("9000");
    // The refused GPO spent no ATC.
    expect(second.v["9F36"]).toBe("0106");
    expect(second.v["9F27"]).toBe("80");
    expect(second.v["9F6C"]).toBe("0080");
    expect(second.v["9F26"]).toBe(expectedAc("visa-cvn18", IMK, "4761730000000110", "00", TAP, "0040", "0106", second.v["9F10"]));
  });

  it("express mode: a reader with ODA for online (33804000) gets the ARQC at once; 32804000 still sees the phone", () => {
    const t = card("applepay-visa");
    const express = tap(t, EXPRESS);
    expect(express.sw).toBe("9000");
    expect(express.v["9F27"]).toBe("80");
    expect(tap(t, TAP).sw).toBe("6986");
    expect(tap(t, TAP).sw).toBe("9000");
  });

  it("keeps the same order of objects as the phone: 82 94 9F36 9F26 9F10 9F6C 57 9F6E 9F27", () => {
    const t = card("applepay-visa");
    const r = tap(t, EXPRESS);
    expect(r.order).toEqual(["82", "94", "9F36", "9F26", "9F10", "9F6C", "57", "9F6E", "9F27"]);
    expect(r.v["9F10"].length).toBe(64);
  });
});

describe("googlepay-mastercard: see phone through PCII DF4B", () => {
  const cdol = mcCdolData(TXN);

  function tap(t: ReturnType<typeof card>): { [tag: string]: string } {
    return tags(tapData(t));
  }

  function tapData(t: ReturnType<typeof card>): string {
    t.reset?.();
    send(t, SELECT_PPSE);
    send(t, selectAid("A0000000041010"));
    // PDOL 9F1D 08, 9F1A 02, 9F35 01
    expect(send(t, gpo("0000000000000000" + "0840" + "22")).data).toBe("770A82021A809404100102" + "00");
    const r = send(t, genAc("80", cdol));
    expect(r.sw).toBe("9000");
    return r.data;
  }

  it("first tap: AAC, CVR says AAC, DF4B 000100 (OD-CVM required)", () => {
    const t = card("googlepay-mastercard");
    const v = tap(t);
    expect(v["9F27"]).toBe("00");
    expect(v["DF4B"]).toBe("000100");
    expect(v["9F10"].slice(4, 6)).toBe("80");
    expect(v["9F36"]).toBe("0212");
    expect(v["9F26"]).toBe(expectedAc("mastercard-cvn16", IMK, "5413330000000035", "00", TXN, "1A80", "0212", v["9F10"]));
  });

  it("second tap, after the holder unlocked the phone: ARQC with DF4B 001000 (OD-CVM verified)", () => {
    const t = card("googlepay-mastercard");
    tap(t);
    const data = tapData(t);
    const v = tags(data);
    expect(tagOrder(data)).toEqual(["9F27", "9F36", "9F26", "9F10", "DF4B"]);
    expect(v["9F27"]).toBe("80");
    expect(v["DF4B"]).toBe("001000");
    expect(v["9F10"].slice(4, 6)).toBe("A0");
    expect(v["9F36"]).toBe("0213");
    expect(v["9F26"]).toBe(expectedAc("mastercard-cvn16", IMK, "5413330000000035", "00", TXN, "1A80", "0213", v["9F10"]));
  });
});

describe("slow phone: jd-flashpay", () => {
  it("takes 160 ms and four S(WTX) for its GPO", () => {
    const t = card("jd-flashpay");
    send(t, selectAid("A000000333010102"));
    const r = send(t, gpo(visaPdolData(TXN, "00")));
    expect([r.sw, r.ms, r.wtx]).toEqual(["9000", 160, 4]);
  });
});

describe("cobadged: two applications, two ATCs", () => {
  it("lists UnionPay (priority 1, kernel 07) before Visa (priority 2, kernel 03) and counts each ATC apart", () => {
    const t = card("cobadged");
    const ppse = send(t, SELECT_PPSE).data;
    expect(ppse).toContain("4F08A000000333010102" + "500F" + toHex(new TextEncoder().encode("UnionPay Credit")) + "870101" + "9F2A0107");
    expect(ppse).toContain("4F07A0000000031010" + "500B" + toHex(new TextEncoder().encode("VISA CREDIT")) + "870102" + "9F2A0103");
    send(t, selectAid("A000000333010102"));
    expect(tags(send(t, gpo(visaPdolData(TXN, "00"))).data)["9F36"]).toBe("0051");
    send(t, selectAid("A0000000031010"));
    expect(tags(send(t, gpo(visaPdolData(TXN))).data)["9F36"]).toBe("0021");
  });
});

describe("broken cards", () => {
  it("broken-bad-tlv: GPO answer 9000 whose 9F10 runs past the 77 template", () => {
    const t = card("broken-bad-tlv");
    send(t, selectAid("A0000000031010"));
    const r = send(t, gpo(visaPdolData(TXN)));
    expect(r.sw).toBe("9000");
    expect(r.data.endsWith("9F102006011203A00000")).toBe(true);
    let caught: unknown = null;
    try {
      parseTlv(fromHex(r.data));
    } catch (e) {
      caught = e;
    }
    expect(isCoded(caught, "TLV_INVALID")).toBe(true);
  });

  it("broken-missing-tag: no 9F26, yet the ATC moved", () => {
    const t = card("broken-missing-tag");
    send(t, selectAid("A0000000031010"));
    const v = tags(send(t, gpo(visaPdolData(TXN))).data);
    expect(v["9F26"]).toBeUndefined();
    expect(v["9F36"]).toBe("0031");
  });

  it("broken-wrong-aid: PPSE lists A0000000031010, its FCI names A0000000032010", () => {
    const t = card("broken-wrong-aid");
    expect(send(t, SELECT_PPSE).data).toContain("4F07A0000000031010");
    const fci = send(t, selectAid("A0000000031010"));
    expect(fci.sw).toBe("9000");
    expect(tags(fci.data)["84"]).toBe("A0000000032010");
  });

  it("broken-no-ppse: 6A82 on PPSE; the AID list works, by full and by partial name", () => {
    const t = card("broken-no-ppse");
    expect(send(t, SELECT_PPSE).sw).toBe("6A82");
    expect(send(t, "00A4040007A000000003101000").sw).toBe("9000");
    const partial = send(t, "00A4040005A00000000300");
    expect(partial.sw).toBe("9000");
    expect(tags(partial.data)["84"]).toBe("A0000000031010");
  });

  it("broken-early-removal: answers three APDUs, then leaves the field for good", () => {
    const t = card("broken-early-removal");
    expect(t.leaveAtMs).toBeUndefined();
    expect(send(t, SELECT_PPSE, 10).sw).toBe("9000");
    expect(send(t, selectAid("A0000000041010"), 20).sw).toBe("9000");
    expect(send(t, "80A8000002830000", 30).sw).toBe("9000");
    expect(t.handle(fromHex("00B2011400"), 45)).toBeNull();
    expect(t.leaveAtMs).toBe(45);
    t.reset?.();
    expect(t.handle(fromHex(SELECT_PPSE), 60)).toBeNull();
  });
});
