/**
 * The till API's transport-free pieces (docs/till-api.md): request and response shapes, the
 * bearer-token check in constant time, body and header validation, SSE framing. Shared by
 * the node:http adapter (host/till/server.ts) and the Espruino one (src/hal/espruino/till-http.ts).
 */

export interface TillRequest {
  method: string;
  /** "/api/sales", query string allowed (ignored). */
  path: string;
  /** Lower-case header names. */
  headers: { [name: string]: string };
  body: string;
}

export interface TillResponse {
  status: number;
  headers: { [name: string]: string };
  body: string;
}

/** Adapters refuse a bigger body with 413 before reading all of it. */
export const MAX_BODY_BYTES = 1024;

/** Keepalive comment period of /api/events, ms. */
export const KEEPALIVE_MS = 15000;

export function json(status: number, body: string): TillResponse {
  return { status: status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" }, body: body };
}

/** `{"error":code}` plus field and message when given. */
export function fail(status: number, code: string, field: string | null, message: string | null): TillResponse {
  const o: { error: string; field?: string; message?: string } = { error: code };
  if (field !== null) o.field = field;
  if (message !== null) o.message = message;
  return json(status, JSON.stringify(o));
}

export const UNAUTHORIZED = '{"error":"UNAUTHORIZED"}';

/** One Server-Sent Event (HTML Living Standard §9.2.6): `event: status\ndata: {...}\n\n`. */
export function sseFrame(event: string, data: string): string {
  return "event: " + event + "\ndata: " + data + "\n\n";
}

/**
 * `a === b` in a time that depends only on `b`'s length (the secret's), not on where the
 * first difference is: no early exit (a timing side channel would leak the token).
 */
export function sameSecret(a: string, b: string): boolean {
  let d = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i); // NaN past a's end: 0, the length differs anyway
  return d === 0;
}

/** A token, a key, an id: 1..max characters of [A-Za-z0-9_-]. */
export function isIdent(s: unknown, max: number): boolean {
  if (typeof s !== "string" || s.length < 1 || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95)) return false;
  }
  return true;
}

/**
 * POST /api/sales body `{"amountMinor": n}`: n whole, 1..max. Returns the amount, or the
 * 400 answer naming the field ("body" when it is not a JSON object, an unknown key by name).
 */
export function saleBody(body: string, max: number): number | TillResponse {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return fail(400, "BAD_REQUEST", "body", "not JSON");
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return fail(400, "BAD_REQUEST", "body", "not an object");
  const o = v as { [k: string]: unknown };
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== "amountMinor") return fail(400, "BAD_REQUEST", keys[i].substring(0, 32), "unknown field");
  }
  const a = o.amountMinor;
  if (typeof a !== "number" || !(a >= 1 && a <= max) || a % 1 !== 0) return fail(400, "BAD_REQUEST", "amountMinor", "whole minor units 1.." + max);
  return a;
}
