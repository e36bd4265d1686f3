/**
 * Data element formats (EMV 4.4 Book 3 §4.3 and Annex A; contactless Books C-2, C-3 and
 * the UnionPay qPBOC tags). The firmware needs them to build DOL data (§5.4 pads and cuts
 * n, cn and the others differently); the names for traces live apart in tag-names.ts so a
 * board may leave those out.
 *
 * Tags not listed are b (binary), which is also how §5.4 treats tags it does not know
 * (left-justified, zero-padded).
 */
import { find } from "../bytes/find";

/** EMV data formats (Book 3 §4.3). a (alphabetic) is folded into an. */
export const enum TagFormat {
  /** binary */
  B = 0,
  /** numeric BCD, right-justified, leading zeros */
  N = 1,
  /** compressed numeric BCD, left-justified, trailing F */
  CN = 2,
  /** alphanumeric, one character per byte */
  AN = 3,
  /** alphanumeric and special, one character per byte */
  ANS = 4,
}

/**
 * The format of a tag; b for any tag not in the lists. tagFormat(0x9F02) → TagFormat.N.
 * Asked only for a value that is not exactly as long as its DOL entry (dol.ts placeValue),
 * so the lists are strings in this function's code (the board runs it from flash) searched
 * natively, not a table held in RAM from boot (an object keyed by tag number took ~50 JsVars).
 */
export function tagFormat(tag: number): TagFormat {
  const t = " " + tag.toString(16).toUpperCase() + " ";
  // Amounts, dates, codes and counters in BCD; 9F6A is C-2's Unpredictable Number (Numeric).
  if (find(" 5F24 5F25 5F28 5F2A 5F30 5F34 5F36 5F57 9A 9C 9F01 9F02 9F03 9F11 9F15 9F19 9F1A 9F21 9F25 9F35 9F39 9F3B 9F3C 9F3D 9F41 9F42 9F43 9F44 9F6A ", t, 0) >= 0) return TagFormat.N;
  // PAN, Track 2 Discretionary Data.
  if (find(" 5A 9F20 ", t, 0) >= 0) return TagFormat.CN;
  if (find(" 5F2D 5F55 5F56 8A 9F1C 9F1E 9F24 9F53 9F74 ", t, 0) >= 0) return TagFormat.AN;
  if (find(" 50 56 5F20 5F50 9F0B 9F12 9F16 9F1F 9F4E ", t, 0) >= 0) return TagFormat.ANS;
  return TagFormat.B;
}
