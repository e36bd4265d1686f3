import { describe, expect, it } from "vitest";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Cvm, OutcomeType } from "../../src/emv/outcome";
import {
  calendar, config, entry, OK, PPSE, ppse, quickPassUnionPay, random, select, t, UNIONPAY, UNIONPAY_DEBIT, UP_FCI, UP_GPO,
  UP_GPO_CMD, UP_PAN, type Exchange,
} from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

function tap(steps: Exchange[], amountMinor = 1250) {
  const script = new Script(steps);
  return runEntryPoint(script, config([UNIONPAY_DEBIT, UNIONPAY]), { amountMinor: amountMinor }, calendar, random).then((o) => ({ o: o, script: script }));
}

describe("Kernel 7 (UnionPay qUICS)", () => {
  it("QuickPass 62… (UnionPay's IIN): PAN from 5A + 5F24, CID derived from IAD, qPBOC TTQ 20 80 00 00 → Online Request", async () => {
    const r = await tap(quickPassUnionPay());
    expect(r.script.report()).toBe("");
    const o = r.o;
    expect(o).toMatchObject({ type: OutcomeType.OnlineRequest, reason: "OK", kernel: 7, aid: "A000000333010102", cvm: Cvm.NoCvm });
    const rec = o.record!;
    expect(rec.pan).toBe(UP_PAN);
    expect(rec.expiry).toBe("2812");
    expect(rec.psn).toBe("01");
    expect(rec.track2).toBeNull();
    expect(rec.icc).toMatchObject({ "9F26": "A1B2C3D4E5F60718", "9F27": "80", "9F36": "0005", "82": "7C00", "9F66": "20800000" });
    // The issuer's IAD as read; no 9F19/9F24/9F6E, so no token hint whatever the PAN's IIN.
    expect(rec.icc["9F10"]).toBe("07010103A00000010A0100000000");
    expect(rec.wallet).toEqual({});
  });

  it("Product Identification Information 9F63 from a record is forwarded as read; 9F19 makes the token hint", async () => {
    const steps = quickPassUnionPay();
    const pii = "3031303230333034 0000000000000000";
    steps[3] = ["00B2010C00", t("70", t("5A", UP_PAN), t("5F24", "281231"), t("5F34", "01"), t("9F63", pii), t("9F19", "040010030273")) + OK];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o.record!.icc["9F63"]).toBe(pii.replace(" ", ""));
    expect(r.o.record!.wallet).toEqual({ tokenRequestor: "40010030273", tokenHint: "9F19" });
  });

  it("JD Flash Pay style token 81… with Track 2 only", async () => {
    const t2 = "8171999912345678D2812201000000000000";
    const steps = quickPassUnionPay();
    steps[2] = [UP_GPO_CMD, t("77", t("82", "7C00"), t("57", t2), t("9F36", "0009"), t("9F26", "1112131415161718"), t("9F27", "80"), t("9F10", "07010103A00000")) + OK];
    steps.pop(); // no AFL, no records
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o.type).toBe(OutcomeType.OnlineRequest);
    expect(r.o.record!.pan).toBe("8171999912345678");
    expect(r.o.record!.expiry).toBe("2812");
  });

  it("neither Track 2 nor 5A → End Application EMV_MISSING_TAG 57", async () => {
    const steps = quickPassUnionPay();
    steps[3] = ["00B2010C00", t("70", t("5F24", "281231")) + OK];
    const r = await tap(steps);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: "57" }, record: null });
  });

  it("5A without 5F24 → EMV_MISSING_TAG 5F24", async () => {
    const steps = quickPassUnionPay();
    steps[3] = ["00B2010C00", t("70", t("5A", UP_PAN)) + OK];
    expect((await tap(steps)).o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: "5F24" } });
  });

  it("no ATC → EMV_MISSING_TAG 9F36", async () => {
    const steps = quickPassUnionPay();
    steps[2] = [UP_GPO_CMD, t("77", t("82", "7C00"), t("94", "08010100"), t("9F26", "A1B2C3D4E5F60718"), t("9F10", "07010103A00000010A0100000000")) + OK];
    const r = await tap(steps);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_MISSING_TAG", detail: { tag: "9F36" } });
  });

  it("debit and credit AIDs listed: the card's priority decides", async () => {
    const steps: Exchange[] = [
      [PPSE, ppse(entry("A000000333010101", "UnionPay Debit", "02", "07"), entry("A000000333010102", "UnionPay Credit", "01", "07"))],
      [select("A000000333010102"), UP_FCI],
      [UP_GPO_CMD, UP_GPO],
      ["00B2010C00", quickPassUnionPay()[3][1]],
    ];
    const r = await tap(steps);
    expect(r.script.report()).toBe("");
    expect(r.o.aid).toBe("A000000333010102");
  });
});
