/**
 * The Espruino console as the first till: `sale(1250)`, `cancel()`, `status()`, `last()`.
 * Plain functions bound to a runner; a board's main.ts exposes them as globals. Each returns
 * one short line (and prints it when given `print`): amounts in major units by the currency's
 * exponent, PAN masked 6/4, never card data beyond that.
 */
import type { TerminalResult } from "./terminal-machine";
import type { TerminalRunner } from "./terminal-runner";

export interface ConsoleTill {
  sale(amountMinor: number): string;
  cancel(): string;
  status(): string;
  last(): string;
}

/** 1250, exponent 2 → "12.50"; integer arithmetic only (no float, no toFixed). */
export function formatAmount(amountMinor: number, exponent: number): string {
  let unit = 1;
  for (let i = 0; i < exponent; i++) unit *= 10;
  const neg = amountMinor < 0;
  const a = neg ? -amountMinor : amountMinor;
  const major = Math.floor(a / unit);
  if (exponent === 0) return (neg ? "-" : "") + major;
  const minor = "" + (a - major * unit);
  return (neg ? "-" : "") + major + "." + "0".repeat(exponent - minor.length) + minor;
}

/** One line for a result: "approved 12.50 978 476173******0010 stan 000042 auth 123456". */
export function describeResult(r: TerminalResult | null, exponent: number): string {
  if (r === null) return "no sale yet";
  let t = r.outcome;
  if (r.amountMinor !== null) t += " " + formatAmount(r.amountMinor, exponent) + (r.currency !== null ? " " + r.currency : "");
  if (r.maskedPan !== null) t += " " + r.maskedPan;
  if (r.outcome !== "approved") t += " (" + r.reason + ")";
  if (r.stan !== null) t += " stan " + r.stan;
  if (r.authCode !== null) t += " auth " + r.authCode;
  if (r.reversal) t += " reversal queued";
  return t;
}

/** The till functions over `runner`; `print` (Espruino `print`, console.log) gets each line. */
export function consoleTill(runner: TerminalRunner, exponent: number, print: ((line: string) => void) | null): ConsoleTill {
  // Each function prints its own line: no shared helper closure held beside them.
  const status = (): string => {
    const s = runner.state;
    let t = s.kind;
    if (s.sale !== null) t += " " + formatAmount(s.sale.amountMinor, exponent);
    if (s.maskedPan !== null) t += " " + s.maskedPan;
    if (s.result !== null) t += ": " + describeResult(s.result, exponent);
    return t;
  };
  return {
    sale: function (amountMinor: number): string {
      runner.sale(amountMinor);
      const r = runner.refusal;
      const line = r !== null ? "refused " + r.code + ": " + r.message : "sale " + formatAmount(amountMinor, exponent) + ": " + status();
      if (print) print(line);
      return line;
    },
    cancel: function (): string {
      runner.cancel();
      const r = runner.refusal;
      const line = r !== null ? "refused " + r.code + ": " + r.message : "cancel: " + status();
      if (print) print(line);
      return line;
    },
    status: function (): string {
      const line = status();
      if (print) print(line);
      return line;
    },
    last: function (): string {
      const line = describeResult(runner.last(), exponent);
      if (print) print(line);
      return line;
    },
  };
}
