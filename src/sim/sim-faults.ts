/**
 * Deterministic faults of the simulated PN532 (counted, never random), to exercise the
 * link and driver recovery paths of UM0701-02 §6.2: checksums, lost ACKs, swallowed
 * commands, line noise. Target removal and extra targets are set on the targets themselves
 * (arriveAtMs / leaveAtMs).
 */
import { concat, cloneBytes } from "../bytes/hex";

export interface SimFaults {
  /**
   * The next N information/error frames from the chip carry a wrong DCS. NACK resends count
   * too, so badDcs = 1 + k is a NACK storm: k NACKs answered with corrupt frames.
   */
  badDcs: number;
  /** The next N information/error frames carry a wrong LCS. */
  badLcs: number;
  /** The ACK of the next N commands is not sent (the answer still is). */
  dropAck: number;
  /** The next N commands are ACKed but never answered. */
  dropAnswer: number;
  /** The next N (checksum-valid) commands are ignored completely: no ACK, no answer. */
  ignoreCommand: number;
  /** Bytes sent before the next frame, then cleared (line noise on HSU). */
  garbage: Uint8Array | null;
}

export function noFaults(): SimFaults {
  return { badDcs: 0, badLcs: 0, dropAck: 0, dropAnswer: 0, ignoreCommand: 0, garbage: null };
}

/** Applies the output faults to a frame the chip is about to send; returns what goes out. */
export function faultFrame(f: SimFaults, frame: Uint8Array): Uint8Array {
  let out = frame;
  if (frame.length > 6 && (f.badDcs > 0 || f.badLcs > 0)) {
    out = cloneBytes(frame);
    if (f.badDcs > 0) {
      f.badDcs--;
      out[out.length - 2] ^= 0xff;
    }
    if (f.badLcs > 0) {
      f.badLcs--;
      // LCS is byte 4 of a normal frame, byte 7 of an extended one (§6.2.1.2).
      out[out[3] === 0xff && out[4] === 0xff ? 7 : 4] ^= 0x01;
    }
  }
  if (f.garbage) {
    out = concat([f.garbage, out]);
    f.garbage = null;
  }
  return out;
}
