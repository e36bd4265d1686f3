/**
 * Strict decoding of the request bodies (docs/acquirer-api.md, acquirer-api.schema.json):
 * every field checked against its rule, unknown fields refused, the first fault named.
 * Errors: ACQ_BAD_JSON (no JSON object) and ACQ_BAD_FIELD (`field`).
 */
import { codedError, isCoded } from "../../src/bytes/coded-error";
import type { AuthRequest } from "../../src/auth/request";
import { collectTlv, type TlvRecord } from "../../src/emv/tlv";

/** A decoded authorization request: the very shape the terminal sends (src/auth/request.ts). */
export type AuthorizationRequest = AuthRequest;

export type ReversalReason = "no_answer" | "host_error" | "merchant_void" | "cancelled";

export interface ReversalRequest {
  terminalId: string;
  clientTransactionId: string;
  stan: string;
  amountMinor: number;
  currency: string;
  reason: ReversalReason;
  time: string;
}

/** Card data never sent in iccData (it has its own fields). */
const CARD_DATA_TAGS = ["56", "57", "5A", "5F20", "5F24", "9F0B", "9F6B"];
const MAX_AMOUNT = 999999999999;
const MAX_ICC_BYTES = 1024;
const REASONS: ReversalReason[] = ["no_answer", "host_error", "merchant_void", "cancelled"];

type Fields = { [k: string]: unknown };

function badField(field: string): Error {
  return codedError("ACQ_BAD_FIELD", "bad field " + field, { field: field });
}

/** Parses a body as a JSON object. @throws ACQ_BAD_JSON */
export function parseJsonObject(body: Uint8Array): Fields {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw codedError("ACQ_BAD_JSON", "malformed JSON");
  }
  if (!v || typeof v !== "object" || Array.isArray(v)) throw codedError("ACQ_BAD_JSON", "malformed JSON");
  return v as Fields;
}

function str(o: Fields, field: string, pattern: RegExp): string {
  const v = o[field];
  if (typeof v !== "string" || !pattern.test(v)) throw badField(field);
  return v;
}

function optStr(o: Fields, field: string, pattern: RegExp): string | undefined {
  return o[field] === undefined ? undefined : str(o, field, pattern);
}

function int(o: Fields, field: string, min: number, max: number): number {
  const v = o[field];
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw badField(field);
  return v;
}

function onlyKnown(o: Fields, known: string[]): void {
  for (const k of Object.keys(o)) if (known.indexOf(k) < 0) throw badField(k);
}

const ID = /^[0-9a-f]{32}$/;
const TERMINAL = /^[A-Za-z0-9]{1,16}$/;
const STAN = /^[0-9]{6}$/;
const N3 = /^[0-9]{3}$/;

const AUTH_FIELDS = [
  "terminalId", "merchantId", "stan", "clientTransactionId", "amountMinor", "currency", "country", "localDateTime",
  "posEntryMode", "aid", "kernel", "pan", "expiry", "psn", "track2", "iccData", "wallet",
];

/** The ICC data as a record by tag hex; card-data tags and bad TLV are faults of `iccData`. */
export function iccRecord(iccData: string): TlvRecord {
  let rec: TlvRecord;
  try {
    rec = collectTlv(Buffer.from(iccData, "hex"));
  } catch (e) {
    if (isCoded(e)) throw badField("iccData");
    throw e;
  }
  for (const t of CARD_DATA_TAGS) if (rec[t] !== undefined) throw badField("iccData");
  return rec;
}

/**
 * Decodes an authorization request.
 * @throws ACQ_BAD_FIELD (`field`)
 */
export function decodeAuthorization(o: Fields): AuthorizationRequest {
  onlyKnown(o, AUTH_FIELDS);
  const r: AuthorizationRequest = {
    terminalId: str(o, "terminalId", TERMINAL),
    merchantId: str(o, "merchantId", /^[A-Za-z0-9]{1,15}$/),
    stan: str(o, "stan", STAN),
    clientTransactionId: str(o, "clientTransactionId", ID),
    amountMinor: int(o, "amountMinor", 1, MAX_AMOUNT),
    currency: str(o, "currency", N3),
    country: str(o, "country", N3),
    localDateTime: str(o, "localDateTime", /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$/),
    posEntryMode: str(o, "posEntryMode", /^[0-9]{2}$/),
    aid: str(o, "aid", /^([0-9A-Fa-f]{2}){5,16}$/),
    kernel: int(o, "kernel", 1, 255),
    expiry: str(o, "expiry", /^[0-9]{2}(0[1-9]|1[0-2])$/),
    iccData: str(o, "iccData", new RegExp(`^([0-9A-Fa-f]{2}){1,${MAX_ICC_BYTES}}$`)),
  };
  const pan = optStr(o, "pan", /^[0-9]{12,19}$/);
  const psn = optStr(o, "psn", /^[0-9]{2}$/);
  const track2 = optStr(o, "track2", /^[0-9]{12,19}[Dd][0-9]{2}(0[1-9]|1[0-2])[0-9]{3}[0-9]*[Ff]?$/);
  if (track2 !== undefined && track2.length > 40) throw badField("track2");
  if (pan === undefined && track2 === undefined) throw badField("pan");
  if (pan !== undefined) r.pan = pan;
  if (psn !== undefined) r.psn = psn;
  if (track2 !== undefined) r.track2 = track2;
  iccRecord(r.iccData);
  if (o.wallet !== undefined) {
    const w = o.wallet;
    if (!w || typeof w !== "object" || Array.isArray(w)) throw badField("wallet");
    const keys = Object.keys(w);
    if (keys.length > 8) throw badField("wallet");
    const out: { [hint: string]: string } = {};
    for (const k of keys) {
      const v = (w as Fields)[k];
      if (typeof v !== "string" || v.length > 64 || k.length > 32) throw badField("wallet");
      out[k] = v;
    }
    r.wallet = out;
  }
  return r;
}

/**
 * Decodes a reversal request.
 * @throws ACQ_BAD_FIELD (`field`)
 */
export function decodeReversal(o: Fields): ReversalRequest {
  onlyKnown(o, ["terminalId", "clientTransactionId", "stan", "amountMinor", "currency", "reason", "time"]);
  const reason = o.reason as ReversalReason;
  const r: ReversalRequest = {
    terminalId: str(o, "terminalId", TERMINAL),
    clientTransactionId: str(o, "clientTransactionId", ID),
    stan: str(o, "stan", STAN),
    amountMinor: int(o, "amountMinor", 1, MAX_AMOUNT),
    currency: str(o, "currency", N3),
    reason: reason,
    time: str(o, "time", /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/),
  };
  if (REASONS.indexOf(reason) < 0) throw badField("reason");
  if (Number.isNaN(Date.parse(r.time))) throw badField("time");
  return r;
}

/** The PAN of a request: `pan`, else Track 2's digits before the separator. */
export function panOf(r: AuthorizationRequest): string {
  if (r.pan !== undefined) return r.pan;
  const t2 = r.track2 as string;
  return t2.substring(0, t2.search(/[Dd]/));
}

/** Canonical JSON (keys sorted at every level): the same request whatever its key order. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return "[" + v.map(canonicalJson).join(",") + "]";
  const o = v as Fields;
  return "{" + Object.keys(o).sort().map((k) => JSON.stringify(k) + ":" + canonicalJson(o[k])).join(",") + "}";
}
