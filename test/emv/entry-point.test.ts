import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { errorOutcome } from "../../src/emv/kernel";
import { runEntryPoint } from "../../src/emv/entry-point";
import { OutcomeType, Start, UiMessage, UiStatus } from "../../src/emv/outcome";
import { buildCandidates, readDirectory, requestedKernel } from "../../src/emv/ppse";
import { preprocess, type AidConfig } from "../../src/emv/preprocessing";
import { codedError } from "../../src/bytes/coded-error";
import {
  applePayVisa, calendar, config, entry, googlePayMastercard, MASTERCARD, OK, PPSE, ppse, random, select, UNIONPAY, VISA, VISA_FCI,
  VISA_GPO_CMD, t, type Exchange,
} from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

function tap(steps: Exchange[], aids: AidConfig[], amountMinor = 1250) {
  const script = new Script(steps);
  return runEntryPoint(script, config(aids), { amountMinor: amountMinor }, calendar, random).then((o) => ({ o: o, script: script }));
}

/** VISA without a fixed TTQ: pre-processing builds it from the terminal's capabilities. */
const VISA_PLAIN: AidConfig = Object.assign({}, VISA, { ttq: undefined });
const VISA_TAIL: Exchange[] = applePayVisa().slice(1);
const MC_TAIL: Exchange[] = googlePayMastercard().slice(1);

describe("Entry Point pre-processing (Book B §3.1.1)", () => {
  const cfg = config([
    { aid: "A0000000031010", kernel: 3, floorLimitMinor: 0, cvmLimitMinor: 5000, txnLimitMinor: 10000 },
    { aid: "A0000000041010", kernel: 2, cvmLimitMinor: 5000, txnLimitMinor: 10000 },
  ]);
  const ttqOf = (amountMinor: number) => preprocess(cfg, { amountMinor }).map((c) => toHex(c.ttq));

  it("TTQ: EMV mode + CDCVM; online cryptogram required over the floor limit; CVM required from the CVM limit on", () => {
    expect(ttqOf(1250)).toEqual(["20804000", "20004000"]);
    expect(ttqOf(5000)).toEqual(["20C04000", "20404000"]);
    expect(ttqOf(0)).toEqual(["20804000", "20804000"]);
  });

  it("transaction limit (≥) removes the combination, except for kernel 2 which checks its own", () => {
    expect(preprocess(cfg, { amountMinor: 9999 }).length).toBe(2);
    expect(preprocess(cfg, { amountMinor: 10000 }).map((c) => c.cfg.kernel)).toEqual([2]);
  });

  it("zero amount not allowed, status check, transaction types, signature/PIN bits", () => {
    const c = config([{ aid: "A0000000031010", kernel: 3, zeroAmountAllowed: false, statusCheck: true, txnTypes: [0, 9] }], { onlinePin: true, signature: true, cdcvm: false });
    expect(preprocess(c, { amountMinor: 0 })).toEqual([]);
    expect(toHex(preprocess(c, { amountMinor: 100 })[0].ttq)).toBe("26800000");
    expect(toHex(preprocess(c, { amountMinor: 101 })[0].ttq)).toBe("26000000");
    expect(preprocess(c, { amountMinor: 101, transactionType: 20 })).toEqual([]);
  });

  it("over every transaction limit → Try Another Interface EMV_LIMIT_EXCEEDED, 'over the contactless limit', no APDU (Book B §3.1.1.13)", async () => {
    const r = await tap([], [VISA, Object.assign({}, UNIONPAY, { txnLimitMinor: 100000 })], 200000);
    expect(r.script.sent).toEqual([]);
    expect(r.o).toMatchObject({
      type: OutcomeType.TryAnotherInterface,
      reason: "EMV_LIMIT_EXCEEDED",
      uiOnOutcome: { messageId: UiMessage.OverContactlessLimit, status: UiStatus.ProcessingError, holdMs: 1300 },
    });
  });

  it("no combination for the transaction type → Try Another Interface EMV_CONTACTLESS_NOT_ALLOWED", async () => {
    const script = new Script([]);
    const o = await runEntryPoint(script, config([VISA]), { amountMinor: 1250, transactionType: 20 }, calendar, random);
    expect(script.sent).toEqual([]);
    expect(o).toMatchObject({ type: OutcomeType.TryAnotherInterface, reason: "EMV_CONTACTLESS_NOT_ALLOWED", uiOnOutcome: { messageId: UiMessage.TryAnotherCard } });
  });

  it("a card offering only an over-limit application, while another AID is allowed → EMV_LIMIT_EXCEEDED after the PPSE", async () => {
    // Visa's limit (100000) removes its combination; Mastercard (kernel 2) checks its own later.
    const r = await tap([[PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))]], [VISA, MASTERCARD], 150000);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.TryAnotherInterface, reason: "EMV_LIMIT_EXCEEDED", uiOnOutcome: { messageId: UiMessage.OverContactlessLimit } });
  });

  it("TTQ per kernel: C-3 layout for Visa (byte 3 b7 CDCVM), qPBOC layout for UnionPay (byte 3 RFU, byte 4 b8 fDDA 01 off)", () => {
    const c = config([VISA_PLAIN, UNIONPAY]);
    expect(preprocess(c, { amountMinor: 1250 }).map((x) => toHex(x.ttq))).toEqual(["20804000", "20800000"]);
    const pin = config([VISA_PLAIN, UNIONPAY], { onlinePin: true, signature: true });
    expect(preprocess(pin, { amountMinor: 1250 }).map((x) => toHex(x.ttq))).toEqual(["26804000", "26800000"]);
  });

  it("an impossible amount → End Application EMV_AMOUNT_INVALID, no APDU", async () => {
    const r = await tap([], [VISA], -5);
    expect(r.script.sent).toEqual([]);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_AMOUNT_INVALID" });
  });
});

describe("Combination selection (Book B §3.3)", () => {
  const combs = preprocess(config([VISA, MASTERCARD, UNIONPAY, { aid: "A000000333", kernel: 7, partial: true }]), { amountMinor: 100 });

  it("requested kernel: 9F2A byte 1, else the RID default; domestic kernels are none of ours", () => {
    expect(requestedKernel(fromHex("A0000000041010"), null)).toBe(2);
    expect(requestedKernel(fromHex("A0000000031010"), fromHex("03"))).toBe(3);
    expect(requestedKernel(fromHex("A0000000031010"), fromHex("00"))).toBe(3);
    expect(requestedKernel(fromHex("A0000000031010"), fromHex("C10203"))).toBe(-1);
    expect(requestedKernel(fromHex("A0000009991010"), null)).toBe(-1);
  });

  it("9F2A b8–b7 = 00/01: the whole byte is the kernel ID (Book B §3.3.2.5), so 43 is not kernel 3", async () => {
    expect(requestedKernel(fromHex("A0000000031010"), fromHex("43"))).toBe(0x43);
    expect(requestedKernel(fromHex("A0000000031010"), fromHex("23"))).toBe(0x23);
    expect(requestedKernel(fromHex("A0000000041010"), fromHex("02"))).toBe(2);
    // A Visa AID asking for kernel 43: no combination has it, no final SELECT is sent.
    const r = await tap([[PPSE, ppse(entry("A0000000031010", "VISA", "01", "43"))]], [VISA]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE" });
  });

  it("full and partial AID match, kernel must agree, priority then directory order", () => {
    const dir = readDirectory(
      fromHex(
        ppse(
          entry("A0000000031010", "VISA", null, "03"),
          entry("A0000000041010", "MC", "02", null),
          entry("A0000003330101FF", "UP", "01", "07"),
          entry("A0000000031010", "VISA AS MC", "01", "02"),
          entry("A000000003101001", "VISA EXT", "03", "03"),
        ).slice(0, -4),
      ),
    );
    expect(dir.length).toBe(5);
    const cands = buildCandidates(dir, combs);
    expect(cands.map((c) => toHex(c.adf) + "/" + c.kernel)).toEqual(["A0000003330101FF/7", "A0000000041010/2", "A000000003101001/3", "A0000000031010/3"]);
  });

  it("co-badged card: the higher priority (87 = 01) is selected first; a failing SELECT is skipped", async () => {
    const r = await tap(
      [
        [PPSE, ppse(entry("A0000000031010", "VISA", "02", "03"), entry("A0000000041010", "MASTERCARD", "01", "02"))],
        [select("A0000000041010"), "6A82"],
        ...VISA_TAIL,
      ],
      [VISA, MASTERCARD],
    );
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, kernel: 3, aid: "A0000000031010" });
  });

  it("Select Next after a kernel's Select Next (Visa GPO 69 85) → the Mastercard application", async () => {
    const r = await tap(
      [
        [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"), entry("A0000000041010", "MASTERCARD", "02", "02"))],
        [select("A0000000031010"), VISA_FCI],
        [VISA_GPO_CMD, "6985"],
        ...MC_TAIL,
      ],
      [VISA, MASTERCARD],
    );
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, kernel: 2, aid: "A0000000041010" });
  });

  it("DF name 84 that is not the selected AID → Select Next EMV_DF_NAME_MISMATCH; no 84 → EMV_MISSING_TAG", async () => {
    const wrong = t("6F", t("84", "A0000000032010"), t("A5", t("50", "56495341"))) + OK;
    const r = await tap([[PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))], [select("A0000000031010"), wrong]], [VISA]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_DF_NAME_MISMATCH", step: "SELECT" } });
    const none = t("6F", t("A5", t("50", "56495341"))) + OK;
    const m = await tap([[PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))], [select("A0000000031010"), none]], [VISA]);
    expect(m.o).toMatchObject({ reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_MISSING_TAG", step: "SELECT" } });
  });

  it("FCI that does not parse → Select Next", async () => {
    const r = await tap(
      [
        [PPSE, ppse(entry("A0000000041010", "MASTERCARD", "01", "02"), entry("A0000000031010", "VISA", "02", "03"))],
        [select("A0000000041010"), "6F0584038000" + OK],
        ...VISA_TAIL,
      ],
      [VISA, MASTERCARD],
    );
    expect(r.script.report()).toBe("");
    expect(r.o.kernel).toBe(3);
  });

  it("PPSE absent (6A82) → the AID list: each configured AID selected in order", async () => {
    const r = await tap([[PPSE, "6A82"], [select("A0000000041010"), "6A82"], ...VISA_TAIL], [MASTERCARD, VISA]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.OnlineRequest, kernel: 3 });
  });

  it("empty PPSE directory → the AID list", async () => {
    const r = await tap([[PPSE, ppse()], ...VISA_TAIL], [VISA]);
    expect(r.script.report()).toBe("");
    expect(r.o.type).toBe(OutcomeType.OnlineRequest);
  });

  it("PPSE 6A81 (card blocked) → End Application EMV_CARD_BLOCKED", async () => {
    const r = await tap([[PPSE, "6A81"]], [VISA]);
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_CARD_BLOCKED", detail: { sw: 0x6a81 } });
  });

  it("directory names no accepted application → End Application EMV_NO_CANDIDATE", async () => {
    const r = await tap([[PPSE, ppse(entry("A0000000651010", "JCB", "01", "05"))]], [VISA, MASTERCARD]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_NO_CANDIDATE" });
  });

  it("card gone at SELECT PPSE → Try Again, Present Card Again", async () => {
    const r = await tap([[PPSE, "error:ISODEP_TIMEOUT"]], [VISA]);
    expect(r.o).toMatchObject({ type: OutcomeType.TryAgain, reason: "EMV_CARD_GONE", start: Start.B, uiOnRestart: { messageId: UiMessage.PresentCardAgain } });
  });

  it("an uncoded transport failure is a communication error too; a response without SW is EMV_APDU_INVALID", async () => {
    const plain = { transceive: () => Promise.reject(new Error("boom")) };
    const o = await runEntryPoint(plain, config([VISA]), { amountMinor: 100 }, calendar, random);
    expect(o).toMatchObject({ type: OutcomeType.TryAgain, detail: { code: "UNCODED" } });
    const short = { transceive: () => Promise.resolve(new Uint8Array([0x90])) };
    expect(await runEntryPoint(short, config([VISA]), { amountMinor: 100 }, calendar, random)).toMatchObject({ reason: "EMV_APDU_INVALID" });
  });

  it("extended selection 9F29 is appended to the ADF name in the final SELECT", async () => {
    const e = t("61", t("4F", "A0000000031010"), t("87", "01"), t("9F2A", "03"), t("9F29", "01FF"));
    const r = await tap([[PPSE, ppse(e)], [select("A000000003101001FF"), "6A82"]], [VISA]);
    expect(r.script.report()).toBe("");
    expect(r.o).toMatchObject({ reason: "EMV_NO_CANDIDATE", detail: { code: "EMV_STATUS_WORD", sw: 0x6a82, step: "SELECT" } });
  });
});

describe("errorOutcome", () => {
  it("maps layer codes to reasons and keeps tag, offset, sw", () => {
    expect(errorOutcome(codedError("TLV_TRUNCATED", "x", { tag: 0x9f26, offset: 7 }), 1300)).toMatchObject({
      type: OutcomeType.EndApplication, reason: "EMV_TLV_INVALID", detail: { code: "TLV_TRUNCATED", tag: "9F26", offset: 7 },
    });
    expect(errorOutcome(codedError("DOL_INVALID", "x"), 1300).reason).toBe("EMV_DOL_INVALID");
    expect(errorOutcome(codedError("BCD_INVALID", "x"), 1300).reason).toBe("EMV_DATA_INVALID");
    expect(errorOutcome(new TypeError("bug"), 1300)).toMatchObject({ reason: "EMV_INTERNAL", detail: { code: "UNCODED" } });
  });
});
