/**
 * EMV fixtures shared by the kernel tests, the kernel fuzz and the bench: card transcripts
 * as (command pattern, answer) pairs (Apple Pay Visa, UnionPay QuickPass token, Google Pay
 * Mastercard), a TLV builder, a terminal configuration with a fixed calendar and
 * unpredictable number. The tests play them with the checked `Script` channel
 * (test/apdu/script-channel.ts); the fuzz and the bench replay the answers alone.
 */
import { fromHex, toHex } from "../../src/bytes/hex";
import type { Calendar, Random } from "../../src/hal/types";
import type { AidConfig, EntryPointConfig } from "../../src/emv/preprocessing";
import { encodeLength } from "../../src/emv/tlv";

/** TLV as hex: t("9F27", "80"), t("77", t("82", "2000"), …). */
export function t(tag: string, ...values: string[]): string {
  const v = values.join("").replace(/\s+/g, "");
  return tag + toHex(encodeLength(v.length / 2)) + v;
}

/** ASCII as hex. */
export function ascii(s: string): string {
  return toHex(Array.from(s, (c) => c.charCodeAt(0)));
}

/**
 * One exchange: the expected command as hex, where ".." matches any byte and a final "*"
 * any remaining bytes (UN and date sit in command data: docs/architecture.md "Transcript"); the answer
 * as hex, or "error:CODE" for a transport failure.
 */
export type Exchange = [string, string];

/** 7 March 2025, 12:00:00. */
export const calendar: Calendar = { today: () => ({ year: 2025, month: 3, day: 7, hour: 12, minute: 0, second: 0 }) };

/** Unpredictable number 11 22 33 44, every time. */
export const random: Random = { bytes: (n: number) => new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]).slice(0, n) };

export const VISA: AidConfig = { aid: "A0000000031010", kernel: 3, ttq: "32004000", floorLimitMinor: 0, cvmLimitMinor: 5000, txnLimitMinor: 100000 };
export const MASTERCARD: AidConfig = { aid: "A0000000041010", kernel: 2, floorLimitMinor: 0, cvmLimitMinor: 1000, txnLimitMinor: 5000, txnLimitOdcvMinor: 100000 };
export const UNIONPAY: AidConfig = { aid: "A000000333010102", kernel: 7, floorLimitMinor: 0, cvmLimitMinor: 30000 };
export const UNIONPAY_DEBIT: AidConfig = { aid: "A000000333010101", kernel: 7, floorLimitMinor: 0, cvmLimitMinor: 30000 };

export function config(aids: AidConfig[], extra?: Partial<EntryPointConfig>): EntryPointConfig {
  return Object.assign(
    {
      terminal: {
        countryCode: 756,
        currencyCode: 756,
        currencyExponent: 2,
        terminalType: 21,
        terminalCapabilities: fromHex("0068C8"),
        additionalCapabilities: fromHex("6000F0A001"),
        merchantNameLocation: "TAPPOS TEST SHOP",
        ifdSerial: "TAPPOS01",
      },
      aids: aids,
      cdcvm: true,
    },
    extra ?? {},
  );
}

export const OK = "9000";
export const PPSE = "00A404000E325041592E5359532E444446303100";

/** PPSE FCI with the given 61 directory entries. */
export function ppse(...entries: string[]): string {
  return t("6F", t("84", "325041592E5359532E4444463031"), t("A5", t("BF0C", ...entries))) + OK;
}

export function entry(aid: string, label: string, priority: string | null, kernel: string | null): string {
  return t("61", t("4F", aid), t("50", ascii(label)), priority ? t("87", priority) : "", kernel ? t("9F2A", kernel) : "");
}

export function select(aid: string): string {
  return "00A40400" + toHex([aid.length / 2]) + aid + "00";
}

// ---- Apple Pay Visa (kernel 3) ------------------------------------------------------------

export const VISA_PAN = "4761739001010010";
export const VISA_T2 = "4761739001010010D25122011234567890123F";
const VISA_PDOL = "9F66049F02069F03069F1A0295055F2A029A039C019F3704";

export const VISA_FCI = t("6F", t("84", "A0000000031010"), t("A5", t("50", ascii("VISA")), t("9F38", VISA_PDOL))) + OK;

/** GPO with TTQ 32 80 40 00, 12.50 CHF, 7 March 2025, UN 11223344: fully deterministic. */
export const VISA_GPO_CMD = "80A8000023 8321 32804000 000000001250 000000000000 0756 0000000000 0756 250307 00 11223344 00";

/** The Apple Pay Visa GPO answer, without tag `omit`, with values replaced by `set` (tag → hex). */
export function visaGpoAnswer(omit?: string, set?: { [tag: string]: string }): string {
  const parts: [string, string][] = [
    ["82", "2000"],
    ["94", "18010100"],
    ["57", VISA_T2],
    ["5F34", "00"],
    ["9F10", "06011203A00000"],
    ["9F26", "1A2B3C4D5E6F7081"],
    ["9F27", "80"],
    ["9F36", "0042"],
    ["9F6C", "0080"],
    ["9F6E", "23880000"],
  ];
  return t("77", ...parts.filter((p) => p[0] !== omit).map((p) => t(p[0], (set && set[p[0]]) ?? p[1]))) + OK;
}

export const VISA_RECORD =
  t("70", t("5F28", "0840"), t("9F07", "FFC0"), t("9F19", "040010030273"), t("9F24", ascii("V0010013021234567890123456789")), t("5F24", "251231")) + OK;

/** The whole Apple Pay Visa tap after the user authenticated on the phone. */
export function applePayVisa(): Exchange[] {
  return [
    [PPSE, ppse(entry("A0000000031010", "VISA", "01", "03"))],
    [select("A0000000031010"), VISA_FCI],
    [VISA_GPO_CMD, visaGpoAnswer()],
    ["00B2011C00", VISA_RECORD],
  ];
}

// ---- UnionPay QuickPass token (kernel 7) --------------------------------------------------

export const UP_PAN = "6214830112345678";
const UP_PDOL = "9F66049F02069F03069F1A0295055F2A029A039C019F3704DF6001";
export const UP_FCI = t("6F", t("84", "A000000333010102"), t("A5", t("50", ascii("UnionPay Credit")), t("9F38", UP_PDOL))) + OK;
export const UP_GPO_CMD = "80A8000024 8322 20800000 000000001250 000000000000 0756 0000000000 0756 ...... 00 ........ 00 00";
export const UP_GPO =
  t("77", t("82", "7C00"), t("94", "08010100"), t("9F36", "0005"), t("9F26", "A1B2C3D4E5F60718"), t("9F10", "07010103A00000010A0100000000")) + OK;
export const UP_RECORD = t("70", t("5A", UP_PAN), t("5F24", "281231"), t("5F34", "01")) + OK;

export function quickPassUnionPay(): Exchange[] {
  return [
    [PPSE, ppse(entry("A000000333010102", "UnionPay Credit", "01", "07"))],
    [select("A000000333010102"), UP_FCI],
    [UP_GPO_CMD, UP_GPO],
    ["00B2010C00", UP_RECORD],
  ];
}

// ---- Google Pay Mastercard (kernel 2) -----------------------------------------------------

export const MC_PAN = "5413330089010434";
export const MC_T2 = "5413330089010434D2512201000000000000";
export const MC_CDOL1 = "9F02069F03069F1A0295055F2A029A039C019F37049F35019F3403";
export const MC_FCI =
  t("6F", t("84", "A0000000041010"), t("A5", t("50", ascii("MASTERCARD")), t("BF0C", t("9F6E", "07560000323100")))) + OK;
export const MC_GPO = t("80", "1B80", "08010100", "10010100") + OK;
export const MC_RECORD_1 = t("70", t("57", MC_T2), t("5F20", "202F")) + OK;
export const MC_RECORD_2 =
  t("70", t("5A", MC_PAN), t("5F24", "251231"), t("5F25", "200101"), t("5F34", "00"), t("8C", MC_CDOL1), t("8E", "00000000000000004203" + "1E031F03"), t("9F42", "0756")) + OK;
/** CDOL1 data: 12.50, TVR 80 00 00 80 00 (no ODA, over floor limit), UN, 9F35 21, CVM Results 01 00 02 (CDCVM). */
export const MC_GAC_CMD = "80AE8000 21 000000001250 000000000000 0756 8000008000 0756 ...... 00 ........ 21 010002 00";

export function mcGacAnswer(cid: string, pcii?: string): string {
  return t("77", t("9F27", cid), t("9F36", "0017"), t("9F26", "0102030405060708"), t("9F10", "0110A04001220000000000000000000000FF"), pcii ? t("DF4B", pcii) : "") + OK;
}

export function googlePayMastercard(gacAnswer?: string): Exchange[] {
  return [
    [PPSE, ppse(entry("A0000000041010", "MASTERCARD", "01", null))],
    [select("A0000000041010"), MC_FCI],
    ["80A8000002830000", MC_GPO],
    ["00B2010C00", MC_RECORD_1],
    ["00B2011400", MC_RECORD_2],
    [MC_GAC_CMD, gacAnswer ?? mcGacAnswer("80")],
  ];
}
