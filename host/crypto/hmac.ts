/** HMAC-SHA-256 (RFC 2104 / FIPS 198-1) for signing authorization requests. */
import { createHmac } from "node:crypto";

/** The 32-byte HMAC-SHA-256 of `data` under `key` (any key length). */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(data).digest());
}
