/**
 * Command line of `npm run tap` (docs/architecture.md "Commands"). Every mistake is a TAP_USAGE error
 * with a message that says what is wrong; the caller prints it with the usage and exits 2.
 */
import { basename } from "node:path";
import { codedError } from "../../src/bytes/coded-error";
import { DEFAULT_COUNTRY, DEFAULT_CURRENCY } from "../../src/app/terminal-config";
import { currencyFromText, formatAmount, parseAmount, type Currency } from "./amount";

export const USAGE = `usage: npm run tap -- <profile | file.json | file.apdu> [options]
  --amount 12.34      amount in the currency's units, parsed as text (default 1250 minor units)
  --currency 978|EUR  ISO 4217 currency (default 978 EUR)
  --country 250       ISO 3166-1 numeric terminal country (default 250)
  --json              print the result as JSON
  --record <file>     write the tap's transcript to a new .apdu file, PANs and names masked
  --force             let --record replace an existing file
  --clear             record PANs in clear (test fixtures only)
  --seed <n>          seed of the random source: unpredictable numbers, phone UIDs (default 1)
  --date <when>       simulated date, YYYY-MM-DD[THH:MM[:SS]] (default 2026-01-15T10:30:00)
  --now               use the wall clock's date instead
  --online <url>      then authorise at the acquirer (host/tap/online.ts; with --help: its options)
Exit status: 0 online request or approved, 1 any other outcome, 2 usage error.`;

/** 12.50 in a currency of two minor digits. */
export const DEFAULT_AMOUNT_MINOR = 1250;

/** The fixed simulated date of a tap without --date or --now. */
export const DEFAULT_DATE = "2026-01-15T10:30:00";

export interface TapOptions {
  /** Profile name or file path. */
  source: string;
  amountMinor: number;
  /** The amount as written (for headers). */
  amountText: string;
  currency: Currency;
  country: number;
  json: boolean;
  recordPath: string | null;
  /** --record may replace an existing file. */
  force: boolean;
  clear: boolean;
  seed: number;
  /** Simulated start of the tap as "local time" fields packed in a UTC epoch, ms. */
  startMs: number;
  help: boolean;
}

function usage(message: string): Error {
  return codedError("TAP_USAGE", message);
}

function integer(text: string, what: string, max: number): number {
  let ok = text.length > 0 && text.length <= 10;
  for (let i = 0; i < text.length; i++) ok = ok && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
  const v = ok ? parseInt(text, 10) : -1;
  if (!ok || v > max) throw usage(`${what} "${text}" is not an integer 0…${max}`);
  return v;
}

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** "2026-01-15T10:30:00" → its fields as a UTC epoch (the tap's calendar reads UTC fields). */
export function parseDate(text: string): number {
  const m = DATE_SHAPE.exec(text);
  const f = m ? m.slice(1).map((x) => (x === undefined ? 0 : parseInt(x, 10))) : [];
  const ms = m ? Date.UTC(f[0], f[1] - 1, f[2], f[3], f[4], f[5]) : NaN;
  const d = new Date(ms);
  const same = m && d.getUTCFullYear() === f[0] && d.getUTCMonth() === f[1] - 1 && d.getUTCDate() === f[2] && f[3] < 24 && f[4] < 60 && f[5] < 60;
  if (!same || f[0] < 2000 || f[0] > 2099) throw usage(`date "${text}" is not YYYY-MM-DD[THH:MM[:SS]] in 2000…2099`);
  return ms;
}

/** The wall clock's local date and time as UTC fields. */
function wallClockMs(): number {
  const now = new Date();
  return now.getTime() - now.getTimezoneOffset() * 60000;
}

/** Options that take a value (`--name value` or `--name=value`), and plain flags. */
const VALUED = ["--amount", "--currency", "--country", "--record", "--seed", "--date"];
const FLAGS = ["--json", "--clear", "--force", "--now", "--help"];

/** The extension `--record` writes: a transcript (src/apdu/transcript.ts). */
export const RECORD_EXTENSION = ".apdu";

/**
 * A `--record` problem: one line, no usage (TAP_RECORD, field `path`); exit 2 as for usage.
 */
export function recordError(path: string, message: string): Error {
  return codedError("TAP_RECORD", `--record ${path}: ${message}`, { path: path });
}

/** Only `.apdu` files are written, so a slip cannot overwrite a source or a profile. @throws TAP_RECORD */
function checkRecordName(path: string): void {
  const name = basename(path);
  if (!name.toLowerCase().endsWith(RECORD_EXTENSION) || name.length <= RECORD_EXTENSION.length) {
    throw recordError(path, `a transcript file name must end in ${RECORD_EXTENSION}`);
  }
}

/** @throws TAP_USAGE, TAP_RECORD */
export function parseArgs(args: string[]): TapOptions {
  const values: { [option: string]: string } = {};
  const flags: { [flag: string]: boolean } = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | null = null;
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0) {
      inline = a.substring(eq + 1);
      a = a.substring(0, eq);
    }
    if (VALUED.indexOf(a) >= 0) {
      const v = inline ?? args[++i];
      if (v === undefined) throw usage(`${a} needs a value`);
      if (values[a] !== undefined) throw usage(`${a} given twice`);
      values[a] = v;
    } else if (FLAGS.indexOf(a) >= 0 || a === "-h") {
      if (inline !== null) throw usage(`${a} takes no value`);
      flags[a === "-h" ? "--help" : a] = true;
    } else if (a === "--online") {
      throw usage("--online is not available in runTap: npm run tap routes it to host/tap/online.ts");
    } else if (a.startsWith("-") && a !== "-") {
      throw usage(`unknown option ${a}`);
    } else positional.push(a);
  }
  const help = flags["--help"] === true;
  if (!help && positional.length !== 1) {
    throw usage(positional.length === 0 ? "which profile or transcript? (one argument)" : `one profile or file only, got ${positional.join(" ")}`);
  }
  if (flags["--clear"] && values["--record"] === undefined) throw usage("--clear only makes sense with --record <file>");
  if (flags["--force"] && values["--record"] === undefined) throw usage("--force only makes sense with --record <file>");
  const record = values["--record"];
  if (record !== undefined) checkRecordName(record);
  if (flags["--now"] && values["--date"] !== undefined) throw usage("--now and --date exclude each other");
  const currency = values["--currency"] !== undefined ? currencyFromText(values["--currency"]) : currencyFromText(String(DEFAULT_CURRENCY));
  const amountText = values["--amount"] ?? formatAmount(DEFAULT_AMOUNT_MINOR, currency.exponent);
  return {
    source: positional[0] ?? "",
    amountMinor: parseAmount(amountText, currency.exponent),
    amountText: amountText,
    currency: currency,
    country: values["--country"] !== undefined ? integer(values["--country"], "--country", 999) : DEFAULT_COUNTRY,
    json: flags["--json"] === true,
    recordPath: record ?? null,
    force: flags["--force"] === true,
    clear: flags["--clear"] === true,
    seed: values["--seed"] !== undefined ? integer(values["--seed"], "--seed", 0xffffffff) : 1,
    startMs: flags["--now"] ? wallClockMs() : parseDate(values["--date"] ?? DEFAULT_DATE),
    help: help,
  };
}
