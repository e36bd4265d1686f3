/**
 * The simulator's RF time (docs/architecture.md "Timing model"), from first principles:
 * ISO/IEC 14443-2 type A at 106 kbit/s: one bit = 128/fc (fc = 13.56 MHz) ≈ 9.44 µs; a byte
 * on the air is 8 bits + odd parity = 9 bit times ≈ 84.96 µs; a frame adds a start and an end
 * bit. Between two frames the minimum frame delay time 1172/fc ≈ 86.4 µs (ISO/IEC 14443-3
 * §6.2.1.1) is charged.
 * ISO/IEC 14443-4 I-block: PCB + INF + CRC_A (2) (the PN532 uses no CID/NAD by default,
 * SetParameters §7.2.9), so a block carries FS - 3 bytes of INF. Blocks the PCD sends are
 * limited by the card's FSC (ATS T0 FSCI), blocks the card sends by the FSD the PN532
 * announced in RATS. Each chained block is acknowledged by an R(ACK) (PCB + CRC = 3 bytes);
 * each S(WTX) costs a request and a response of 4 bytes (PCB + WTXM + CRC).
 */

/** One bit time at 106 kbit/s, ms. */
export const BIT_MS = 128 / 13560;
/** Minimum frame delay time between frames, ms (1172/fc). */
export const FDT_MS = 1172 / 13560;
/** Delay before the PN532 sends its ACK frame, ms. */
export const ACK_MS = 1;
/** Firmware time of a command with no RF work, ms (after the ACK). */
export const CMD_MS = 1;
/** One passive activation attempt without a target answering, ms (simulator assumption). */
export const POLL_TRY_MS = 5;
/** Oscillator start-up after a wake-up event until the PN532 listens again, ms (assumption). */
export const WAKE_MS = 1;
/**
 * Shortest field-off time that resets a PICC, ms (EMV Book D t_RESET, 5.1 ms; ISO/IEC 14443-3
 * asks the PCD for at least 5 ms). The Field Off Request's hold time (Book A §6.2, 1300 ms
 * for the kernels here) is the host's wait between RFConfiguration off and on, charged on
 * the simulated clock like every other wait; the chip records each off period (fieldOffs).
 */
export const T_RESET_MS = 5.1;

/** Air time of `bytes` bytes sent in `frames` frames, each frame followed by the FDT. */
export function airMs(bytes: number, frames: number): number {
  return (9 * bytes + 2 * frames) * BIT_MS + frames * FDT_MS;
}

const FS_TABLE = [16, 24, 32, 40, 48, 64, 96, 128, 256];

/** FSC from the ATS (ISO/IEC 14443-4 §5.2.3): T0 low nibble FSCI; 32 when T0 is absent. */
export function fscFromAts(ats: Uint8Array | null): number {
  if (!ats || ats.length < 2) return 32;
  const fsci = ats[1] & 15;
  return fsci > 8 ? 256 : FS_TABLE[fsci];
}

/** FWT in ms from the ATS TB(1) high nibble FWI (default 4): 256·16/fc · 2^FWI. */
export function fwtMs(ats: Uint8Array | null): number {
  let fwi = 4;
  if (ats && ats.length > 1 && ats[1] & 0x20) {
    const tb = 2 + (ats[1] & 0x10 ? 1 : 0);
    if (tb < ats.length) fwi = ats[tb] >> 4;
  }
  if (fwi > 14) fwi = 4;
  return ((256 * 16) / 13560) * (1 << fwi);
}

/** RF cost of one InDataExchange, for tests and traces. */
export interface ExchangeRecord {
  /** Wire time of every frame on the air, ms. */
  rfMs: number;
  /** The target's own processing time, ms. */
  processingMs: number;
  /** I-blocks PCD → PICC and PICC → PCD. */
  blocksOut: number;
  blocksIn: number;
  wtx: number;
  /** Status byte reported to the host. */
  status: number;
}

/**
 * Air time and block count of `len` bytes sent as I-blocks of at most `fs` bytes (PCB + INF +
 * CRC), including the R(ACK) (3 bytes) the other side sends after each chained block.
 */
export function chainMs(len: number, fs: number): { ms: number; blocks: number } {
  const b = Math.max(1, Math.ceil(len / (fs - 3)));
  return { ms: airMs(len + 3 * b + 3 * (b - 1), 2 * b - 1), blocks: b };
}

/** Air time of `n` S(WTX) request/response pairs (PCB + WTXM + CRC each way). */
export function wtxMs(n: number): number {
  return airMs(8 * n, 2 * n);
}

/**
 * Air time of a type A activation (ISO/IEC 14443-3 §6.4): REQA (7 bits, counted as a byte)
 * and ATQA; per cascade level ANTICOLLISION (2) → UID CLn + BCC (5), SELECT (9) → SAK + CRC (3);
 * then RATS (4) → ATS + CRC when the target is ISO-DEP.
 */
export function activationMs(uidLen: number, atsLen: number): number {
  const levels = uidLen > 7 ? 3 : uidLen > 4 ? 2 : 1;
  let bytes = 3 + 19 * levels;
  let frames = 2 + 4 * levels;
  if (atsLen > 0) {
    bytes += 6 + atsLen;
    frames += 2;
  }
  return airMs(bytes, frames);
}
