/**
 * Binary-coded decimal for the EMV formats n and cn (EMV 4.4 Book 3 §4.3): two decimal
 * digits per byte, high nibble first. Format n is right-justified with leading zero nibbles
 * (amounts, dates, codes); cn is left-justified with trailing F nibbles (PAN).
 * Integer code only, never floats: money is integer minor units (docs/architecture.md "Amounts") and
 * Espruino's Math.pow/toFixed are inexact (docs/espruino-notes.md "Traps").
 */
import { codedError } from "./coded-error";

/** Largest integer a double holds exactly (Number.MAX_SAFE_INTEGER, absent on Espruino). */
const MAX_EXACT = 9007199254740991;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * A non-negative integer as right-justified BCD of `byteCount` bytes (format n).
 * Exact: digits come from `% 10` on integers, no floating-point arithmetic beyond 2^53.
 * @throws BCD_RANGE with `value` and `digits` when `value` is not a non-negative integer
 *   or has more than 2 × byteCount digits.
 */
export function numberToBcd(value: number, byteCount: number): Uint8Array {
  if (typeof value !== "number" || !isFinite(value) || Math.floor(value) !== value || value < 0 || value > MAX_EXACT) {
    throw codedError("BCD_RANGE", "not a non-negative integer: " + value, { value: value, digits: byteCount * 2 });
  }
  const out = new Uint8Array(byteCount);
  let v = value;
  for (let i = byteCount - 1; i >= 0; i--) {
    const lo = v % 10;
    v = (v - lo) / 10;
    const hi = v % 10;
    v = (v - hi) / 10;
    out[i] = (hi << 4) | lo;
  }
  if (v !== 0) throw codedError("BCD_RANGE", value + " has more than " + byteCount * 2 + " digits", { value: value, digits: byteCount * 2 });
  return out;
}

/**
 * Amount in integer minor units as n12 (6 bytes), the coding of 9F02 Amount, Authorised and
 * 9F03 Amount, Other (EMV Book 3 Annex A). 1250 → 00 00 00 00 12 50.
 * @throws BCD_RANGE for a negative, fractional or non-finite amount, or one above 999999999999.
 */
export function amountToN12(amountMinor: number): Uint8Array {
  const v = amountMinor;
  // Not a whole 0…99999999 (or not a number): numberToBcd (which throws what it always threw).
  if (!(v >= 0 && v < 100000000 && Math.floor(v) === v)) return numberToBcd(v, 6);
  // Its decimal digits (native number-to-string) read as hex digits (native parseInt) are its
  // BCD: 1250 → "1250" → 0x1250. numberToBcd's loop per digit pair cost ~0.4 M interpreter
  // instructions a tap (espruino-esp32-rel).
  const b = parseInt("" + v, 16);
  return new Uint8Array([0, 0, b >>> 24, b >> 16, b >> 8, b]);
}

/**
 * BCD bytes (format n) to their integer value; at most 14 digits (7 bytes) so it stays exact.
 * @throws BCD_INVALID with `offset` (byte) on a nibble above 9; BCD_RANGE beyond 7 bytes.
 */
export function bcdToNumber(bytes: ArrayLike<number>): number {
  if (bytes.length > 7) throw codedError("BCD_RANGE", "more than 14 digits", { digits: bytes.length * 2 });
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hi = bytes[i] >> 4;
    const lo = bytes[i] & 15;
    if (hi > 9 || lo > 9) throw codedError("BCD_INVALID", "not a decimal digit", { offset: i });
    v = v * 100 + hi * 10 + lo;
  }
  return v;
}

/**
 * BCD digits as a string: "0000001250" for n, the PAN for cn. Trailing F nibbles are cn
 * padding and end the digits; an F followed by anything but F, or any nibble A–E, is invalid.
 * @throws BCD_INVALID with `offset` (nibble index).
 */
export function bcdToDigits(bytes: ArrayLike<number>): string {
  let s = "";
  const n = bytes.length * 2;
  for (let k = 0; k < n; k++) {
    const nib = k & 1 ? bytes[k >> 1] & 15 : bytes[k >> 1] >> 4;
    if (nib <= 9) {
      s += String.fromCharCode(48 + nib);
      continue;
    }
    if (nib !== 15) throw codedError("BCD_INVALID", "nibble " + nib.toString(16) + " is not a digit", { offset: k });
    for (let j = k + 1; j < n; j++) {
      const rest = j & 1 ? bytes[j >> 1] & 15 : bytes[j >> 1] >> 4;
      if (rest !== 15) throw codedError("BCD_INVALID", "digit after F padding", { offset: j });
    }
    break;
  }
  return s;
}

/**
 * A digit string as right-justified, zero-padded BCD of `byteCount` bytes (format n):
 * digitsToBcd("756", 2) → 07 56.
 * @throws BCD_INVALID with `offset` on a non-digit; BCD_RANGE when it does not fit.
 */
export function digitsToBcd(digits: string, byteCount: number): Uint8Array {
  if (digits.length > byteCount * 2) throw codedError("BCD_RANGE", "more than " + byteCount * 2 + " digits", { digits: byteCount * 2 });
  const out = new Uint8Array(byteCount);
  const skip = byteCount * 2 - digits.length;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (!isDigitCode(c)) throw codedError("BCD_INVALID", "not a digit", { offset: i });
    const k = skip + i;
    out[k >> 1] |= k & 1 ? c - 48 : (c - 48) << 4;
  }
  return out;
}

/**
 * A digit string as left-justified BCD padded with F nibbles (format cn, EMV Book 3 §4.3):
 * digitsToCn("12345") → 12 34 5F. `byteCount` defaults to the fewest bytes that hold it.
 * @throws BCD_INVALID with `offset` on a non-digit; BCD_RANGE when it does not fit.
 */
export function digitsToCn(digits: string, byteCount?: number): Uint8Array {
  const size = byteCount ?? (digits.length + 1) >> 1;
  if (digits.length > size * 2) throw codedError("BCD_RANGE", "more than " + size * 2 + " digits", { digits: size * 2 });
  const out = new Uint8Array(size);
  out.fill(0xff);
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (!isDigitCode(c)) throw codedError("BCD_INVALID", "not a digit", { offset: i });
    const b = i >> 1;
    out[b] = i & 1 ? (out[b] & 0xf0) | (c - 48) : ((c - 48) << 4) | 15;
  }
  return out;
}

/**
 * 1abcdef (a 1, then three values 0–99 of two decimal digits each) as the three BCD bytes ab
 * cd ef: its digits (one native number-to-string) read as hex by one native parseInt, 25 03
 * 07 from 1250307. A call of twoDigits per value cost ~0.07 M interpreter instructions
 * (espruino-esp32-rel).
 */
function bcd3(x: number): Uint8Array {
  const n = parseInt("" + x, 16);
  return new Uint8Array([n >> 16, n >> 8, n]);
}

/** BCD of value % 100 after its range check (value | 0 refuses strings, fractions and NaN; min ≥ 0, max < 2^31). */
function twoDigits(value: number, min: number, max: number, what: string): number {
  if (value !== (value | 0) || value < min || value > max) throw codedError("BCD_RANGE", what + " out of range: " + value, { value: value });
  const v = value % 100;
  return ((v / 10) | 0) * 16 + (v % 10);
}

/**
 * Date as n6 YYMMDD (9A Transaction Date, 5F24/5F25): the year's last two digits.
 * dateToBcd(2025, 3, 7) → 25 03 07.
 * @throws BCD_RANGE when year is outside 2000–2099, month 1–12 or day 1–31.
 */
export function dateToBcd(year: number, month: number, day: number): Uint8Array {
  // x >>> 0 === x: a whole number from 0 (not a string, a fraction or NaN).
  return year >>> 0 === year && year > 1999 && year < 2100 && month >>> 0 === month && month > 0 && month < 13 && day >>> 0 === day && day > 0 && day < 32
    ? bcd3(year * 10000 + month * 100 + day - 19000000)
    : new Uint8Array([twoDigits(year, 2000, 2099, "year"), twoDigits(month, 1, 12, "month"), twoDigits(day, 1, 31, "day")]);
}

/**
 * Time as n6 HHMMSS (9F21 Transaction Time). timeToBcd(9, 5, 0) → 09 05 00.
 * @throws BCD_RANGE when hour is outside 0–23, minute or second outside 0–59.
 */
export function timeToBcd(hour: number, minute: number, second: number): Uint8Array {
  return hour >>> 0 === hour && hour < 24 && minute >>> 0 === minute && minute < 60 && second >>> 0 === second && second < 60
    ? bcd3(1000000 + hour * 10000 + minute * 100 + second)
    : new Uint8Array([twoDigits(hour, 0, 23, "hour"), twoDigits(minute, 0, 59, "minute"), twoDigits(second, 0, 59, "second")]);
}
