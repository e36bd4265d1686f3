/**
 * The online side of the host terminal: the reference acquirer on loopback (host/acquirer,
 * its ledger in `<state>/acquirer`) and the terminal's src/auth TerminalAuth against it,
 * composed as host/tap/online.ts composes it (signed with the TEST-ONLY key of terminal
 * TAPPOS01, Storage in `<state>/terminal`, the wall clock settable from the acquirer's Date
 * header). The authorizer port handed to the terminal keeps each AuthResult — the request as
 * sent with its PAN masked (echoRequest), and the answer — for the host's report.
 */
import { join } from "node:path";
import type { AuthPort } from "../../src/app/terminal-runner";
import { authPortOf } from "../../src/app/terminal-runner";
import type { AuthResult } from "../../src/auth/authorizer";
import type { FlushReport } from "../../src/auth/reversal-sender";
import { DEFAULT_TIMEOUTS, TerminalAuth } from "../../src/auth/terminal-auth";
import { maskRequest } from "../../src/auth/request";
import { settableWallClock, type SettableWallClock } from "../../src/auth/time";
import type { Clock, KeyValueStore } from "../../src/hal/types";
import { defaultConfig } from "../acquirer/config";
import { startAcquirer, type RunningAcquirer } from "../acquirer/server";
import { openSqliteStore, type AcquirerStore } from "../acquirer/store";
import { nodeHttpClient } from "../auth/node-http";
import { nodeRandom, nodeSha256, nodeWallClock } from "../auth/node-hal";
import { TEST_KEY_ID, TEST_MERCHANT_ID, TEST_TERMINAL_ID, testKey } from "../auth/test-terminal";

export interface Acquirer {
  url: string;
  close(): Promise<void>;
}

/** Starts the reference acquirer on 127.0.0.1 (a free port), its ledger in `dir`. */
export function startLoopbackAcquirer(dir: string, log: (line: string) => void, holdMs?: number): Promise<Acquirer> {
  const config = defaultConfig();
  const store: AcquirerStore = openSqliteStore(dir, config.hostSecret);
  return startAcquirer({ config: config, store: store, log: log, holdMs: holdMs }, 0).then(
    (running: RunningAcquirer) => ({
      url: running.url,
      close: () => running.close().then(() => store.close()),
    }),
    (e: unknown) => {
      store.close();
      throw e;
    },
  );
}

export interface OnlineSide {
  auth: TerminalAuth;
  /** The port for createTerminal: TerminalAuth through authPortOf, its results kept. */
  port: AuthPort;
  wall: SettableWallClock;
  /** The last authorization's result (masked request, answer, reversal), or null. */
  lastResult(): AuthResult | null;
  /**
   * Called with each result as it comes (before the runner sees it), and the round of the
   * reversal queue TerminalAuth starts right after it (this sale's reversal included).
   */
  onResult: ((r: AuthResult, round: Promise<FlushReport>) => void) | null;
  /** The round started after the last authorization, or null before any. */
  lastRound(): Promise<FlushReport> | null;
}

export interface OnlineOptions {
  url: string;
  clock: Clock;
  store: KeyValueStore;
  country: number;
  /** How long to wait for an answer, ms (DEFAULT_TIMEOUTS.answerMs). */
  answerMs?: number;
}

/** TerminalAuth against `url` as the test terminal. */
export function onlineSide(o: OnlineOptions): OnlineSide {
  const wall = settableWallClock(o.clock, nodeWallClock);
  const auth = new TerminalAuth(
    {
      url: o.url,
      terminalId: TEST_TERMINAL_ID,
      merchantId: TEST_MERCHANT_ID,
      keyId: TEST_KEY_ID,
      key: testKey(),
      country: o.country,
      timeouts: { connectMs: DEFAULT_TIMEOUTS.connectMs, sendMs: DEFAULT_TIMEOUTS.sendMs, answerMs: o.answerMs ?? DEFAULT_TIMEOUTS.answerMs },
      echoRequest: maskRequest,
    },
    { http: nodeHttpClient({}), sha: nodeSha256, random: nodeRandom, clock: o.clock, store: o.store, wall: wall },
  );
  let last: AuthResult | null = null;
  let round: Promise<FlushReport> | null = null;
  const side: OnlineSide = {
    auth: auth,
    port: authPortOf({
      checkReady: () => auth.checkReady(),
      authorize: (sale) =>
        auth.authorize(sale).then((r) => {
          last = r;
          // TerminalAuth has just started a round: flush() hands back that same round.
          round = auth.sender.flush();
          if (side.onResult) side.onResult(r, round);
          return r;
        }),
      authorizer: auth.authorizer,
    }),
    wall: wall,
    lastResult: () => last,
    onResult: null,
    lastRound: () => round,
  };
  return side;
}

/** The state folder's parts: the acquirer's ledger, the terminal's Storage. */
export function acquirerDir(stateDir: string): string {
  return join(stateDir, "acquirer");
}

export { TEST_TERMINAL_ID };
