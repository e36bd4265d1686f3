/**
 * The terminal's configuration in Storage: one JSON file, `tpconf` (written by the configure
 * step from a `config.json` made after `config.example.json`; never in the bundle or the
 * repository). Read and checked field by field at boot: every bad or missing field is named
 * by its path ("acquirer.key: 16..64 bytes of hex"), never with its value (secrets). A board
 * whose configuration is absent or bad still boots: its sales are refused into the machine's
 * notConfigured state (TERMINAL_NOT_CONFIGURED) with the list of fields (`notConfiguredAuth`).
 *
 * Required: wifi.ssid, wifi.password, acquirer.url, acquirer.terminalId, acquirer.merchantId,
 * acquirer.keyId, acquirer.key, and acquirer.ca for an https URL. Everything else has a
 * default: the board's pins and fitted parts, terminal-config.ts's currency, country and limits.
 * `till.token` (16..128 printable characters, `npm run configure -- --rotate-token` makes one)
 * is the till API's bearer token (README "The till on the board"); without it the board's till is off.
 * `till.port`: its HTTP port (default 80).
 */
import { codedError } from "../bytes/coded-error";
import { find } from "../bytes/find";
import type { Reversal } from "../auth/reversal-queue";
import type { KeyValueStore } from "../hal/types";
import { DEFAULT_COUNTRY, DEFAULT_CURRENCY, DEFAULT_CURRENCY_EXPONENT, defaultEntryPointConfig } from "./terminal-config";
import { defaultMachineConfig } from "./terminal-machine";
import type { AuthPort } from "./terminal-runner";
import type { TerminalSettings } from "./terminal";

export const CONFIG_FILE = "tpconf";

export type LinkKind = "i2c" | "spi" | "hsu";

export interface TerminalConfig {
  wifi: { ssid: string; password: string; sntpServer: string | null };
  acquirer: { url: string; ca: string | null; terminalId: string; merchantId: string; keyId: string; key: string };
  merchantName: string;
  /** ISO 4217 numeric, and its minor digits. */
  currency: number;
  currencyExponent: number;
  /** Shown with amounts on the till page ("EUR"; default "EUR" for 978, else the number). */
  currencyLabel: string;
  /** ISO 3166-1 numeric. */
  country: number;
  /** Local time (9A, 9F21) = UTC + this, minutes. */
  tzOffsetMinutes: number;
  /** Minor units of `currency`. */
  limits: { floorMinor: number; cvmMinor: number; txnMinor: number };
  reader: { link: LinkKind };
  /** Board pin overrides by name ("D4"; null: not wired). */
  pins: { [name: string]: string | null };
  /** null: the board's default. */
  fitted: { display: boolean | null; leds: boolean | null; buzzer: boolean | null };
  /** The till API's bearer token (null: the till is off) and HTTP port. */
  till: { token: string | null; port: number };
}

/**
 * Pin names a config may override (board/<name>/board.ts uses the same), made when called:
 * only the boot's config check needs them, so no array is held in RAM after it.
 */
export function pinNames(): string[] {
  return "sda scl pn532Irq pn532Rst sck miso mosi cs rx tx led1 led2 led3 led4 buzzer".split(" ");
}

export interface ConfigResult {
  config: TerminalConfig | null;
  /** "path: what is wrong", one per bad field; empty when config is usable. */
  problems: string[];
}

type Obj = { [k: string]: unknown };

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !(v instanceof Array);
}

/** One section's checker: it notes problems under `prefix`. */
class Fields {
  private o: Obj;
  private prefix: string;
  private problems: string[];
  constructor(
    o: Obj,
    prefix: string,
    problems: string[],
  ) {
    this.o = o;
    this.prefix = prefix;
    this.problems = problems;
  }

  private bad(k: string, what: string): void {
    this.problems.push(this.prefix + k + ": " + what);
  }

  /** A string of min..max characters of printable ASCII; `fallback` when absent (undefined: required). */
  str(k: string, min: number, max: number, fallback?: string | null, lines?: boolean): string {
    const v = this.o[k];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback as string;
      this.bad(k, "missing");
      return "";
    }
    let ok = typeof v === "string" && v.length >= min && v.length <= max;
    for (let i = 0; ok && i < (v as string).length; i++) {
      const c = (v as string).charCodeAt(i);
      if ((c < 32 || c > 126) && !(lines && (c === 10 || c === 13))) ok = false;
    }
    if (!ok) this.bad(k, "text of " + min + ".." + max + " printable ASCII characters" + (lines ? " and line breaks" : ""));
    return ok ? (v as string) : "";
  }

  /** A whole number in lo..hi; `fallback` when absent. */
  int(k: string, lo: number, hi: number, fallback: number): number {
    const v = this.o[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || v % 1 !== 0 || v < lo || v > hi) {
      this.bad(k, "whole number " + lo + ".." + hi);
      return fallback;
    }
    return v;
  }

  bool(k: string): boolean | null {
    const v = this.o[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== "boolean") this.bad(k, "true or false");
    return typeof v === "boolean" ? v : null;
  }

  /** A nested object (absent: {} when optional). */
  sub(k: string, required: boolean): Fields {
    const v = this.o[k];
    if (!isObj(v) && (v !== undefined || required)) this.bad(k, v === undefined ? "missing" : "an object");
    // Not `new Fields` here: esbuild names the class expression to refer to itself
    // (`class t{…new t…}`), a name Espruino 2v29 does not bind (ReferenceError).
    return fields(isObj(v) ? v : {}, this.prefix + k + ".", this.problems);
  }

  raw(k: string): unknown {
    return this.o[k];
  }

  note(k: string, what: string): void {
    this.bad(k, what);
  }
}

function fields(o: Obj, prefix: string, problems: string[]): Fields {
  return new Fields(o, prefix, problems);
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) if ("0123456789abcdefABCDEF".indexOf(s.charAt(i)) < 0) return false;
  return s.length % 2 === 0;
}

/** "D21", "B7" and the like: a port letter and a pin number. */
function isPinName(s: string): boolean {
  if (s.length < 2 || s.length > 3 || "ABCDEFGH".indexOf(s.charAt(0)) < 0) return false;
  for (let i = 1; i < s.length; i++) if ("0123456789".indexOf(s.charAt(i)) < 0) return false;
  return true;
}

/** Checks a parsed config; problems name each bad field by its path. */
export function checkConfig(v: unknown): ConfigResult {
  const problems: string[] = [];
  if (!isObj(v)) return { config: null, problems: ["(file): a JSON object"] };
  const root = fields(v, "", problems);
  const w = root.sub("wifi", true);
  const a = root.sub("acquirer", true);
  const wifi = { ssid: w.str("ssid", 1, 32), password: w.str("password", 8, 63), sntpServer: w.str("sntpServer", 1, 64, null) };
  const url = a.str("url", 10, 200);
  if (url && !url.startsWith("https://") && !url.startsWith("http://localhost") && !url.startsWith("http://127.")) a.note("url", "https:// (plain http only to loopback)");
  const ca = a.str("ca", 1, 8192, null, true);
  if (url.startsWith("https://") && ca === null) a.note("ca", "missing: the PEM of the acquirer's CA (https)");
  else if (ca && find(ca, "-----BEGIN CERTIFICATE-----", 0) < 0) a.note("ca", "a PEM certificate");
  const key = a.str("key", 32, 128);
  if (key && !isHex(key)) a.note("key", "16..64 bytes of hex");
  const acquirer = { url: url, ca: ca, terminalId: a.str("terminalId", 8, 8), merchantId: a.str("merchantId", 1, 15), keyId: a.str("keyId", 1, 64), key: key };
  const l = root.sub("limits", false);
  const limits = { floorMinor: l.int("floorMinor", 0, 0, 0), cvmMinor: l.int("cvmMinor", 0, 999999999999, 5000), txnMinor: l.int("txnMinor", 1, 999999999999, 100000) };
  const r = root.sub("reader", false);
  const link = r.raw("link");
  if (link !== undefined && link !== "i2c" && link !== "spi" && link !== "hsu") r.note("link", "i2c, spi or hsu");
  const pins: { [name: string]: string | null } = {};
  const p = root.raw("pins");
  if (p !== undefined && !isObj(p)) root.note("pins", "an object");
  if (isObj(p)) {
    const names = Object.keys(p);
    const known = pinNames();
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const pv = p[n];
      if (known.indexOf(n) < 0) problems.push("pins." + n + ": not a pin name (" + known.join(", ") + ")");
      else if (pv !== null && (typeof pv !== "string" || !isPinName(pv))) problems.push("pins." + n + ': a pin such as "D4", or null');
      else pins[n] = pv as string | null;
    }
  }
  const f = root.sub("fitted", false);
  const t = root.sub("till", false);
  const till = { token: t.str("token", 16, 128, null), port: t.int("port", 1, 65535, 80) };
  const currency = root.int("currency", 1, 999, DEFAULT_CURRENCY);
  const config: TerminalConfig = {
    wifi: wifi,
    acquirer: acquirer,
    merchantName: root.str("merchantName", 1, 40, "TAPPOS DEMO SHOP"),
    currency: currency,
    currencyExponent: root.int("currencyExponent", 0, 3, DEFAULT_CURRENCY_EXPONENT),
    currencyLabel: root.str("currencyLabel", 1, 8, currency === 978 ? "EUR" : "" + currency),
    country: root.int("country", 1, 999, DEFAULT_COUNTRY),
    tzOffsetMinutes: root.int("tzOffsetMinutes", -720, 840, 0),
    limits: limits,
    reader: { link: link === "spi" || link === "hsu" ? link : "i2c" },
    pins: pins,
    fitted: { display: f.bool("display"), leds: f.bool("leds"), buzzer: f.bool("buzzer") },
    till: till,
  };
  return { config: problems.length ? null : config, problems: problems };
}

/** Reads and checks `tpconf`; a missing or unreadable file is one problem that says so. */
export function readConfig(store: KeyValueStore): ConfigResult {
  const text = store.read(CONFIG_FILE);
  if (text === undefined || text === null || text === "") {
    return { config: null, problems: ["(file): no " + CONFIG_FILE + " in Storage; required: wifi.ssid, wifi.password, acquirer.url, acquirer.ca, acquirer.terminalId, acquirer.merchantId, acquirer.keyId, acquirer.key"] };
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { config: null, problems: ["(file): " + CONFIG_FILE + " is not JSON"] };
  }
  return checkConfig(v);
}

/** The coded error for a bad config: CONFIG_INVALID, `fields` the problems' paths. */
export function configError(problems: string[]): Error {
  return codedError("CONFIG_INVALID", "terminal not configured: " + problems.join("; "), { fields: fieldsOf(problems) });
}

function fieldsOf(problems: string[]): string[] {
  return problems.map(function (p) {
    return p.substring(0, p.indexOf(":"));
  });
}

/**
 * What the terminal runs with. `config` null (not configured): the defaults, so that the
 * terminal still boots and tells why it refuses to sell.
 */
export function settingsOf(config: TerminalConfig | null): TerminalSettings {
  const ep = defaultEntryPointConfig();
  const c = config;
  if (c !== null) {
    ep.terminal.countryCode = c.country;
    ep.terminal.currencyCode = c.currency;
    ep.terminal.currencyExponent = c.currencyExponent;
    ep.terminal.terminalId = c.acquirer.terminalId;
    ep.terminal.merchantNameLocation = c.merchantName;
    for (let i = 0; i < ep.aids.length; i++) {
      const aid = ep.aids[i];
      aid.floorLimitMinor = c.limits.floorMinor;
      aid.cvmLimitMinor = c.limits.cvmMinor;
      // C-2 without on-device CVM: no more than the CVM limit (terminal-config.ts).
      if (aid.kernel === 2) {
        aid.txnLimitMinor = c.limits.cvmMinor < c.limits.txnMinor ? c.limits.cvmMinor : c.limits.txnMinor;
        aid.txnLimitOdcvMinor = c.limits.txnMinor;
      } else aid.txnLimitMinor = c.limits.txnMinor;
    }
  }
  return {
    entryPoint: ep,
    machine: defaultMachineConfig(ep.terminal.currencyCode),
    currencyExponent: ep.terminal.currencyExponent,
    terminalId: ep.terminal.terminalId || "",
  };
}

/** The authorizer of a terminal without a usable config: every sale refused, naming the fields. */
export function notConfiguredAuth(problems: string[]): AuthPort {
  return {
    checkReady: function () {
      throw configErrorAs(problems);
    },
    authorize: function () {
      return Promise.reject(configErrorAs(problems));
    },
    inFlight: function (): Reversal | null {
      return null;
    },
    reverseInFlight: function (): Reversal | null {
      return null;
    },
    queueReversal: function () {},
  };
}

/** TERMINAL_NOT_CONFIGURED (the runner's refusal code) with the fields in its message. */
function configErrorAs(problems: string[]): Error {
  return codedError("TERMINAL_NOT_CONFIGURED", problems.join("; "), { fields: fieldsOf(problems) });
}
