/**
 * GET /api/sales/{id}/receipt: the receipt of one stored result, as fields and as the text
 * lines a printer or the page shows. Card data: the masked PAN (6/4), the application label
 * and AID, ATC, TVR and the CVM line (EMV Book 4 §11.4 receipt data); never 5F20 or Track 2.
 */
import { isoUtc } from "../../auth/time";
import { formatAmount } from "../console-till";
import { cvmLine } from "./card";
import type { Entry } from "./history";
import { pad3 } from "../persistence";

export function receiptJson(e: Entry, merchant: { id: string; name?: string }, terminalId: string, exponent: number, label: string): string {
  const c = e.card;
  const time = e.time === null ? null : isoUtc(e.time);
  const cvm = c ? cvmLine(c.cvm) : "";
  const lines: string[] = [];
  if (merchant.name) lines.push(merchant.name);
  lines.push("MERCHANT " + merchant.id, "TERMINAL " + terminalId);
  if (time !== null) lines.push(time.substring(0, 10) + " " + time.substring(11, 19) + " UTC");
  lines.push("SALE");
  if (c) {
    if (c.label) lines.push(c.label);
    lines.push("AID " + c.aid);
  }
  if (e.maskedPan) lines.push(e.maskedPan);
  lines.push("AMOUNT " + label + " " + formatAmount(e.amountMinor, exponent));
  lines.push(e.outcome === "approved" ? "APPROVED" : e.outcome.toUpperCase() + " " + e.reason);
  if (e.authCode) lines.push("AUTH CODE " + e.authCode);
  if (e.stan) lines.push("STAN " + e.stan);
  if (c && c.atc) lines.push("ATC " + c.atc);
  if (c && c.tvr) lines.push("TVR " + c.tvr);
  if (cvm) lines.push(cvm.toUpperCase());
  if (e.voided) lines.push("VOIDED");
  return JSON.stringify({
    id: e.id,
    time: time,
    merchant: merchant,
    terminalId: terminalId,
    amountMinor: e.amountMinor,
    currency: pad3(e.currency),
    maskedPan: e.maskedPan,
    label: c ? c.label : null,
    aid: c ? c.aid : null,
    authCode: e.authCode,
    atc: c ? c.atc : null,
    tvr: c ? c.tvr : null,
    cvm: cvm || null,
    outcome: e.outcome,
    voided: e.voided,
    lines: lines,
  });
}
