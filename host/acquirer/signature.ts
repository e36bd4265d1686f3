/**
 * Request authentication (docs/acquirer-api.md "Authentication"): HMAC-SHA-256 under the
 * terminal's key over METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY, a ±300 s timestamp window and
 * one use per nonce. Checked in the documented order so each failure has one answer.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { TerminalEntry } from "./config";

/** Allowed distance between the request's timestamp and the host's clock, s. */
export const TIMESTAMP_WINDOW_S = 300;

export const HEADER_KEY_ID = "x-tappos-key-id";
export const HEADER_TIMESTAMP = "x-tappos-timestamp";
export const HEADER_NONCE = "x-tappos-nonce";
export const HEADER_SIGNATURE = "x-tappos-signature";

export type AuthFailure = "unknown_key" | "stale_timestamp" | "bad_signature" | "replayed_nonce";

export interface SignedRequest {
  method: string;
  /** The request target as sent (path, no host). */
  path: string;
  headers: { [name: string]: string | string[] | undefined };
  body: Uint8Array;
}

export type AuthResult = { ok: true; terminal: TerminalEntry } | { ok: false; error: AuthFailure };

const NONCE = /^[A-Za-z0-9]{16,64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

function header(req: SignedRequest, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
}

/** The bytes signed: METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY. */
export function signingBytes(method: string, path: string, timestamp: string, nonce: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${method}\n${path}\n${timestamp}\n${nonce}\n`, "utf8"), body]);
}

/** The X-Tappos-Signature value for a request: base64 HMAC-SHA-256 under `key`. */
export function signRequest(key: Uint8Array, method: string, path: string, timestamp: string, nonce: string, body: Uint8Array): string {
  return createHmac("sha256", key).update(signingBytes(method, path, timestamp, nonce, body)).digest("base64");
}

/**
 * Authenticates a request; `useNonce` records the nonce and says whether it was new (it is
 * called last, so a forged request never spends a terminal's nonce).
 */
export function authenticate(
  req: SignedRequest,
  terminals: TerminalEntry[],
  nowS: number,
  useNonce: (keyId: string, nonce: string) => boolean,
): AuthResult {
  const keyId = header(req, HEADER_KEY_ID);
  const terminal = keyId === null ? undefined : terminals.find((t) => t.keyId === keyId);
  if (!terminal) return { ok: false, error: "unknown_key" };
  const ts = header(req, HEADER_TIMESTAMP);
  if (ts === null || !TIMESTAMP.test(ts) || Math.abs(nowS - Number(ts)) > TIMESTAMP_WINDOW_S) return { ok: false, error: "stale_timestamp" };
  const nonce = header(req, HEADER_NONCE);
  const sig = header(req, HEADER_SIGNATURE);
  if (nonce === null || sig === null || !NONCE.test(nonce)) return { ok: false, error: "bad_signature" };
  const expected = createHmac("sha256", terminal.key).update(signingBytes(req.method, req.path, ts, nonce, req.body)).digest();
  const given = Buffer.from(sig, "base64");
  // Buffer.from(…, "base64") skips junk: compare the canonical text too.
  if (given.length !== expected.length || given.toString("base64") !== sig || !timingSafeEqual(given, expected)) {
    return { ok: false, error: "bad_signature" };
  }
  if (!useNonce(terminal.keyId, nonce)) return { ok: false, error: "replayed_nonce" };
  return { ok: true, terminal: terminal };
}
