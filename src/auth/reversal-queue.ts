/**
 * The reversal queue and the pending transaction, in Storage so they survive power loss
 * (docs/architecture.md "Reversal"). One Storage file per reversal, named after its client transaction
 * id: adding the same id twice rewrites one file (one reversal), and a torn write can only
 * hurt one entry. Entries carry ids, STAN, amount, currency, time and reason: no card data.
 * The queue is never trimmed: past its bound new sales stop (AUTH_REVERSAL_QUEUE_FULL)
 * until the acquirer has acknowledged enough of it.
 */
import { codedError } from "../bytes/coded-error";
import type { KeyValueStore } from "../hal/types";

/** docs/acquirer-api.md `POST /v1/reversals` body. */
export interface Reversal {
  terminalId: string;
  clientTransactionId: string;
  stan: string;
  amountMinor: number;
  currency: string;
  reason: "no_answer" | "host_error" | "merchant_void" | "cancelled";
  /** ISO 8601 UTC of the original transaction. */
  time: string;
}

/** A Reversal, its keys in wire order (the Storage file and the POST body are its JSON). */
export function reversal(terminalId: string, clientTransactionId: string, stan: string, amountMinor: number, currency: string, reason: Reversal["reason"], time: string): Reversal {
  return { terminalId: terminalId, clientTransactionId: clientTransactionId, stan: stan, amountMinor: amountMinor, currency: currency, reason: reason, time: time };
}

/** `p` (a pending record) as a reversal for `reason`: a new object, `p` unchanged. */
export function withReason(p: Reversal, reason: Reversal["reason"]): Reversal {
  return reversal(p.terminalId, p.clientTransactionId, p.stan, p.amountMinor, p.currency, reason, p.time);
}

/** Storage names: ≤ 28 characters on Espruino. "tprv" + 24 hex digits of the id. */
const PREFIX = "tprv";
const PENDING = "tppending";
const STAN = "tpstan";

/** Default bound: a ninth unacknowledged reversal stops new sales. */
export const DEFAULT_QUEUE_MAX = 8;

function parse(text: string | undefined): Reversal | null {
  if (text === undefined) return null;
  try {
    const r = JSON.parse(text) as Reversal;
    return r && typeof r.clientTransactionId === "string" ? r : null;
  } catch (e) {
    return null; // a torn write: nothing to send (its pending record, if any, is still there)
  }
}

export class ReversalQueue {
  private store: KeyValueStore;
  readonly max: number;
  constructor(
    store: KeyValueStore,
    max: number,
  ) {
    this.store = store;
    this.max = max;
  }

  /** Adds (or rewrites) the reversal of `r.clientTransactionId`; written when this returns. */
  add(r: Reversal): void {
    this.store.write(PREFIX + r.clientTransactionId.substring(0, 24), JSON.stringify(r));
  }

  /** Entries, oldest STAN order not guaranteed; unreadable files are skipped. */
  list(): Reversal[] {
    const names = this.store.list(PREFIX);
    const out: Reversal[] = [];
    for (let i = 0; i < names.length; i++) {
      const r = parse(this.store.read(names[i]));
      if (r) out.push(r);
    }
    return out;
  }

  size(): number {
    return this.store.list(PREFIX).length;
  }

  has(id: string): boolean {
    return this.store.read(PREFIX + id.substring(0, 24)) !== undefined;
  }

  /** The acquirer acknowledged it. */
  remove(id: string): void {
    this.store.erase(PREFIX + id.substring(0, 24));
  }

  /** @throws AUTH_REVERSAL_QUEUE_FULL (`size`, `max`) when no new sale may start. */
  checkRoom(): void {
    const n = this.size();
    if (n >= this.max) throw codedError("AUTH_REVERSAL_QUEUE_FULL", n + " reversals not yet acknowledged by the acquirer: no new sale", { size: n, max: this.max });
  }
}

/**
 * The transaction in flight: written before the first request byte leaves, erased once its
 * outcome is known. Found at boot, it becomes a "no_answer" reversal (power lost mid-flight).
 */
export class PendingStore {
  private store: KeyValueStore;
  constructor(store: KeyValueStore) {
    this.store = store;
  }

  write(r: Reversal): void {
    this.store.write(PENDING, JSON.stringify(r));
  }

  read(): Reversal | null {
    return parse(this.store.read(PENDING));
  }

  clear(): void {
    this.store.erase(PENDING);
  }

  /** Moves a pending transaction left by a power loss into the queue; returns it. */
  recover(queue: ReversalQueue): Reversal | null {
    const p = this.read();
    if (p) queue.add(p);
    if (p || this.store.read(PENDING) !== undefined) this.clear();
    return p;
  }
}

/**
 * The System Trace Audit Number (ISO 8583 DE 11): six digits, 000001–999999 then 000001
 * again, persisted before use so no two requests of one terminal share one.
 */
export function nextStan(store: KeyValueStore): string {
  const last = parseInt(store.read(STAN) || "0", 10);
  const n = last >= 1 && last < 999999 ? last + 1 : 1;
  const s = "" + n;
  store.write(STAN, s);
  return "000000".substring(s.length) + s;
}
