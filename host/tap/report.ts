/**
 * What `npm run tap` prints: the result as JSON (`tapJson`) or as text (`tapText`). Both
 * take card data only through maskRecord and the masked trace: no full PAN or token can
 * reach them.
 */
import { spacedHex } from "../../src/apdu/transcript";
import { fromHex, toHex } from "../../src/bytes/hex";
import { iccData, maskRecord } from "../../src/emv/data-record";
import { parseTlv, tagHex } from "../../src/emv/tlv";
import type { Outcome, OutcomeDetail } from "../../src/emv/outcome";
import { describeTarget } from "../../src/nfc/target-info";
import type { TargetA } from "../../src/pn532/api";
import type { TranscriptReport } from "../../src/sim/transcript-card";
import { formatAmount, type Currency } from "./amount";
import { formatDate } from "./determinism";
import type { SessionResult } from "./session";
import type { TapTarget } from "./target";
import { decodeTrace, type DecodedExchange, type DecodedTlv } from "./trace";
import { uiText } from "./ui-text";

export interface TapContext {
  tapTarget: TapTarget;
  amountMinor: number;
  currency: Currency;
  country: number;
  startMs: number;
  seed: number;
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

function recordJson(o: Outcome | null): RecordView | null {
  if (!o || !o.record) return null;
  const m = maskRecord(o.record);
  return { token: m.pan, expiry: m.expiry, psn: m.psn, track2: m.track2, serviceCode: m.serviceCode, cvm: m.cvm, icc: m.icc, wallet: m.wallet };
}

function replayJson(r: TranscriptReport): object {
  const failures = r.failures.map((f) => ({ code: f.code, line: f.line, expected: f.expected, got: f.got }));
  return { ok: r.ok, replayed: r.replayed, leftovers: r.leftovers, leftoverLine: r.leftoverLine, failures: failures };
}

/** The result as one JSON object (DESIGN.md "Commands": `--json`). */
export function tapJson(ctx: TapContext, res: SessionResult, exitCode: number): object {
  const o = res.outcome;
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
    detail: o && o.detail ? o.detail : null,
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
    record: recordJson(o),
    taps: res.attempts.map((a) => ({
      tap: a.tap,
      target: targetJson(a.target),
      outcome: a.outcome.type,
      reason: a.outcome.reason,
      detail: a.outcome.detail ?? null,
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
    notes: res.notes,
    firmware: res.firmware,
    exitCode: exitCode,
  };
}

function detailText(d: OutcomeDetail | undefined): string {
  if (!d) return "";
  const parts: string[] = [];
  if (d.code) parts.push(d.code);
  if (d.tag) parts.push("tag " + d.tag);
  if (d.sw !== undefined) parts.push("sw " + toHex([d.sw >> 8, d.sw & 0xff]));
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

/** The result as text lines: taps with their decoded trace, UI messages, outcome, record, timing. */
export function tapText(ctx: TapContext, res: SessionResult): string[] {
  const out: string[] = [];
  const amount = formatAmount(ctx.amountMinor, ctx.currency.exponent) + " " + ctx.currency.alpha;
  out.push(`tappos tap: ${ctx.tapTarget.label} (${ctx.tapTarget.kind}), ${amount}, ${formatDate(ctx.startMs)}, seed ${ctx.seed}`);
  out.push(`${res.firmware || "PN532"} on a simulated I2C bus, polling for a card`);
  const trace = decodeTrace(res.trace);
  for (const u of res.ui) if (u.when === "start") out.push(uiLine(u));
  for (const a of res.attempts) {
    out.push(`tap ${a.tap} at ${ms(a.detectedAtMs)} ms: ${describeTarget(a.target)}`);
    for (const d of trace) if (d.tap === a.tap) exchangeLines(d, out);
    out.push(`  outcome ${a.outcome.type} ${a.outcome.reason}${detailText(a.outcome.detail)}, start ${a.outcome.start}`);
    for (const u of res.ui) if (u.tap === a.tap && u.when !== "start") out.push(uiLine(u));
  }
  for (const n of res.notes) out.push("note: " + n);
  const o = res.outcome;
  if (!o) out.push(`Outcome: NO_CARD (no card within the polling time)`);
  else {
    const where = o.kernel !== null ? ` · kernel ${o.kernel} · AID ${o.aid}` : "";
    out.push(`Outcome: ${o.type} · ${o.reason}${detailText(o.detail)}${where} · CVM ${o.cvm}`);
  }
  const rec = recordJson(o);
  if (o && o.record && rec) {
    out.push(`Data record: token ${rec.token} · expiry ${rec.expiry} · PSN ${rec.psn ?? "none"} · service code ${rec.serviceCode ?? "none"}`);
    if (rec.track2) out.push("  Track 2 " + rec.track2);
    // In DE 55 order (iccData); the object's own key order puts integer-like tags ("82") first.
    const tags = parseTlv(iccData(o.record)).map((n) => tagHex(n.tag));
    out.push("  ICC data (DE 55):");
    for (const t of tags) out.push("    " + t.padEnd(5) + rec.icc[t]);
    const w = Object.entries(rec.wallet);
    if (w.length) out.push("  wallet: " + w.map((e) => e[0] + " " + e[1]).join(", "));
  }
  const replay = ctx.tapTarget.replay ? ctx.tapTarget.replay.report() : null;
  if (replay) {
    out.push(`Replay: ${replay.replayed} exchange(s) as recorded` + (replay.leftovers ? `, ${replay.leftovers} not reached (from line ${replay.leftoverLine})` : ""));
    for (const f of replay.failures) out.push("  " + f.message);
  }
  const tx = res.attempts.map((a) => ms(a.endedAtMs - a.detectedAtMs) + " ms").join(" + ");
  const first = res.attempts.length ? `card found after ${ms(res.attempts[0].detectedAtMs)} ms; transaction ${tx}` : "no card";
  out.push(`Timing: ${ms(res.totalMs)} ms simulated (${first})`);
  return out;
}
