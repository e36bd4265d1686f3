/**
 * Kernel 7, UnionPay qUICS (quick UICS, the contactless qPBOC; EMV Contactless Book C-7),
 * online. AIDs A000000333010101 debit, …02 credit, …03 quasi-credit, …06, …08. The flow is
 * the quick flow of Kernel 3 (runQuick): the cryptogram in the format 2 GPO answer, CTQ with
 * the C-3 meanings (C-7 Annex A).
 *
 * The TTQ is not C-3's: pre-processing builds it in the qPBOC layout (preprocessing.ts
 * `defaultTtq`: byte 1 b7 is "contactless debit/credit", byte 3 is RFU — no CDCVM bit — and
 * byte 4 b8 is "fDDA version 01"), taken from public qPBOC material, not from Book C-7.
 *
 * Differences from C-3: UnionPay cards and wallets (QuickPass and JD Flash Pay HCE, Apple Pay
 * China) give the PAN in 5A with 5F24 in the records and often no Track 2, so the card number
 * comes from 57 or from 5A + 5F24 (the data record checks either and that both agree). 62 is
 * UnionPay's ordinary IIN: a 62… number may be a card's PAN as well as a token, and only 9F19,
 * 9F24 or 9F6E hint at a token (data-record.ts). Product Identification Information 9F63 and
 * the Issuer Application Data 9F10 are forwarded to the issuer as read, uninterpreted.
 *
 * Unverified (no public Book C-7 text was at hand): the GPO status words are handled as in C-3
 * (6986 see phone, 6985 Select Next, 6984 try another interface) by analogy, doubtful for old
 * qPBOC cards; 9F63's layout (16 bytes on the cards seen) is not checked.
 */
import type { More } from "../flow";
import type { KernelContext } from "../kernel";
import { keepSet } from "../tlv";
import { C3_SPEC, runQuick, type QuickSpec } from "./c3-visa";

/** Mandatory for an online authorization: AIP, ATC, IAD, the cryptogram; PAN/expiry from 57 or 5A + 5F24. */
export const C7_SPEC: QuickSpec = {
  keep: keepSet([0x9f63], C3_SPEC.keep), // C-3's tags and 9F63
  mandatory: ["82", "9F36", "9F10", "9F26"],
};

/** Kernel 7 (UnionPay). */
export function runC7(ctx: KernelContext): More {
  return runQuick(ctx, C7_SPEC);
}
