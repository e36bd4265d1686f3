/**
 * What the till keeps of a card read (results, receipts): the selected application, its
 * scheme and wallet, the counters a receipt prints. No cardholder data: the PAN stays masked
 * in TerminalResult.maskedPan, 5F20 and Track 2 never get here.
 */
import type { DataRecord, WalletHints } from "../../emv/data-record";

export interface CardInfo {
  /** DF name of the selected application, hex (84). */
  aid: string;
  /** 50 Application Label, or null. */
  label: string | null;
  /** From the AID's RID (ISO 7816-5 registered application provider id), or null. */
  scheme: string | null;
  /** From 9F19 Token Requestor ID when it is a known wallet's, else null. */
  wallet: string | null;
  /** 9F36 Application Transaction Counter, hex. */
  atc: string | null;
  /** 95 Terminal Verification Results, hex. */
  tvr: string | null;
  /** src/emv/outcome.ts Cvm: "CDCVM", "NO_CVM", "SIGNATURE", "ONLINE_PIN", "NA". */
  cvm: string;
}

// RID (first 5 bytes of the AID) → scheme; one string, parsed only when asked.
const RIDS = "A000000003visa A000000004mastercard A000000333unionpay A000000025amex A000000065jcb A000000152discover A000000277interac";

/** "A0000000031010" → "visa"; null for an RID not in the table. */
export function schemeOf(aid: string | null): string | null {
  if (!aid || aid.length < 10) return null;
  const i = RIDS.indexOf(aid.substring(0, 10).toUpperCase());
  if (i < 0) return null;
  const end = RIDS.indexOf(" ", i);
  return RIDS.substring(i + 10, end < 0 ? RIDS.length : end);
}

// 9F19 Token Requestor IDs (EMV Payment Tokenisation Framework §2; n11) of wallets as
// published by the token services (VTS 400…, MDES 501…). Unknown ids give null.
const TRIDS = "40010030273Apple Pay,50110030273Apple Pay,40010075001Google Pay,50120834693Google Pay,40010043095Samsung Pay,50139059239Samsung Pay";

/** The wallet named by the card's token requestor id, or null. */
export function walletOf(w: WalletHints | null): string | null {
  const t = w ? w.tokenRequestor : undefined;
  if (!t || t.length !== 11) return null;
  const i = TRIDS.indexOf(t);
  if (i < 0) return null;
  const end = TRIDS.indexOf(",", i);
  return TRIDS.substring(i + 11, end < 0 ? TRIDS.length : end);
}

export function cardInfo(r: DataRecord): CardInfo {
  return {
    aid: r.aid,
    label: r.label || null,
    scheme: schemeOf(r.aid),
    wallet: walletOf(r.wallet),
    atc: r.icc["9F36"] || null,
    tvr: r.icc["95"] || null,
    cvm: r.cvm,
  };
}

/** The receipt's CVM line (Book A §6.2.1 CVM outcome parameter). */
export function cvmLine(cvm: string | null): string {
  return cvm === "CDCVM" ? "verified by device" : cvm === "NO_CVM" ? "no signature required" : cvm === "SIGNATURE" ? "signature" : cvm === "ONLINE_PIN" ? "online PIN" : "";
}
