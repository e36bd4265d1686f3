/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1) on the hal's SHA-256: Espruino's crypto module has
 * SHA256 but no HMAC (docs/espruino-notes.md "Boards"). Everything is a binary string (char code =
 * byte), so a signature is two native digests and a native btoa: the key's inner and outer
 * pads are made once per key (`hmacKey`, 64-byte loops off the tap path), and no
 * JavaScript runs per byte of the message. Measured in espruino-esp32-rel: see docs/online.md.
 */
import { binaryString } from "../bytes/hex";
import type { Sha256 } from "../hal/types";

/** SHA-256 block size, bytes (FIPS 180-4 §1). */
const BLOCK = 64;

/** A binary string of `bytes` (char code = byte value): src/bytes/hex.ts's. */
export { binaryString };

/** A key made ready for HMAC: K XOR ipad and K XOR opad as binary strings (RFC 2104 §2). */
export interface HmacKey {
  inner: string;
  outer: string;
}

/** Prepares `key` (any length; longer than the block it is hashed first, RFC 2104 §2). */
export function hmacKey(sha: Sha256, key: Uint8Array): HmacKey {
  const k = key.length > BLOCK ? sha.digest(binaryString(key)) : binaryString(key);
  let inner = "";
  let outer = "";
  for (let i = 0; i < BLOCK; i++) {
    const b = i < k.length ? k.charCodeAt(i) : 0;
    inner += String.fromCharCode(b ^ 0x36);
    outer += String.fromCharCode(b ^ 0x5c);
  }
  return { inner: inner, outer: outer };
}

/** HMAC-SHA-256 of the binary string `message`, as a 32-char binary string. */
export function hmacSha256(sha: Sha256, key: HmacKey, message: string): string {
  return sha.digest(key.outer + sha.digest(key.inner + message));
}

/** Standard base64 with padding (RFC 4648 §4) of a binary string; native btoa on both sides. */
export function base64(binary: string): string {
  return btoa(binary);
}

/**
 * Lower-case hex (the wire contract's client transaction id): src/bytes/hex.ts toHexLower,
 * native on a board that handed E.mapInPlace over (no JavaScript per byte).
 */
export { toHexLower as hexLower } from "../bytes/hex";
