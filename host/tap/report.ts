/**
 * What `npm run tap` prints: the result as JSON (`tapJson`) or as text (`tapText`). Both
 * take a PrintableResult (`printable`): card data only as a MaskedRecord (made by maskRecord
 * alone) and the masked trace (MaskedApdu); the compiler refuses a clear PAN, token, track or
 * name here. Status words
 * are 4-digit hex text ("6986") everywhere; in the text, each code is printed once.
 */
import { spacedHex } from "../../src/apdu/transcript";
import { fromHex, toHex } from "../../src/bytes/hex";
import { iccData, maskRecord, type MaskedRecord } from "../../src/emv/data-record";
import { parseTlv, tagHex } from "../../src/emv/tlv";
import type { Outcome, OutcomeDetail } from "../../src/emv/outcome";
import { describeTarget } from "../../src/nfc/target-info";
import type { TargetA } from "../../src/pn532/api";
import type { TranscriptReport } from "../../src/sim/transcript-card";
import { formatAmount, type Currency } from "./amount";
import { formatDate } from "./determinism";
import type { SessionResult, TapAttempt } from "./session";
import type { StaleField } from "./stale";
import type { TapTarget } from "./target";
import { decodeTrace, type DecodedExchange, type DecodedTlv } from "./trace";
import { uiText } from "../../src/app/ui/messages";

export interface TapContext {
  tapTarget: TapTarget;
  amountMinor: number;
  currency: Currency;
  country: number;
  startMs: number;
  seed: number;
  /** For a transcript: the terminal data this tap sent differently from the recorded one. */
  stale: StaleField[] | null;
}

function ms(v: number): number {
  return Math.round(v * 10) / 10;
}

function targetJson(t: TargetA): object {
  return { atqa: toHex(t.atqa), sak: toHex([t.sak]), uid: toHex(t.uid), ats: t.ats ? toHex(t.ats) : null };
}

/** The masked data record as printed: `token` is the PAN or token, masked. */
interface RecordView {
  token: string;
  expiry: string;
  psn: string | null;
  track2: string | null;
  serviceCode: string | null;
  cvm: string;
  icc: { [tag: string]: string };
  wallet: object;
}

/** The printed view of a masked record; a clear DataRecord does not type-check here. */
export function recordView(m: MaskedRecord): RecordView {
  return { token: m.pan, expiry: m.expiry, psn: m.psn, track2: m.track2, serviceCode: m.serviceCode, cvm: m.cvm, icc: m.icc, wallet: m.wallet };
}

/** An outcome as printed: its data record masked, or null. */
export type PrintedOutcome = Omit<Outcome, "record"> & { record: MaskedRecord | null };

/**
 * What tapJson and tapText print: the session's result with every record masked. The rest
 * holds no card data (the trace holds MaskedApdu answers), so a clear SessionResult does not
 * type-check where a PrintableResult is due: make one with `printable`.
 */
export interface PrintableResult {
  firmware: string;
  attempts: (Omit<TapAttempt, "outcome"> & { outcome: PrintedOutcome })[];
  outcome: PrintedOutcome | null;
  ui: SessionResult["ui"];
  trace: SessionResult["trace"];
  totalMs: number;
  notes: string[];
}

function printedOutcome(o: Outcome): PrintedOutcome {
  return { ...o, record: o.record ? maskRecord(o.record) : null };
}

/** The session's result for printing: the one place a clear record becomes a masked one. */
export function printable(res: SessionResult): PrintableResult {
  return {
    firmware: res.firmware,
    attempts: res.attempts.map((a) => ({ ...a, outcome: printedOutcome(a.outcome) })),
    outcome: res.outcome ? printedOutcome(res.outcome) : null,
    ui: res.ui,
    trace: res.trace,
    totalMs: res.totalMs,
    notes: res.notes,
  };
}

/** Status words as 4-digit hex text, as the trace writes them: 0x6986 → "6986". */
export function swHex(sw: number): string {
  return toHex([(sw >> 8) & 0xff, sw & 0xff]);
}

/** An outcome's detail for JSON: `sw` as hex text, never a number. */
function detailJson(d: OutcomeDetail | undefined): object | null {
  if (!d) return null;
  const out: { [k: string]: unknown } = {};
  for (const k of Object.keys(d)) out[k] = k === "sw" && typeof d.sw === "number" ? swHex(d.sw) : (d as { [k: string]: unknown })[k];
  return out;
}

function replayJson(r: TranscriptReport): object {
  const failures = r.failures.map((f) => ({ code: f.code, line: f.line, expected: f.expected, got: f.got }));
  return { ok: r.ok, replayed: r.replayed, leftovers: r.leftovers, leftoverLine: r.leftoverLine, failures: failures };
}

/** The result as one JSON object (docs/architecture.md "Commands": `--json`). */
export function tapJson(ctx: TapContext, res: PrintableResult, exitCode: number): object {
  const o = res.outcome;
  const masked = o ? o.record : null;
  const first = res.attempts.length > 0 ? res.attempts[0] : null;
  return {
    source: { kind: ctx.tapTarget.kind, name: ctx.tapTarget.label },
    amount: {
      minor: ctx.amountMinor,
      text: formatAmount(ctx.amountMinor, ctx.currency.exponent),
      currency: ctx.currency.code,
      alpha: ctx.currency.alpha,
      exponent: ctx.currency.exponent,
    },
    country: ctx.country,
    date: formatDate(ctx.startMs),
    seed: ctx.seed,
    outcome: o ? o.type : "NO_CARD",
    reason: o ? o.reason : "TAP_NO_CARD",
    detail: detailJson(o ? o.detail : undefined),
    start: o ? o.start : null,
    cvm: o ? o.cvm : null,
    kernel: o ? o.kernel : null,
    aid: o ? o.aid : null,
    uiMessages: res.ui.map((u) => ({
      id: toHex([u.request.messageId]),
      text: uiText(u.request.messageId),
      status: u.request.status,
      holdMs: u.request.holdMs,
      when: u.when,
      tap: u.tap,
      atMs: ms(u.atMs),
    })),
    record: masked ? recordView(masked) : null,
    taps: res.attempts.map((a) => ({
      tap: a.tap,
      target: targetJson(a.target),
      outcome: a.outcome.type,
      reason: a.outcome.reason,
      detail: detailJson(a.outcome.detail),
      pollingAtMs: ms(a.pollingAtMs),
      detectedAtMs: ms(a.detectedAtMs),
      endedAtMs: ms(a.endedAtMs),
    })),
    trace: decodeTrace(res.trace).map((d) => Object.assign({}, d, { atMs: ms(d.atMs), ms: ms(d.ms) })),
    timing: {
      totalMs: ms(res.totalMs),
      firstCardMs: first ? ms(first.detectedAtMs) : null,
      transactionMs: res.attempts.map((a) => ms(a.endedAtMs - a.detectedAtMs)),
    },
    replay: ctx.tapTarget.replay ? replayJson(ctx.tapTarget.replay.report()) : null,
    // A replayed ARQC covers the recorded tap's data: true when this tap sent other data.
    staleCryptogram: ctx.stale ? ctx.stale.length > 0 : null,
    staleFields: ctx.stale ?? [],
    notes: res.notes,
    firmware: res.firmware,
    exitCode: exitCode,
  };
}

/**
 * The detail in brackets; its code is left out when the line already says it (the reason)
 * or the trace just did (`shown`: the failed exchange's error), so no code is printed twice.
 */
function detailText(d: OutcomeDetail | undefined, reason: string, shown: string | null): string {
  if (!d) return "";
  const parts: string[] = [];
  if (d.code && d.code !== reason && d.code !== shown) parts.push(d.code);
  if (d.tag) parts.push("tag " + d.tag);
  if (d.sw !== undefined) parts.push("sw " + swHex(d.sw));
  if (d.step) parts.push("step " + d.step);
  if (d.offset !== undefined) parts.push("offset " + d.offset);
  return parts.length ? " (" + parts.join(", ") + ")" : "";
}

function tlvLines(nodes: DecodedTlv[], indent: string, out: string[]): void {
  for (const n of nodes) {
    let s = indent + n.tag + " " + n.name;
    if (n.value !== undefined) s += ": " + n.value + (n.text !== undefined ? ' "' + n.text + '"' : "");
    out.push(s);
    if (n.children) tlvLines(n.children, indent + "  ", out);
  }
}

function exchangeLines(d: DecodedExchange, out: string[]): void {
  out.push("  => " + spacedHex(fromHex(d.command)) + "   # " + d.name);
  if (d.commandData) tlvLines(d.commandData, "       ", out);
  if (d.response === null) {
    out.push("  <= (no answer: " + (d.error ?? "?") + ") · " + ms(d.ms) + " ms");
    return;
  }
  out.push("  <= " + d.sw + " " + d.status + " · " + (d.response.length / 2 - 2) + " bytes · " + ms(d.ms) + " ms");
  if (d.data) tlvLines(d.data, "       ", out);
  else if (d.dataError) {
    out.push("       not BER-TLV (" + d.dataError + "): " + spacedHex(fromHex(d.response.substring(0, d.response.length - 4))));
  }
}

function uiLine(u: SessionResult["ui"][number]): string {
  const r = u.request;
  const hold = r.holdMs ? ", hold " + r.holdMs + " ms" : "";
  const when = u.when === "restart" ? " on restart" : "";
  return "  [" + ms(u.atMs) + " ms] UI " + toHex([r.messageId]) + ' "' + uiText(r.messageId) + '" (' + r.status + hold + ")" + when;
}

/** The warning of a replay whose cryptogram covers other data than this tap's. */
export function staleText(stale: StaleField[]): string[] {
  if (!stale.length) return [];
  const out = ["Warning: stale cryptogram: the replayed ARQC (9F26) was computed over the recorded tap's data, not this tap's:"];
  for (const f of stale) out.push(`  ${f.field} ${f.tag}: recorded ${f.recorded} (line ${f.line}), sent ${f.sent}`);
  out.push("  an issuer would decline it (cryptogram not verified); replay with the recorded values to compare outcomes");
  return out;
}

/** The result as text lines: taps with their decoded trace, UI messages, outcome, record, timing. */
export function tapText(ctx: TapContext, res: PrintableResult): string[] {
  const out: string[] = [];
  const masked = res.outcome ? res.outcome.record : null;
  const amount = formatAmount(ctx.amountMinor, ctx.currency.exponent) + " " + ctx.currency.alpha;
  out.push(`tappos tap: ${ctx.tapTarget.label} (${ctx.tapTarget.kind}), ${amount}, ${formatDate(ctx.startMs)}, seed ${ctx.seed}`);
  out.push(`${res.firmware || "PN532"} on a simulated I2C bus, polling for a card`);
  const trace = decodeTrace(res.trace);
  for (const u of res.ui) if (u.when === "start") out.push(uiLine(u));
  // The error of each tap's last exchange, as its trace line shows it.
  const lastError: { [tap: number]: string | null } = {};
  for (const d of trace) lastError[d.tap] = d.error ?? null;
  const lastTap = res.attempts.length ? res.attempts[res.attempts.length - 1].tap : 0;
  for (const a of res.attempts) {
    out.push(`tap ${a.tap} at ${ms(a.detectedAtMs)} ms: ${describeTarget(a.target)}`);
    for (const d of trace) if (d.tap === a.tap) exchangeLines(d, out);
    const shown = lastError[a.tap] ?? null;
    // The last tap's outcome is the Outcome line below: said once, not twice.
    if (a.tap !== lastTap) out.push(`  outcome ${a.outcome.type} ${a.outcome.reason}${detailText(a.outcome.detail, a.outcome.reason, shown)}, start ${a.outcome.start}`);
    for (const u of res.ui) if (u.tap === a.tap && u.when !== "start") out.push(uiLine(u));
  }
  for (const n of res.notes) out.push("note: " + n);
  const o = res.outcome;
  if (!o) out.push(`Outcome: NO_CARD (no card within the polling time)`);
  else {
    const where = o.kernel !== null ? ` · kernel ${o.kernel} · AID ${o.aid}` : "";
    const tap = res.attempts.length > 1 ? ` · tap ${lastTap}` : "";
    out.push(`Outcome: ${o.type} · ${o.reason}${detailText(o.detail, o.reason, lastError[lastTap] ?? null)}${where} · CVM ${o.cvm} · start ${o.start}${tap}`);
  }
  if (o && masked) {
    const rec = recordView(masked);
    out.push(`Data record: token ${rec.token} · expiry ${rec.expiry} · PSN ${rec.psn ?? "none"} · service code ${rec.serviceCode ?? "none"}`);
    if (rec.track2) out.push("  Track 2 " + rec.track2);
    // In DE 55 order (iccData); the object's own key order puts integer-like tags ("82") first.
    const tags = parseTlv(iccData(masked)).map((n) => tagHex(n.tag));
    out.push("  ICC data (DE 55):");
    for (const t of tags) out.push("    " + t.padEnd(5) + rec.icc[t]);
    const w = Object.entries(rec.wallet);
    if (w.length) out.push("  wallet: " + w.map((e) => e[0] + " " + e[1]).join(", "));
  }
  const replay = ctx.tapTarget.replay ? ctx.tapTarget.replay.report() : null;
  if (replay) {
    out.push(`Replay: ${replay.replayed} exchange(s) as recorded` + (replay.leftovers ? `, ${replay.leftovers} not reached (from line ${replay.leftoverLine})` : ""));
    // Each failure code once, then its places.
    const said: string[] = [];
    for (const f of replay.failures) {
      const place = f.message.substring(f.code.length + 2);
      out.push("  " + (said.indexOf(f.code) < 0 ? f.code + ": " : "") + place);
      said.push(f.code);
    }
  }
  if (ctx.stale) for (const line of staleText(ctx.stale)) out.push(line);
  const tx = res.attempts.map((a) => ms(a.endedAtMs - a.detectedAtMs) + " ms").join(" + ");
  const first = res.attempts.length ? `card found after ${ms(res.attempts[0].detectedAtMs)} ms; transaction ${tx}` : "no card";
  out.push(`Timing: ${ms(res.totalMs)} ms simulated (${first})`);
  return out;
}
