/**
 * PAN masking (never print a full PAN or token). The first 6 and the last 4 digits stay
 * visible, as PCI DSS allows for display; shorter numbers are masked whole, since 6 + 4
 * visible digits would reveal all of them. Cardholder names are masked whole.
 */

/** ASCII "*": the filler of masked text, one byte for one byte. */
const STAR = 0x2a;

/** Digits kept at the start and at the end of a PAN. */
const KEEP_HEAD = 6;
const KEEP_TAIL = 4;

/**
 * A PAN for display: "1234567890123456" → "123456******3456". Numbers of fewer than
 * 11 characters become all "*".
 */
export function maskPan(digits: string): string {
  const n = digits.length;
  if (n <= KEEP_HEAD + KEEP_TAIL) return "*".repeat(n);
  return digits.substring(0, KEEP_HEAD) + "*".repeat(n - KEEP_HEAD - KEEP_TAIL) + digits.substring(n - KEEP_TAIL);
}

function nibbleAt(bytes: Uint8Array, start: number, k: number): number {
  const b = bytes[start + (k >> 1)];
  return k & 1 ? b & 15 : b >> 4;
}

/**
 * Masks, in place, the PAN digits of a BCD field between `start` and `end`: the middle
 * digits become F nibbles, the length is unchanged (docs/architecture.md "Transcript").
 * Works for 5A PAN (cn, trailing F padding) and for Track 2 (57, 9F6B: PAN, separator D,
 * YYMM, service code, discretionary data), whose PAN ends at the first D nibble; nothing
 * after the separator is touched. Idempotent: a masked field masks to itself, since the PAN
 * length is taken from the separator or the last non-F nibble, not from the first F.
 */
export function maskPanNibbles(bytes: Uint8Array, start: number, end: number): void {
  const nibbles = (end - start) * 2;
  let panEnd = -1;
  let lastNonF = -1;
  for (let k = 0; k < nibbles; k++) {
    const nib = nibbleAt(bytes, start, k);
    if (nib === 13) {
      panEnd = k;
      break;
    }
    if (nib !== 15) lastNonF = k;
  }
  if (panEnd < 0) panEnd = lastNonF + 1;
  const from = panEnd <= KEEP_HEAD + KEEP_TAIL ? 0 : KEEP_HEAD;
  const to = panEnd <= KEEP_HEAD + KEEP_TAIL ? panEnd : panEnd - KEEP_TAIL;
  for (let k = from; k < to; k++) {
    const i = start + (k >> 1);
    bytes[i] = k & 1 ? bytes[i] | 0x0f : bytes[i] | 0xf0;
  }
}

/**
 * Masks, in place, the PAN of an ASCII Track 1 field (56, EMV Book C-2/C-3: format code
 * "B", PAN, "^", name, "^", YYMM…) between `start` and `end`: the middle PAN characters
 * become "*" (0x2A), lengths unchanged. The name and the rest are left alone.
 */
export function maskTrack1Pan(bytes: Uint8Array, start: number, end: number): void {
  let p = start;
  if (p < end && bytes[p] === 0x42) p++; // format code "B"
  let panEnd = p;
  while (panEnd < end && bytes[panEnd] !== 0x5e) panEnd++; // "^" field separator
  const n = panEnd - p;
  const from = n <= KEEP_HEAD + KEEP_TAIL ? p : p + KEEP_HEAD;
  const to = n <= KEEP_HEAD + KEEP_TAIL ? panEnd : panEnd - KEEP_TAIL;
  for (let i = from; i < to; i++) bytes[i] = STAR;
}

/**
 * Masks, in place, a cardholder name (5F20, 9F0B: ans) between `start` and `end`: every
 * byte becomes "*" (0x2A), so the length stays and the value stays valid ans text. A name
 * is personal data with no part worth keeping; a phone's placeholder ("/") is masked too.
 */
export function maskName(bytes: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) bytes[i] = STAR;
}

/**
 * Masks, in place, an ASCII Track 1 field (56; ISO/IEC 7813 format "B": "B", PAN, "^", name,
 * "^", YYMM, service code, discretionary data): the PAN as maskTrack1Pan, the name between
 * the two "^" whole. Lengths and separators unchanged.
 */
export function maskTrack1(bytes: Uint8Array, start: number, end: number): void {
  maskTrack1Pan(bytes, start, end);
  let p = start;
  while (p < end && bytes[p] !== 0x5e) p++;
  let q = p + 1;
  while (q < end && bytes[q] !== 0x5e) q++;
  // No second "^": not Track 1 as ISO/IEC 7813 writes it; mask everything after the PAN.
  if (p < end) maskName(bytes, p + 1, q);
}
