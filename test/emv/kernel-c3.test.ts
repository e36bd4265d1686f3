import { describe, expect, it } from "vitest";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Cvm, OutcomeType, Start, UiMessage, UiStatus } from "../../src/emv/outcome";
import { iccData, maskRecord } from "../../src/emv/data-record";
import { toHex } from "../../src/bytes/hex";
import {
  applePayVisa, calendar, config, entry, OK, PPSE, ppse, random, select, t, VISA, VISA_FCI, VISA_GPO_CMD, VISA_PAN,
  VISA_RECORD, VISA_T2, visaGpoAnswer, type Exchange,
} from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

function tap(steps: Exchange[], amountMinor = 1250, cfg = config([VISA])) {
  const script = new Script(steps);
  return runEntryPoint(script, cfg, { amountMinor: amountMinor }, calendar, random).then((o) => ({ o: o, script: script }));
}

describe("Kernel 3 (Visa qVSDC)", () => {
  it("Apple Pay Visa, user authenticated: TTQ 32804000 → ARQC → Online Request with CDCVM", async () => {
    const r = await tap(applePayVisa());
    expect(r.script.report()).toBe("");
    const o = r.o;
    expect(o.type).toBe(OutcomeType.OnlineRequest);
    expect(o.reason).toBe("OK");
    expect(o.kernel).toBe(3);
    expect(o.aid).toBe("A0000000031010");
    expect(o.cvm).toBe(Cvm.ConfirmationCodeVerified);
    expect(o.uiOnOutcome).toEqual({ messageId: UiMessage.Authorising, status: UiStatus.NotReady, holdMs: 0 });
    const rec = o.record!;
    expect(rec.pan).toBe(VISA_PAN);
    expect(rec.expiry).toBe("2512");
    expect(rec.serviceCode).toBe("201");
    expect(rec.psn).toBe("00");
    expect(rec.track2).toBe(VISA_T2);
    expect(rec.wallet).toEqual({ formFactor: "PHONE", tokenRequestor: "40010030273", par: "V0010013021234567890123456789", tokenHint: "9F19" });
    expect(rec.icc).toMatchObject({
      "9F26": "1A2B3C4D5E6F7081", "9F27": "80", "9F10": "06011203A00000", "9F37": "11223344", "9F36": "0042",
      "95": "0000000000", "9A": "250307", "9C": "00", "9F02": "000000001250", "9F03": "000000000000", "5F2A": "0756",
      "82": "2000", "84": "A0000000031010", "9F1A": "0756", "9F35": "21", "9F66": "32804000", "9F6C": "0080", "9F6E": "23880000",
    });
    expect(toHex(iccData(rec))).toContain("9F26081A2B3C4D5E6F7081");
    const masked = maskRecord(rec);
    expect(masked.pan).toBe("476173******0010");
    expect(masked.track2).toBe("476173FFFFFF0010D25122011234567890123F");
    expect(JSON.stringify(masked)).not.toContain("739001");
  });

  it("express mode: 69 86 to GPO → Try Again, See Phone, Start B; the next tap goes online", async () => {
    const first = await tap([
      [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
      [select("A0000000031010"), VISA_FCI],
      [VISA_GPO_CMD, "6986"],
    ]);
    expect(first.script.report()).toBe("");
    expect(first.o).toMatchObject({
      type: OutcomeType.TryAgain,
      reason: "EMV_SEE_PHONE",
      start: Start.B,
      uiOnOutcome: { messageId: UiMessage.SeePhone, status: UiStatus.NotReady, holdMs: 1300 },
      uiOnRestart: { messageId: UiMessage.SeePhone, status: UiStatus.ReadyToRead, holdMs: 0 },
      detail: { sw: 0x6986, step: "GPO" },
      record: null,
    });
    const second = await tap(applePayVisa());
    expect(second.o.type).toBe(OutcomeType.OnlineRequest);
  });

  it("GPO 69 85 → Select Next; 69 84 → Try Another Interface only with a contact interface (TTQ byte 1 b5)", async () => {
    const a = await tap([
      [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
      [select("A0000000031010"), VISA_FCI],
      [VISA_GPO_CMD, "6985"],
    ]);
    expect(a.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_STATUS_WORD", sw: 0x6985 } });
    const withContact = await tap([
      [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
      [select("A0000000031010"), VISA_FCI],
      [VISA_GPO_CMD, "6984"],
    ]);
    expect(withContact.o).toMatchObject({ type: OutcomeType.TryAnotherInterface, reason: "EMV_STATUS_WORD", detail: { sw: 0x6984 } });
    const contactless = Object.assign({}, VISA, { ttq: undefined });
    const noContact = await tap(
      [
        [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
        [select("A0000000031010"), VISA_FCI],
        [VISA_GPO_CMD.replace("32804000", "20804000"), "6984"],
      ],
      1250,
      config([contactless]),
    );
    expect(noContact.script.report()).toBe("");
    expect(noContact.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_STATUS_WORD", detail: { sw: 0x6984 } });
  });

  it("card pulled away during READ RECORD → Try Again, Present Card Again, Start B", async () => {
    const r = await tap([
      [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
      [select("A0000000031010"), VISA_FCI],
      [VISA_GPO_CMD, visaGpoAnswer()],
      ["00B2011C00", "error:ISODEP_CARD_GONE"],
    ]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({
      type: OutcomeType.TryAgain,
      reason: "EMV_CARD_GONE",
      start: Start.B,
      uiOnOutcome: null,
      uiOnRestart: { messageId: UiMessage.PresentCardAgain, status: UiStatus.ReadyToRead, holdMs: 0 },
      detail: { code: "ISODEP_CARD_GONE", step: "READ" },
      kernel: 3,
      record: null,
    });
  });

  for (const tag of ["9F26", "9F36", "9F10", "57", "82"]) {
    it(`no ${tag} in the GPO answer → End Application EMV_MISSING_TAG, no data record`, async () => {
      const steps = applePayVisa();
      steps[2] = [VISA_GPO_CMD, visaGpoAnswer(tag)];
      const r = await tap(steps);
      expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: tag }, record: null });
      expect(r.o.uiOnOutcome!.messageId).toBe(UiMessage.TryAnotherCard);
    });
  }

  it("no CID: derived from IAD byte 5 (C-3 §5.4.3.1)", async () => {
    const steps = applePayVisa();
    steps[2] = [VISA_GPO_CMD, visaGpoAnswer("9F27")];
    const r = await tap(steps);
    expect(r.o.type).toBe(OutcomeType.OnlineRequest);
    expect(r.o.record!.icc["9F27"]).toBe("80");
  });

  it("AAC → Declined; a CID of 11 → Declined EMV_CID_INVALID", async () => {
    const aac = applePayVisa();
    aac[2] = [VISA_GPO_CMD, visaGpoAnswer(undefined, { "9F27": "00" })];
    const r = await tap(aac);
    expect(r.o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CARD_DECLINED", uiOnOutcome: { messageId: UiMessage.NotAuthorised } });
    const rfu = applePayVisa();
    rfu[2] = [VISA_GPO_CMD, visaGpoAnswer(undefined, { "9F27": "C0" })];
    expect((await tap(rfu)).o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CID_INVALID" });
  });

  it("format 1 GPO answer carries no cryptogram: no IAD to derive a CID from → EMV_MISSING_TAG", async () => {
    const steps = applePayVisa();
    steps[2] = [VISA_GPO_CMD, t("80", "2000", "18010100") + OK];
    const r = await tap(steps);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: "9F10" } });
  });

  it("a tag repeated between GPO and record → End Application EMV_TLV_INVALID", async () => {
    const steps = applePayVisa();
    steps[3] = ["00B2011C00", t("70", t("9F36", "0001")) + OK];
    const r = await tap(steps);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_TLV_INVALID", detail: { code: "TLV_DUPLICATE", tag: "9F36" } });
  });

  it("READ RECORD 6A83 → End Application EMV_STATUS_WORD", async () => {
    const steps = applePayVisa();
    steps[3] = ["00B2011C00", "6A83"];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_STATUS_WORD", detail: { sw: 0x6a83, step: "READ" } });
  });

  /** The Apple Pay tap at 60.00 (CVM required: TTQ byte 2 b7) with CTQ `ctq`, TTQ byte 1 `b1`, and `record` as record 1. */
  function cvmTap(ctq: string, b1: string, record?: string) {
    const steps = applePayVisa();
    steps[2] = [VISA_GPO_CMD.replace("32804000", b1 + "C04000").replace("001250", "006000"), visaGpoAnswer(undefined, { "9F6C": ctq })];
    if (record) steps[3] = ["00B2011C00", record];
    return tap(steps, 6000, config([Object.assign({}, VISA, { ttq: b1 + "004000" })]));
  }

  it("CVM required, CTQ 80 00 (online PIN) on a reader with neither PIN entry nor signature (TTQ 30…) → Declined EMV_CVM_FAILED", async () => {
    const r = await cvmTap("8000", "30");
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CVM_FAILED" });
  });

  it("CTQ 80 00 (online PIN) on a reader without PIN entry that captures signatures (TTQ 32…) → signature (C-3 §5.7.1.2)", async () => {
    const r = await cvmTap("8000", "32");
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.ObtainSignature });
  });

  it("CTQ 80 80 (online PIN, CDCVM performed) without PIN entry → CDCVM before signature", async () => {
    const r = await cvmTap("8080", "32");
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.ConfirmationCodeVerified });
  });

  it("CTQ 80 00 on a reader with PIN entry (TTQ 36…) → online PIN", async () => {
    const r = await cvmTap("8000", "36");
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.OnlinePin });
  });

  // 9F69 Card Authentication Related Data: fDDA version (1) | card UN (4) | CTQ copy (2) | …
  it("CDCVM: 9F69 of 8 bytes whose CTQ copy (offset 5–6) matches → CDCVM, not a false decline", async () => {
    const r = await cvmTap("0080", "32", t("70", t("9F69", "01 A1B2C3D4 0080 00")) + OK);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.ConfirmationCodeVerified });
  });

  it("CDCVM: 9F69 of 7 bytes whose CTQ copy disagrees → Declined EMV_CVM_FAILED (the check is not skipped)", async () => {
    const r = await cvmTap("0080", "32", t("70", t("9F69", "01 A1B2C3D4 0000")) + OK);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CVM_FAILED" });
    const ok = await cvmTap("0080", "32", t("70", t("9F69", "01 A1B2C3D4 0080")) + OK);
    expect(ok.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.ConfirmationCodeVerified });
  });

  it("CDCVM: 9F69 too short to hold the CTQ copy → Declined", async () => {
    const r = await cvmTap("0080", "32", t("70", t("9F69", "01 A1B2C3D4 00")) + OK);
    expect(r.o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CVM_FAILED" });
  });

  it("track 2 with a bad separator → End Application EMV_TRACK2_INVALID", async () => {
    const steps = applePayVisa();
    steps[2] = [VISA_GPO_CMD, visaGpoAnswer(undefined, { "57": VISA_T2.replace("D", "E") })];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_TRACK2_INVALID", detail: { tag: "57" } });
  });

  it("5A in a record that disagrees with Track 2 → EMV_PAN_MISMATCH", async () => {
    const steps = applePayVisa();
    steps[3] = ["00B2011C00", t("70", t("5A", "4761739001010011")) + OK];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_PAN_MISMATCH" });
  });

  it("keeps the record's other tags out of the outcome", async () => {
    const r = await tap(applePayVisa());
    expect(Object.keys(r.o.record!.icc)).not.toContain("5F28");
    expect(VISA_RECORD).toContain("5F28");
  });
});
