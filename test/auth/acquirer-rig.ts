/**
 * The reference acquirer (host/acquirer) on a free loopback port with a fresh ledger, and the
 * terminal side composed as `tap --online` composes it (real sockets, real clocks), plus real
 * card records: a virtual card tapped through the PN532 simulator and a kernel, its ATC kept
 * in the terminal's state folder like `tap --online` does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../host/acquirer/config";
import { startAcquirer, type RunningAcquirer } from "../../host/acquirer/server";
import { openSqliteStore, type AcquirerStore } from "../../host/acquirer/store";
import { nodeHttpClient } from "../../host/auth/node-http";
import { nodeClock, nodeRandom, nodeSha256, nodeWallClock } from "../../host/auth/node-hal";
import { TEST_KEY_ID, TEST_MERCHANT_ID, TEST_TERMINAL_ID, testKey } from "../../host/auth/test-terminal";
import { seededRandom } from "../../host/tap/determinism";
import { hhmmss, onlineTarget } from "../../host/tap/online";
import { runSession } from "../../host/tap/session";
import { readCardAtc, terminalStore, writeCardAtc } from "../../host/tap/state";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import type { Sale } from "../../src/auth/authorizer";
import { TerminalAuth, type AuthConfig } from "../../src/auth/terminal-auth";
import { maskRequest } from "../../src/auth/request";
import { settableWallClock } from "../../src/auth/time";
import { OutcomeType } from "../../src/emv/outcome";
import type { Clock, HttpClient } from "../../src/hal/types";

export interface Acquirer {
  url: string;
  port: number;
  store: AcquirerStore;
  dataDir: string;
  log: string[];
  close(): Promise<void>;
}

const made: string[] = [];

export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The acquirer on `port` (0: a free one) with its ledger in `dataDir` (default: a new one). */
export async function startTestAcquirer(options: { holdMs?: number; port?: number; dataDir?: string } = {}): Promise<Acquirer> {
  const dataDir = options.dataDir ?? tempDir("tappos-acq-");
  const store = openSqliteStore(dataDir, null);
  const log: string[] = [];
  let running: RunningAcquirer;
  try {
    running = await startAcquirer({ config: defaultConfig(), store: store, holdMs: options.holdMs ?? 2000, log: (l) => log.push(l) }, options.port ?? 0);
  } catch (e) {
    store.close();
    throw e;
  }
  return {
    url: running.url,
    port: running.port,
    store: store,
    dataDir: dataDir,
    log: log,
    close: () => running.close().then(() => store.close()),
  };
}

/** The terminal on `stateDir`, as `tap --online` composes it; `over` changes its config. */
export function terminal(url: string, stateDir: string, over: Partial<AuthConfig> = {}, deps: { clock?: Clock; http?: HttpClient; wallValid?: boolean } = {}): TerminalAuth {
  const clock = deps.clock ?? nodeClock();
  const cfg: AuthConfig = {
    url: url,
    terminalId: TEST_TERMINAL_ID,
    merchantId: TEST_MERCHANT_ID,
    keyId: TEST_KEY_ID,
    key: testKey(),
    country: 250,
    timeouts: { connectMs: 2000, sendMs: 2000, answerMs: 5000 },
    echoRequest: maskRequest,
    ...over,
  };
  const wall = settableWallClock(clock, deps.wallValid === false ? { unixMs: () => null } : nodeWallClock);
  return new TerminalAuth(cfg, { http: deps.http ?? nodeHttpClient(), sha: nodeSha256, random: nodeRandom, clock: clock, store: terminalStore(stateDir), wall: wall });
}

/** One real tap of `profile` for `amountMinor` (EUR); its record as a Sale. */
export async function tapSale(profile: string, amountMinor: number, stateDir: string): Promise<Sale> {
  const startMs = Date.now();
  const target = onlineTarget(profile, stateDir, seededRandom(7));
  const res = await runSession({
    tapTarget: target,
    config: defaultEntryPointConfig(),
    amountMinor: amountMinor,
    startMs: startMs,
    random: nodeRandom,
    mask: null,
    header: [],
  });
  const o = res.outcome;
  if (!o || o.type !== OutcomeType.OnlineRequest || !o.record) throw new Error("no Online Request: " + (o ? o.reason : "no card"));
  writeCardAtc(stateDir, profile, o.record.aid, parseInt(o.record.icc["9F36"], 16));
  expectAtcMoved(stateDir, profile);
  return { record: o.record, amountMinor: amountMinor, currency: 978, time9f21: hhmmss(startMs, res.attempts[res.attempts.length - 1].detectedAtMs) };
}

function expectAtcMoved(stateDir: string, profile: string): void {
  if (Object.keys(readCardAtc(stateDir, profile)).length === 0) throw new Error("card ATC not saved");
}

/** Waits until `pred` holds (polling real time), at most `ms`. */
export async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("condition not met in " + ms + " ms");
    await new Promise((r) => setTimeout(r, 10));
  }
}
