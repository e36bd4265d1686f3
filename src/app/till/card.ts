/**
 * Scheme and wallet names for results and totals, and the receipt's CVM line. Only the till
 * needs them: the terminal keeps the raw AID and token requestor id (terminal-machine.ts CardInfo).
 */
import { find } from "../../bytes/find";

// RID (first 5 bytes of the AID, ISO 7816-5 registered application provider id) → scheme.
const RIDS = "A000000003visa A000000004mastercard A000000333unionpay A000000025amex A000000065jcb A000000152discover A000000277interac";

/** "A0000000031010" → "visa"; null for an RID not in the table. */
export function schemeOf(aid: string | null): string | null {
  if (!aid || aid.length < 10) return null;
  const i = find(RIDS, aid.substring(0, 10).toUpperCase(), 0);
  if (i < 0) return null;
  const end = RIDS.indexOf(" ", i);
  return RIDS.substring(i + 10, end < 0 ? RIDS.length : end);
}

// 9F19 Token Requestor IDs (EMV Payment Tokenisation Framework; n11) of wallets as published
// by the token services (VTS 400…, MDES 501…). Unknown ids give null.
const TRIDS = "40010030273Apple Pay,50110030273Apple Pay,40010075001Google Pay,50120834693Google Pay,40010043095Samsung Pay,50139059239Samsung Pay";

/** The wallet named by the card's token requestor id (WalletHints.tokenRequestor), or null. */
export function walletOf(trid: string | null | undefined): string | null {
  if (!trid || trid.length !== 11) return null;
  const i = find(TRIDS, trid, 0);
  if (i < 0) return null;
  const end = TRIDS.indexOf(",", i);
  return TRIDS.substring(i + 11, end < 0 ? TRIDS.length : end);
}

/** The receipt's CVM line (Book A §6.2.1 CVM outcome parameter). */
export function cvmLine(cvm: string | null): string {
  return cvm === "CDCVM" ? "verified by device" : cvm === "NO_CVM" ? "no signature required" : cvm === "SIGNATURE" ? "signature" : cvm === "ONLINE_PIN" ? "online PIN" : "";
}
