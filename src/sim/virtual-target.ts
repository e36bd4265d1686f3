/**
 * What the PN532 simulator puts in its field (docs/architecture.md "One tap, end to end"): a 106 kbps type A target with its
 * anticollision data, its ATS, an APDU handler, and when it arrives and leaves.
 */
import { findTag } from "../emv/tlv";

/** One APDU answered by a virtual target. */
export interface TargetAnswer {
  /** R-APDU: data + SW1 SW2. */
  response: Uint8Array;
  /** The target's own processing time, ms (charged by the timing model, not RF time). */
  processingMs: number;
  /** S(WTX) requests the target sent before answering (ISO/IEC 14443-4 §7.3); each costs a round trip. */
  wtx?: number;
}

export interface VirtualTarget {
  /** SENS_RES, 2 bytes. */
  atqa: Uint8Array;
  /** SEL_RES; 0x20 set for ISO-DEP. */
  sak: number;
  /** NFCID1 (4, 7 or 10 bytes). Phones use a random 4-byte UID starting 08. */
  uid: Uint8Array;
  /** ATS including TL, or null for a non-ISO-DEP tag. */
  ats: Uint8Array | null;
  /** Simulated time (ms) at which it enters the field. */
  arriveAtMs: number;
  /** Simulated time at which it leaves the field; undefined = stays. */
  leaveAtMs?: number;
  /**
   * Answers one C-APDU received at simulated time `nowMs`; null = no answer (mute: the
   * PN532 reports a timeout). Called once per complete (de-chained) APDU.
   */
  handle(command: Uint8Array, nowMs: number): TargetAnswer | null;
  /** Called when the target is deactivated (InRelease/InDeselect, field off). Optional. */
  reset?(): void;
  /**
   * True while the target ignores activation until the reader's field has been off for at
   * least T_RESET_MS: a phone that said "see phone" stays in the field while its holder
   * unlocks it and re-engages only on a new field (Book A §6.2 Field Off Request). Set by the
   * chip (ChipOptions.seePhoneNeedsFieldReset), cleared by a field reset.
   */
  awaitsFieldReset?: boolean;
}

/** Book C-2 Annex A: POS Cardholder Interaction Information, the tag phones answer GENERATE AC with. */
const TAG_PCII = 0xdf4b;

/**
 * True when an answer asks the holder to look at the phone: SW 6986 (C-3 Req 5.2.2.2, C-7),
 * or a GENERATE AC answer (INS AE, 9000) whose DF4B has a bit of 00 03 0F set (C-2 Annex A,
 * as kernels/c2-mastercard.ts reads it). Malformed data asks nothing.
 */
export function asksToSeePhone(command: Uint8Array, response: Uint8Array): boolean {
  const n = response.length;
  if (n < 2) return false;
  const sw = (response[n - 2] << 8) | response[n - 1];
  if (sw === 0x6986) return true;
  if (sw !== 0x9000 || command.length < 2 || command[1] !== 0xae) return false;
  let pcii: Uint8Array | undefined;
  try {
    pcii = findTag(response.subarray(0, n - 2), TAG_PCII);
  } catch (e) {
    return false;
  }
  return !!pcii && pcii.length === 3 && ((pcii[1] & 0x03) !== 0 || (pcii[2] & 0x0f) !== 0);
}
