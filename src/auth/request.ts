/**
 * The authorization request (docs/acquirer-api.md; docs/architecture.md "Authorization request") built
 * from the kernel's data record and the terminal's configuration. Pure: no I/O. The body is
 * one JSON.stringify of a flat object (native code on Espruino), so no JavaScript runs per
 * byte of it on the tap path; the DE 55 blob comes with the record (record.de55, made by
 * buildRecord in the same text iccDataHex gives), else iccDataHex makes it from `icc`.
 */
import { HEX } from "../bytes/hex";
import { maskPan } from "../bytes/mask";
import type { DataRecord } from "../emv/data-record";

/**
 * Not in DE 55. Card data has its own fields (pan, expiry, track2) and must not be
 * duplicated where logs of the ICC data would expose it: 56 Track 1, 57 Track 2, 5A PAN,
 * 5F20 cardholder name, 5F24 expiry, 9F0B name extended, 9F6B Track 2 (C-2); 9F21 goes in
 * `localDateTime`. One property lookup per tag (~10,000 interpreter instructions, measured in
 * espruino-esp32-rel): cheaper than a find() call with its concatenated needle (~55,000).
 */
const NOT_DE55: { [tag: string]: number } = { "56": 1, "57": 1, "5A": 1, "5F20": 1, "5F24": 1, "9F0B": 1, "9F6B": 1, "9F21": 1 };

/** What the request is made of, apart from the card's record. */
export interface AuthRequestInput {
  terminalId: string;
  merchantId: string;
  /** Six digits, persisted before sending. */
  stan: string;
  /** 32 lower-case hex digits: the idempotency key, persisted before sending. */
  clientTransactionId: string;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currency: number;
  /** ISO 3166-1 numeric. */
  country: number;
  /**
   * 9F21 (HHMMSS hex) of the transaction when the record does not carry it; the date is
   * always the record's 9A. Both are the values the card saw.
   */
  time9f21: string;
}

/** The request body as an object, fields in wire order (docs/acquirer-api.md). */
export interface AuthRequest {
  terminalId: string;
  merchantId: string;
  stan: string;
  clientTransactionId: string;
  amountMinor: number;
  currency: string;
  country: string;
  localDateTime: string;
  posEntryMode: string;
  aid: string;
  kernel: number;
  pan?: string;
  expiry: string;
  psn?: string;
  track2?: string;
  iccData: string;
  wallet?: { [hint: string]: string };
}

/**
 * DE 55 as hex: the record's ICC data without card data tags, in the record's key order
 * (the data record inserts them in DE 55 order; JavaScript engines list integer-like keys
 * such as "95" and "82" first, so the order may differ between Node and Espruino: TLV order
 * carries no meaning for the acquirer). One pass, one lookup per tag; a length below 128 (one
 * byte, every tag of a tap) inline. On the tap path the record brings this text as
 * record.de55 (src/emv/data-record.ts): walking `icc` again cost ~2 M interpreter
 * instructions a tap (espruino-esp32-rel).
 */
export function iccDataHex(icc: { [tag: string]: string }): string {
  let out = "";
  // for-in, not Object.keys: Object.keys' array costs the interpreter ~20,000 instructions
  // per key (espruino-esp32-rel), for-in ~6,000; same order on Espruino and on Node.
  for (const t in icc) {
    if (NOT_DE55[t] === 1) continue;
    const v = icc[t];
    const n = v.length >> 1;
    // BER-TLV definite length (Book 3 Annex B2): one byte below 128, else 81 xx, else 82 xxxx.
    const b1 = HEX[(n >> 4) & 15] + HEX[n & 15];
    out += t + (n < 0x80 ? b1 : n < 0x100 ? "81" + b1 : "82" + HEX[(n >> 12) & 15] + HEX[(n >> 8) & 15] + b1) + v;
  }
  return out;
}

function digits(n: number, width: number): string {
  const s = "" + n;
  return s.length >= width ? s : "0".repeat(width - s.length) + s;
}

/** The request object for `record` (clear PAN: send it, never print it; see maskRequest). */
export function buildAuthRequest(record: DataRecord, input: AuthRequestInput): AuthRequest {
  const icc = record.icc;
  // Built field by field in wire order (JSON.stringify keeps insertion order for these names).
  const r = {} as AuthRequest;
  r.terminalId = input.terminalId;
  r.merchantId = input.merchantId;
  r.stan = input.stan;
  r.clientTransactionId = input.clientTransactionId;
  r.amountMinor = input.amountMinor;
  r.currency = digits(input.currency, 3);
  r.country = digits(input.country, 3);
  // "2026-12-06T20:11:32" from 9A (YYMMDD, hex of BCD) and 9F21 (HHMMSS): the transaction's own
  // local date and time, as the card saw them. Years 00–99 are 2000–2099.
  const d = icc["9A"] || "000000";
  const t = icc["9F21"] || input.time9f21;
  r.localDateTime = "20" + d.substring(0, 2) + "-" + d.substring(2, 4) + "-" + d.substring(4, 6) + "T" + t.substring(0, 2) + ":" + t.substring(2, 4) + ":" + t.substring(4, 6);
  r.posEntryMode = "07"; // POS entry mode (ISO 8583 DE 22 positions 1–2): contactless chip (EMV)
  r.aid = record.aid;
  r.kernel = record.kernel;
  if (record.pan) r.pan = record.pan;
  r.expiry = record.expiry;
  if (record.psn !== null) r.psn = record.psn;
  if (record.track2 !== null) r.track2 = record.track2;
  // buildRecord's DE 55, made in the pass that made `icc` (the same text iccDataHex gives).
  r.iccData = record.de55 !== undefined ? record.de55 : iccDataHex(icc);
  const w = record.wallet;
  const wallet: { [hint: string]: string } = {};
  let any = false;
  if (w.tokenRequestor !== undefined) {
    wallet.tokenRequestorId = w.tokenRequestor;
    any = true;
  }
  if (w.par !== undefined) {
    wallet.par = w.par;
    any = true;
  }
  if (w.formFactor !== undefined) {
    wallet.formFactor = w.formFactor;
    any = true;
  }
  if (w.deviceType !== undefined) {
    wallet.deviceType = w.deviceType;
    any = true;
  }
  if (any) r.wallet = wallet;
  return r;
}

/** The exact body bytes that are signed and sent. */
export function requestBody(r: AuthRequest): string {
  return JSON.stringify(r);
}

/** Track 2 hex with the PAN's middle digits as F nibbles (first 6, last 4 kept), by string ops. */
function maskTrack2Hex(t2: string): string {
  const d = t2.indexOf("D");
  const n = d < 0 ? t2.length : d;
  const pan = n <= 10 ? "F".repeat(n) : t2.substring(0, 6) + "F".repeat(n - 10) + t2.substring(n - 4, n);
  return pan + t2.substring(n);
}

/** A copy safe to print or store: PAN and Track 2 masked (first 6, last 4). */
export function maskRequest(r: AuthRequest): AuthRequest {
  const out = JSON.parse(JSON.stringify(r)) as AuthRequest;
  if (r.pan !== undefined) out.pan = maskPan(r.pan);
  if (r.track2 !== undefined) out.track2 = maskTrack2Hex(r.track2.toUpperCase());
  return out;
}
