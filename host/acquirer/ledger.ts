/**
 * What the acquirer answers, over the store (docs/acquirer-api.md): authorizations with
 * idempotency, cryptogram and ATC checks and the test amounts; status queries; reversals.
 * Synchronous from the first read of the store to the last write (better-sqlite3 is
 * synchronous), so two requests with the same id can never both authorize.
 */
import { createHmac, randomBytes } from "node:crypto";
import { isCoded } from "../../src/bytes/coded-error";
import { maskPan } from "../../src/bytes/mask";
import { bcdToDigits } from "../../src/bytes/bcd";
import type { IssuerEntry, TerminalEntry } from "./config";
import { issuerAuthenticationData, verifyCryptogram } from "./arqc";
import type { AcquirerStore, AuthorizationRow, Delivery, ReversalRow } from "./store";
import { canonicalJson, iccRecord, panOf, type AuthorizationRequest, type ReversalRequest } from "./validate";

/** An HTTP answer: status, JSON body, and how to deliver it. */
export interface Reply {
  status: number;
  body: { [k: string]: unknown };
  delivery: Delivery;
  /** For the log line: masked PAN, response code. */
  maskedPan?: string;
  responseCode?: string;
}

/** Test amounts: amountMinor mod 100 (docs/acquirer-api.md "Test amounts"). */
export const enum TestCents {
  InsufficientFunds = 51,
  DoNotHonour = 5,
  NoAnswer = 91,
  InternalError = 96,
  DropConnection = 97,
}

export interface LedgerContext {
  store: AcquirerStore;
  issuers: IssuerEntry[];
  /** Wall clock, ms. */
  now: () => number;
}

function hmacHex(secret: Uint8Array, text: string): string {
  return createHmac("sha256", secret).update(text, "utf8").digest("hex");
}

function reply(status: number, body: { [k: string]: unknown }, delivery: Delivery = "answer"): Reply {
  return { status: status, body: body, delivery: delivery };
}

const conflict = (): Reply => reply(409, { error: "conflict" });

function authCode(): string {
  // 6 characters [A-Z0-9] (ISO 8583 DE 38), from 30 random bits.
  const n = randomBytes(4).readUInt32BE(0);
  let s = "";
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / 36)) s += "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".charAt(v % 36);
  return s;
}

/** BCD digits of a value, null when absent or not BCD. */
function digitsOf(v: Uint8Array | undefined): string | null {
  if (!v) return null;
  try {
    return bcdToDigits(v);
  } catch (e) {
    if (isCoded(e, "BCD_INVALID")) return null;
    throw e;
  }
}

function stored(row: AuthorizationRow): Reply {
  const r = reply(200, JSON.parse(row.answer) as { [k: string]: unknown }, row.delivery);
  r.maskedPan = row.maskedPan;
  r.responseCode = row.responseCode;
  return r;
}

/** POST /v1/authorizations for a decoded, authenticated request. */
export function authorize(ctx: LedgerContext, terminal: TerminalEntry, req: AuthorizationRequest): Reply {
  const { store } = ctx;
  if (req.terminalId !== terminal.terminalId) return reply(400, { error: "bad_request", field: "terminalId" });
  if (req.merchantId !== terminal.merchantId) return reply(400, { error: "bad_request", field: "merchantId" });
  const id = req.clientTransactionId;
  const pan = panOf(req);
  const maskedPan = maskPan(pan);
  const fingerprint = hmacHex(store.hostSecret, "request\n" + canonicalJson(req));

  const existing = store.getAuthorization(id);
  if (existing) return existing.terminalId === terminal.terminalId && existing.fingerprint === fingerprint ? stored(existing) : conflict();

  const cents = req.amountMinor % 100;
  // Before any check with side effects: a 500 records nothing, so a retry is a first try.
  if (cents === TestCents.InternalError) return { ...reply(500, { error: "internal" }), maskedPan: maskedPan };

  const row: AuthorizationRow = {
    clientTransactionId: id,
    terminalId: terminal.terminalId,
    fingerprint: fingerprint,
    stan: req.stan,
    amountMinor: req.amountMinor,
    currency: req.currency,
    maskedPan: maskedPan,
    panHash: hmacHex(store.hostSecret, "pan\n" + pan),
    atc: null,
    approved: false,
    responseCode: "",
    answer: "",
    delivery: "answer",
    reversed: false,
    createdAt: new Date(ctx.now()).toISOString(),
  };
  const finish = (code: string, message: string, arpc?: string, card?: { key: string; atc: number }): Reply => {
    const approved = code === "00";
    const body: { [k: string]: unknown } = { clientTransactionId: id, approved: approved, responseCode: code };
    if (approved) body.authCode = authCode();
    body.message = message;
    if (arpc !== undefined) body.arpc = arpc;
    row.approved = approved;
    row.responseCode = code;
    row.answer = JSON.stringify(body);
    row.atc = card ? card.atc : null;
    store.addAuthorization(row, card);
    return stored(row);
  };

  const reversal = store.getReversal(id);
  if (reversal) return reversal.terminalId === terminal.terminalId ? finish("12", "reversed before authorization") : conflict();

  const icc = iccRecord(req.iccData);
  const psnTag = icc["5F34"];
  const psn = req.psn ?? (psnTag && psnTag.length === 1 ? digitsOf(psnTag) : null) ?? "00";
  const check = verifyCryptogram(ctx.issuers, pan, psn, icc);
  if (!check.ok) return finish(check.code, check.message);
  const card = { key: hmacHex(store.hostSecret, "card\n" + pan + "\n" + psn), atc: check.atc };
  const last = store.lastAtc(card.key);
  if (last !== null && check.atc <= last) return finish("82", "ATC replayed");
  const decline = (code: string, message: string): Reply => finish(code, message, issuerAuthenticationData(check, code, false), card);

  const amount = digitsOf(icc["9F02"]);
  const currency = digitsOf(icc["5F2A"]);
  if (amount === null || amount.replace(/^0+/, "") !== String(req.amountMinor)) return decline("13", "amount mismatch");
  if (currency === null || currency.slice(-3) !== req.currency) return decline("13", "amount mismatch");
  if (cents === TestCents.InsufficientFunds) return decline("51", "insufficient funds");
  if (cents === TestCents.DoNotHonour) return decline("05", "do not honour");
  if (cents === TestCents.NoAnswer) row.delivery = "hold";
  if (cents === TestCents.DropConnection) row.delivery = "drop";
  return finish("00", "approved", issuerAuthenticationData(check, "00", true), card);
}

/** GET /v1/authorizations/{id}: the stored answer and whether it was reversed. */
export function status(ctx: LedgerContext, terminal: TerminalEntry, id: string): Reply {
  const row = ctx.store.getAuthorization(id);
  if (!row || row.terminalId !== terminal.terminalId) return reply(404, { error: "not_found" });
  const r = stored(row);
  r.delivery = "answer";
  r.body.reversed = row.reversed;
  return r;
}

/** POST /v1/reversals for a decoded, authenticated request. */
export function reverse(ctx: LedgerContext, terminal: TerminalEntry, req: ReversalRequest): Reply {
  const { store } = ctx;
  if (req.terminalId !== terminal.terminalId) return reply(400, { error: "bad_request", field: "terminalId" });
  const id = req.clientTransactionId;
  const earlier = store.getReversal(id);
  if (earlier) return earlier.terminalId === terminal.terminalId ? reply(200, JSON.parse(earlier.answer) as { [k: string]: unknown }) : conflict();
  const auth = store.getAuthorization(id);
  let reversed = false;
  let message = "no authorization: recorded";
  if (auth) {
    if (auth.terminalId !== terminal.terminalId || auth.amountMinor !== req.amountMinor || auth.currency !== req.currency) return conflict();
    reversed = auth.approved;
    message = reversed ? "reversed" : "nothing to cancel: declined";
  }
  const body = { clientTransactionId: id, reversed: reversed, message: message };
  const row: ReversalRow = {
    clientTransactionId: id,
    terminalId: terminal.terminalId,
    stan: req.stan,
    amountMinor: req.amountMinor,
    currency: req.currency,
    reason: req.reason,
    time: req.time,
    reversed: reversed,
    answer: JSON.stringify(body),
    createdAt: new Date(ctx.now()).toISOString(),
  };
  store.addReversal(row);
  const r = reply(200, body);
  if (auth) r.maskedPan = auth.maskedPan;
  return r;
}
