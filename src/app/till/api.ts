/**
 * The merchant's till as an HTTP API (issue 10; docs/till-api.md has every route with
 * examples), transport-free: an adapter (host/till/server.ts on Node,
 * src/hal/espruino/till-http.ts on a board) checks the token, limits the body, then calls
 * `handle`. One sale at a time through the terminal runner; an Idempotency-Key names a sale
 * (the same key again answers that sale, after a reboot too: the last keys in Storage,
 * "tpkeys"); results in Storage (history.ts), read only when a
 * route asks; a void goes through the acquirer's reversal route (src/auth reversal queue and
 * sender, reason "merchant_void").
 */
import { find } from "../../bytes/find";
import type { KeyValueStore, WallClock } from "../../hal/types";
import { reversal, type Reversal } from "../../auth/reversal-queue";
import type { FlushReport } from "../../auth/reversal-sender";
import { isoUtc } from "../../auth/time";
import type { UiRequest } from "../../emv/outcome";
import { hexByte, uiText } from "../ui/messages";
import { pad3 } from "../persistence";
import type { TerminalResult, TerminalState } from "../terminal-machine";
import type { StatusEvent } from "../terminal-runner";
import { schemeOf } from "./card";
import { entryOf, History, type Entry } from "./history";
import { fail, isIdent, json, saleBody, sameSecret, MAX_BODY_BYTES, UNAUTHORIZED, type TillRequest, type TillResponse } from "./http";
import { receiptJson } from "./receipt";
import { Totals } from "./totals";

/** What the API drives: src/app/terminal-runner.ts TerminalRunner satisfies it. */
export interface TillRunner {
  readonly state: TerminalState;
  refusal: { code: string; message: string } | null;
  lastUi: UiRequest | null;
  sale(amountMinor: number, id?: string): void;
  cancel(): void;
  newId(): string;
  /** The last result (a sale interrupted by a power cut, after boot). */
  last(): TerminalResult | null;
}

/** src/auth ReversalQueue and ReversalSender (TerminalAuth.authorizer.queue, .sender). */
export interface TillReversals {
  queue: { add(r: Reversal): void; has(id: string): boolean; list(): Reversal[]; size(): number };
  sender: { flush(): Promise<FlushReport>; onReport: ((r: FlushReport) => void) | null };
}

export interface TillDeps {
  runner: TillRunner;
  /** The terminal's status events (src/app/terminal.ts Terminal.onStatus). */
  onStatus(cb: (e: StatusEvent) => void): void;
  store: KeyValueStore;
  wall: WallClock | null;
  /** The bearer token (config); "" refuses every request. */
  token: string;
  terminalId: string;
  merchant: { id: string; name?: string };
  /** ISO 4217 numeric, its minor digits and label ("EUR"). */
  currency: number;
  exponent: number;
  currencyLabel: string;
  maxAmountMinor: number;
  /** null without an acquirer (no void). */
  reversals: TillReversals | null;
  /** Whether the network is up (WiFi on a board); true when not given. */
  online?: () => boolean;
  /** Minutes east of UTC of the shop's day (totals, void); 0 when not given. */
  utcOffsetMin?: number;
  /** Results kept, 50 when not given. */
  historyMax?: number;
}

export interface TillApi {
  /** Every /api route but /api/events. Never rejects. */
  handle(req: TillRequest): Promise<TillResponse>;
  /** The `authorization` header is "Bearer <token>" (constant-time compare). */
  authorized(headers: { [name: string]: string }): boolean;
  /** /api/events: `fn(event, json)` on every change ("status"; "result" when one is recorded). Returns the unsubscribe. */
  subscribe(fn: (event: string, data: string) => void): () => void;
  /** GET /api/status's body: the first event of /api/events. */
  statusJson(): string;
}

/** Idempotency keys remembered: enough for a till's retries. */
const KEYS = 4;
/** Storage: the last KEYS `Known`, JSON, written as each sale starts (a retry after a reboot finds its sale). */
const KEYS_FILE = "tpkeys";

interface Known {
  key: string;
  id: string;
  amountMinor: number;
}

export function createTillApi(d: TillDeps): TillApi {
  const runner = d.runner;
  const history = new History(d.store, d.historyMax || 50);
  const sums = new Totals(d.store);
  const listeners: ((event: string, data: string) => void)[] = [];
  let known: Known[] = [];
  try {
    const k = JSON.parse(d.store.read(KEYS_FILE) || "[]");
    if (Array.isArray(k)) known = k;
  } catch (x) {
    // a torn write: the keys are forgotten, the sales stay in the history
  }
  const currency = pad3(d.currency);
  const dayMs = 86400000;
  const offMs = (d.utcOffsetMin || 0) * 60000;
  // Reversals pending: `counted` by the last statusJson(), `shown` in the last status sent.
  let counted = 0;
  let shown = 0;

  function emit(event: string, data: string): void {
    for (let i = 0; i < listeners.length; i++) listeners[i](event, data);
  }

  // A result recorded while no till listened (a sale cut by power, named at boot): kept now.
  const l = runner.last();
  if (l !== null && l.id !== null && history.find(l.id) === null) {
    try {
      history.add(l);
    } catch (x) {
      // Storage full: listed nowhere but tplast
    }
  }

  function running(): boolean {
    const s = runner.state;
    return s.kind !== "idle" && s.result === null;
  }

  function resultObj(e: Entry) {
    const c = e.card;
    return {
      id: e.id,
      time: e.time === null ? null : isoUtc(e.time),
      amountMinor: e.amountMinor,
      currency: pad3(e.currency),
      outcome: e.outcome,
      reason: e.reason,
      maskedPan: e.maskedPan,
      scheme: c ? c.scheme : null,
      wallet: c ? c.wallet : null,
      authCode: e.authCode,
      stan: e.stan,
      voided: e.voided,
    };
  }

  function saleObj(id: string, amountMinor: number, state: string, r: TerminalResult | null) {
    return { id: id, amountMinor: amountMinor, currency: currency, state: state, result: r ? resultObj(entryOf(r)) : null };
  }

  /** The sale on the terminal now (running or its result on display), or null. */
  function current() {
    const s = runner.state;
    return s.sale ? saleObj(s.sale.id, s.sale.amountMinor, s.kind, s.result) : null;
  }

  /** Sale `id` as the terminal shows it, or "done" with its result from the history once it left (null: not recorded). */
  function saleOf(id: string, amountMinor: number) {
    const s = runner.state;
    if (s.sale && s.sale.id === id) return saleObj(id, amountMinor, s.kind, s.result);
    const f = history.find(id);
    return { id: id, amountMinor: amountMinor, currency: currency, state: "done", result: f ? resultObj(f.e) : null };
  }

  function statusJson(): string {
    const u = runner.lastUi;
    const m = u ? u.messageId : 0x14;
    return JSON.stringify({
      state: runner.state.kind,
      messageId: hexByte(m),
      message: uiText(m),
      sale: current(),
      reversalsPending: (counted = d.reversals ? d.reversals.queue.size() : 0),
      online: d.online ? d.online() : true,
      currency: currency,
      exponent: d.exponent,
      currencyLabel: d.currencyLabel,
    });
  }

  // State changes come in bursts (one event can pass several states): one status per burst,
  // sent once the runner has shown the new state's message.
  let due = false;
  function later(): void {
    if (due) return;
    due = true;
    Promise.resolve().then(function () {
      due = false;
      if (!listeners.length) return;
      emit("status", statusJson());
      shown = counted;
    });
  }

  // A round of the sender (a void's, after a sale, the back-off timer's) sends a status when
  // it acknowledged any or the count is not the one shown (a void queued, a cancel's).
  if (d.reversals !== null) {
    const sender = d.reversals.sender;
    const before = sender.onReport;
    sender.onReport = function (r: FlushReport) {
      if (before) before(r);
      if (r.acknowledged.length || r.left !== shown) later();
    };
  }

  d.onStatus(function (e: StatusEvent) {
    if (e.type === "result" && e.result !== null) {
      const r = e.result;
      try {
        history.add(r);
        if (r.outcome === "approved" && r.time !== null) sums.add(day(r.time) as number, schemeOf(r.card ? r.card.aid : null) || "other", r.amountMinor || 0, 1);
      } catch (x) {
        // Storage full: the result is still on the screen and in tplast; the history misses it.
      }
      if (listeners.length) emit("result", JSON.stringify(resultObj(entryOf(r))));
    }
    if (listeners.length && e.type === "state") later();
  });

  function postSale(req: TillRequest): TillResponse {
    const key = req.headers["idempotency-key"];
    if (!isIdent(key, 64)) return fail(400, "BAD_REQUEST", "Idempotency-Key", "1-64 of A-Za-z0-9_-");
    for (let i = 0; i < known.length; i++) {
      const o = known[i];
      if (o.key === key) return json(200, JSON.stringify({ sale: saleOf(o.id, o.amountMinor) }));
    }
    const a = saleBody(req.body, d.maxAmountMinor);
    if (typeof a !== "number") return a;
    if (running()) return fail(409, "SALE_IN_PROGRESS", null, null);
    const id = runner.newId();
    runner.sale(a, id);
    const ref = runner.refusal;
    if (ref !== null) return ref.code === "SALE_BAD_AMOUNT" ? fail(400, "BAD_REQUEST", "amountMinor", ref.message) : fail(409, "SALE_IN_PROGRESS", null, null);
    const s = runner.state;
    // Refused at once (not configured, no clock, reversal queue full, reader not ready): no sale to name.
    if (s.sale && s.sale.id === id && s.result !== null) return fail(409, s.result.reason, null, "sale refused");
    known.push({ key: key, id: id, amountMinor: a });
    if (known.length > KEYS) known.shift();
    try {
      d.store.write(KEYS_FILE, JSON.stringify(known));
    } catch (x) {
      // Storage full: the key is kept in RAM only
    }
    return json(201, JSON.stringify({ sale: saleOf(id, a) }));
  }

  function cancel(): TillResponse {
    if (!running()) return fail(404, "NO_SALE", null, null);
    const s = runner.state.sale;
    const id = s ? s.id : "";
    const amount = s ? s.amountMinor : 0;
    runner.cancel();
    if (runner.refusal !== null) return fail(409, "CANCEL_REFUSED", null, runner.refusal.message);
    return json(200, JSON.stringify({ sale: saleOf(id, amount) }));
  }

  /** `?limit=n` (1..50) keeps the answer small on a board: each result is ~250 bytes. */
  function results(query: string): TillResponse {
    const m = find(query, "limit=", 0);
    const n = m < 0 ? 0 : parseInt(query.substring(m + 6), 10);
    let left = n > 0 ? n : 1e9;
    let t = "";
    history.each(function (e) {
      t += (t ? "," : "") + JSON.stringify(resultObj(e));
      return --left <= 0;
    });
    return json(200, '{"results":[' + t + "]}");
  }

  /** The queue's entries as stored (docs/acquirer-api.md POST /v1/reversals: ids, amount, reason; no card data). */
  function reversals(): TillResponse {
    return json(200, JSON.stringify({ pending: d.reversals ? d.reversals.queue.list() : [] }));
  }

  /** The shop's day number of unix ms `t`; null without a clock. */
  function day(t: number | null): number | null {
    return t === null ? null : Math.floor((t + offMs) / dayMs);
  }

  function today(): number | null {
    return day(d.wall ? d.wall.unixMs() : null);
  }

  function totals(): TillResponse {
    const now = today();
    const schemes: { scheme: string; count: number; sumMinor: number }[] = [];
    let count = 0;
    let sum = 0;
    const a = now === null ? [] : sums.read(now);
    for (let i = 1; i + 2 < a.length; i += 3) {
      const n = a[i + 1] as number;
      const s = a[i + 2] as number;
      if (n > 0) schemes.push({ scheme: a[i] as string, count: n, sumMinor: s });
      count += n;
      sum += s;
    }
    return json(200, JSON.stringify({ date: now === null ? null : isoUtc(now * dayMs).substring(0, 10), currency: currency, count: count, sumMinor: sum, schemes: schemes }));
  }

  function receipt(id: string): TillResponse {
    const f = history.find(id);
    if (f === null) return fail(404, "NOT_FOUND", null, null);
    return json(200, receiptJson(f.e, d.merchant, d.terminalId, d.exponent, d.currencyLabel));
  }

  function voidSale(id: string): Promise<TillResponse> | TillResponse {
    const f = history.find(id);
    if (f === null) return fail(404, "NOT_FOUND", null, null);
    const e = f.e;
    const no = (m: string) => fail(409, "VOID_NOT_ALLOWED", null, m);
    if (e.outcome !== "approved") return no("not approved");
    if (e.voided) return no("already voided");
    if (running()) return no("a sale is running");
    if (e.time === null || day(e.time) !== today()) return no("not today");
    const rv = d.reversals;
    if (rv === null || e.clientTransactionId === null || e.stan === null) return no("no acquirer");
    const r = reversal(d.terminalId, e.clientTransactionId, e.stan, e.amountMinor, pad3(e.currency), "merchant_void", isoUtc(e.time));
    // Queued (Storage) before anything is sent, and the sale marked: a second void is refused,
    // and the reversal reaches the acquirer even if this request's answer is lost. The status
    // (reversals pending) follows the round's end (onReport above).
    rv.queue.add(r);
    e.voided = true;
    history.put(f.slot, e);
    sums.add(day(e.time) as number, (e.card && e.card.scheme) || "other", e.amountMinor, -1);
    const answer = (): TillResponse => json(rv.queue.has(r.clientTransactionId) ? 202 : 200, JSON.stringify({ result: resultObj(e) }));
    // A round already running listed the queue before this entry: one more round then, unless
    // that one found the acquirer unreachable.
    const again = (f: { error: string | null }) => (f.error === null && rv.queue.has(r.clientTransactionId) ? rv.sender.flush() : null);
    return rv.sender.flush().then(again).then(answer, answer);
  }

  function route(req: TillRequest): Promise<TillResponse> | TillResponse {
    const q = req.path.indexOf("?");
    const p = q < 0 ? req.path : req.path.substring(0, q);
    const get = req.method === "GET";
    const post = req.method === "POST";
    if (p === "/api/sales" && post) return postSale(req);
    if (p === "/api/sales/current/cancel" && post) return cancel();
    if (p === "/api/status" && get) return json(200, statusJson());
    if (p === "/api/results" && get) return results(q < 0 ? "" : req.path.substring(q));
    if (p === "/api/reversals" && get) return reversals();
    if (p === "/api/totals" && get) return totals();
    if (p.startsWith("/api/sales/")) {
      const rest = p.substring(11);
      const slash = rest.indexOf("/");
      const id = rest.substring(0, slash);
      const what = rest.substring(slash + 1);
      if (slash > 0 && isIdent(id, 64)) {
        if (what === "receipt" && get) return receipt(id);
        if (what === "void" && post) return voidSale(id);
      }
    }
    return fail(404, "NOT_FOUND", null, null);
  }

  function authorized(h: { [name: string]: string }): boolean {
    const a = h["authorization"];
    return d.token !== "" && typeof a === "string" && sameSecret(a, "Bearer " + d.token);
  }

  return {
    authorized: authorized,
    handle: function (req: TillRequest): Promise<TillResponse> {
      if (!authorized(req.headers)) return Promise.resolve(json(401, UNAUTHORIZED));
      if (req.body.length > MAX_BODY_BYTES) return Promise.resolve(fail(413, "TOO_LARGE", null, null));
      try {
        return Promise.resolve(route(req)).then(null, () => fail(500, "INTERNAL", null, null));
      } catch (e) {
        return Promise.resolve(fail(500, "INTERNAL", null, null));
      }
    },
    subscribe: function (fn: (event: string, data: string) => void): () => void {
      listeners.push(fn);
      return function () {
        const i = listeners.indexOf(fn);
        if (i >= 0) listeners.splice(i, 1);
      };
    },
    statusJson: statusJson,
  };
}
