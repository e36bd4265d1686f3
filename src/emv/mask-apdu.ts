/**
 * The masking function the APDU recorder takes (docs/architecture.md "Transcript"), also used by the
 * host's trace: PAN digits in a response become F nibbles (middle digits; first 6 and last 4
 * stay), names become "*", lengths unchanged, so a masked transcript still parses and replays.
 *
 * Masked, wherever they sit inside templates: 5A PAN; 57 Track 2 Equivalent Data and
 * 9F6B Track 2 Data (C-2), PAN part only, up to the D separator; 56 Track 1 Data (C-2,
 * C-3 MSD, ASCII: the middle PAN characters and the whole name become "*"); 5F20 Cardholder
 * Name and 9F0B Cardholder Name Extended, every byte "*" (0x2A, still ans text). Left as
 * they are: expiry, PAR 9F24 and cryptograms, which tests need.
 */
import { maskName, maskPanNibbles, maskTrack1 } from "../bytes/mask";
import { isCoded } from "../bytes/coded-error";
import { TlvCursor, type TlvOptions } from "./tlv";

const LENIENT: TlvOptions = { allowNonMinimalLength: true };

/**
 * A response APDU whose card data are masked: only maskResponseApdu makes one (the brand is
 * type-level only), so the trace, which takes this type, cannot hold a clear answer.
 */
export type MaskedApdu = Uint8Array & { readonly __masked: true };

function maskValue(out: Uint8Array, tag: number, start: number, end: number): void {
  if (tag === 0x5a || tag === 0x57 || tag === 0x9f6b) maskPanNibbles(out, start, end);
  else if (tag === 0x56) maskTrack1(out, start, end);
  else if (tag === 0x5f20 || tag === 0x9f0b) maskName(out, start, end);
}

/**
 * Fallback for data that does not parse: mask anything shaped like 5A, 57, 9F6B, 56, 5F20 or
 * 9F0B with a length (short form or 81 xx) that fits, wherever it occurs. May mask some
 * bytes that were no card data; never leaves a PAN or name that a lenient reader could find.
 */
function maskByShape(out: Uint8Array, end: number): void {
  for (let i = 0; i + 1 < end; i++) {
    const b = out[i];
    let tag = -1;
    let lenAt = i + 1;
    if (b === 0x5a || b === 0x57 || b === 0x56) tag = b;
    else if ((b === 0x9f && (out[i + 1] === 0x6b || out[i + 1] === 0x0b)) || (b === 0x5f && out[i + 1] === 0x20)) {
      tag = (b << 8) | out[i + 1];
      lenAt = i + 2;
    }
    if (tag < 0 || lenAt >= end) continue;
    let len = out[lenAt];
    let valueAt = lenAt + 1;
    if (len === 0x81 && valueAt < end) len = out[valueAt++];
    if (len > 0 && len < 0x100 && valueAt + len <= end) maskValue(out, tag, valueAt, valueAt + len);
  }
}

/**
 * A copy of a response APDU (data + SW1 SW2) with the PANs and names in its data masked.
 * Does not throw on bad data: when the data is not well-formed BER-TLV, anything shaped
 * like a PAN or name object is masked instead.
 */
export function maskResponseApdu(rapdu: Uint8Array): MaskedApdu {
  const out = new Uint8Array(rapdu) as MaskedApdu;
  const end = out.length - 2;
  if (end <= 0) return out;
  try {
    // As lenient as the TLV reader allows: masking must not depend on the card being tidy.
    const c = new TlvCursor(out, LENIENT, 0, end);
    while (c.next(true)) maskValue(out, c.tag, c.valueOffset, c.valueOffset + c.length);
  } catch (e) {
    if (!isCoded(e)) throw e;
    maskByShape(out, end);
  }
  return out;
}
