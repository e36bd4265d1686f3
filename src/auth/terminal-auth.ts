/**
 * The terminal's online side, composed once per board (or per host run): signed HTTP,
 * authorizer, reversal queue and its sender, the wall clock. What the app calls:
 * `boot()` once, `checkReady()` before reading a card, `authorize(sale)` after an Online
 * Request outcome.
 */
import type { Clock, HttpClient, HttpTimeouts, KeyValueStore, Random, Sha256 } from "../hal/types";
import { Authorizer, type AuthResult, type AuthTerminal, type Sale } from "./authorizer";
import type { AuthRequest } from "./request";
import { DEFAULT_QUEUE_MAX, withReason, type Reversal } from "./reversal-queue";
import { DEFAULT_BACKOFF, ReversalSender, type BackoffConfig, type FlushReport } from "./reversal-sender";
import { SignedHttp } from "./signed-http";
import type { SettableWallClock } from "./time";

export interface AuthConfig {
  /** Acquirer base URL: https:// with a pinned CA on a network; http:// only to loopback (host tools). */
  url: string;
  terminalId: string;
  merchantId: string;
  keyId: string;
  /** HMAC key: from the board's Storage or a host key file, never from the bundle. */
  key: Uint8Array;
  /** ISO 3166-1 numeric. */
  country: number;
  timeouts: HttpTimeouts;
  queueMax?: number;
  backoff?: BackoffConfig;
  retries?: number;
  statusQuery?: boolean;
  /** Keep the masked request in each result (host tools). */
  echoRequest?: (r: AuthRequest) => AuthRequest;
}

export interface AuthDeps {
  http: HttpClient;
  sha: Sha256;
  random: Random;
  clock: Clock;
  store: KeyValueStore;
  wall: SettableWallClock;
}

/** Default bounds per phase, ms: a tap's customer waits for the answer. */
export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 5000, sendMs: 3000, answerMs: 15000 };

export interface BootReport {
  /** A transaction left in flight by a power loss, now queued for reversal. */
  recovered: Reversal | null;
  clockValid: boolean;
  flush: FlushReport;
}

export class TerminalAuth {
  readonly signed: SignedHttp;
  readonly authorizer: Authorizer;
  readonly sender: ReversalSender;

  private deps: AuthDeps;
  constructor(
    cfg: AuthConfig,
    deps: AuthDeps,
  ) {
    this.deps = deps;
    this.signed = new SignedHttp(deps, { keyId: cfg.keyId, key: cfg.key }, cfg.url, cfg.timeouts, deps.wall);
    // The options a board leaves out are not copied as undefined properties (JsVars at idle).
    const terminal: AuthTerminal = { terminalId: cfg.terminalId, merchantId: cfg.merchantId, country: cfg.country };
    if (cfg.retries !== undefined) terminal.retries = cfg.retries;
    if (cfg.statusQuery !== undefined) terminal.statusQuery = cfg.statusQuery;
    if (cfg.echoRequest !== undefined) terminal.echoRequest = cfg.echoRequest;
    this.authorizer = new Authorizer(this.signed, deps.store, deps.random, terminal, cfg.queueMax || DEFAULT_QUEUE_MAX);
    this.sender = new ReversalSender(this.signed, this.authorizer.queue, deps.clock, cfg.backoff || DEFAULT_BACKOFF);
  }

  /** At boot: recover a transaction cut by power loss, get a valid clock if needed, send the queue. */
  boot(): Promise<BootReport> {
    const recovered = this.authorizer.pending.recover(this.authorizer.queue);
    // Any path works for reading a `Date` header; this one names no real transaction. A literal
    // here, not a top-level constant: it stays in the code (flash on a board), not in RAM.
    const clock = this.deps.wall.unixMs() !== null ? Promise.resolve(true) : this.signed.syncClock("/v1/authorizations/00000000000000000000000000000000");
    return clock.then((valid) =>
      this.sender.flush().then((flush) => ({ recovered: recovered, clockValid: valid, flush: flush })),
    );
  }

  /** @throws AUTH_NO_CLOCK, AUTH_REVERSAL_QUEUE_FULL: the terminal must not read a card. */
  checkReady(): void {
    this.authorizer.checkReady(this.deps.wall.unixMs() !== null);
  }

  /**
   * Authorises, then starts sending the reversal queue (this transaction's reversal included)
   * without waiting for it: the outcome is shown at once. `sender.flush()` returns the round
   * in progress, for callers (host tools) that wait for it.
   */
  authorize(sale: Sale): Promise<AuthResult> {
    return this.authorizer.authorize(sale, this.deps.wall.unixMs()).then((result) => {
      this.sender.flush();
      return result;
    });
  }

  // The app's AuthPort (src/app/terminal-runner.ts) is these methods with checkReady and
  // authorize: authPortOf hands this object over as it is, no forwarding closures.

  /** The request in flight (tppending), or null. */
  inFlight(): Reversal | null {
    return this.authorizer.pending.read();
  }

  /** Moves the request in flight into the reversal queue with `reason`; returns it, or null. */
  reverseInFlight(reason: Reversal["reason"]): Reversal | null {
    const pending = this.authorizer.pending;
    const p = pending.read();
    if (p === null) return null;
    const r = withReason(p, reason);
    this.authorizer.queue.add(r);
    pending.clear();
    return r;
  }

  /** Adds a reversal to the queue (Storage). */
  queueReversal(r: Reversal): void {
    this.authorizer.queue.add(r);
  }

  /** Stops timers (back-off) so a host process can end. */
  stop(): void {
    this.sender.stop();
  }
}
