/**
 * The authorization request (docs/acquirer-api.md; docs/architecture.md "Authorization request") built
 * from the kernel's data record and the terminal's configuration. Pure: no I/O. The body is
 * one JSON.stringify of a flat object (native code on Espruino), so no JavaScript runs per
 * byte of it on the tap path; the DE 55 blob is concatenated from the record's hex values.
 */
import { fromHex, toHex } from "../bytes/hex";
import { maskPan, maskPanNibbles } from "../bytes/mask";
import type { DataRecord } from "../emv/data-record";
import { localDateTime } from "./time";

/** POS entry mode (ISO 8583 DE 22 positions 1–2): 07 = contactless chip (EMV). */
export const POS_ENTRY_CONTACTLESS_CHIP = "07";

/** DE 55 order (docs/architecture.md "Authorization request"); any other tag of the record follows. */
const DE55_ORDER = "9F26 9F27 9F10 9F37 9F36 95 9A 9C 9F02 9F03 5F2A 82 84 9F1A 9F33 9F34 9F35 9F66 9F6C 9F6E 9F19 9F24 5F34".split(" ");

/**
 * Card data never travels in DE 55: it has its own fields (pan, expiry, track2) and must not
 * be duplicated where logs of the ICC data would expose it. 56 Track 1, 57 Track 2,
 * 5A PAN, 5F20 cardholder name, 5F24 expiry, 9F0B name extended, 9F6B Track 2 (C-2).
 */
const CARD_DATA_TAGS = "56 57 5A 5F20 5F24 9F0B 9F6B".split(" ");

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

function hexByte(n: number): string {
  return (n < 16 ? "0" : "") + n.toString(16).toUpperCase();
}

/** One BER-TLV element from tag hex and value hex (definite length, Book 3 Annex B2). */
function tlvHex(tag: string, value: string): string {
  const n = value.length >> 1;
  const len = n < 0x80 ? hexByte(n) : n < 0x100 ? "81" + hexByte(n) : "82" + hexByte(n >> 8) + hexByte(n & 0xff);
  return tag + len + value;
}

/** DE 55 as hex: the record's ICC data without card data tags, in DE 55 order. */
export function iccDataHex(icc: { [tag: string]: string }): string {
  let out = "";
  for (let i = 0; i < DE55_ORDER.length; i++) {
    const v = icc[DE55_ORDER[i]];
    if (v !== undefined) out += tlvHex(DE55_ORDER[i], v);
  }
  const keys = Object.keys(icc);
  for (let i = 0; i < keys.length; i++) {
    const t = keys[i];
    if (DE55_ORDER.indexOf(t) < 0 && CARD_DATA_TAGS.indexOf(t) < 0 && t !== "9F21") out += tlvHex(t, icc[t]);
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
  r.localDateTime = localDateTime(icc["9A"] || "000000", icc["9F21"] || input.time9f21);
  r.posEntryMode = POS_ENTRY_CONTACTLESS_CHIP;
  r.aid = record.aid;
  r.kernel = record.kernel;
  if (record.pan) r.pan = record.pan;
  r.expiry = record.expiry;
  if (record.psn !== null) r.psn = record.psn;
  if (record.track2 !== null) r.track2 = record.track2;
  r.iccData = iccDataHex(icc);
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

/** A copy safe to print or store: PAN and Track 2 masked (first 6, last 4). */
export function maskRequest(r: AuthRequest): AuthRequest {
  const out = JSON.parse(JSON.stringify(r)) as AuthRequest;
  if (r.pan !== undefined) out.pan = maskPan(r.pan);
  if (r.track2 !== undefined) {
    const b = fromHex(r.track2);
    maskPanNibbles(b, 0, b.length);
    out.track2 = toHex(b);
  }
  return out;
}
