/**
 * InListPassiveTarget answer for 106 kbps type A (UM0701-02 §7.3.5), parsed strictly:
 *
 *   NbTg, then per target: Tg SENS_RES(2) SEL_RES NFCIDLength NFCID1[NFCIDLength]
 *                          [ATS, TL first, TL bytes in all — when SEL_RES bit 0x20 is set
 *                           and the PN532 sends RATS itself (SetParameters fAutomaticRATS)]
 */
import { codedError } from "../bytes/coded-error";
import type { CodedError } from "../bytes/coded-error";
import type { TargetA } from "./api";

/** SEL_RES bit: the target is ISO/IEC 14443-4 compliant (ISO/IEC 14443-3 §6.5.3.4). */
export const SAK_ISO14443_4 = 0x20;

function badAnswer(offset: number, why: string): CodedError {
  return codedError("PN532_BAD_ANSWER", "InListPassiveTarget: " + why, { offset: offset, command: 0x4a });
}

/**
 * Parses the parameters after D5 4B. `withAts`: the PN532 fetched the ATS of ISO-DEP targets.
 * ATQA, UID and ATS are views of `answer`, not copies: every link hands each frame in a
 * buffer of its own (exchange.ts onAnswer), and a copy costs the interpreter an allocation
 * and a call each (≈0.2-0.35 M instructions per activation).
 * @throws PN532_BAD_ANSWER with `offset` (into `answer`) when malformed, truncated, longer
 *   than its contents or listing more than `maxTargets`.
 */
export function parseInListPassiveTarget(answer: Uint8Array, maxTargets: number, withAts: boolean): TargetA[] {
  const end = answer.length;
  if (end < 1) throw badAnswer(0, "no NbTg");
  const count = answer[0];
  if (count > maxTargets) throw badAnswer(0, "more targets than asked for");
  const targets: TargetA[] = [];
  let o = 1;
  for (let n = 0; n < count; n++) {
    if (o + 5 > end) throw badAnswer(end, "target truncated");
    const sak = answer[o + 3];
    const uidLength = answer[o + 4];
    if (uidLength !== 4 && uidLength !== 7 && uidLength !== 10) throw badAnswer(o + 4, "NFCID1 length");
    if (o + 5 + uidLength > end) throw badAnswer(end, "NFCID1 truncated");
    const target: TargetA = {
      tg: answer[o],
      atqa: answer.subarray(o + 1, o + 3),
      sak: sak,
      uid: answer.subarray(o + 5, o + 5 + uidLength),
      ats: null,
    };
    o += 5 + uidLength;
    if (withAts && (sak & SAK_ISO14443_4) !== 0) {
      if (o >= end) throw badAnswer(end, "ATS missing");
      const tl = answer[o];
      if (tl < 1) throw badAnswer(o, "ATS length byte TL is 0");
      if (o + tl > end) throw badAnswer(end, "ATS truncated");
      target.ats = answer.subarray(o, o + tl);
      o += tl;
    }
    targets.push(target);
  }
  if (o !== end) throw badAnswer(o, "bytes after the last target");
  return targets;
}
