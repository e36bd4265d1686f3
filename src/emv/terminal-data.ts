/**
 * The terminal's own data for one transaction: what PDOL, CDOL and DDOL ask for and what
 * goes into the authorization request (EMV 4.4 Book 3 Annex A, Book 4; Book C-3 Visa;
 * UnionPay qPBOC/PBOC 3.0 for 9F7A, DF60, DF69). Built fresh for every tap: a new
 * unpredictable number, the date and time at the tap.
 */
import { dateToBcd, numberToBcd, timeToBcd } from "../bytes/bcd";
import { codedError } from "../bytes/coded-error";
import type { Calendar, Random } from "../hal/types";
import type { TlvRecord } from "./tlv";

/** Fixed per terminal (from the configuration). */
export interface TerminalConfig {
  /** ISO 3166-1 numeric country of the terminal, e.g. 756 (Switzerland) → 9F1A 07 56. */
  countryCode: number;
  /** ISO 4217 numeric currency, e.g. 978 (EUR) → 5F2A 09 78. */
  currencyCode: number;
  /** Minor unit digits of the currency (ISO 4217), e.g. 2 → 5F36 02. */
  currencyExponent: number;
  /**
   * 9F35 Terminal Type as its two decimal digits (Book 4 Annex A1): operator (1 financial
   * institution, 2 merchant, 3 cardholder), then environment. tappos is online only, so the
   * environment must be 1 (attended, online only) or 4 (unattended, online only): 21 for a
   * merchant's counter, 24 for a merchant's unattended kiosk. A 2 ("offline with online
   * capability") would tell the card's risk management that the terminal may approve offline.
   */
  terminalType: number;
  /** 9F33 Terminal Capabilities, 3 bytes (Book 4 Annex A2). */
  terminalCapabilities: Uint8Array;
  /** 9F40 Additional Terminal Capabilities, 5 bytes (Book 4 Annex A3). */
  additionalCapabilities: Uint8Array;
  /** 9F4E Merchant Name and Location, printable ASCII. */
  merchantNameLocation: string;
  /** 9F1E IFD Serial Number, exactly 8 printable ASCII characters (an 8). */
  ifdSerial: string;
  /** 9F1C Terminal Identification, exactly 8 printable ASCII characters (an 8), if any. */
  terminalId?: string;
  /** 9F15 Merchant Category Code (ISO 18245, n4), if any. */
  merchantCategoryCode?: number;
  /** 9F16 Merchant Identifier, up to 15 printable ASCII characters (ans 15), if any. */
  merchantId?: string;
}

/** What changes with every transaction. */
export interface TransactionInput {
  /** 9F02 Amount, Authorised in integer minor units (1250 = 12.50 EUR). */
  amountMinor: number;
  /** 9F03 Amount, Other (cashback) in minor units; default 0. */
  amountOtherMinor?: number;
  /** 9C Transaction Type as its two decimal digits: 0 purchase (default), 9 purchase with cashback, 20 refund. */
  transactionType?: number;
  /** 9F66 Terminal Transaction Qualifiers, 4 bytes, built by pre-processing (Book A/B, C-3 §5.2). */
  ttq: Uint8Array;
}

/** Largest n12 amount. */
const MAX_N12 = 999999999999;

function checkAmount(value: number, tag: string): void {
  if (typeof value !== "number" || !isFinite(value) || Math.floor(value) !== value || value < 0 || value > MAX_N12) {
    throw codedError("EMV_AMOUNT_INVALID", "amount " + value + " is not an integer 0…" + MAX_N12 + " (minor units)", { amountMinor: value, tag: tag });
  }
}

function configError(field: string, message: string): never {
  throw codedError("EMV_CONFIG_INVALID", field + ": " + message, { field: field });
}

function bytesOfLength(value: Uint8Array, size: number, field: string): Uint8Array {
  if (!value || value.length !== size) configError(field, "must be " + size + " bytes");
  return value;
}

function code3(value: number, field: string): Uint8Array {
  if (typeof value !== "number" || Math.floor(value) !== value || value < 0 || value > 999) configError(field, "must be a 3-digit code");
  return numberToBcd(value, 2);
}

/** Printable ASCII (0x20–0x7E) as bytes, the common character set of an/ans (Book 4 Annex B). */
function ascii(text: string, minLength: number, maxLength: number, field: string): Uint8Array {
  if (typeof text !== "string" || text.length < minLength || text.length > maxLength) {
    configError(field, minLength === maxLength ? "must be " + maxLength + " characters" : "must be " + minLength + "–" + maxLength + " characters");
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) configError(field, "character " + i + " is not printable ASCII");
    out[i] = c;
  }
  return out;
}

/** Book 4 Annex A1: operator 1–3, environment 1 (attended) or 4 (unattended), online only. */
function onlineOnlyType(t: number): boolean {
  if (typeof t !== "number" || Math.floor(t) !== t || t < 11 || t > 34) return false;
  const env = t % 10;
  return env === 1 || env === 4;
}

/** Amount as b4 (81, 9F04); the caller checks that it fits 32 bits. */
function binary4(value: number): Uint8Array {
  return new Uint8Array([(value / 0x1000000) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

/**
 * The terminal data record for one transaction, keyed by tag hex ("9F02" → bytes); answer
 * DOLs from it with `recordSource([terminalData, cardData])`. The kernel may update
 * entries during the transaction (95 TVR bits, 9F34 CVM Results, 9F09 per application).
 *
 * | tag | value |
 * |---|---|
 * | 9F02, 9F03 | amounts, n12 BCD; 81, 9F04 the same as b4 when below 2^32 |
 * | 5F2A, 5F36, 9F1A | currency n3, its exponent n1, country n3 |
 * | 9A, 9F21 | date YYMMDD, time HHMMSS from `calendar` |
 * | 9C, 9F35, 9F39 | transaction type, terminal type (online only: 21, 24…), POS entry mode 07 (contactless chip) |
 * | 9F37 | unpredictable number: 4 fresh bytes from `random` (Book 4 §6.5.6) |
 * | 9F66, 9F33, 9F40 | TTQ (input), terminal and additional capabilities (config) |
 * | 9F4E, 9F1E, 9F1C, 9F15, 9F16 | merchant name/location, IFD serial, terminal id, MCC, merchant id |
 * | 95, 9B | TVR 5 × 00, TSI 2 × 00: nothing checked yet |
 * | 9F7A, DF60, DF69 | 00 each: the UnionPay answers below |
 *
 * UnionPay PDOLs (qPBOC, PBOC 3.0) ask for three terminal indicators this terminal answers
 * with 00:
 * - 9F7A Electronic Cash Terminal Support Indicator (EMV's VLP Terminal Support Indicator):
 *   01 asks the card for an offline electronic-cash (VLP) transaction, which changes its
 *   AIP/AFL; this terminal does online transactions only.
 * - DF60 CAPP Transaction Indicator: 01 asks for the qPBOC extended application (transit
 *   and other sector files, READ/UPDATE CAPP DATA); 00 when the terminal does not support it.
 * - DF69 SM Algorithm Supported Indicator (PBOC 3.0 Part 17): 01 offers the Chinese SM2/SM3/
 *   SM4 algorithms in place of RSA/SHA-1/3DES; 00 keeps the international ones.
 *
 * @throws EMV_AMOUNT_INVALID (`amountMinor`, `tag`) for an amount that is negative,
 *   fractional or above 999999999999; EMV_CONFIG_INVALID (`field`) for a malformed config
 *   (a terminal type that is not online only included), TTQ or random answer; BCD_RANGE for
 *   an impossible calendar date or time
 */
export function buildTerminalData(config: TerminalConfig, txn: TransactionInput, calendar: Calendar, random: Random): TlvRecord {
  const c0 = constantsOf(config);
  const amount = txn.amountMinor;
  const other = txn.amountOtherMinor ?? 0;
  const type = txn.transactionType ?? 0;
  // Every check in this order, the first fault the one reported. A configuration converted
  // already (constantsOf) and a plain purchase skip the checks they cannot fail.
  if (c0 === null || other !== 0 || type !== 0 || !(Math.floor(amount) === amount && amount >= 0 && amount <= MAX_N12)) {
    checkFirst(config, amount, other, type);
  }
  const un = random.bytes(4);
  if (!un || un.length !== 4) configError("random", "must give 4 bytes");
  const now = calendar.today();
  if (c0 === null) {
    code3(config.currencyCode, "currencyCode");
    code3(config.countryCode, "countryCode");
  }
  const date = dateToBcd(now.year, now.month, now.day);
  const time = timeToBcd(now.hour, now.minute, now.second);
  const ttq = txn.ttq;
  if (!ttq || ttq.length !== 4) configError("ttq", "must be 4 bytes");
  const c = c0 !== null ? c0 : make(config, null);
  // Copies (native) of the configuration's bytes: the record is the kernel's to change.
  const d: TlvRecord = {
    "9F02": n12(amount),
    "9F03": n12(other),
    "5F2A": new Uint8Array(c.currency),
    "5F36": new Uint8Array(c.exponent),
    "9F1A": new Uint8Array(c.country),
    "9A": date,
    "9F21": time,
    "9C": new Uint8Array([type + ((type / 10) | 0) * 6]), // BCD (n12)
    "9F35": new Uint8Array(c.type),
    "9F39": new Uint8Array([0x07]),
    "9F37": un,
    "9F66": ttq,
    "9F33": config.terminalCapabilities,
    "9F40": config.additionalCapabilities,
    "9F4E": new Uint8Array(c.name),
    "9F1E": new Uint8Array(c.ifd),
    "95": new Uint8Array(5),
    "9B": new Uint8Array(2),
    "9F7A": new Uint8Array(1),
    "DF60": new Uint8Array(1),
    "DF69": new Uint8Array(1),
  };
  if (amount <= 0xffffffff) d["81"] = binary4(amount);
  if (other <= 0xffffffff) d["9F04"] = other === 0 ? new Uint8Array(4) : binary4(other);
  if (c.tid !== null) d["9F1C"] = new Uint8Array(c.tid);
  if (c.mid !== null) d["9F16"] = new Uint8Array(c.mid);
  if (c.mcc !== null) d["9F15"] = new Uint8Array(c.mcc);
  return d;
}

/**
 * An amount checked already (an integer 0…999999999999) as n12 (Book 3 §4.3): amountToN12's
 * bytes, two digits a turn (a tap's amount takes two or three turns). A value 0–99 is the BCD
 * byte r + 6 × (its tens) (tens × 16 + units), as for 9C: computed, not a 100-byte table held
 * from boot.
 */
function n12(v: number): Uint8Array {
  const out = new Uint8Array(6);
  for (let i = 5; v > 0; i--) {
    const r = v % 100;
    out[i] = r + ((r / 10) | 0) * 6;
    v = (v - r) / 100;
  }
  return out;
}

/** The checks buildTerminalData makes before it asks `random` (amounts, 9C, 9F35, 5F36). */
function checkFirst(config: TerminalConfig, amount: number, other: number, type: number): void {
  checkAmount(amount, "9F02");
  checkAmount(other, "9F03");
  if (typeof type !== "number" || Math.floor(type) !== type || type < 0 || type > 99) configError("transactionType", "must be 0–99");
  if (!onlineOnlyType(config.terminalType)) configError("terminalType", "must be an online-only type (Book 4 Annex A1): 11, 14, 21, 24, 31 or 34");
  if (!exponentOk(config.currencyExponent)) configError("currencyExponent", "must be 0–9");
}

/**
 * The constants of a configuration whose 9F35 and 5F36 are valid, with `key` (null: not
 * kept). Also buildTerminalData's last checks: 9F33, 9F40, then the merchant's fields.
 * @throws EMV_CONFIG_INVALID (`field`)
 */
function make(config: TerminalConfig, key: string | null): TerminalConstants {
  bytesOfLength(config.terminalCapabilities, 3, "terminalCapabilities");
  bytesOfLength(config.additionalCapabilities, 5, "additionalCapabilities");
  // The merchant's text fields as checked bytes.
  const name = ascii(config.merchantNameLocation, 1, 255, "merchantNameLocation");
  const ifd = ascii(config.ifdSerial, 8, 8, "ifdSerial");
  const tid = config.terminalId !== undefined ? ascii(config.terminalId, 8, 8, "terminalId") : null;
  const mid = config.merchantId !== undefined ? ascii(config.merchantId, 1, 15, "merchantId") : null;
  let mcc: Uint8Array | null = null;
  if (config.merchantCategoryCode !== undefined) {
    const v = config.merchantCategoryCode;
    if (typeof v !== "number" || Math.floor(v) !== v || v < 0 || v > 9999) configError("merchantCategoryCode", "must be 4 digits");
    mcc = numberToBcd(v, 2);
  }
  return {
    key: key as string,
    currency: code3(config.currencyCode, "currencyCode"),
    exponent: numberToBcd(config.currencyExponent, 1),
    country: code3(config.countryCode, "countryCode"),
    type: numberToBcd(config.terminalType, 1),
    name: name,
    ifd: ifd,
    tid: tid,
    mid: mid,
    mcc: mcc,
  };
}

function exponentOk(e: number): boolean {
  return typeof e === "number" && Math.floor(e) === e && e >= 0 && e <= 9;
}

/** 9F4E, 9F1E, 9F1C, 9F16, 9F15 as bytes. */
interface MerchantData {
  name: Uint8Array;
  ifd: Uint8Array;
  tid: Uint8Array | null;
  mid: Uint8Array | null;
  mcc: Uint8Array | null;
}

/**
 * A valid terminal configuration's bytes (5F2A, 5F36, 9F1A, 9F35 and the merchant's), with
 * the configuration they came from as JSON (`key`): a tap compares the text (JSON.stringify
 * is native, cheaper than a property compare per field) and converts nothing. TerminalConfig
 * is plain data; changed in place, it is converted again.
 */
export interface TerminalConstants extends MerchantData {
  key: string;
  currency: Uint8Array;
  exponent: Uint8Array;
  country: Uint8Array;
  type: Uint8Array;
}

/** The last valid configuration's constants: the same configuration tap after tap reuses them. */
let lastConstants: TerminalConstants | null = null;

/**
 * The constants of `config` (see TerminalConstants), converted and checked once per distinct
 * configuration; null when a field is not valid (buildTerminalData then reports it on the tap).
 * Called ahead of the taps too (preprocessing.ts prepareEntryPointConfig): a malformed field
 * is then left for buildTerminalData to report on the tap.
 */
export function constantsOf(config: TerminalConfig): TerminalConstants | null {
  let key: string;
  try {
    key = JSON.stringify(config);
  } catch (e) {
    return convert(config, null); // not plain data (a cycle): converted on every tap
  }
  const c = lastConstants;
  if (c !== null && c.key === key) return c;
  return convert(config, key);
}

/** Checks and converts `config`; keeps the result when `key` is given. Null when a field is not valid. */
function convert(config: TerminalConfig, key: string | null): TerminalConstants | null {
  if (!onlineOnlyType(config.terminalType) || !exponentOk(config.currencyExponent)) return null;
  let out: TerminalConstants;
  try {
    out = make(config, key);
  } catch (e) {
    return null;
  }
  if (key !== null) lastConstants = out;
  return out;
}
