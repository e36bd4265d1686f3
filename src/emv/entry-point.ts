/**
 * Entry Point (EMV Contactless Book B v2.10): pre-processing (§3.1), combination selection
 * from the PPSE or, when the card has none, the AID list (§3.3), final selection, kernel
 * activation (§3.4) and Select Next (§3.3.3, Start C) until one kernel ends the tap. Protocol
 * activation (§3.2: polling, collisions, "present one card only") belongs to the NFC layer.
 *
 * One call is one tap: it always resolves with an Outcome and never rejects. Outcomes with
 * Start B (Try Again after a communication error, "see phone") ask the caller to wait for
 * the card again and call once more; the UI request on restart says what to show meanwhile.
 */
import type { ApduChannel } from "../apdu/channel";
import { selectByName } from "../apdu/emv-commands";
import { isCoded } from "../bytes/coded-error";
import { concat, hexOf } from "../bytes/hex";
import type { Calendar, Random } from "../hal/types";
import { copyFields } from "./data-record";
import { Flow, type Step } from "./flow";
import { collect, endApplication, errorOutcome, limitExceeded, selectNext, send, tryAnotherInterface, type Kernel, type KernelContext, type Rapdu } from "./kernel";
import { runC2 } from "./kernels/c2-mastercard";
import { runC3 } from "./kernels/c3-visa";
import { runC7 } from "./kernels/c7-unionpay";
import { OutcomeType, type Outcome } from "./outcome";
import { aidListCandidates, aidMatches, buildCandidates, candidates, PPSE_NAME, readDirectory, type Candidate } from "./ppse";
import { combinationOf, plainTransaction, preprocess, type AidConfig, type Combination, type EntryPointConfig, type Transaction } from "./preprocessing";
import { buildTerminalData } from "./terminal-data";
import { keepSet, type TlvRecord } from "./tlv";

/**
 * The transaction's terminal data holds this as 9F66 until an activation puts its
 * combination's TTQ there (selected): nothing reads it before, nothing writes into it.
 */
const NO_TTQ = new Uint8Array(4);

/** What one tap shares across candidates. */
interface Tap {
  /** The tap's commands, each step of Entry Point and the kernel (flow.ts). */
  flow: Flow;
  config: EntryPointConfig;
  /** Terminal data of the transaction (one UN, one date); copied per activation with the combination's TTQ. */
  term: TlvRecord;
  amountMinor: number;
  holdMs: number;
  /** Combinations removed by their transaction limit (Book B §3.1.1.5). */
  overLimit: Combination[];
  /** A plain transaction (plainTransaction): each AID's combination once worked out, by AID index (null: over its limit). */
  lazy: (Combination | null)[];
}

/** The combination of AID `cfg`, the i-th, in a plain transaction, worked out when first asked (combinationOf). */
function combinationAt(tap: Tap, cfg: AidConfig, i: number): Combination | null {
  let c = tap.lazy[i];
  if (c === undefined) c = tap.lazy[i] = combinationOf(tap.config, cfg, tap.amountMinor);
  return c;
}

/**
 * In a plain transaction: true when some AID is allowed, i.e. combinationOf would not give
 * null (kernel 2, or an amount under its transaction limit), without working one out.
 */
function anyAllowed(tap: Tap): boolean {
  for (const cfg of tap.config.aids) if (cfg.kernel === 2 || !(tap.amountMinor >= (cfg.txnLimitMinor as number))) return true;
  return false;
}

/** FCI tags kept at final selection: DF name, PDOL, label; Mastercard's Third Party Data sits in BF0C. */
const FCI_KEEP = keepSet([0x84, 0x9f38, 0x50]);
const FCI_KEEP_C2 = keepSet([0x9f6e], FCI_KEEP);

/**
 * Final selection of one candidate (Book B §3.3.3–§3.4): SELECT of the ADF name (+ 9F29),
 * the FCI must be a 6F template with a DF name 84 matching the combination's AID; then the
 * kernel runs. A failed SELECT or an unusable FCI is Select Next (C-2 S1.7–S1.8 alike).
 */
function activate(tap: Tap, list: Candidate[], i: number): Step<Outcome> {
  const cand = list[i];
  const id = cand.kernel;
  const run: Kernel | null = id === 3 ? runC3 : id === 2 ? runC2 : id === 7 ? runC7 : null;
  if (!run) return next(tap, list, i, selectNext("EMV_KERNEL_NOT_SUPPORTED"));
  const name = cand.ext && cand.adf.length + cand.ext.length <= 16 ? concat([cand.adf, cand.ext]) : cand.adf;
  // The answer's handling is bound, not a closure: a closure's body is lexed where it is made.
  return send(tap.flow, selectByName(name), "SELECT", selected.bind(null, tap, list, i, run));
}

/** activate, on the final SELECT's answer of list[i]: the FCI checked, then the kernel run. */
function selected(tap: Tap, list: Candidate[], i: number, run: Kernel, r: Rapdu): Step<Outcome> {
  const cand = list[i];
  if (r.sw !== 0x9000) return next(tap, list, i, selectNext("EMV_STATUS_WORD", { sw: r.sw, step: "SELECT" }));
  const card: TlvRecord = {};
  try {
    collect(card, r.data, 0x6f, cand.kernel === 2 ? FCI_KEEP_C2 : FCI_KEEP);
  } catch (e) {
    const o = errorOutcome(e, tap.holdMs);
    return next(tap, list, i, selectNext(o.reason, o.detail));
  }
  const df = card["84"];
  if (!df) return next(tap, list, i, selectNext("EMV_MISSING_TAG", { tag: "84", step: "SELECT" }));
  if (df.length < 5 || !aidMatches(df, cand.comb)) return next(tap, list, i, selectNext("EMV_DF_NAME_MISMATCH", { tag: "84", step: "SELECT" }));
  // Each activation starts from the transaction's terminal data (kernels change 95, 9F34…);
  // the last candidate may have it, nothing reads it after (a 22-key copy costs ~0.67 M).
  const term = i === list.length - 1 ? tap.term : copyFields(tap.term);
  term["9F66"] = cand.comb.ttq;
  const ctx: KernelContext = {
    flow: tap.flow,
    config: tap.config,
    comb: cand.comb,
    kernel: cand.kernel,
    aid: hexOf(df),
    card: card,
    term: term,
    amountMinor: tap.amountMinor,
    holdMs: tap.holdMs,
  };
  // The kernel's Outcome, or its fault's, comes back to this activation (flow.ts: in the same
  // flow, without a promise per command).
  return tap.flow.within(run.bind(null, ctx), ran.bind(null, tap, list, i, ctx), faulted.bind(null, tap, list, i, ctx));
}

/** The kernel's fault of list[i] as its Outcome (errorOutcome), then as `ran`. */
function faulted(tap: Tap, list: Candidate[], i: number, ctx: KernelContext, e: unknown): Step<Outcome> {
  return ran(tap, list, i, ctx, errorOutcome(e, tap.holdMs));
}

/** The kernel's Outcome of list[i], or the fault's, with the kernel and AID that gave it; a Select Next goes on with the next candidate (in this turn). */
function ran(tap: Tap, list: Candidate[], i: number, ctx: KernelContext, o: Outcome): Step<Outcome> {
  o.kernel = ctx.kernel;
  o.aid = ctx.aid;
  return o.type !== OutcomeType.SelectNext ? o : next(tap, list, i, o);
}

/** Tries candidates in order; a Select Next drops the current one (Book B §3.3.3, Start C). */
function tryCandidates(tap: Tap, list: Candidate[], i: number, last: Outcome | null): Step<Outcome> {
  if (i >= list.length) {
    if (last && last.reason === "EMV_LIMIT_EXCEEDED") return limitExceeded(last.detail, tap.holdMs);
    const d = last ? { code: last.reason, sw: last.detail && last.detail.sw, step: last.detail && last.detail.step } : undefined;
    return endApplication("EMV_NO_CANDIDATE", d, tap.holdMs);
  }
  return activate(tap, list, i);
}

/** After the Select Next `o` of list[i]: the next candidates, `o`'s Field Off Request kept. */
function next(tap: Tap, list: Candidate[], i: number, o: Outcome): Step<Outcome> {
  return tap.flow.within(tryCandidates.bind(null, tap, list, i + 1, o), keptFieldOff.bind(null, o), null);
}

/** keepFieldOff, with the Select Next first (bound by next). */
function keptFieldOff(selectNext: Outcome, end: Outcome): Outcome {
  return keepFieldOff(end, selectNext);
}

/**
 * A Field Off Request on a Select Next (Book A §6.2) cannot be carried out between candidates
 * (the card would lose its selection): it rides on the Outcome that ends the tap, unless that
 * one has its own. No kernel here asks for it on Select Next; See Phone does (kernel.ts).
 */
export function keepFieldOff(end: Outcome, selectNext: Outcome): Outcome {
  if (end.fieldOffMs === null) end.fieldOffMs = selectNext.fieldOffMs;
  return end;
}

/**
 * One tap: pre-processing, SELECT PPSE, candidate list, final selection, kernel.
 * The PPSE answer decides the method: 6A81 (card blocked) → End Application; a directory
 * with entries → its candidates (none acceptable → End Application EMV_NO_CANDIDATE);
 * anything else (6A82 no PPSE, other status words, an empty or malformed directory) → the
 * AID list method, unless `aidListFallback` is false.
 * Never rejects: faults become Outcomes (kernel.ts `errorOutcome`).
 */
export function runEntryPoint(channel: ApduChannel, config: EntryPointConfig, txn: Transaction, calendar: Calendar, random: Random): Promise<Outcome> {
  const holdMs = config.holdMs ?? 1300;
  let tap: Tap;
  // Pre-processing (Book B §3.1.1): in a plain transaction only the AIDs the card names are
  // worked out (combinationAt), else, and whenever the full list must say why, preprocess.
  let combs: Combination[] | null;
  const overLimit: Combination[] = [];
  try {
    combs = plainTransaction(config, txn) ? null : preprocess(config, txn, overLimit);
    const input = { amountMinor: txn.amountMinor, amountOtherMinor: txn.amountOtherMinor, transactionType: txn.transactionType, ttq: NO_TTQ };
    tap = { flow: null as unknown as Flow, config: config, term: buildTerminalData(config.terminal, input, calendar, random), amountMinor: txn.amountMinor, holdMs: holdMs, overLimit: overLimit, lazy: [] };
  } catch (e) {
    return Promise.resolve(errorOutcome(e, holdMs));
  }
  if (combs === null && !anyAllowed(tap)) combs = preprocess(config, txn, overLimit);
  if (combs !== null && combs.length === 0) return Promise.resolve(overLimit.length > 0 ? limitExceeded(undefined, holdMs) : tryAnotherInterface("EMV_CONTACTLESS_NOT_ALLOWED", undefined, holdMs));
  const t = tap;
  const pre = combs;
  return new Promise<Outcome>(function (resolve) {
    // One flow for the whole tap (flow.ts); a fault nothing took ends it as its Outcome.
    t.flow = new Flow(channel, resolve as (v: unknown) => void, function (e: unknown) {
      resolve(errorOutcome(e, holdMs));
    });
    t.flow.resume(sendPpse as (a: unknown, b: unknown, c: unknown) => unknown, t, txn, pre);
  });
}

/** runEntryPoint's first step: SELECT PPSE (`combs`: the combinations, null in a plain transaction; those over their limit in `tap.overLimit`). */
function sendPpse(tap: Tap, txn: Transaction, combs: Combination[] | null): Step<Outcome> {
  return send(tap.flow, selectByName(PPSE_NAME), "PPSE", afterPpse.bind(null, tap, txn, combs, tap.overLimit));
}

/** runEntryPoint on the PPSE answer (`combs` null in a plain transaction: worked out on demand). */
function afterPpse(tap: Tap, txn: Transaction, combs: Combination[] | null, overLimit: Combination[], r: Rapdu): Step<Outcome> {
  const config = tap.config;
  const holdMs = tap.holdMs;
  if (r.sw === 0x6a81) return endApplication("EMV_CARD_BLOCKED", { sw: r.sw, step: "PPSE" }, holdMs);
  let entries = null;
  if (r.sw === 0x9000) {
    try {
      entries = readDirectory(r.data);
    } catch (e) {
      // A PPSE that does not parse is no PPSE: the AID list method below (deliberate).
      // Not a bug, though: an uncoded exception goes on to End Application EMV_INTERNAL.
      if (!isCoded(e)) throw e;
      entries = null;
    }
  }
  if (entries && entries.length > 0) {
    const cands =
      combs !== null ? buildCandidates(entries, combs) : candidates(entries, config.aids, (a: AidConfig, j: number, kernel: number) => (a.kernel === kernel ? combinationAt(tap, a, j) : null));
    // Only over-limit applications on this card: say so (Book B §3.1.1.13), not "no candidate".
    if (cands.length === 0) {
      if (combs === null) preprocess(config, txn, overLimit);
      if (buildCandidates(entries, overLimit).length > 0) return limitExceeded(undefined, holdMs);
    }
    return tryCandidates(tap, cands, 0, null);
  }
  if (config.aidListFallback === false) return endApplication("EMV_NO_CANDIDATE", { sw: r.sw, step: "PPSE" }, holdMs);
  return tryCandidates(tap, aidListCandidates(combs !== null ? combs : preprocess(config, txn, overLimit)), 0, null);
}
