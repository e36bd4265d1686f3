/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1) on the hal's SHA-256: Espruino's crypto module has
 * SHA256 but no HMAC (docs/espruino-notes.md "Boards"). Messages are binary strings, so the request
 * body is hashed as built (no per-byte copy of it in JavaScript): only the 64-byte key pads
 * and the 32-byte inner digest are handled a byte at a time.
 */
import type { Sha256 } from "../hal/types";

/** SHA-256 block size, bytes (FIPS 180-4 §1). */
const BLOCK = 64;

/** A binary string of `bytes` (char code = byte value). */
export function binaryString(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** `key` XOR `pad`, as a 64-char binary string (RFC 2104 §2: ipad 0x36, opad 0x5C). */
function padded(key: Uint8Array, pad: number): string {
  let s = "";
  for (let i = 0; i < BLOCK; i++) s += String.fromCharCode((i < key.length ? key[i] : 0) ^ pad);
  return s;
}

/**
 * The 32-byte HMAC-SHA-256 of `message` (a binary string) under `key`; a key longer than
 * the block is hashed first (RFC 2104 §2).
 */
export function hmacSha256(sha: Sha256, key: Uint8Array, message: string): Uint8Array {
  const k = key.length > BLOCK ? sha.digest(binaryString(key)) : key;
  const inner = sha.digest(padded(k, 0x36) + message);
  return sha.digest(padded(k, 0x5c) + binaryString(inner));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 with padding (RFC 4648 §4), for short values such as a signature. */
export function base64(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = bytes.length - i;
    const v = (bytes[i] << 16) | ((n > 1 ? bytes[i + 1] : 0) << 8) | (n > 2 ? bytes[i + 2] : 0);
    s += B64.charAt((v >> 18) & 63) + B64.charAt((v >> 12) & 63);
    s += n > 1 ? B64.charAt((v >> 6) & 63) : "=";
    s += n > 2 ? B64.charAt(v & 63) : "=";
  }
  return s;
}

const HEX_LOWER = "0123456789abcdef";

/** Lower-case hex (the wire contract's client transaction id). */
export function hexLower(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += HEX_LOWER.charAt((bytes[i] >> 4) & 15) + HEX_LOWER.charAt(bytes[i] & 15);
  return s;
}
