/**
 * The data record of an Online Request (Book A §6.2 "Data Record"; docs/architecture.md "Authorization
 * request"): card number, expiry, PSN, Track 2, and the ICC data (DE 55) the issuer needs to
 * verify the cryptogram. The clear PAN lives only in RAM and in the authorization request:
 * everything else (logs, traces, screen, JSON) takes `maskRecord`.
 */
import { bcdToDigits } from "../bytes/bcd";
import { codedError, isCoded } from "../bytes/coded-error";
import { concat, fromHex, HEX, HEX_CODES, hexOf, mapInPlace, nibbleText, printableText, toBinaryString } from "../bytes/hex";
import { maskPan, maskPanNibbles } from "../bytes/mask";
import type { Cvm } from "./outcome";
import { encodeTlv, type TlvRecord } from "./tlv";

/** What the card says about the wallet or device (hints for the acquirer; never decisive). */
export interface WalletHints {
  /** Visa 9F6E Form Factor Indicator byte 1 b5–b1 (Book C-3 Annex A): CARD, MINI_CARD, NON_CARD, PHONE, WRIST, or the number. */
  formFactor?: string;
  /** Mastercard 9F6E Third Party Data Device Type (Book C-2 Annex A; M/Chip: "00" card…), when Unique Identifier b16 is 0. */
  deviceType?: string;
  /** 9F19 Token Requestor ID (n11): which wallet holds the token. */
  tokenRequestor?: string;
  /** 9F24 Payment Account Reference (an29): the account behind a token. */
  par?: string;
  /**
   * The card's own data that suggests the number is a token: "9F19" (a token requestor ID),
   * "9F24" (a PAR), "9F6E" (a form factor or device type other than a card), first found in
   * that order; absent when none does. Never inferred from the number: 62… is UnionPay's
   * ordinary IIN, a card's PAN as often as a token.
   */
  tokenHint?: string;
}

export interface DataRecord {
  kernel: number;
  /** DF name of the selected application, hex. */
  aid: string;
  /** PAN or token, clear digits. RAM only: print `maskRecord(record)`. */
  pan: string;
  /** Expiry YYMM (Track 2, else 5F24). */
  expiry: string;
  /** 5F34 PAN Sequence Number, two digits; null when the card has none. */
  psn: string | null;
  /** Track 2 Equivalent Data (57; C-2 falls back to 9F6B) as hex, PAN in clear; null when absent. */
  track2: string | null;
  /** Service code from Track 2; null without Track 2. */
  serviceCode: string | null;
  cvm: Cvm;
  /** 50 Application Label (an 1–16) from the final selection's FCI, for the receipt; null when absent or not printable. */
  label?: string | null;
  /** ICC data for the authorization (DE 55): hex values by tag hex ("9F26"). No PAN inside. */
  icc: { [tag: string]: string };
  wallet: WalletHints;
  /**
   * DE 55 as the authorization request sends it (iccDataHex of `icc`, src/auth/request.ts),
   * made by buildRecord in the same pass as `icc`: whoever changes `icc` deletes it. Absent
   * when buildRecord took the long way (a value of 128 bytes or more) and in masked copies.
   */
  de55?: string;
}

/**
 * `maskRecord`'s result: PAN and Track 2 masked (first 6, last 4); safe to print or store.
 * Branded (type-level only, no runtime field): only maskRecord makes one, so code that prints
 * takes a MaskedRecord and the compiler refuses a clear DataRecord there.
 */
export type MaskedRecord = DataRecord & { readonly __masked: true };

// DE 55 content and order (docs/architecture.md "Authorization request").
// One text, split where a list is needed (iccData, v8Order): an array of the 24 held ~50 JsVars.
const ICC_TAGS = "9F26 9F27 9F10 9F37 9F36 95 9A 9C 9F02 9F03 5F2A 82 84 9F1A 9F33 9F34 9F35 9F66 9F6C 9F6E 9F19 9F24 9F63 5F34";

/**
 * Where each ICC_TAGS value comes from, an index into buildRecord's sources: 0 card, 1
 * terminal (from the terminal record only: a card must not be able to supply the UN or the
 * amount), 2 terminal but not for C-2, 3 card for C-7 only. 9F66 (TTQ) belongs to the kernels
 * that send it, C-3 and C-7; 9F63 is C-7's Product Identification Information (other kernels
 * give the tag other meanings). Bytes beside the tags, not a [tag, source] array per tag: ~55
 * JsVars held from boot where those took ~170, for the same work per tap.
 */
const ICC_FROM = new Uint8Array([0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 2, 0, 0, 0, 0, 3, 0]);

/**
 * The DE 55 tags in some order, each with its source (ICC_FROM): the tags as one text split at
 * each use (a few JsVars held, where an array of the 24 held ~50 while the card part is
 * loaded: issue 9; the split is native, one call a record).
 */
interface IccOrder {
  tags: string;
  from: Uint8Array;
}

/**
 * ICC_TAGS in the order a for-in walks the record's `icc` (walked by for-of: an index into an
 * Espruino array walks it from the start): insertion order on Espruino; on V8, integer-like
 * keys ("82", "84", "95") first and ascending. So the DE 55 that buildRecord writes in one pass
 * is the one iccDataHex (src/auth/request.ts) makes from `icc` on either engine.
 */
const DE55_ORDER: IccOrder = Object.keys({ "95": 0, "82": 0 })[0] === "82" ? v8Order() : { tags: ICC_TAGS, from: ICC_FROM };

/** ICC_TAGS and ICC_FROM with V8's array-index keys first, ascending (its sort is stable): on Node only. */
function v8Order(): IccOrder {
  const rank = (t: string) => ("" + parseInt(t, 10) === t ? parseInt(t, 10) : 1000);
  const tags = ICC_TAGS.split(" ");
  const e = tags.map((t, i) => i);
  e.sort((x, y) => rank(tags[x]) - rank(tags[y]));
  return { tags: e.map((i) => tags[i]).join(" "), from: new Uint8Array(e.map((i) => ICC_FROM[i])) };
}

/** No value: buildRecord's source for a tag its kernel does not send. */
const NONE: TlvRecord = {};

/** Nibble classes for BCD checks by native indexOf (nibbleText): digits "0", A–E "X", F "F". */
const BCD_CLASS = new Uint8Array(16);
BCD_CLASS.fill(48, 0, 10);
BCD_CLASS.fill(88, 10, 15);
BCD_CLASS[15] = 70;
/** The same for Track 2, where the separator D has a class of its own, "D". */
const T2_CLASS = new Uint8Array(BCD_CLASS);
T2_CLASS[13] = 68;

function nibble(b: Uint8Array, k: number): number {
  return k & 1 ? b[k >> 1] & 15 : b[k >> 1] >> 4;
}

function invalid(code: string, tag: string, offset: number, message: string): never {
  throw codedError(code, message, { tag: tag, offset: offset });
}

function checkMonth(yymm: string, tag: string): void {
  const m = (yymm.charCodeAt(2) - 48) * 10 + yymm.charCodeAt(3) - 48;
  if (m < 1 || m > 12) invalid("EMV_DATA_INVALID", tag, 0, "expiry month " + m);
}

/** Cardholder data from Track 2 or 5A/5F24. */
export interface CardholderData {
  pan: string;
  expiry: string;
  serviceCode: string | null;
  /** The Track 2 object used (57 or 9F6B), null when none. */
  track2: Uint8Array | null;
  /** `track2` as hex (read once for the record), null when none. */
  track2Hex: string | null;
}

/** Track 2 fields and the hex they were read from. */
interface Track2Read {
  pan: string;
  expiry: string;
  serviceCode: string;
  hex: string;
}

/**
 * Track 2 Equivalent Data (57, Book 3 Annex A; ISO/IEC 7813 layout): PAN (12–19 digits),
 * separator D, expiry YYMM, service code (3 digits), discretionary digits, one F pad nibble
 * at most, last.
 * @throws EMV_TRACK2_INVALID (`tag`, `offset` in nibbles)
 */
export function parseTrack2(t2: Uint8Array, tag: string): { pan: string; expiry: string; serviceCode: string } {
  const r = readTrack2(t2, tag);
  return { pan: r.pan, expiry: r.expiry, serviceCode: r.serviceCode };
}

/** parseTrack2 with the hex of `t2`, which the record keeps (one hexOf a tap, not two). */
function readTrack2(t2: Uint8Array, tag: string): Track2Read {
  // Through native nibble maps and indexOf: a loop per nibble costs the interpreter ~40
  // tokens a turn. c classes the nibbles (digit, A/B/C/E, D, F): the D separator at 12–19, no
  // A/B/C/E anywhere, after D no second D and no F but a last pad nibble, 7 digits at least.
  // Anything unusual goes to the nibble loop, which finds it.
  const c = nibbleText(t2, T2_CLASS);
  const d = c.indexOf("D");
  const f = c.indexOf("F", d + 1);
  const end = f < 0 ? c.length : f;
  const hex = hexOf(t2);
  if (d >= 12 && d <= 19 && end - d > 7 && (f < 0 || f === c.length - 1) && c.indexOf("X") < 0 && c.indexOf("D", d + 1) < 0) {
    const pan = hex.substring(0, d).split("F").join("*");
    // A clear PAN without the call; the month (digits here) without checkMonth's.
    const m = (hex.charCodeAt(d + 3) - 48) * 10 + hex.charCodeAt(d + 4) - 48;
    if ((pan.indexOf("*") < 0 || maskedOnlyInMiddle(pan)) && m >= 1 && m <= 12) {
      return { pan: pan, expiry: hex.substring(d + 1, d + 5), serviceCode: hex.substring(d + 5, d + 8), hex: hex };
    }
  }
  const r = parseTrack2Nibbles(t2, tag);
  return { pan: r.pan, expiry: r.expiry, serviceCode: r.serviceCode, hex: hex };
}

/** parseTrack2 nibble by nibble, with the exact offset of what is wrong (exported for the tests that hold the fast path to it). */
export function parseTrack2Nibbles(t2: Uint8Array, tag: string): { pan: string; expiry: string; serviceCode: string } {
  const n = t2.length * 2;
  let k = 0;
  let pan = "";
  for (; k < n; k++) {
    const v = nibble(t2, k);
    if (v <= 9) pan += String.fromCharCode(48 + v);
    else if (v === 15) pan += "*";
    else break;
  }
  if (k >= n || nibble(t2, k) !== 13 || pan.length < 12 || pan.length > 19 || !maskedOnlyInMiddle(pan)) {
    invalid("EMV_TRACK2_INVALID", tag, k, "no PAN of 12–19 digits before the D separator");
  }
  let rest = "";
  for (k++; k < n; k++) {
    const v = nibble(t2, k);
    if (v <= 9) rest += String.fromCharCode(48 + v);
    else if (v !== 15 || k !== n - 1) invalid("EMV_TRACK2_INVALID", tag, k, "nibble " + v + " after the separator");
  }
  if (rest.length < 7) invalid("EMV_TRACK2_INVALID", tag, k, "no expiry and service code");
  const expiry = rest.substring(0, 4);
  checkMonth(expiry, tag);
  return { pan: pan, expiry: expiry, serviceCode: rest.substring(4, 7) };
}

/**
 * A transcript recorded by tappos masks the PAN's middle digits as F nibbles (docs/architecture.md
 * "Transcript") and must replay to the same outcome: F is read as a masked digit "*" there,
 * and only there — the first 6 and last 4 digits stay clear. A record with "*" digits can
 * never be authorised (the acquirer sees no PAN), which is what a replay should get.
 */
function maskedOnlyInMiddle(pan: string): boolean {
  const first = pan.indexOf("*");
  if (first < 0) return true;
  for (let i = pan.length - 4; i < pan.length; i++) if (pan.charAt(i) === "*") return false;
  return first >= 6;
}

/** The PAN in 5A: BCD digits, masked middle digits (F) as "*", one trailing F pad allowed. */
function panOf(value: Uint8Array): string {
  let hex = hexOf(value);
  if (hex.charAt(hex.length - 1) === "F") hex = hex.substring(0, hex.length - 1);
  if (nibbleText(value, BCD_CLASS).indexOf("X") < 0) {
    const pan = hex.split("F").join("*");
    if (maskedOnlyInMiddle(pan)) return pan;
  }
  return panOfNibbles(value);
}

/** panOf nibble by nibble, with the exact offset of what is wrong. */
function panOfNibbles(value: Uint8Array): string {
  let pan = "";
  const n = value.length * 2;
  for (let k = 0; k < n; k++) {
    const v = nibble(value, k);
    if (v <= 9) pan += String.fromCharCode(48 + v);
    else if (v === 15 && k < n - 1) pan += "*";
    else if (v !== 15) invalid("EMV_DATA_INVALID", "5A", k >> 1, "not BCD");
  }
  if (!maskedOnlyInMiddle(pan)) invalid("EMV_DATA_INVALID", "5A", 0, "not BCD");
  return pan;
}

/**
 * BCD digits (formats n and cn, EMV Book 3 §4.3: digits, then F padding only) as bcdToDigits
 * reads them, through two native nibble maps; null when the value breaks the format (then
 * bcdToDigits says where). Exported for the tests that hold it to bcdToDigits.
 */
export function bcdDigits(value: Uint8Array): string | null {
  const c = nibbleText(value, BCD_CLASS);
  const f = c.indexOf("F");
  if (c.indexOf("X") >= 0 || (f >= 0 && c.indexOf("0", f) >= 0)) return null;
  const hex = hexOf(value);
  return f < 0 ? hex : hex.substring(0, f);
}

/** BCD digits of a card value, its format errors as EMV_DATA_INVALID with the tag. */
function digitsOf(value: Uint8Array, tag: string): string {
  const d = bcdDigits(value);
  if (d !== null) return d;
  // Not read: bcdToDigits finds the offset of what is wrong.
  try {
    return bcdToDigits(value);
  } catch (e) {
    if (isCoded(e)) invalid("EMV_DATA_INVALID", tag, (e.offset as number) || 0, "not BCD");
    throw e;
  }
}

/**
 * PAN and expiry: from Track 2 (57, else 9F6B) when present, else from 5A and 5F24. When
 * both Track 2 and 5A are present their PANs must agree (one account, Book 3 §7.2).
 * @throws EMV_MISSING_TAG (`tag`), EMV_TRACK2_INVALID, EMV_DATA_INVALID, EMV_PAN_MISMATCH
 */
export function cardholderData(card: TlvRecord): CardholderData {
  const t2tag = card["57"] ? "57" : "9F6B";
  const t2 = card[t2tag] ?? null;
  const fromT2 = t2 ? readTrack2(t2, t2tag) : null;
  const v5a = card["5A"];
  let pan5a: string | null = null;
  if (v5a) {
    // Track 2's PAN (checked) as 5A writes it, one F pad when odd: what panOf reads, without its checks.
    const h = fromT2 ? hexOf(v5a) : null;
    pan5a = fromT2 && (h === fromT2.pan || h === fromT2.pan + "F") ? fromT2.pan : panOf(v5a);
    if (pan5a.length < 12 || pan5a.length > 19) invalid("EMV_DATA_INVALID", "5A", 0, "PAN of " + pan5a.length + " digits");
  }
  if (fromT2 && pan5a !== null && fromT2.pan !== pan5a) invalid("EMV_PAN_MISMATCH", "5A", 0, "5A and Track 2 name different PANs");
  if (fromT2) return { pan: fromT2.pan, expiry: fromT2.expiry, serviceCode: fromT2.serviceCode, track2: t2, track2Hex: fromT2.hex };
  if (pan5a === null) throw codedError("EMV_MISSING_TAG", "no Track 2 and no PAN", { tag: "57" });
  const v24 = card["5F24"];
  if (!v24 || v24.length !== 3) throw codedError("EMV_MISSING_TAG", "no expiry date", { tag: "5F24" });
  const expiry = digitsOf(v24, "5F24").substring(0, 4);
  checkMonth(expiry, "5F24");
  return { pan: pan5a, expiry: expiry, serviceCode: null, track2: null, track2Hex: null };
}

/** Wallet hints; a malformed hint is left out (its raw value stays in `icc`). */
function walletHints(kernel: number, card: TlvRecord): WalletHints {
  const w: WalletHints = {};
  let device = false;
  const t6e = card["9F6E"];
  if (t6e && kernel === 3 && t6e.length >= 1) {
    // Visa Form Factor Indicator, Book C-3 Annex A: byte 1 b8–b6 version, b5–b1 form factor.
    const ff = t6e[0] & 0x1f;
    // The names in this function's code (run from flash on a board), not a module-level list held from boot.
    w.formFactor = ff < 5 ? ["CARD", "MINI_CARD", "NON_CARD", "PHONE", "WRIST"][ff] : "" + ff;
    device = ff > 1;
  } else if (t6e && kernel === 2 && t6e.length >= 6 && (t6e[2] & 0x80) === 0) {
    // Mastercard Third Party Data, Book C-2 Annex A: country (2), Unique Identifier (2),
    // Device Type (an 2) when the identifier's b16 is 0, then proprietary data.
    const dt = printableText(t6e.subarray(4, 6));
    if (dt !== null) w.deviceType = dt;
    device = dt !== null && dt !== "00";
  }
  const t19 = card["9F19"];
  const t24 = card["9F24"];
  // Not BCD: the hint stays, the requestor id is left out.
  const d = t19 ? bcdDigits(t19) : null;
  if (d !== null) w.tokenRequestor = d.length === 12 && d.charCodeAt(0) === 48 ? d.substring(1) : d;
  const par = t24 ? printableText(t24) : null;
  if (par !== null) w.par = par;
  if (t19 && t19.length > 0) w.tokenHint = "9F19";
  else if (t24 && t24.length > 0) w.tokenHint = "9F24";
  else if (device) w.tokenHint = "9F6E";
  return w;
}

/**
 * The data record for an Online Request, from the card's data, the terminal's data (the
 * very values sent in the PDOL/CDOL, so UN and amount match the cryptogram) and the CVM.
 * @throws EMV_MISSING_TAG, EMV_TRACK2_INVALID, EMV_DATA_INVALID, EMV_PAN_MISMATCH
 */
export function buildRecord(kernel: number, aid: string, card: TlvRecord, term: TlvRecord, cvm: Cvm): DataRecord {
  const chd = cardholderData(card);
  const p34 = card["5F34"];
  // The usual PSN, one byte of two BCD digits, inline: digitsOf makes four calls for it.
  const b34 = p34 && p34.length === 1 ? p34[0] : 255;
  const r: DataRecord = {
    kernel: kernel,
    aid: aid,
    pan: chd.pan,
    expiry: chd.expiry,
    psn: b34 < 0xa0 && (b34 & 15) < 10 ? HEX[b34 >> 4] + HEX[b34 & 15] : p34 ? digitsOf(p34, "5F34") : null,
    track2: chd.track2Hex,
    serviceCode: chd.serviceCode,
    cvm: cvm,
    label: card["50"] ? printableText(card["50"]) : null,
    icc: {},
    wallet: walletHints(kernel, card),
  };
  const icc = r.icc;
  // Locals, not module names: a module-level name is looked up along the interpreter's root
  // scope at each use. Each value hexed as hexOf does it, without a call of hexOf per tag.
  const map = mapInPlace;
  const str = toBinaryString;
  const codes = HEX_CODES;
  const digits = HEX;
  const src = [card, term, kernel === 2 ? NONE : term, kernel === 7 ? card : NONE];
  const from = DE55_ORDER.from;
  let i = 0;
  let de55 = "";
  let m = 0;
  // The loop body is lexed again at each turn (~1,000 instructions a token): the hex stored
  // and appended in one expression.
  for (const t of DE55_ORDER.tags.split(" ")) {
    const v = src[from[i++]][t];
    if (v) {
      const n = v.length;
      const o = new Uint8Array(2 * n);
      map(v, o, codes, 4);
      de55 += t + digits[n >> 4] + digits[n & 15] + (icc[t] = str(o));
      m |= n;
    }
  }
  // A value of 128 bytes or more needs a long-form length: iccDataHex writes that DE 55.
  if (m < 128) r.de55 = de55;
  return r;
}

/**
 * A shallow copy of a plain object. Not Object.assign: on Espruino 2v29 it aborts the
 * interpreter (ASSERT in jsvar.c) when a key looks like an integer, as tags "95" and "82" do.
 */
export function copyFields<T extends object>(src: T): T {
  const out = {} as { [k: string]: unknown };
  // for-in, not Object.keys: measured in espruino-esp32-rel, a 22-key copy costs 0.67 M
  // instructions this way, 1.10 M through Object.keys' array. Same order (insertion order on
  // Espruino, V8's own-key order on Node); the records are plain objects (nothing inherited
  // is enumerable).
  for (const k in src) out[k] = (src as { [k: string]: unknown })[k];
  return out as T;
}

/** The record with PAN and Track 2 masked (first 6, last 4 digits): for logs, screens, JSON. */
export function maskRecord(r: DataRecord): MaskedRecord {
  let t2: string | null = null;
  if (r.track2 !== null) {
    const b = fromHex(r.track2);
    maskPanNibbles(b, 0, b.length);
    t2 = hexOf(b);
  }
  const m: DataRecord = {
    kernel: r.kernel,
    aid: r.aid,
    pan: maskPan(r.pan),
    expiry: r.expiry,
    psn: r.psn,
    track2: t2,
    serviceCode: r.serviceCode,
    cvm: r.cvm,
    label: r.label,
    icc: copyFields(r.icc),
    wallet: copyFields(r.wallet),
  };
  return m as MaskedRecord;
}

/** The ICC data as BER-TLV (ISO 8583 DE 55 style), in DE 55 order. */
export function iccData(r: DataRecord): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const tag of ICC_TAGS.split(" ")) {
    const v = r.icc[tag];
    if (v !== undefined) parts.push(encodeTlv(parseInt(tag, 16), fromHex(v)));
  }
  return concat(parts);
}
