/**
 * The terminal's sale flow as an explicit state machine (docs/architecture.md Conventions §12;
 * docs/terminal-states.md has the diagram, the deadline of each state and the power-cut
 * table). `next(state, event, config)` is pure: it returns the next state and the effects as
 * data; terminal-runner.ts carries them out and feeds the answers back as events.
 *
 * Every answer to an effect carries the `ref` (the `seq` of the state that asked): an answer
 * for an older state is stale and ignored. Every deadline carries its id (`<kind>#<seq>`): a
 * timer of a state already left is ignored too. Cancel is accepted everywhere but `reading`
 * (the few hundred ms of the card read, EMV Contactless Book A §7: the card must not be left
 * half-read); every state but idle has a deadline and ends in a defined state.
 */
import { maskPan } from "../bytes/mask";
import type { DataRecord } from "../emv/data-record";
import { OutcomeType, Start, ui, UiMessage, UiStatus, type Outcome, type UiRequest } from "../emv/outcome";

/** Why a sale was refused before any card was read (readiness check, amountEntered). */
export type Refusal = "notConfigured" | "clockInvalid" | "reversalQueueFull";

/** One explicit state per step of a sale; the refusals end a sale before any card is read. */
export type StateKind = "idle" | "amountEntered" | "presentCard" | "fieldOff" | "reading" | "cardReadOk" | "authorising" | "approved" | "declined" | "error" | Refusal;

export interface SaleCtx {
  /** The sale's id (runner-made, or the till's): names its result, receipt and void. */
  id: string;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currency: number;
  /** Restarts so far (see phone, try again, try another card, Select Next). */
  restarts: number;
}

export type ResultOutcome = "approved" | "declined" | "notAuthorised" | "error" | "cancelled" | "timeout" | "refused";

/** What the till sees of a finished sale: masked, no card data beyond the 6/4 PAN. */
export interface TerminalResult {
  /** The sale's id (SaleCtx.id); null for results from before ids (an old tplast). */
  id: string | null;
  /** Unix ms when recorded (the runner stamps it); null without a valid wall clock. */
  time: number | null;
  outcome: ResultOutcome;
  /** Stable code: "approved", an acquirer reason, an EMV_… reason, TAP_TIMEOUT, CANCELLED… */
  reason: string;
  amountMinor: number | null;
  currency: number | null;
  maskedPan: string | null;
  stan: string | null;
  clientTransactionId: string | null;
  authCode: string | null;
  responseCode: string | null;
  /** A reversal was queued for this sale. */
  reversal: boolean;
  /** What the receipt shows of the card: no cardholder data. */
  card: CardInfo | null;
}

/** What the receipt shows of the card read: no cardholder data (the PAN is maskedPan's). */
export interface CardInfo {
  /** DF name of the selected application (84), hex. */
  aid: string;
  /** 50 Application Label, or null. */
  label: string | null;
  /** 9F36 ATC, hex. */
  atc: string | null;
  /** 95 TVR, hex. */
  tvr: string | null;
  /** src/emv/outcome.ts Cvm: "CDCVM", "NO_CVM", "SIGNATURE", "ONLINE_PIN", "NA". */
  cvm: string;
  /** 9F19 Token Requestor ID (the wallet), or null. */
  trid: string | null;
}

export interface TerminalState {
  kind: StateKind;
  /** Bumped on each state entered; answers and deadlines name it. */
  seq: number;
  deadlineId: string | null;
  sale: SaleCtx | null;
  /** The data record between the card read and the authorization (clear PAN: RAM only). */
  record: DataRecord | null;
  maskedPan: string | null;
  /** From the card read on (receipt data), kept into the result. */
  card: CardInfo | null;
  result: TerminalResult | null;
  /** presentCard: the message shown while polling; fieldOff: the UI request on restart. */
  ui: UiRequest | null;
}

/** The authorization's end as the machine needs it (terminal-runner.ts maps AuthResult). */
export interface AuthSummary {
  outcome: "approved" | "declined" | "notAuthorised" | "error";
  reason: string;
  stan: string | null;
  clientTransactionId: string | null;
  authCode: string | null;
  responseCode: string | null;
  /** The authorizer wrote a reversal (unknown outcome). */
  reversal: boolean;
}

export type TerminalEvent =
  | { type: "sale"; amountMinor: number; id?: string }
  | { type: "ready"; ref: number; refusal: Refusal | null; code: string | null }
  | { type: "cancel" }
  | { type: "pollTimeout"; ref: number }
  | { type: "cardDetected"; ref: number }
  | { type: "collision"; ref: number; targets: number }
  | { type: "kernelOutcome"; ref: number; outcome: Outcome }
  | { type: "fieldOffDone"; ref: number }
  | { type: "saleSaved"; ref: number; ok: boolean; code: string | null }
  | { type: "authResult"; ref: number; result: AuthSummary }
  | { type: "deadline"; id: string }
  | { type: "resultShown"; ref: number };

/** What the runner writes as the sale in flight (persistence.ts): no clear card data. */
export interface SaleStep {
  step: "card" | "authorising";
  amountMinor: number;
  currency: number;
  maskedPan: string | null;
  aid: string | null;
}

export interface UiContext {
  amountMinor: number | null;
  currency: number | null;
  maskedPan: string | null;
  /** A stable code for error screens (EMV_…, AUTH_…), null otherwise. */
  reason: string | null;
}

export type BeepKind = "ok" | "alert" | "error";

export type Effect =
  | { type: "checkReady"; ref: number }
  | { type: "startPolling"; ref: number }
  | { type: "stopPolling" }
  | { type: "fieldOff"; ref: number; ms: number }
  | { type: "runKernel"; ref: number; amountMinor: number }
  | { type: "persistSaleInFlight"; ref: number; sale: SaleStep }
  | { type: "clearSaleInFlight" }
  | { type: "authorize"; ref: number; record: DataRecord; amountMinor: number; currency: number }
  | { type: "reverseInFlight"; reason: "no_answer" | "cancelled" }
  | { type: "showUi"; request: UiRequest; ctx: UiContext }
  | { type: "beep"; kind: BeepKind }
  | { type: "setDeadline"; id: string; ms: number }
  | { type: "clearDeadline"; id: string }
  | { type: "recordResult"; result: TerminalResult }
  | { type: "refuse"; code: string; message: string };

export interface Transition {
  state: TerminalState;
  effects: Effect[];
}

/** Deadlines (ms) and limits. */
export interface MachineConfig {
  /** ISO 4217 numeric of every sale. */
  currency: number;
  /** amountEntered: the readiness check. */
  checkTimeoutMs: number;
  /** presentCard: no card presented (Book A "tap timeout"). */
  tapTimeoutMs: number;
  /** reading: one tap through the kernel; ISO-DEP bounds each APDU (2.5 s) below it. */
  readTimeoutMs: number;
  /** cardReadOk: the sale in flight written to Storage. */
  saveTimeoutMs: number;
  /** authorising: longer than the HTTP bounds together (5 + 3 + 15 s, auth/terminal-auth.ts). */
  authTimeoutMs: number;
  /** approved / declined / error / refusals: result on display, then idle. */
  resultMs: number;
  /** fieldOff: the Field Off Request's hold plus this, should the field never come back. */
  fieldOffMarginMs: number;
  /** Restarts of one sale before it ends in error (TOO_MANY_ATTEMPTS). */
  maxRestarts: number;
  /** Largest amount: n12 (9F02). */
  maxAmountMinor: number;
}

export function defaultMachineConfig(currency: number): MachineConfig {
  return {
    currency: currency,
    checkTimeoutMs: 2000,
    tapTimeoutMs: 30000,
    readTimeoutMs: 15000,
    saveTimeoutMs: 2000,
    authTimeoutMs: 35000,
    resultMs: 3000,
    fieldOffMarginMs: 2000,
    maxRestarts: 3,
    maxAmountMinor: 999999999999,
  };
}

export function idleState(seq: number): TerminalState {
  return { kind: "idle", seq: seq, deadlineId: null, sale: null, record: null, maskedPan: null, card: null, result: null, ui: null };
}


interface Enter {
  sale: SaleCtx | null;
  deadlineMs: number;
  record?: DataRecord | null;
  maskedPan?: string | null;
  card?: CardInfo | null;
  result?: TerminalResult | null;
  ui?: UiRequest | null;
}

/** Leaves `s` for a new `kind`: its deadline cleared first, the new one set last. */
function go(s: TerminalState, kind: StateKind, b: Enter, fx: Effect[]): Transition {
  const seq = s.seq + 1;
  const id = b.deadlineMs > 0 ? kind + "#" + seq : null;
  const st: TerminalState = {
    kind: kind,
    seq: seq,
    deadlineId: id,
    sale: b.sale,
    record: b.record || null,
    maskedPan: b.maskedPan || null,
    card: b.card || null,
    result: b.result || null,
    ui: b.ui || null,
  };
  const out: Effect[] = [];
  if (s.deadlineId !== null) out.push({ type: "clearDeadline", id: s.deadlineId });
  for (let i = 0; i < fx.length; i++) out.push(fx[i]);
  if (id !== null) out.push({ type: "setDeadline", id: id, ms: b.deadlineMs });
  return { state: st, effects: out };
}

function stay(s: TerminalState, fx: Effect[]): Transition {
  return { state: s, effects: fx };
}

function show(s: TerminalState, r: UiRequest, reason: string | null): Effect {
  const sale = s.sale;
  return { type: "showUi", request: r, ctx: { amountMinor: sale ? sale.amountMinor : null, currency: sale ? sale.currency : null, maskedPan: s.maskedPan, reason: reason } };
}

function result(s: TerminalState, outcome: ResultOutcome, reason: string, a: AuthSummary | null, reversal: boolean): TerminalResult {
  return {
    id: s.sale ? s.sale.id : null,
    time: null,
    outcome: outcome,
    reason: reason,
    amountMinor: s.sale ? s.sale.amountMinor : null,
    currency: s.sale ? s.sale.currency : null,
    maskedPan: s.maskedPan,
    stan: a ? a.stan : null,
    clientTransactionId: a ? a.clientTransactionId : null,
    authCode: a ? a.authCode : null,
    responseCode: a ? a.responseCode : null,
    reversal: reversal || (a !== null && a.reversal),
    card: s.card,
  };
}

/** Straight back to idle (cancel, tap timeout): recorded, nothing charged. */
function toIdle(s: TerminalState, outcome: ResultOutcome, reason: string, fx: Effect[]): Transition {
  fx.push({ type: "recordResult", result: result(s, outcome, reason, null, false) });
  fx.push({ type: "clearSaleInFlight" });
  fx.push(show(idleState(0), ui(UiMessage.Welcome, UiStatus.Idle, 0), null));
  return go(s, "idle", { sale: null, deadlineMs: 0 }, fx);
}

/**
 * A finished sale on display (approved, declined, error, refusals): the result is recorded
 * before the sale in flight is cleared (persistence.ts: a cut between the two finds both).
 */
function finish(s: TerminalState, kind: StateKind, r: TerminalResult, message: UiRequest, beep: BeepKind | null, fx: Effect[], c: MachineConfig): Transition {
  fx.push({ type: "recordResult", result: r });
  fx.push({ type: "clearSaleInFlight" });
  fx.push(show(s, message, r.outcome === "approved" ? null : r.reason));
  if (beep) fx.push({ type: "beep", kind: beep });
  return go(s, kind, { sale: s.sale, deadlineMs: c.resultMs, maskedPan: s.maskedPan, card: s.card, result: r }, fx);
}

function fail(s: TerminalState, reason: string, fx: Effect[], c: MachineConfig): Transition {
  return finish(s, "error", result(s, "error", reason, null, false), ui(UiMessage.ProcessingError, UiStatus.ProcessingError, c.resultMs), "error", fx, c);
}

/** Polls for a card with `message` on display; the amount and restarts are kept. */
function present(s: TerminalState, sale: SaleCtx, message: UiRequest, fx: Effect[], c: MachineConfig): Transition {
  const ref = s.seq + 1;
  fx.push(show(s, message, null));
  fx.push({ type: "startPolling", ref: ref });
  return go(s, "presentCard", { sale: sale, deadlineMs: c.tapTimeoutMs, ui: message }, fx);
}

function startSale(s: TerminalState, amountMinor: number, id: string, c: MachineConfig): Transition {
  if (typeof amountMinor !== "number" || !(amountMinor >= 1 && amountMinor <= c.maxAmountMinor) || amountMinor % 1 !== 0) {
    return stay(s, [{ type: "refuse", code: "SALE_BAD_AMOUNT", message: "amount must be whole minor units, 1.." + c.maxAmountMinor }]);
  }
  const sale: SaleCtx = { id: id, amountMinor: amountMinor, currency: c.currency, restarts: 0 };
  const ref = s.seq + 1;
  const fx: Effect[] = [];
  fx.push({ type: "showUi", request: ui(UiMessage.Processing, UiStatus.NotReady, 0), ctx: { amountMinor: amountMinor, currency: c.currency, maskedPan: null, reason: null } });
  fx.push({ type: "checkReady", ref: ref });
  return go(s, "amountEntered", { sale: sale, deadlineMs: c.checkTimeoutMs }, fx);
}

/** reading + kernelOutcome: Book A §6.2 Outcome → next step, per its type and Start. */
function onOutcome(s: TerminalState, o: Outcome, c: MachineConfig): Transition {
  const sale = s.sale as SaleCtx;
  const fx: Effect[] = [];
  if (o.type === OutcomeType.OnlineRequest) {
    const r = o.record;
    if (!r) return fail(s, "EMV_NO_RECORD", fx, c);
    const masked = maskPan(r.pan);
    const ref = s.seq + 1;
    fx.push({ type: "beep", kind: "ok" });
    fx.push({ type: "showUi", request: ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), ctx: { amountMinor: sale.amountMinor, currency: sale.currency, maskedPan: masked, reason: null } });
    fx.push({ type: "persistSaleInFlight", ref: ref, sale: { step: "authorising", amountMinor: sale.amountMinor, currency: sale.currency, maskedPan: masked, aid: r.aid } });
    return go(s, "cardReadOk", { sale: sale, deadlineMs: c.saveTimeoutMs, record: r, maskedPan: masked, card: { aid: r.aid, label: r.label || null, atc: r.icc["9F36"] || null, tvr: r.icc["95"] || null, cvm: r.cvm, trid: r.wallet.tokenRequestor || null } }, fx);
  }
  if (o.type === OutcomeType.Declined) {
    return finish(s, "declined", result(s, "declined", o.reason, null, false), o.uiOnOutcome || ui(UiMessage.NotAuthorised, UiStatus.NotReady, c.resultMs), "error", fx, c);
  }
  if (o.type === OutcomeType.Approved) return fail(s, "EMV_OFFLINE_APPROVAL_REFUSED", fx, c); // online-only terminal (type 21)
  const again = o.start === Start.B || o.start === Start.C || o.type === OutcomeType.EndApplication || o.type === OutcomeType.TryAnotherInterface;
  // After these reasons another card cannot help: the amount is the problem.
  if (!again || o.reason === "EMV_LIMIT_EXCEEDED" || o.reason === "EMV_CONTACTLESS_NOT_ALLOWED") {
    return finish(s, "error", result(s, "error", o.reason, null, false), o.uiOnOutcome || ui(UiMessage.ProcessingError, UiStatus.ProcessingError, c.resultMs), "error", fx, c);
  }
  if (sale.restarts >= c.maxRestarts) return fail(s, "TOO_MANY_ATTEMPTS", fx, c);
  const next: SaleCtx = { id: sale.id, amountMinor: sale.amountMinor, currency: sale.currency, restarts: sale.restarts + 1 };
  if (o.start === Start.C) {
    // Select Next reached the app (Entry Point normally handles it): the same card, again.
    const ref = s.seq + 1;
    fx.push({ type: "runKernel", ref: ref, amountMinor: sale.amountMinor });
    return go(s, "reading", { sale: next, deadlineMs: c.readTimeoutMs }, fx);
  }
  if (o.start === Start.B && o.fieldOffMs !== null) {
    // "See phone": Field Off Request, then poll again with the UI request on restart; the amount stays.
    const ref = s.seq + 1;
    if (o.uiOnOutcome) fx.push(show(s, o.uiOnOutcome, null));
    fx.push({ type: "fieldOff", ref: ref, ms: o.fieldOffMs });
    return go(s, "fieldOff", { sale: next, deadlineMs: o.fieldOffMs + c.fieldOffMarginMs, ui: o.uiOnRestart }, fx);
  }
  if (o.start === Start.B) return present(s, next, o.uiOnRestart || ui(UiMessage.PresentCardAgain, UiStatus.ReadyToRead, 0), fx, c);
  // End Application / Try Another Interface: "try another card", the amount kept.
  fx.push({ type: "beep", kind: "alert" });
  return present(s, next, o.uiOnOutcome || ui(UiMessage.TryAnotherCard, UiStatus.ReadyToRead, 0), fx, c);
}

/** Ends the authorization without its answer: the sale in flight is reversed first. */
function abandonAuth(s: TerminalState, why: "no_answer" | "cancelled", c: MachineConfig): Transition {
  const fx: Effect[] = [{ type: "reverseInFlight", reason: why }];
  const r = result(s, why === "cancelled" ? "cancelled" : "notAuthorised", why === "cancelled" ? "CANCELLED" : "AUTH_TIMEOUT", null, true);
  return finish(s, "error", r, ui(UiMessage.NotAuthorised, UiStatus.NotReady, c.resultMs), "error", fx, c);
}

/** The pure transition. Events a state does not expect, and stale answers, change nothing. */
export function next(s: TerminalState, e: TerminalEvent, c: MachineConfig): Transition {
  if (e.type === "deadline" && e.id !== s.deadlineId) return stay(s, []);
  if ("ref" in e && e.ref !== s.seq) return stay(s, []);
  const k = s.kind;
  if (e.type === "sale") {
    if (k === "idle" || s.result !== null) return startSale(s, e.amountMinor, e.id || "", c);
    return stay(s, [{ type: "refuse", code: "SALE_BUSY", message: "a sale is in progress (" + k + ")" }]);
  }
  if (e.type === "cancel") {
    if (k === "idle") return stay(s, []);
    if (k === "reading") return stay(s, [{ type: "refuse", code: "CANCEL_DURING_READ", message: "card being read: cancel in a moment" }]);
    if (k === "authorising") return abandonAuth(s, "cancelled", c);
    if (s.result !== null) return go(s, "idle", { sale: null, deadlineMs: 0 }, [show(idleState(0), ui(UiMessage.Welcome, UiStatus.Idle, 0), null)]);
    const fx: Effect[] = [];
    if (k === "presentCard") fx.push({ type: "stopPolling" });
    return toIdle(s, "cancelled", "CANCELLED", fx);
  }
  if (s.result !== null) {
    // approved, declined, error, refusals: on display until the deadline or the UI says so.
    if (e.type === "deadline" || e.type === "resultShown") return go(s, "idle", { sale: null, deadlineMs: 0 }, [show(idleState(0), ui(UiMessage.Welcome, UiStatus.Idle, 0), null)]);
    return stay(s, []);
  }
  const sale = s.sale as SaleCtx;
  switch (k) {
    case "amountEntered":
      if (e.type === "ready") {
        if (e.refusal === null && e.code === null) {
          const ref = s.seq + 1;
          return present(s, sale, ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), [{ type: "persistSaleInFlight", ref: ref, sale: { step: "card", amountMinor: sale.amountMinor, currency: sale.currency, maskedPan: null, aid: null } }], c);
        }
        if (e.refusal === null) return fail(s, e.code as string, [], c);
        // The refusal's reason: the code that refused (terminal-runner.ts checkReady).
        const why = e.refusal === "notConfigured" ? "TERMINAL_NOT_CONFIGURED" : e.refusal === "clockInvalid" ? "AUTH_NO_CLOCK" : "AUTH_REVERSAL_QUEUE_FULL";
        return finish(s, e.refusal, result(s, "refused", why, null, false), ui(UiMessage.ProcessingError, UiStatus.NotReady, c.resultMs), "error", [], c);
      }
      if (e.type === "deadline") return fail(s, "CHECK_TIMEOUT", [], c);
      break;
    case "presentCard":
      if (e.type === "cardDetected") {
        const ref = s.seq + 1;
        return go(s, "reading", { sale: sale, deadlineMs: c.readTimeoutMs }, [{ type: "runKernel", ref: ref, amountMinor: sale.amountMinor }]);
      }
      if (e.type === "collision") {
        // Book A §8.1 / Book D: two cards in the field. The poller keeps polling; same state.
        const m = ui(UiMessage.PresentOneCardOnly, UiStatus.ReadyToRead, 0);
        const st: TerminalState = { kind: k, seq: s.seq, deadlineId: s.deadlineId, sale: sale, record: null, maskedPan: null, card: null, result: null, ui: m };
        return stay(st, [show(s, m, null), { type: "beep", kind: "alert" }]);
      }
      if (e.type === "pollTimeout" || e.type === "deadline") return toIdle(s, "timeout", "TAP_TIMEOUT", [{ type: "stopPolling" }]);
      if (e.type === "saleSaved" && !e.ok) return fail(s, e.code || "STORAGE_FAILED", [{ type: "stopPolling" }], c);
      break;
    case "fieldOff":
      if (e.type === "fieldOffDone" || e.type === "deadline") return present(s, sale, s.ui || ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), [], c);
      break;
    case "reading":
      if (e.type === "kernelOutcome") return onOutcome(s, e.outcome, c);
      if (e.type === "deadline") return fail(s, "READ_TIMEOUT", [], c);
      break;
    case "cardReadOk":
      if (e.type === "saleSaved") {
        if (!e.ok || !s.record) return fail(s, e.code || "STORAGE_FAILED", [], c);
        const ref = s.seq + 1;
        const fx: Effect[] = [
          show(s, ui(UiMessage.Authorising, UiStatus.NotReady, 0), null),
          { type: "authorize", ref: ref, record: s.record, amountMinor: sale.amountMinor, currency: sale.currency },
        ];
        // The record leaves the state here: the clear PAN stays only with the authorizer.
        return go(s, "authorising", { sale: sale, deadlineMs: c.authTimeoutMs, maskedPan: s.maskedPan, card: s.card }, fx);
      }
      if (e.type === "deadline") return fail(s, "SAVE_TIMEOUT", [], c);
      break;
    case "authorising":
      if (e.type === "authResult") {
        // Written here, not a helper: the last case, so no other event skips it (one function fewer held).
        const a = e.result;
        if (a.outcome === "approved") return finish(s, "approved", result(s, "approved", a.reason, a, false), ui(UiMessage.Approved, UiStatus.NotReady, c.resultMs), "ok", [], c);
        return finish(s, a.outcome === "declined" ? "declined" : "error", result(s, a.outcome, a.reason, a, false), ui(UiMessage.NotAuthorised, UiStatus.NotReady, c.resultMs), "error", [], c);
      }
      if (e.type === "deadline") return abandonAuth(s, "no_answer", c);
      break;
  }
  return stay(s, []);
}
