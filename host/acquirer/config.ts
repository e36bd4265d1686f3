/**
 * What the reference acquirer knows: its terminals (id, merchant, HMAC key), its issuers'
 * master keys by BIN range, and the secret it hashes PANs with. `--config FILE` gives them
 * as JSON (README "Acquirer host"); without one the host knows the documented test terminal
 * and the test issuer keys of the virtual cards (src/sim/profiles/), which are test keys by
 * design (card-profile.ts KeysProfile).
 */
import { readFileSync } from "node:fs";
import { codedError } from "../../src/bytes/coded-error";
import type { CryptogramVersion } from "../../src/sim/card-crypto";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";

/** One terminal allowed to sign requests. */
export interface TerminalEntry {
  terminalId: string;
  merchantId: string;
  keyId: string;
  /** HMAC-SHA-256 key bytes (never logged). */
  key: Uint8Array;
}

/** Issuer master key (IMK-AC) for the PANs starting with `bin`. */
export interface IssuerEntry {
  /** Leading PAN digits, 4–11; the longest matching entry wins. */
  bin: string;
  version: CryptogramVersion;
  /** 16 bytes (never logged). */
  imk: Uint8Array;
}

export interface AcquirerConfig {
  terminals: TerminalEntry[];
  issuers: IssuerEntry[];
  /** Key of the PAN hashes (HMAC-SHA-256); null: the store's own secret, kept in the data folder. */
  hostSecret: Uint8Array | null;
}

/** The test terminal's HMAC key: the ASCII of "tappos test-only terminal key 01". Test only. */
export const TEST_TERMINAL_KEY_HEX = "746170706f7320746573742d6f6e6c79207465726d696e616c206b6579203031";

/** The terminal every fresh acquirer knows (docs/acquirer-api.md "The test terminal"). */
export function testTerminal(): TerminalEntry {
  return { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", keyId: "test-key-1", key: Buffer.from(TEST_TERMINAL_KEY_HEX, "hex") };
}

/** One issuer entry per BIN (first 6 digits) of the virtual cards' applications. */
export function profileIssuers(): IssuerEntry[] {
  const out: IssuerEntry[] = [];
  for (const name of PROFILE_NAMES) {
    const profile = profileByName(name);
    if (!profile || name.startsWith("broken-")) continue;
    for (const app of profile.apps) {
      const bin = app.keys.pan.substring(0, 6);
      if (out.some((e) => e.bin === bin)) continue;
      out.push({ bin: bin, version: app.keys.version, imk: Buffer.from(app.keys.imk, "hex") });
    }
  }
  return out;
}

/** The configuration of a host started without `--config`. */
export function defaultConfig(): AcquirerConfig {
  return { terminals: [testTerminal()], issuers: profileIssuers(), hostSecret: null };
}

const VERSIONS: CryptogramVersion[] = ["visa-cvn10", "visa-cvn18", "mastercard-cvn16", "unionpay-cvn01"];

function bad(path: string, message: string): Error {
  return codedError("ACQ_CONFIG", `${path}: ${message}`, { path: path });
}

function text(v: unknown, path: string, pattern: RegExp): string {
  if (typeof v !== "string" || !pattern.test(v)) throw bad(path, `must match ${pattern.source}`);
  return v;
}

function hexKey(v: unknown, path: string, bytes: number): Uint8Array {
  return Buffer.from(text(v, path, new RegExp(`^[0-9A-Fa-f]{${bytes * 2}}$`)), "hex");
}

function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw bad(path, "must be an array");
  return v;
}

function record(v: unknown, path: string): { [k: string]: unknown } {
  if (!v || typeof v !== "object" || Array.isArray(v)) throw bad(path, "must be an object");
  return v as { [k: string]: unknown };
}

/**
 * Parses a configuration's JSON text. Absent `terminals` or `issuers` keep the defaults
 * (test terminal, virtual cards' issuers); `includeTestTerminal: false` drops the test
 * terminal when terminals are given.
 * @throws ACQ_CONFIG (`path` of the faulty field)
 */
export function parseConfig(json: string): AcquirerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw bad("$", "not JSON: " + (e as Error).message);
  }
  const o = record(raw, "$");
  const cfg = defaultConfig();
  if (o.terminals !== undefined) {
    const keep = o.includeTestTerminal !== false;
    cfg.terminals = keep ? cfg.terminals : [];
    list(o.terminals, "terminals").forEach((t, i) => {
      const p = `terminals[${i}]`;
      const r = record(t, p);
      const entry: TerminalEntry = {
        terminalId: text(r.terminalId, p + ".terminalId", /^[A-Za-z0-9]{1,16}$/),
        merchantId: text(r.merchantId, p + ".merchantId", /^[A-Za-z0-9]{1,15}$/),
        keyId: text(r.keyId, p + ".keyId", /^[A-Za-z0-9._-]{1,64}$/),
        key: hexKey(r.key, p + ".key", 32),
      };
      if (cfg.terminals.some((e) => e.keyId === entry.keyId)) throw bad(p + ".keyId", "duplicate key id");
      cfg.terminals.push(entry);
    });
  }
  if (o.issuers !== undefined) {
    cfg.issuers = list(o.issuers, "issuers").map((x, i) => {
      const p = `issuers[${i}]`;
      const r = record(x, p);
      const version = r.version as CryptogramVersion;
      if (VERSIONS.indexOf(version) < 0) throw bad(p + ".version", "must be one of " + VERSIONS.join(", "));
      return { bin: text(r.bin, p + ".bin", /^[0-9]{4,11}$/), version: version, imk: hexKey(r.imk, p + ".imk", 16) };
    });
  }
  if (o.hostSecret !== undefined) cfg.hostSecret = hexKey(o.hostSecret, "hostSecret", 32);
  for (const k of Object.keys(o)) {
    if (["terminals", "issuers", "hostSecret", "includeTestTerminal"].indexOf(k) < 0) throw bad(k, "unknown setting");
  }
  return cfg;
}

/** Reads and parses a configuration file. @throws ACQ_CONFIG */
export function loadConfig(path: string): AcquirerConfig {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch (e) {
    throw bad(path, "cannot read: " + ((e as { code?: string }).code ?? String(e)));
  }
  return parseConfig(json);
}

/** The issuer of `pan`: the longest BIN prefix that matches, or null. */
export function issuerFor(issuers: IssuerEntry[], pan: string): IssuerEntry | null {
  let best: IssuerEntry | null = null;
  for (const e of issuers) if (pan.startsWith(e.bin) && (!best || e.bin.length > best.bin.length)) best = e;
  return best;
}
