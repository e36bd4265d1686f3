/**
 * Amounts on the command line (docs/architecture.md "Amounts"): a decimal written by a person, parsed
 * as text by the currency's exponent (ISO 4217 minor unit digits) into integer minor units,
 * never through a float. "12.34" EUR → 1234; "12.345" EUR is refused, not rounded.
 */
import { codedError } from "../../src/bytes/coded-error";

export interface Currency {
  /** ISO 4217 numeric code. */
  code: number;
  /** ISO 4217 alphabetic code. */
  alpha: string;
  /** Minor unit digits. */
  exponent: number;
}

/** A small ISO 4217 table: the currencies a tappos terminal is likely to meet. */
export const CURRENCIES: Currency[] = [
  { code: 36, alpha: "AUD", exponent: 2 },
  { code: 48, alpha: "BHD", exponent: 3 },
  { code: 124, alpha: "CAD", exponent: 2 },
  { code: 156, alpha: "CNY", exponent: 2 },
  { code: 344, alpha: "HKD", exponent: 2 },
  { code: 392, alpha: "JPY", exponent: 0 },
  { code: 410, alpha: "KRW", exponent: 0 },
  { code: 414, alpha: "KWD", exponent: 3 },
  { code: 446, alpha: "MOP", exponent: 2 },
  { code: 702, alpha: "SGD", exponent: 2 },
  { code: 756, alpha: "CHF", exponent: 2 },
  { code: 826, alpha: "GBP", exponent: 2 },
  { code: 840, alpha: "USD", exponent: 2 },
  { code: 901, alpha: "TWD", exponent: 2 },
  { code: 978, alpha: "EUR", exponent: 2 },
];

/** The n12 field 9F02 holds at most 12 digits. */
const MAX_DIGITS = 12;

function usage(message: string): Error {
  return codedError("TAP_USAGE", message);
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** "978", "048", "48" or "EUR" (any case) → the currency. @throws TAP_USAGE for one not in the table. */
export function currencyFromText(text: string): Currency {
  const upper = text.toUpperCase();
  const code = isDigits(text) && text.length <= 3 ? parseInt(text, 10) : -1;
  for (const c of CURRENCIES) if (c.code === code || c.alpha === upper) return c;
  const known = CURRENCIES.map((c) => String(c.code).padStart(3, "0") + " " + c.alpha).join(", ");
  throw usage(`unknown currency "${text}" (known: ${known})`);
}

/**
 * Integer minor units from a decimal text: digits, optionally a point and 1…`exponent`
 * digits. "12.34", "12.3" and "12" are 1234, 1230, 1200 with exponent 2.
 * @throws TAP_USAGE for a sign, a comma, an exponent, spaces, more fraction digits than
 *   the currency has, or a value of more than 12 digits in minor units.
 */
export function parseAmount(text: string, exponent: number): number {
  const point = text.indexOf(".");
  const whole = point < 0 ? text : text.substring(0, point);
  const fraction = point < 0 ? "" : text.substring(point + 1);
  if (!isDigits(whole) || (point >= 0 && !isDigits(fraction))) {
    throw usage(`amount "${text}" is not a decimal number like 12.34 (digits, one optional point, no sign)`);
  }
  if (fraction.length > exponent) {
    throw usage(`amount "${text}" has ${fraction.length} decimal(s); the currency has ${exponent}`);
  }
  let digits = whole + fraction.padEnd(exponent, "0");
  let i = 0;
  while (i < digits.length - 1 && digits.charAt(i) === "0") i++;
  digits = digits.substring(i);
  if (digits.length > MAX_DIGITS) throw usage(`amount "${text}" is over ${MAX_DIGITS} digits in minor units`);
  return parseInt(digits, 10);
}

/** 1234 with exponent 2 → "12.34"; 5 with exponent 3 → "0.005". */
export function formatAmount(minor: number, exponent: number): string {
  const s = String(minor).padStart(exponent + 1, "0");
  return exponent === 0 ? s : s.substring(0, s.length - exponent) + "." + s.substring(s.length - exponent);
}
