/**
 * Kernel 7, UnionPay qUICS (quick UICS, the contactless qPBOC; EMV Contactless Book C-7),
 * online. AIDs A000000333010101 debit, …02 credit, …03 quasi-credit, …06, …08. The flow is
 * the quick flow of Kernel 3 (runQuick): TTQ in the PDOL with the same bit meanings (C-7
 * §3.2.2 Table 3-1; byte 4 b8 "fDDA v1.0 supported" stays 0, tappos performs no ODA), the
 * cryptogram in the format 2 GPO answer, CTQ with the C-3 meanings (C-7 Annex A).
 *
 * Differences: UnionPay cards and wallets (QuickPass and JD Flash Pay HCE tokens, Apple Pay
 * China; PANs in the 62 and 81 ranges) give the PAN in 5A with 5F24 in the records and often
 * no Track 2, so the card number comes from 57 or from 5A + 5F24 (the data record checks
 * either and that both agree). Status words to GPO are handled as in C-3 (6986 see phone,
 * 6985 Select Next, 6984 try another interface) — by analogy; doubtful for old qPBOC cards.
 */
import type { KernelContext } from "../kernel";
import type { Outcome } from "../outcome";
import { C3_SPEC, runQuick, type QuickSpec } from "./c3-visa";

/** Mandatory for an online authorization: AIP, ATC, IAD, the cryptogram; PAN/expiry from 57 or 5A + 5F24. */
export const C7_SPEC: QuickSpec = {
  keep: C3_SPEC.keep,
  mandatory: ["82", "9F36", "9F10", "9F26"],
};

/** Kernel 7 (UnionPay). */
export function runC7(ctx: KernelContext): Promise<Outcome> {
  return runQuick(ctx, C7_SPEC);
}
