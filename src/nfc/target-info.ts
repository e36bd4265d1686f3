/**
 * What a type A target told us while it was activated: the ATS decoded (ISO/IEC 14443-4
 * §5.2) and a one-line description for traces.
 *
 *   TL  T0  [TA(1)]  [TB(1)]  [TC(1)]  T1 … Tk  (CRC, removed by the PN532)
 *
 * T0: b8 RFU, b7 TC(1) present, b6 TB(1) present, b5 TA(1) present, b4-b1 FSCI.
 * An absent byte takes its default: FSCI 2, TA(1) 106 kbit/s only, FWI 4, SFGI 0, CID
 * supported and NAD not (§5.2.3 to §5.2.6). A TL of 1 means no T0 at all.
 */
import type { TargetA } from "../pn532/api";
import { codedError, isCoded } from "../bytes/coded-error";
import { copyBytes, toHex } from "../bytes/hex";

export interface Ats {
  /** FSCI as sent (0..15). */
  fsci: number;
  /** FSC, the largest frame the PICC accepts, bytes (§5.2.3): FSCI 9..15 read as 8 (256). */
  fsc: number;
  /** TA(1) raw (divisors DS/DR, §5.2.4), or null when absent (106 kbit/s only). */
  ta: number | null;
  /** FWI (§5.2.5); 15 (RFU) read as the default 4. */
  fwi: number;
  /** SFGI (§5.2.5); 15 (RFU) read as 0. */
  sfgi: number;
  /** Frame waiting time, ms: (256 × 16 / fc) × 2^FWI, fc = 13.56 MHz. */
  fwtMs: number;
  /** Start-up frame guard time, ms: same formula with SFGI; 0 when SFGI is 0. */
  sfgtMs: number;
  /** TC(1) b2: the PICC supports CID (§5.2.6). */
  cid: boolean;
  /** TC(1) b1: the PICC supports NAD. */
  nad: boolean;
  /** Historical bytes T1…Tk (§5.2.7). */
  historical: Uint8Array;
}

// FSCI 0..8 → FSC bytes (ISO/IEC 14443-4 §5.2.3, Table 1).
const FSC = [16, 24, 32, 40, 48, 64, 96, 128, 256];

/** (256 × 16 / 13.56 MHz) × 2^i in ms, i = 0..14 (§5.2.5). 4096 << 14 still fits 31 bits. */
export function frameTimeMs(i: number): number {
  return (4096 << i) / 13560;
}

/**
 * Decodes an ATS given with its TL byte, as InListPassiveTarget reports it.
 * @throws ATS_TOO_SHORT (empty), ATS_BAD_TL (TL is 0 or differs from the length; fields `tl`,
 *   `length`), ATS_TRUNCATED (T0 announces an interface byte that TL leaves out; `offset`).
 */
export function decodeAts(ats: Uint8Array): Ats {
  if (ats.length < 1) throw codedError("ATS_TOO_SHORT", "empty ATS", { offset: 0 });
  const tl = ats[0];
  if (tl === 0 || tl !== ats.length) {
    throw codedError("ATS_BAD_TL", "TL " + tl + " for " + ats.length + " bytes", { offset: 0, tl: tl, length: ats.length });
  }
  let fsci = 2;
  let ta: number | null = null;
  let tb = 0x40;
  let tc = 0x02;
  let o = 1;
  if (tl > 1) {
    const t0 = ats[1];
    fsci = t0 & 0x0f;
    o = 2;
    // TA(1), TB(1), TC(1) in that order, each present when its T0 bit is set.
    for (let bit = 0x10; bit <= 0x40; bit <<= 1) {
      if (!(t0 & bit)) continue;
      if (o >= tl) throw codedError("ATS_TRUNCATED", "T0 announces an interface byte past TL", { offset: o });
      const v = ats[o++];
      if (bit === 0x10) ta = v;
      else if (bit === 0x20) tb = v;
      else tc = v;
    }
  }
  let fwi = tb >> 4;
  if (fwi === 15) fwi = 4;
  let sfgi = tb & 0x0f;
  if (sfgi === 15) sfgi = 0;
  return {
    fsci: fsci,
    fsc: FSC[fsci > 8 ? 8 : fsci],
    ta: ta,
    fwi: fwi,
    sfgi: sfgi,
    fwtMs: frameTimeMs(fwi),
    sfgtMs: sfgi ? frameTimeMs(sfgi) : 0,
    cid: (tc & 0x02) !== 0,
    nad: (tc & 0x01) !== 0,
    historical: copyBytes(ats, o, tl - o),
  };
}

function tenths(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * One line for traces: "ATQA 0004 SAK 20 UID 08A1B2C3 (random, not an identity) ATS 0578807002
 * FSC 256 FWT 38.7ms". A 4-byte UID starting 08 is a random ID (ISO/IEC 14443-3 §6.5.4):
 * phones draw a new one per activation, so it must never identify a customer.
 */
export function describeTarget(t: TargetA): string {
  let s = "ATQA " + toHex(t.atqa) + " SAK " + toHex([t.sak]) + " UID " + toHex(t.uid);
  if (t.uid.length === 4 && t.uid[0] === 0x08) s += " (random, not an identity)";
  if (t.ats === null) return s + (t.sak & 0x20 ? " no ATS" : " not ISO-DEP");
  s += " ATS " + toHex(t.ats);
  try {
    const a = decodeAts(t.ats);
    return s + " FSC " + a.fsc + " FWT " + tenths(a.fwtMs) + "ms" + (a.historical.length ? " hist " + toHex(a.historical) : "");
  } catch (e) {
    if (!isCoded(e)) throw e;
    return s + " (" + e.code + ")";
  }
}
