/**
 * One online authorization, as a Promise chain (no async/await on Espruino):
 *   check (valid clock, room in the reversal queue) → STAN and client transaction id
 *   persisted with the pending record → signed POST → answer → outcome.
 * Unknown outcomes (no answer, connection broken after sending, unreadable answer, HTTP 5xx)
 * end "not_authorised" with a reversal written to Storage before the result is returned;
 * answers that prove the acquirer did not process the request (401, 400, 409, 413, nothing
 * sent) end "not_authorised" without one. Optionally the status is queried (GET, same id)
 * before reversing, and the request resent (same id, same body: the acquirer answers a
 * duplicate with its stored answer).
 */
import { codedError, isCoded } from "../bytes/coded-error";
import type { HttpAnswer, KeyValueStore, Random } from "../hal/types";
import type { DataRecord } from "../emv/data-record";
import { hexLower } from "./hmac";
import { buildAuthRequest, requestBody, type AuthRequest } from "./request";
import { nextStan, PendingStore, ReversalQueue, reversal, withReason, type Reversal } from "./reversal-queue";
import type { SignedHttp } from "./signed-http";
import { isoUtc } from "./time";

export interface AuthTerminal {
  terminalId: string;
  merchantId: string;
  /** ISO 3166-1 numeric. */
  country: number;
  /** Resends of a request that got no answer (same id); 0 by default. */
  retries?: number;
  /** Query GET /v1/authorizations/{id} before reversing an unknown outcome. */
  statusQuery?: boolean;
  /**
   * Keep a masked copy of the request in the result: request.ts `maskRequest` (host reports;
   * ~0.7 M interpreter instructions on a board). A function, not a flag, so that a board
   * bundle without it leaves the masking code out.
   */
  echoRequest?: (r: AuthRequest) => AuthRequest;
}

export interface Sale {
  record: DataRecord;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currency: number;
  /** 9F21 HHMMSS (hex) of the transaction when the record lacks it. */
  time9f21: string;
}

export type AuthOutcome = "approved" | "declined" | "not_authorised";

export interface AuthResult {
  outcome: AuthOutcome;
  /**
   * Why: "approved", "declined", or for not_authorised "no_answer", "host_error",
   * "no_connection", an acquirer error ("bad_signature", "stale_timestamp", "replayed_nonce",
   * "unknown_key", "bad_request", "conflict", "too_large") or "http_<status>".
   */
  reason: string;
  /** ISO 8583 DE 39 style, from the acquirer; null when it gave none. */
  responseCode: string | null;
  authCode: string | null;
  message: string;
  arpc: string | null;
  /** Status of the answer that decided; null when none came. */
  httpStatus: number | null;
  stan: string;
  clientTransactionId: string;
  /** The request as sent, PAN and Track 2 masked; null unless `echoRequest`. */
  request: AuthRequest | null;
  /** The reversal written to Storage, or null. */
  reversal: Reversal | null;
  /** The coded error behind a missing answer (HTTP_TIMEOUT…), or null. */
  error: string | null;
}

/** The acquirer's answer body (docs/acquirer-api.md). */
interface HostAnswer {
  clientTransactionId?: string;
  approved?: boolean;
  responseCode?: string;
  authCode?: string;
  message?: string;
  arpc?: string;
  /** Status answers only: the authorization was reversed since. */
  reversed?: boolean;
  error?: string;
  field?: string;
}


export class Authorizer {
  readonly queue: ReversalQueue;
  readonly pending: PendingStore;

  constructor(
    private http: SignedHttp,
    private store: KeyValueStore,
    private rng: Random, // not "random": a name the build keeps whole (JsVars)
    private terminal: AuthTerminal,
    queueMax: number,
  ) {
    this.queue = new ReversalQueue(store, queueMax);
    this.pending = new PendingStore(store);
  }

  /**
   * May a sale start? Call before the tap as well: a terminal that cannot authorise must not
   * read a card.
   * @throws AUTH_NO_CLOCK, AUTH_REVERSAL_QUEUE_FULL
   */
  checkReady(hasClock: boolean): void {
    if (!hasClock) throw codedError("AUTH_NO_CLOCK", "no valid date and time: the terminal does not sell");
    this.queue.checkRoom();
  }

  /**
   * Authorises `sale` online. Rejects only when the sale may not start (AUTH_NO_CLOCK,
   * AUTH_REVERSAL_QUEUE_FULL) or Storage fails; every network outcome resolves.
   */
  authorize(sale: Sale, nowUnixMs: number | null): Promise<AuthResult> {
    let started: { body: string; base: AuthResult; pending: Reversal };
    try {
      this.checkReady(nowUnixMs !== null);
      started = this.start(sale, nowUnixMs as number);
    } catch (e) {
      // Refused before anything was sent (guards, Storage): a rejection, never a throw.
      return Promise.reject(e);
    }
    const s = started;
    return this.post(s.body, s.base.clientTransactionId, this.terminal.retries || 0).then(
      (a) => this.decide(a, s.base, s.pending),
      (e) => this.unanswered(e, s.base, s.pending),
    );
  }

  /** Ids, request and pending record; the pending record is in Storage when this returns. */
  private start(sale: Sale, nowUnixMs: number): { body: string; base: AuthResult; pending: Reversal } {
    const t = this.terminal;
    const id = hexLower(this.rng.bytes(16));
    const stan = nextStan(this.store);
    const req = buildAuthRequest(sale.record, {
      terminalId: t.terminalId,
      merchantId: t.merchantId,
      stan: stan,
      clientTransactionId: id,
      amountMinor: sale.amountMinor,
      currency: sale.currency,
      country: t.country,
      time9f21: sale.time9f21,
    });
    const pending = reversal(t.terminalId, id, stan, sale.amountMinor, req.currency, "no_answer", isoUtc(nowUnixMs));
    // Persisted before the first byte leaves: a power loss from here on ends in a reversal.
    this.pending.write(pending);
    const base: AuthResult = {
      outcome: "not_authorised",
      reason: "no_answer",
      responseCode: null,
      authCode: null,
      message: "",
      arpc: null,
      httpStatus: null,
      stan: stan,
      clientTransactionId: id,
      request: t.echoRequest ? t.echoRequest(req) : null,
      reversal: null,
      error: null,
    };
    return { body: requestBody(req), base: base, pending: pending };
  }

  /** POST, resent `retriesLeft` times on no answer; nonce = id + "p" + retries left (unique per send). */
  private post(body: string, id: string, retriesLeft: number): Promise<HttpAnswer> {
    return this.http.send("POST", "/v1/authorizations", body, id + "p" + retriesLeft).then(
      (a) => a,
      (e) => {
        if (retriesLeft <= 0 || isCoded(e, "AUTH_NO_CLOCK") || isCoded(e, "HTTP_INSECURE")) throw e;
        return this.post(body, id, retriesLeft - 1);
      },
    );
  }

  private decide(a: HttpAnswer, base: AuthResult, pending: Reversal): AuthResult | Promise<AuthResult> {
    const r = base;
    r.httpStatus = a.status;
    let h: HostAnswer | null = null;
    try {
      const v = JSON.parse(a.body);
      if (v && typeof v === "object") h = v as HostAnswer;
    } catch (e) {
      // not JSON: no body to read
    }
    if (a.status === 200) {
      if (!h || h.clientTransactionId !== r.clientTransactionId || typeof h.approved !== "boolean") {
        return this.reverseWith(r, pending, "no_answer", "AUTH_ANSWER_UNREADABLE");
      }
      this.pending.clear();
      if (h.reversed === true) {
        // A status answer: the acquirer already cancelled it. Nothing to show as approved.
        r.reason = "reversed";
        r.responseCode = typeof h.responseCode === "string" ? h.responseCode : null;
        r.message = "already reversed at the acquirer";
        return r;
      }
      r.outcome = h.approved ? "approved" : "declined";
      r.reason = r.outcome;
      r.responseCode = typeof h.responseCode === "string" ? h.responseCode : null;
      r.authCode = typeof h.authCode === "string" ? h.authCode : null;
      r.message = typeof h.message === "string" ? h.message : "";
      r.arpc = typeof h.arpc === "string" ? h.arpc : null;
      return r;
    }
    // Statuses that refuse the request as such (written out, not a table held in RAM).
    const refused = a.status === 400 ? "bad_request" : a.status === 401 ? "unauthorised" : a.status === 409 ? "conflict" : a.status === 413 ? "too_large" : null;
    if (refused !== null) {
      // The acquirer refused the request as such: nothing was authorised, nothing to reverse.
      this.pending.clear();
      r.reason = h && typeof h.error === "string" ? h.error : refused;
      r.message = "HTTP " + a.status + (h && h.field ? " field " + h.field : "");
      return r;
    }
    if (a.status >= 500) return this.reverseWith(r, pending, "host_error", "AUTH_HOST_ERROR");
    r.reason = "http_" + a.status;
    return this.reverseWith(r, pending, "no_answer", "AUTH_ANSWER_UNREADABLE");
  }

  private unanswered(e: unknown, base: AuthResult, pending: Reversal): AuthResult | Promise<AuthResult> {
    const r = base;
    r.error = isCoded(e) ? e.code : "HTTP_ERROR";
    if (isCoded(e) && e.sent === false) {
      // Nothing left the terminal (no connection): no authorization exists to reverse.
      this.pending.clear();
      r.reason = "no_connection";
      r.message = isCoded(e) && e.message.startsWith(e.code + ": ") ? e.message.substring(e.code.length + 2) : String(e);
      return r;
    }
    if (!this.terminal.statusQuery) return this.reverseWith(r, pending, "no_answer", r.error);
    return this.http.send("GET", "/v1/authorizations/" + r.clientTransactionId, null).then(
      (a) => (a.status === 200 ? this.decide(a, r, pending) : this.reverseWith(r, pending, "no_answer", r.error)),
      () => this.reverseWith(r, pending, "no_answer", r.error),
    );
  }

  /** Writes the reversal (Storage) and only then returns the not_authorised result (not named reverse: a built-in name the build keeps whole). */
  private reverseWith(r: AuthResult, pending: Reversal, reason: Reversal["reason"], error: string | null): AuthResult {
    const rev = withReason(pending, reason);
    this.queue.add(rev);
    this.pending.clear();
    r.outcome = "not_authorised";
    if (r.reason === "no_answer" || r.reason === "approved" || r.reason === "declined") r.reason = reason;
    if (r.error === null) r.error = error;
    r.reversal = rev;
    if (r.message === "") r.message = reason === "host_error" ? "acquirer error: transaction reversed" : "no answer from the acquirer: transaction reversed";
    return r;
  }
}
