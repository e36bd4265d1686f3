/**
 * DES and double-length 3DES block primitives over node:crypto (EMV Book 2 Annex A1.1).
 *
 * Node 20 ships OpenSSL 3, whose default provider refuses single DES (`des-ecb`). Every
 * operation here therefore runs `des-ede3-ecb`: single DES with K is 3DES with K‖K‖K (E-D-E
 * with one key collapses to E), and a double-length key K1‖K2 is used as K1‖K2‖K1.
 * Exported functions take and return plain Uint8Array (no Buffer).
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { codedError } from "../../src/bytes/coded-error";

/** DES block size, bytes. */
export const DES_BLOCK_BYTES = 8;

/** @throws CRYPTO_KEY_LENGTH with `length` and `expected`. */
export function checkKeyLength(key: Uint8Array, expected: number, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== expected) {
    throw codedError("CRYPTO_KEY_LENGTH", `${what} must be ${expected} bytes`, {
      length: key instanceof Uint8Array ? key.length : -1,
      expected,
    });
  }
}

/** @throws CRYPTO_DATA_LENGTH with `length` and `expected`. */
export function checkLength(data: Uint8Array, expected: number, what: string): void {
  if (!(data instanceof Uint8Array) || data.length !== expected) {
    throw codedError("CRYPTO_DATA_LENGTH", `${what} must be ${expected} bytes`, {
      length: data instanceof Uint8Array ? data.length : -1,
      expected,
    });
  }
}

function checkBlocks(data: Uint8Array): void {
  if (!(data instanceof Uint8Array) || data.length === 0 || data.length % DES_BLOCK_BYTES !== 0) {
    throw codedError("CRYPTO_DATA_LENGTH", "ECB data must be a non-empty multiple of 8 bytes", {
      length: data instanceof Uint8Array ? data.length : -1,
    });
  }
}

/** One `des-ede3-ecb` pass without padding; key24 = K1‖K2‖K3. */
function ede3(decrypt: boolean, key24: Uint8Array, data: Uint8Array): Uint8Array {
  const c = decrypt ? createDecipheriv("des-ede3-ecb", key24, null) : createCipheriv("des-ede3-ecb", key24, null);
  c.setAutoPadding(false);
  const head = c.update(data);
  const tail = c.final();
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

function tripled(key8: Uint8Array): Uint8Array {
  const k = new Uint8Array(24);
  k.set(key8, 0);
  k.set(key8, 8);
  k.set(key8, 16);
  return k;
}

function k1k2k1(key16: Uint8Array): Uint8Array {
  const k = new Uint8Array(24);
  k.set(key16, 0);
  k.set(key16.subarray(0, 8), 16);
  return k;
}

/**
 * Single DES, ECB, encipher (the "DES" of EMV Book 2 A1.1), as des-ede3 with K‖K‖K.
 * @throws CRYPTO_KEY_LENGTH unless the key has 8 bytes; CRYPTO_DATA_LENGTH unless data is a
 *   non-empty multiple of 8 bytes.
 */
export function desEncrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  checkKeyLength(key8, 8, "DES key");
  checkBlocks(data);
  return ede3(false, tripled(key8), data);
}

/** Single DES, ECB, decipher. @throws as desEncrypt. */
export function desDecrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  checkKeyLength(key8, 8, "DES key");
  checkBlocks(data);
  return ede3(true, tripled(key8), data);
}

/**
 * Double-length 3DES (K1‖K2 used as K1‖K2‖K1), ECB, encipher: EMV Book 2 A1.1 "DES3".
 * @throws CRYPTO_KEY_LENGTH unless the key has 16 bytes; CRYPTO_DATA_LENGTH unless data is a
 *   non-empty multiple of 8 bytes.
 */
export function tdesEncrypt(key16: Uint8Array, data: Uint8Array): Uint8Array {
  checkKeyLength(key16, 16, "3DES key");
  checkBlocks(data);
  return ede3(false, k1k2k1(key16), data);
}

/** Double-length 3DES, ECB, decipher. @throws as tdesEncrypt. */
export function tdesDecrypt(key16: Uint8Array, data: Uint8Array): Uint8Array {
  checkKeyLength(key16, 16, "3DES key");
  checkBlocks(data);
  return ede3(true, k1k2k1(key16), data);
}

/** Byte-wise XOR of two arrays of equal length. @throws CRYPTO_DATA_LENGTH otherwise. */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  checkLength(b, a.length, "XOR operand");
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/**
 * A copy with every byte set to odd parity (the low bit of each DES key byte is its parity
 * bit; DES ignores it). EMV Book 2 A1.4 asks for it on derived ICC master keys.
 */
export function withOddParity(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) {
    let b = key[i] & 0xfe;
    let ones = 0;
    for (let v = b; v; v >>= 1) ones += v & 1;
    if (ones % 2 === 0) b |= 1;
    out[i] = b;
  }
  return out;
}

/**
 * Key check value: the leftmost `length` bytes of 3DES(key)[00…00] (3 bytes by custom).
 * @throws CRYPTO_KEY_LENGTH unless the key has 16 bytes; CRYPTO_DATA_LENGTH for a length
 *   outside 1..8.
 */
export function kcv(key16: Uint8Array, length = 3): Uint8Array {
  if (length < 1 || length > 8 || Math.floor(length) !== length) {
    throw codedError("CRYPTO_DATA_LENGTH", "KCV length must be 1..8 bytes", { length });
  }
  return tdesEncrypt(key16, new Uint8Array(8)).slice(0, length);
}
