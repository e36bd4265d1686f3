/**
 * Delivers the reversal queue (docs/architecture.md "Reversal"): at boot, after each transaction and on
 * a back-off timer (the injected Clock), one entry at a time, each with its own client
 * transaction id, until the acquirer acknowledges it (HTTP 200 naming that id: `reversed`
 * true, or false when there was nothing to reverse). Anything else keeps the entry; the
 * acquirer treats a repeated reversal of one id as one.
 */
import type { Clock } from "../hal/types";
import type { Reversal, ReversalQueue } from "./reversal-queue";
import type { SignedHttp } from "./signed-http";

export interface BackoffConfig {
  /** First retry after a failed delivery, ms. */
  firstMs: number;
  /** Longest wait between retries, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffConfig = { firstMs: 5000, maxMs: 300000 };

export interface FlushReport {
  /** Ids the acquirer acknowledged in this round. */
  acknowledged: string[];
  /** Entries still queued. */
  left: number;
  /** Code of the failure that stopped the round, or null. */
  error: string | null;
}

export class ReversalSender {
  private running: Promise<FlushReport> | null = null;
  private timer: number | null = null;
  private waitMs: number;
  /** Called after every round (logs, till events). */
  onReport: ((r: FlushReport) => void) | null = null;

  constructor(
    private http: SignedHttp,
    private queue: ReversalQueue,
    private clock: Clock,
    private backoff: BackoffConfig,
  ) {
    this.waitMs = backoff.firstMs;
  }

  /** Sends the queue now (boot, after a transaction); one round at a time. */
  flush(): Promise<FlushReport> {
    if (this.running) return this.running;
    if (this.timer !== null) {
      this.clock.clearTimer(this.timer);
      this.timer = null;
    }
    const entries = this.queue.list();
    const report: FlushReport = { acknowledged: [], left: 0, error: null };
    const step = (i: number): Promise<FlushReport> => {
      if (i >= entries.length) return Promise.resolve(report);
      return this.sendOne(entries[i]).then((err) => {
        if (err === null) {
          report.acknowledged.push(entries[i].clientTransactionId);
          return step(i + 1);
        }
        report.error = err;
        // An answer that refuses this entry ("HTTP_409") must not hold back the others;
        // no answer at all (HTTP_TIMEOUT, HTTP_CONNECT…) ends the round.
        const c = err.charCodeAt(5);
        return c >= 48 && c <= 57 ? step(i + 1) : report;
      });
    };
    this.running = step(0).then((r) => {
      this.running = null;
      r.left = this.queue.size();
      this.schedule(r);
      if (this.onReport) this.onReport(r);
      return r;
    });
    return this.running;
  }

  /** Whether a round is being sent (src/app/lazy-auth.ts does not let the sender go then). */
  busy(): boolean {
    return this.running !== null;
  }

  /**
   * A sender made again (src/app/lazy-auth.ts, after a card read) takes up a queue an earlier
   * one left: a round after the first back-off wait, unless one is running or planned.
   */
  resume(): void {
    if (this.running !== null || this.timer !== null) return;
    const left = this.queue.size();
    if (left > 0) this.schedule({ acknowledged: [], left: left, error: null });
  }

  /** Stops the back-off timer (tests, shutdown). */
  stop(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private schedule(r: FlushReport): void {
    if (r.left === 0) {
      this.waitMs = this.backoff.firstMs;
      return;
    }
    const wait = r.error === null ? this.backoff.firstMs : this.waitMs;
    this.waitMs = Math.min(this.waitMs * 2, this.backoff.maxMs);
    this.timer = this.clock.setTimer(wait, () => {
      this.timer = null;
      this.flush();
    });
  }

  /** Resolves null when acknowledged (and removed), else the reason it stays. */
  private sendOne(r: Reversal): Promise<string | null> {
    return this.http.send("POST", "/v1/reversals", JSON.stringify(r)).then(
      (a) => {
        let ok = false;
        if (a.status === 200) {
          try {
            const v = JSON.parse(a.body) as { clientTransactionId?: string; reversed?: boolean };
            ok = !!v && v.clientTransactionId === r.clientTransactionId && typeof v.reversed === "boolean";
          } catch (e) {
            ok = false;
          }
        }
        if (!ok) return "HTTP_" + a.status;
        this.queue.remove(r.clientTransactionId);
        return null;
      },
      (e: { code?: string }) => (e && typeof e.code === "string" ? e.code : "HTTP_ERROR"),
    );
  }
}
