/**
 * Errors with a stable `code` and fields. Espruino has no working `class X extends Error`,
 * `e.name` is undefined there and minification renames classes, so callers discriminate
 * on `code` only (docs/architecture.md "Conventions" §5).
 */
export interface CodedError extends Error {
  code: string;
  [field: string]: unknown;
}

/** Makes an Error carrying `code` and the given fields (status byte, SW, tag, offset…). */
export function codedError(code: string, message: string, fields?: { [field: string]: unknown }): CodedError {
  const e = new Error(code + ": " + message) as CodedError;
  e.code = code;
  if (fields) {
    const keys = Object.keys(fields);
    for (let i = 0; i < keys.length; i++) e[keys[i]] = fields[keys[i]];
  }
  return e;
}

/** True when `e` is a CodedError, optionally with the given code. */
export function isCoded(e: unknown, code?: string): e is CodedError {
  if (!e || typeof e !== "object") return false;
  const c = (e as { code?: unknown }).code;
  return typeof c === "string" && (code === undefined || c === code);
}
