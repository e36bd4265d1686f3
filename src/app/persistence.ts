/**
 * What the terminal keeps across a power cut, and what a restart resumes
 * (docs/terminal-states.md "Power cut"). Two app files beside the auth module's own:
 *
 *   tpsale   the sale in flight: written when polling starts (step "card"), rewritten when
 *            the card has been read (step "authorising", masked PAN), then with the STAN and
 *            client transaction id as soon as the authorizer has made them; erased once the
 *            result is recorded.
 *   tplast   the last result (masked), written before tpsale is erased.
 *   tpstan, tppending, tprv…   src/auth/reversal-queue.ts: the STAN, the request in flight
 *            (written by the authorizer before the first byte leaves), the reversals.
 *
 * `resume(stored)` is pure: every restart lands in idle; what differs is whether a reversal
 * is queued and what the till's `last()` says about the interrupted sale.
 * Nothing here holds a clear PAN: the stored sale has the 6/4 masked one only.
 */
import type { KeyValueStore } from "../hal/types";
import { reversal, type Reversal } from "../auth/reversal-queue";
import { idleState, type SaleStep, type TerminalResult, type TerminalState } from "./terminal-machine";

/** Storage names (≤ 28 characters on Espruino). */
export const SALE_FILE = "tpsale";
export const LAST_FILE = "tplast";

/** The sale in flight as stored. */
export interface StoredSale extends SaleStep {
  /** ISO 8601 UTC when the step was written, null without a valid wall clock. */
  time: string | null;
  /** Set once the authorizer has made them (before the request is sent). */
  stan: string | null;
  clientTransactionId: string | null;
  /** The terminal id the request went under (from the pending record). */
  terminalId: string | null;
}

export interface Stored {
  sale: StoredSale | null;
  /** src/auth PendingStore.read(): the request in flight. */
  pending: Reversal | null;
  last: TerminalResult | null;
}

export type ResumeAction =
  /** Nothing was in flight. */
  | "none"
  /** Cut before any request left: nothing charged; the sale is recorded as interrupted. */
  | "notCharged"
  /** The result had been recorded: only the sale in flight is erased. */
  | "alreadyDecided"
  /** A request was (or may have been) sent: the pending record becomes a reversal. */
  | "recoverPending"
  /** The ids are known but no pending record is left (answer lost in the cut): reverse by ids. */
  | "reverseSale";

export interface ResumePlan {
  /** Always idle: a restart never resumes a half-done tap or authorization. */
  state: TerminalState;
  action: ResumeAction;
  /** The reversal to queue for "reverseSale" (same id as the request: one file, one reversal). */
  reversal: Reversal | null;
  /** The interrupted sale as last() reports it, or null. */
  interrupted: TerminalResult | null;
}

function interrupted(s: StoredSale, reason: string, reversal: boolean): TerminalResult {
  return {
    id: null,
    time: null,
    outcome: reversal ? "notAuthorised" : "cancelled",
    reason: reason,
    amountMinor: s.amountMinor,
    currency: s.currency,
    maskedPan: s.maskedPan,
    stan: s.stan,
    clientTransactionId: s.clientTransactionId,
    authCode: null,
    responseCode: null,
    reversal: reversal,
    card: null,
  };
}

/** "978" from 978 (ISO 4217 numeric, three digits). */
export function pad3(n: number): string {
  const t = "" + n;
  return "000".substring(t.length) + t;
}

/**
 * The reversal of a stored sale whose request may have left (its STAN and client transaction
 * id known), or null. Same id as the request: one Storage file, one reversal.
 */
export function reversalOf(s: StoredSale, terminalId: string, reason: Reversal["reason"]): Reversal | null {
  if (s.clientTransactionId === null || s.stan === null) return null;
  return reversal(s.terminalId || terminalId, s.clientTransactionId, s.stan, s.amountMinor, pad3(s.currency), reason, s.time || "1970-01-01T00:00:00Z");
}

/**
 * After a power cut: per stored state, what a restart does (the table in
 * docs/terminal-states.md). `terminalId` names the reversal built from the sale's ids.
 */
export function resume(stored: Stored, terminalId: string): ResumePlan {
  const s = stored.sale;
  const plan: ResumePlan = { state: idleState(0), action: "none", reversal: null, interrupted: null };
  if (stored.pending !== null) {
    // The authorizer wrote it before sending: the request may have reached the acquirer.
    plan.action = "recoverPending";
    const p = stored.pending;
    const base: StoredSale = s || { step: "authorising", amountMinor: p.amountMinor, currency: parseInt(p.currency, 10), maskedPan: null, aid: null, time: p.time, stan: p.stan, clientTransactionId: p.clientTransactionId, terminalId: p.terminalId };
    const r = interrupted(base, "POWER_CUT_REVERSED", true);
    r.stan = p.stan;
    r.clientTransactionId = p.clientTransactionId;
    plan.interrupted = r;
    return plan;
  }
  if (s === null) return plan;
  const id = s.clientTransactionId;
  if (id !== null && stored.last !== null && stored.last.clientTransactionId === id) {
    plan.action = "alreadyDecided";
    return plan;
  }
  if (s.step === "authorising" && id !== null && s.stan !== null) {
    // The answer came (pending erased) but its result was not recorded: reverse to be safe;
    // the acquirer answers `reversed: false` when there was nothing to cancel.
    plan.action = "reverseSale";
    plan.reversal = reversalOf(s, terminalId, "no_answer");
    plan.interrupted = interrupted(s, "POWER_CUT_REVERSED", true);
    return plan;
  }
  plan.action = "notCharged";
  plan.interrupted = interrupted(s, "POWER_CUT_NOT_CHARGED", false);
  return plan;
}

function readJson<T>(store: KeyValueStore, name: string): T | null {
  const t = store.read(name);
  if (t === undefined) return null;
  try {
    const v = JSON.parse(t);
    return v && typeof v === "object" ? (v as T) : null;
  } catch (e) {
    return null; // torn write: treated as absent (the auth module's pending record still decides money)
  }
}

/** The app's two files. Writes are synchronous (Espruino Storage): done when they return. */
export class SaleStore {
  private store: KeyValueStore;
  constructor(store: KeyValueStore) {
    this.store = store;
  }

  writeSale(s: StoredSale): void {
    this.store.write(SALE_FILE, JSON.stringify(s));
  }

  readSale(): StoredSale | null {
    return readJson<StoredSale>(this.store, SALE_FILE);
  }

  clearSale(): void {
    if (this.store.read(SALE_FILE) !== undefined) this.store.erase(SALE_FILE);
  }

  writeLast(r: TerminalResult): void {
    this.store.write(LAST_FILE, JSON.stringify(r));
  }

  readLast(): TerminalResult | null {
    return readJson<TerminalResult>(this.store, LAST_FILE);
  }
}

/** The auth module's side that resume needs (src/auth Authorizer: `pending`, `queue`). */
export interface ReversalPort {
  pending: { read(): Reversal | null; recover(queue: { add(r: Reversal): void }): Reversal | null };
  queue: { add(r: Reversal): void };
}

/**
 * Carries out `resume` at boot, before the first sale: queues the reversal, records the
 * interrupted sale as the last result, erases the sale in flight. Safe before or after
 * `TerminalAuth.boot()` (which also recovers the pending record: same id, same file).
 */
export function resumeAfterPowerCut(sales: SaleStore, auth: ReversalPort, terminalId: string): ResumePlan {
  const plan = resume({ sale: sales.readSale(), pending: auth.pending.read(), last: sales.readLast() }, terminalId);
  if (plan.action === "recoverPending") auth.pending.recover(auth.queue);
  if (plan.reversal !== null) auth.queue.add(plan.reversal);
  if (plan.interrupted !== null) sales.writeLast(plan.interrupted);
  sales.clearSale();
  return plan;
}
