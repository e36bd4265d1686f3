/**
 * A minimal VirtualTarget for tests and demos: anticollision data, ATS and a function answering
 * APDUs. Defaults look like a phone: ATQA 00 04, SAK 20, random-looking UID 08 xx xx xx,
 * ATS 05 78 80 70 02 (FSCI 8 = FSC 256; TA, TB FWI 7 ≈ 38.7 ms, TC), present from time 0.
 */
import type { TargetAnswer, VirtualTarget } from "./virtual-target";

export interface SimpleTargetOptions {
  atqa?: Uint8Array;
  sak?: number;
  uid?: Uint8Array;
  ats?: Uint8Array | null;
  arriveAtMs?: number;
  leaveAtMs?: number;
  /** Processing time per APDU (2 ms). */
  processingMs?: number;
  /** S(WTX) requests before each answer (0). */
  wtx?: number;
  /** R-APDU for a C-APDU; null = mute. Default: 90 00. */
  answer?: (command: Uint8Array, nowMs: number) => Uint8Array | null;
}

export function simpleTarget(opts?: SimpleTargetOptions): VirtualTarget {
  const o = opts ?? {};
  const ms = o.processingMs ?? 2;
  const wtx = o.wtx ?? 0;
  const fn = o.answer ?? (() => new Uint8Array([0x90, 0x00]));
  return {
    atqa: o.atqa ?? new Uint8Array([0x00, 0x04]),
    sak: o.sak ?? 0x20,
    uid: o.uid ?? new Uint8Array([0x08, 0x12, 0x34, 0x56]),
    ats: o.ats === undefined ? new Uint8Array([0x05, 0x78, 0x80, 0x70, 0x02]) : o.ats,
    arriveAtMs: o.arriveAtMs ?? 0,
    leaveAtMs: o.leaveAtMs,
    handle: (command: Uint8Array, nowMs: number): TargetAnswer | null => {
      const r = fn(command, nowMs);
      return r ? { response: r, processingMs: ms, wtx: wtx } : null;
    },
  };
}
