/**
 * Test helpers for the acquirer suites: a real tap on the simulator (virtual card engine →
 * PN532 simulator → kernel) for a data record with a genuine ARQC, the request built from
 * it, an acquirer on a free loopback port over a temporary data folder, and signed HTTP
 * requests over real sockets (node:http, no keep-alive, bounded by a timeout).
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { OutcomeType } from "../../src/emv/outcome";
import type { DataRecord } from "../../src/emv/data-record";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { profileByName } from "../../src/sim/profiles";
import { nodeCardCrypto } from "../../host/crypto";
import { seededRandom } from "../../host/tap/determinism";
import { ARRIVE_MS, runSession } from "../../host/tap/session";
import { defaultConfig, TEST_TERMINAL_KEY_HEX, type AcquirerConfig } from "../../host/acquirer/config";
import { startAcquirer, type AcquirerOptions, type RunningAcquirer } from "../../host/acquirer/server";
import { signRequest } from "../../host/acquirer/signature";
import { openSqliteStore, type AcquirerStore } from "../../host/acquirer/store";

export const TEST_KEY = Buffer.from(TEST_TERMINAL_KEY_HEX, "hex");
/** 2026-12-06 20:11:32 UTC: the simulated tap's date. */
const TAP_DATE_MS = Date.UTC(2026, 11, 6, 20, 11, 32);

const ICC_ORDER = "9F26 9F27 9F10 9F37 9F36 95 9A 9C 9F02 9F03 5F2A 82 84 9F1A 9F33 9F34 9F35 9F66 9F6C 9F6E 9F19 9F24 5F34".split(" ");
const CARD_DATA = "56 57 5A 5F20 5F24 9F0B 9F6B 9F21".split(" ");

/**
 * One tap of a named profile whose ATC starts at `atcBefore` (the card spends one: the
 * record's 9F36 is atcBefore + 1). Resolves with the Online Request's data record.
 */
export async function tapRecord(profileName: string, amountMinor: number, atcBefore: number, seed = 1): Promise<DataRecord> {
  const profile = JSON.parse(JSON.stringify(profileByName(profileName))) as CardProfile;
  for (const app of profile.apps) app.keys.atc = atcBefore.toString(16).padStart(4, "0");
  const target = createCard(profile, nodeCardCrypto, { random: seededRandom(seed ^ 0x5a5a), arriveAtMs: ARRIVE_MS });
  const config = defaultEntryPointConfig();
  config.terminal.currencyCode = 978;
  config.terminal.currencyExponent = 2;
  config.terminal.countryCode = 250;
  const res = await runSession({
    tapTarget: { kind: "profile", label: profileName, target: target, replay: null, text: null },
    config: config,
    amountMinor: amountMinor,
    startMs: TAP_DATE_MS,
    random: seededRandom(seed),
    mask: null,
    header: [],
  });
  if (!res.outcome || res.outcome.type !== OutcomeType.OnlineRequest || !res.outcome.record) {
    throw new Error(`${profileName}: no online request (${res.outcome ? res.outcome.reason : "no outcome"})`);
  }
  return res.outcome.record;
}

function tlv(tag: string, value: string): string {
  const n = value.length / 2;
  const len = n < 0x80 ? n.toString(16).padStart(2, "0") : "81" + n.toString(16).padStart(2, "0");
  return tag + len.toUpperCase() + value;
}

/** DE 55 from a record: the ICC data without card-data tags. */
export function iccHex(icc: { [tag: string]: string }): string {
  let out = "";
  for (const t of ICC_ORDER) if (icc[t] !== undefined) out += tlv(t, icc[t]);
  for (const t of Object.keys(icc)) if (ICC_ORDER.indexOf(t) < 0 && CARD_DATA.indexOf(t) < 0) out += tlv(t, icc[t]);
  return out;
}

export function newId(): string {
  return randomBytes(16).toString("hex");
}

/** The authorization request body for a record (docs/acquirer-api.md). */
export function authBody(record: DataRecord, amountMinor: number, id = newId(), stan = "000042"): { [k: string]: unknown } {
  const b: { [k: string]: unknown } = {
    terminalId: "TAPPOS01",
    merchantId: "MERCHANT0001",
    stan: stan,
    clientTransactionId: id,
    amountMinor: amountMinor,
    currency: "978",
    country: "250",
    localDateTime: "2026-12-06T20:11:32",
    posEntryMode: "07",
    aid: record.aid,
    kernel: record.kernel,
    pan: record.pan,
    expiry: record.expiry,
    iccData: iccHex(record.icc),
  };
  if (record.psn !== null) b.psn = record.psn;
  if (record.track2 !== null) b.track2 = record.track2;
  return b;
}

export function reversalBody(id: string, amountMinor: number, reason = "no_answer"): { [k: string]: unknown } {
  return { terminalId: "TAPPOS01", clientTransactionId: id, stan: "000043", amountMinor: amountMinor, currency: "978", reason: reason, time: "2026-12-06T20:12:40Z" };
}

export interface HttpAnswer {
  status: number;
  headers: { [k: string]: string | string[] | undefined };
  text: string;
  json: { [k: string]: unknown };
}

export interface SendOptions {
  keyId?: string;
  key?: Uint8Array;
  /** Unix seconds; default now. */
  timestamp?: string;
  nonce?: string;
  /** Replaces the computed signature. */
  signature?: string;
  /** Abort after this long, ms (default 10,000): the terminal's own timeout. */
  timeoutMs?: number;
}

/** A signed request over a fresh loopback connection. Rejects with the socket error's code. */
export function send(port: number, method: string, path: string, body: string | null, o: SendOptions = {}): Promise<HttpAnswer> {
  const bytes = Buffer.from(body ?? "", "utf8");
  const ts = o.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = o.nonce ?? randomBytes(12).toString("hex");
  const sig = o.signature ?? signRequest(o.key ?? TEST_KEY, method, path, ts, nonce, bytes);
  const headers: { [k: string]: string | number } = {
    "X-Tappos-Key-Id": o.keyId ?? "test-key-1",
    "X-Tappos-Timestamp": ts,
    "X-Tappos-Nonce": nonce,
    "X-Tappos-Signature": sig,
  };
  if (body !== null) {
    headers["Content-Type"] = "application/json";
    headers["Content-Length"] = bytes.length;
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: port, method: method, path: path, headers: headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        let json: { [k: string]: unknown } = {};
        try {
          json = JSON.parse(text) as { [k: string]: unknown };
        } catch {
          // Left empty: the test looks at `text`.
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: text, json: json });
      });
      res.on("error", reject);
    });
    req.setTimeout(o.timeoutMs ?? 10000, () => req.destroy(Object.assign(new Error("client timeout"), { code: "CLIENT_TIMEOUT" })));
    req.on("error", reject);
    req.end(bytes);
  });
}

/** The error code a request failed with (rejects when it succeeded). */
export async function failure(p: Promise<HttpAnswer>): Promise<string> {
  try {
    const a = await p;
    throw new Error("expected a failure, got HTTP " + a.status);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!code) throw e;
    return code;
  }
}

export interface TestAcquirer {
  acq: RunningAcquirer;
  store: AcquirerStore;
  port: number;
  dir: string;
  logs: string[];
  /** Closes the server and the store (the data folder stays). */
  stop(): Promise<void>;
}

/** A temporary data folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tappos-acquirer-"));
  return { dir: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts an acquirer over `dir` on a free port, its log lines collected. */
export async function startTest(dir: string, o: Partial<AcquirerOptions> = {}, config: AcquirerConfig = defaultConfig()): Promise<TestAcquirer> {
  const store = openSqliteStore(dir, config.hostSecret);
  const logs: string[] = [];
  const acq = await startAcquirer({ config: config, store: store, log: (l) => logs.push(l), ...o }, 0);
  return {
    acq: acq,
    store: store,
    port: acq.port,
    dir: dir,
    logs: logs,
    stop: async () => {
      await acq.close();
      store.close();
    },
  };
}
