/**
 * What the PN532 simulator puts in its field (docs/architecture.md "One tap, end to end"): a 106 kbps type A target with its
 * anticollision data, its ATS, an APDU handler, and when it arrives and leaves.
 */

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
}
