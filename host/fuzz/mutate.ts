/**
 * Byte-string mutators for the fuzzers, driven by the seeded PRNG (prng.ts) so a failing
 * input reproduces from its seed and case number.
 */
import { below, type Prng, type Rand } from "./prng";

/** One to three edits: change a byte, insert one, delete one, or cut the tail (frames, APDUs). */
export function mutateBytes(rand: Rand, input: Uint8Array): Uint8Array {
  const b = Array.from(input);
  const edits = 1 + below(rand, 3);
  for (let e = 0; e < edits; e++) {
    const at = below(rand, b.length + 1);
    switch (below(rand, 4)) {
      case 0:
        if (at < b.length) b[at] = below(rand, 256);
        break;
      case 1:
        b.splice(at, 0, below(rand, 256));
        break;
      case 2:
        b.splice(at, 1);
        break;
      default:
        b.length = at;
    }
  }
  return new Uint8Array(b);
}

/**
 * One edit aimed at BER-TLV: flip a bit, overwrite, insert, delete 1–3 bytes, cut, or poke a
 * length-like byte (00, 7F, 80–84, FF: EMV Book 3 Annex B2's boundaries).
 */
export function mutateTlv(src: Uint8Array, r: Prng): Uint8Array {
  const b = Array.from(src);
  const at = b.length ? r.int(b.length) : 0;
  switch (r.int(6)) {
    case 0:
      if (b.length) b[at] ^= 1 << r.int(8);
      break;
    case 1:
      if (b.length) b[at] = r.int(256);
      break;
    case 2:
      b.splice(at, 0, r.int(256));
      break;
    case 3:
      b.splice(at, 1 + r.int(3));
      break;
    case 4:
      b.length = at;
      break;
    default:
      if (b.length) b[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff][r.int(8)];
  }
  return new Uint8Array(b);
}
