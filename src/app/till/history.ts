/**
 * The till's results history: the last `max` (50) results in Storage, one small file per
 * result in a ring ("tph0".."tph49", the count written so far in "tphn"), each a JSON array
 * without keys (~180 bytes). Adding one writes one file; nothing is held in RAM: the files
 * are read only when a route asks (results, receipt, void, totals), one at a time.
 * No cardholder data: the PAN is masked 6/4 (TerminalResult.maskedPan).
 */
import type { KeyValueStore } from "../../hal/types";
import type { TerminalResult } from "../terminal-machine";
import { schemeOf, walletOf } from "./card";

const PREFIX = "tph";
const COUNT = "tphn";

/** What results and receipts show of the card: CardInfo with the scheme and wallet named. */
export interface TillCard {
  aid: string;
  label: string | null;
  scheme: string | null;
  wallet: string | null;
  atc: string | null;
  tvr: string | null;
  cvm: string;
}

/** One result as the till reads it back. */
export interface Entry {
  id: string;
  /** Unix ms, or null. */
  time: number | null;
  amountMinor: number;
  currency: number;
  outcome: string;
  reason: string;
  maskedPan: string | null;
  stan: string | null;
  clientTransactionId: string | null;
  authCode: string | null;
  voided: boolean;
  card: TillCard | null;
}

/** `r` as the till keeps it (not voided). */
export function entryOf(r: TerminalResult): Entry {
  const c = r.card;
  return {
    id: r.id || "",
    time: r.time,
    amountMinor: r.amountMinor || 0,
    currency: r.currency || 0,
    outcome: r.outcome,
    reason: r.reason,
    maskedPan: r.maskedPan,
    stan: r.stan,
    clientTransactionId: r.clientTransactionId,
    authCode: r.authCode,
    voided: false,
    card: c ? { aid: c.aid, label: c.label, scheme: schemeOf(c.aid), wallet: walletOf(c.trid), atc: c.atc, tvr: c.tvr, cvm: c.cvm } : null,
  };
}

function pack(e: Entry): string {
  const c = e.card;
  const a: unknown[] = [e.id, e.time, e.amountMinor, e.currency, e.outcome, e.reason, e.maskedPan, e.stan, e.clientTransactionId, e.authCode, e.voided ? 1 : 0];
  if (c) a.push(c.aid, c.label, c.scheme, c.wallet, c.atc, c.tvr, c.cvm);
  return JSON.stringify(a);
}

function unpack(t: string | undefined): Entry | null {
  if (t === undefined) return null;
  let a: unknown[];
  try {
    a = JSON.parse(t);
  } catch (e) {
    return null; // a torn write: that one result is lost, the others stay
  }
  if (!Array.isArray(a) || typeof a[0] !== "string") return null;
  const s = (i: number): string | null => (typeof a[i] === "string" ? (a[i] as string) : null);
  return {
    id: a[0] as string,
    time: typeof a[1] === "number" ? a[1] : null,
    amountMinor: +(a[2] as number) || 0,
    currency: +(a[3] as number) || 0,
    outcome: s(4) || "",
    reason: s(5) || "",
    maskedPan: s(6),
    stan: s(7),
    clientTransactionId: s(8),
    authCode: s(9),
    voided: a[10] === 1,
    card: a.length > 11 ? { aid: s(11) || "", label: s(12), scheme: s(13), wallet: s(14), atc: s(15), tvr: s(16), cvm: s(17) || "NA" } : null,
  };
}

export class History {
  private store: KeyValueStore;
  readonly max: number;
  constructor(
    store: KeyValueStore,
    max: number,
  ) {
    this.store = store;
    this.max = max;
  }

  private count(): number {
    const n = parseInt(this.store.read(COUNT) || "0", 10);
    return n > 0 ? n : 0;
  }

  /** Records `r` (a result with an id) as the newest; the oldest beyond `max` is overwritten. */
  add(r: TerminalResult): void {
    if (r.id === null) return;
    const n = this.count();
    this.store.write(PREFIX + (n % this.max), pack(entryOf(r)));
    this.store.write(COUNT, "" + (n + 1));
  }

  /**
   * Calls `fn` for each entry, newest first, with its slot; stops when `fn` returns true.
   * One file read per entry: nothing kept.
   */
  each(fn: (e: Entry, slot: number) => boolean | void): void {
    const n = this.count();
    const m = this.max;
    for (let k = 1; k <= m && k <= n; k++) {
      const slot = (n - k) % m;
      const e = unpack(this.store.read(PREFIX + slot));
      if (e !== null && fn(e, slot) === true) return;
    }
  }

  /** The newest entry named `id`, or null. */
  find(id: string): { e: Entry; slot: number } | null {
    let found: { e: Entry; slot: number } | null = null;
    this.each(function (e, slot) {
      if (e.id !== id) return false;
      found = { e: e, slot: slot };
      return true;
    });
    return found;
  }

  /** Rewrites the entry in `slot` (void). */
  put(slot: number, e: Entry): void {
    this.store.write(PREFIX + slot, pack(e));
  }
}
