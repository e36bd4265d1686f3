/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES, as EMV Book 2 A1.2 uses it for
 * application cryptograms and ARPC method 2.
 */
import { codedError } from "../../src/bytes/coded-error";
import { DES_BLOCK_BYTES, checkKeyLength, desEncrypt, tdesEncrypt } from "./des";

/** ISO/IEC 9797-1 padding: 1 = zeros (none when already a block multiple), 2 = 80 then zeros. */
export type MacPadding = 1 | 2;

/**
 * Pads `data` to a multiple of 8 bytes. Method 1 adds zeros only when needed (an empty input
 * becomes one zero block); method 2 always adds 80 and then zeros.
 * @throws CRYPTO_PADDING on another method.
 */
export function padIso9797(data: Uint8Array, padding: MacPadding): Uint8Array {
  let n: number;
  if (padding === 1) n = data.length === 0 ? DES_BLOCK_BYTES : Math.ceil(data.length / DES_BLOCK_BYTES) * DES_BLOCK_BYTES;
  else if (padding === 2) n = (Math.floor(data.length / DES_BLOCK_BYTES) + 1) * DES_BLOCK_BYTES;
  else throw codedError("CRYPTO_PADDING", "ISO/IEC 9797-1 padding method must be 1 or 2", { padding });
  const out = new Uint8Array(n);
  out.set(data, 0);
  if (padding === 2) out[data.length] = 0x80;
  return out;
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3, 8 bytes: DES-CBC with K1 (zero IV) over the padded blocks,
 * the last one enciphered with 3DES K1‖K2‖K1 instead — the same as the algorithm's output
 * transformation E(K1)·D(K2) after the plain CBC.
 * @throws CRYPTO_KEY_LENGTH unless the key has 16 bytes; CRYPTO_PADDING.
 */
export function macIso9797Alg3(key16: Uint8Array, data: Uint8Array, padding: MacPadding): Uint8Array {
  checkKeyLength(key16, 16, "MAC key");
  const d = padIso9797(data, padding);
  const k1 = key16.slice(0, 8);
  let h: Uint8Array = new Uint8Array(DES_BLOCK_BYTES);
  for (let off = 0; off < d.length; off += DES_BLOCK_BYTES) {
    const x = new Uint8Array(DES_BLOCK_BYTES);
    for (let i = 0; i < DES_BLOCK_BYTES; i++) x[i] = h[i] ^ d[off + i];
    h = off + DES_BLOCK_BYTES < d.length ? desEncrypt(k1, x) : tdesEncrypt(key16, x);
  }
  return h;
}
