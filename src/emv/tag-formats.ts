/**
 * Data element formats (EMV 4.4 Book 3 §4.3 and Annex A; contactless Books C-2, C-3 and
 * the UnionPay qPBOC tags). The firmware needs them to build DOL data (§5.4 pads and cuts
 * n, cn and the others differently); the names for traces live apart in tag-names.ts so a
 * board may leave those out.
 *
 * Tags not listed are b (binary), which is also how §5.4 treats tags it does not know
 * (left-justified, zero-padded).
 */

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
 * Every tag that is not b, by tag number. An object with small-integer keys: on Espruino a
 * lookup costs about a tenth of a typed-array or string indexOf, for some 30 more JsVars
 * (measured, 2v29).
 */
const FORMATS: { [tag: number]: TagFormat } = {};

function addFormat(tags: number[], format: TagFormat): void {
  for (let i = 0; i < tags.length; i++) FORMATS[tags[i]] = format;
}

// Amounts, dates, codes and counters in BCD; 9F6A is C-2's Unpredictable Number (Numeric).
addFormat(
  [
    0x5f24, 0x5f25, 0x5f28, 0x5f2a, 0x5f30, 0x5f34, 0x5f36, 0x5f57, 0x9a, 0x9c, 0x9f01, 0x9f02, 0x9f03, 0x9f11, 0x9f15,
    0x9f19, 0x9f1a, 0x9f21, 0x9f25, 0x9f35, 0x9f39, 0x9f3b, 0x9f3c, 0x9f3d, 0x9f41, 0x9f42, 0x9f43, 0x9f44, 0x9f6a,
  ],
  TagFormat.N,
);
// PAN, Track 2 Discretionary Data.
addFormat([0x5a, 0x9f20], TagFormat.CN);
addFormat([0x5f2d, 0x5f55, 0x5f56, 0x8a, 0x9f1c, 0x9f1e, 0x9f24, 0x9f53, 0x9f74], TagFormat.AN);
addFormat([0x50, 0x56, 0x5f20, 0x5f50, 0x9f0b, 0x9f12, 0x9f16, 0x9f1f, 0x9f4e], TagFormat.ANS);

/** The format of a tag; b for any tag not in the table. tagFormat(0x9F02) → TagFormat.N. */
export function tagFormat(tag: number): TagFormat {
  return FORMATS[tag] ?? TagFormat.B;
}
