import { describe, expect, it } from "vitest";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Cvm, OutcomeType, Start, UiMessage, UiStatus } from "../../src/emv/outcome";
import type { AidConfig, EntryPointConfig } from "../../src/emv/preprocessing";
import {
  ascii, calendar, config, googlePayMastercard, MASTERCARD, MC_CDOL1, MC_GAC_CMD, MC_GPO, MC_PAN, MC_T2, mcGacAnswer, OK, random, select, t, type Exchange,
} from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

function tap(steps: Exchange[], amountMinor = 1250, cfg: EntryPointConfig = config([MASTERCARD])) {
  const script = new Script(steps);
  return runEntryPoint(script, cfg, { amountMinor: amountMinor }, calendar, random).then((o) => ({ o: o, script: script }));
}

const PPSE_MC = googlePayMastercard()[0][0];
const PPSE_MC_ANSWER = googlePayMastercard()[0][1];

/** Record 2 with another CVM List (and AIP without on-device CVM in the GPO answer). */
function plainCard(cvmList: string, gac: string): Exchange[] {
  const steps = googlePayMastercard(gac);
  steps[2] = ["80A8000002830000", t("80", "1980", "08010100", "10010100") + OK];
  steps[4] = [
    "00B2011400",
    t("70", t("5A", MC_PAN), t("5F24", "251231"), t("5F34", "00"), t("8C", MC_CDOL1), t("8E", cvmList), t("9F42", "0756")) + OK,
  ];
  return steps;
}

describe("Kernel 2 (Mastercard M/Chip)", () => {
  it("Google Pay: format 1 GPO, two records, GENERATE AC (ARQC, CDOL1 with TVR and CDCVM results) → Online Request", async () => {
    const r = await tap(googlePayMastercard());
    expect(r.script.report()).toBe("");
    // The GENERATE AC: P1 80 (ARQC, no CDA), TVR 80 00 00 80 00, CVM Results 01 00 02.
    expect(r.script.sent[5]).toBe("80AE800021000000001250000000000000075680000080000756250307001122334421010002" + "00");
    const o = r.o;
    expect(o).toMatchObject({ type: OutcomeType.OnlineRequest, reason: "OK", kernel: 2, aid: "A0000000041010", cvm: Cvm.ConfirmationCodeVerified });
    const rec = o.record!;
    expect(rec.pan).toBe(MC_PAN);
    expect(rec.expiry).toBe("2512");
    expect(rec.psn).toBe("00");
    expect(rec.track2).toBe(MC_T2);
    // Device type "21" is not a card ("00"): the only token hint here is 9F6E.
    expect(rec.wallet).toEqual({ deviceType: "21", tokenHint: "9F6E" });
    expect(rec.icc).toMatchObject({ "9F27": "80", "9F36": "0017", "9F26": "0102030405060708", "95": "8000008000", "9F34": "010002", "82": "1B80" });
    expect(rec.icc["9F66"]).toBeUndefined();
  });

  it("DF4B asks for the phone (PCII 00 01 00 with an AAC) → End Application, See Phone, Start B", async () => {
    const r = await tap(googlePayMastercard(mcGacAnswer("00", "000100")));
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({
      type: OutcomeType.EndApplication,
      reason: "EMV_SEE_PHONE",
      start: Start.B,
      uiOnOutcome: { messageId: UiMessage.SeePhone, status: UiStatus.NotReady, holdMs: 1300 },
      uiOnRestart: { messageId: UiMessage.SeePhone, status: UiStatus.ReadyToRead, holdMs: 0 },
      detail: { tag: "DF4B" },
      record: null,
    });
  });

  it("DF4B without a see-phone bit (00 10 00: OD-CVM verified) changes nothing", async () => {
    const r = await tap(googlePayMastercard(mcGacAnswer("80", "001000")));
    expect(r.o.type).toBe(OutcomeType.OnlineRequest);
  });

  it("DF4B byte 3 bit set but no phone message entry → the default table's Declined message, still Start B", async () => {
    const r = await tap(googlePayMastercard(mcGacAnswer("00", "000001")));
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_SEE_PHONE", start: Start.B, uiOnOutcome: { messageId: UiMessage.NotAuthorised } });
  });

  it("AAC without DF4B → Declined; TC to an ARQC request → End Application EMV_CID_INVALID", async () => {
    expect((await tap(googlePayMastercard(mcGacAnswer("00")))).o).toMatchObject({ type: OutcomeType.Declined, reason: "EMV_CARD_DECLINED" });
    expect((await tap(googlePayMastercard(mcGacAnswer("40")))).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_CID_INVALID" });
  });

  it("format 1 GENERATE AC answer (80: CID ATC AC IAD)", async () => {
    const r = await tap(googlePayMastercard(t("80", "80", "0017", "0102030405060708", "0110A040012200") + OK));
    expect(r.o.type).toBe(OutcomeType.OnlineRequest);
    expect(r.o.record!.icc).toMatchObject({ "9F27": "80", "9F36": "0017", "9F26": "0102030405060708", "9F10": "0110A040012200" });
  });

  it("GPO 69 86 → Select Next (C-2 S3.9) → no other candidate → End Application", async () => {
    const steps = googlePayMastercard().slice(0, 3);
    steps[2] = ["80A8000002830000", "6986"];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_STATUS_WORD", sw: 0x6986, step: "GPO" } });
  });

  it("amount over the limit without on-device CVM → Select Next before reading records; no other candidate → Try Another Interface EMV_LIMIT_EXCEEDED", async () => {
    const steps = plainCard("00000000000000001F03", mcGacAnswer("80")).slice(0, 3);
    const r = await tap(steps, 6000);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({
      type: OutcomeType.TryAnotherInterface,
      reason: "EMV_LIMIT_EXCEEDED",
      uiOnOutcome: { messageId: UiMessage.OverContactlessLimit, status: UiStatus.ProcessingError, holdMs: 1300 },
      record: null,
    });
  });

  // Terminal Risk Management Data 9F1D (C-2 Annex A): byte 1 b7 online PIN, b6 signature,
  // b4 no CVM, b3 CDCVM (contactless); byte 2 b8 CVM limit exceeded (here the limit is 10.00).
  const PDOL_FCI =
    t("6F", t("84", "A0000000041010"), t("A5", t("50", ascii("MASTERCARD")), t("9F38", "9F1D08 9F1A02 9F3501"), t("BF0C", t("9F6E", "07560000323100")))) + OK;
  const GPO_9F1D = (trmd: string) => "80A800000D 830B " + trmd + " 0756 21 00";

  it("9F1D in the PDOL: CDCVM + no CVM, CVM limit exceeded at 12.50 → GPO 0C 80 00…; and in CDOL1", async () => {
    const steps = googlePayMastercard();
    steps[1] = [select("A0000000041010"), PDOL_FCI];
    steps[2] = [GPO_9F1D("0C80000000000000"), MC_GPO];
    steps[4] = ["00B2011400", t("70", t("5A", MC_PAN), t("5F24", "251231"), t("8C", "9F0206 9F1D08"), t("8E", "000000000000000042031F03")) + OK];
    steps[5] = ["80AE8000 0E 000000001250 0C80000000000000 00", mcGacAnswer("80")];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.ConfirmationCodeVerified });
  });

  it("9F1D below the CVM limit clears byte 2 b8; signature capture and PIN entry set their bits", async () => {
    const below = await tap([[PPSE_MC, PPSE_MC_ANSWER], [select("A0000000041010"), PDOL_FCI], [GPO_9F1D("0C00000000000000"), "6985"]], 500);
    expect(below.script.report()).toBe("");
    expect(below.o).toMatchObject({ reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_STATUS_WORD", step: "GPO" } });
    const caps = config([MASTERCARD], { signature: true, onlinePin: true, cdcvm: false });
    const r = await tap([[PPSE_MC, PPSE_MC_ANSWER], [select("A0000000041010"), PDOL_FCI], [GPO_9F1D("6880000000000000"), "6985"]], 1250, caps);
    expect(r.script.report()).toBe("");
  });

  it("9F1D configured per AID (terminalRiskData): the value sent, byte 2 b8 still set per transaction", async () => {
    const mc: AidConfig = Object.assign({}, MASTERCARD, { terminalRiskData: "2C00000000000000" });
    const r = await tap([[PPSE_MC, PPSE_MC_ANSWER], [select("A0000000041010"), PDOL_FCI], [GPO_9F1D("2C80000000000000"), "6985"]], 1250, config([mc]));
    expect(r.script.report()).toBe("");
    const bad: AidConfig = Object.assign({}, MASTERCARD, { terminalRiskData: "2C00" });
    const e = await tap([[PPSE_MC, PPSE_MC_ANSWER], [select("A0000000041010"), PDOL_FCI]], 1250, config([bad]));
    expect(e.script.report()).toBe("");
    expect(e.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_CONFIG_INVALID", detail: { code: "EMV_CONFIG_INVALID" } });
  });

  it("CVM List: signature when the terminal captures one and CVM is required", async () => {
    const steps = plainCard("000000000000000042031E031F03", mcGacAnswer("80"));
    steps[5] = ["80AE8000 21 000000001250 000000000000 0756 8000008000 0756 ...... 00 ........ 21 1E0300 00", mcGacAnswer("80")];
    const r = await tap(steps, 1250, config([MASTERCARD], { signature: true }));
    expect(r.script.report()).toBe("");
    expect(r.o.cvm).toBe(Cvm.ObtainSignature);
  });

  it("CVM List with nothing the terminal supports → CVM failed (TVR byte 3 b8, results 3F 00 01), still online", async () => {
    const steps = plainCard("00000000000000000203", mcGacAnswer("80"));
    steps[5] = ["80AE8000 21 000000001250 000000000000 0756 8000808000 0756 ...... 00 ........ 21 3F0001 00", mcGacAnswer("80")];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, cvm: Cvm.NoCvm });
  });

  it("below the CVM required limit: No CVM rule (1F 03) applies", async () => {
    const small: AidConfig = Object.assign({}, MASTERCARD, { cvmLimitMinor: 5000 });
    const steps = plainCard("000000000000000042031F03", mcGacAnswer("80"));
    steps[5] = ["80AE8000 21 000000001250 000000000000 0756 8000008000 0756 ...... 00 ........ 21 1F0302 00", mcGacAnswer("80")];
    const r = await tap(steps, 1250, config([small]));
    expect(r.script.report()).toBe("");
    expect(r.o.cvm).toBe(Cvm.NoCvm);
  });

  it("no CDOL1 → End Application EMV_MISSING_TAG 8C before any GENERATE AC", async () => {
    const steps = googlePayMastercard().slice(0, 5);
    steps[4] = ["00B2011400", t("70", t("5A", MC_PAN), t("5F24", "251231")) + OK];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: "8C" } });
  });

  it("GENERATE AC without AC → EMV_MISSING_TAG 9F26", async () => {
    const gac = t("77", t("9F27", "80"), t("9F36", "0017")) + OK;
    expect((await tap(googlePayMastercard(gac))).o).toMatchObject({ reason: "EMV_MISSING_TAG", detail: { tag: "9F26" } });
  });

  it("mag-stripe-only AIP → End Application", async () => {
    const steps = googlePayMastercard().slice(0, 3);
    steps[2] = ["80A8000002830000", t("80", "1900", "08010100") + OK];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MAGSTRIPE_NOT_SUPPORTED" });
  });

  it("card gone at GENERATE AC → Try Again", async () => {
    const steps = googlePayMastercard();
    steps[5] = [MC_GAC_CMD, "error:PN532_STATUS"];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.TryAgain, reason: "EMV_CARD_GONE", detail: { code: "PN532_STATUS", step: "GAC" } });
  });
});
