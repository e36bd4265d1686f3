/**
 * The polling loop: InListPassiveTarget (UM0701-02 §7.3.5, 106 kbit/s type A, up to 2
 * targets) every pollIntervalMs until one ISO-DEP target is there, timed by the injected
 * Clock. It keeps polling through empty answers because phones answer late: an iPhone skips
 * the first polls and a wallet that is not in express mode answers only after the customer
 * has authenticated, seconds later.
 *
 * States: stopped · waiting (a timer is pending) · polling (InListPassiveTarget in flight).
 *   start            stopped → polling
 *   timer fires      waiting → polling
 *   no target (or PN532_TIMEOUT) / collision / not ISO-DEP    polling → waiting (interval)
 *   driver error     polling → waiting (back-off, doubling, bounded)
 *   one ISO-DEP target                      polling → stopped, "target" event
 *   stop             any → stopped; the pending timer is cleared and an answer still in
 *                    flight is dropped: no event fires after stop().
 * The poller stops itself on "target" so that nothing else talks to the PN532 during the
 * transaction; start() again afterwards.
 */
import type { Clock, TimerHandle } from "../hal/types";
import type { Pn532Api, TargetA } from "../pn532/api";
import { codedError, isCoded } from "../bytes/coded-error";
import type { CodedError } from "../bytes/coded-error";

export type PollEvent =
  /** One ISO-DEP target (SAK b6 0x20 and an ATS): the poller has stopped. */
  | { type: "target"; target: TargetA }
  /** Two targets answered: the customer must present one card only. Polling goes on. */
  | { type: "collision"; targets: TargetA[] }
  /** A target that is not ISO-DEP (SAK without 0x20, or no ATS): not a payment card. Polling goes on. */
  | { type: "unsupported"; target: TargetA }
  /** InListPassiveTarget failed; the next poll comes after `retryInMs`. */
  | { type: "error"; error: CodedError; retryInMs: number };

export interface PollerOptions {
  /** Time from one poll's start to the next, ms, 100..250; default 150. */
  pollIntervalMs?: number;
  /**
   * Deadline of one InListPassiveTarget, ms; default 100. The driver aborts the search then
   * (PN532_TIMEOUT), which counts as "no target"; a small MaxRetries ends it sooner with none.
   */
  pollTimeoutMs?: number;
  /** First back-off after a driver error, ms; default 500, doubled per error up to maxBackoffMs. */
  backoffMs?: number;
  /** Longest back-off, ms; default 4000. */
  maxBackoffMs?: number;
}

export class Poller {
  private readonly intervalMs: number;
  private readonly pollTimeoutMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  private busy = false;
  /** Bumped by start() and stop(): an answer from an older run is dropped. */
  private run = 0;
  private timer: TimerHandle | null = null;
  private backoffMs = 0;

  /** @throws NFC_BAD_OPTION when pollIntervalMs is outside 100..250. */
  constructor(
    private readonly pn532: Pn532Api,
    private readonly clock: Clock,
    private readonly listener: (event: PollEvent) => void,
    options?: PollerOptions,
  ) {
    const o = options || {};
    this.intervalMs = o.pollIntervalMs ?? 150;
    if (!(this.intervalMs >= 100 && this.intervalMs <= 250)) {
      throw codedError("NFC_BAD_OPTION", "pollIntervalMs must be 100..250", { value: this.intervalMs });
    }
    this.pollTimeoutMs = o.pollTimeoutMs ?? 100;
    this.firstBackoffMs = o.backoffMs ?? 500;
    this.maxBackoffMs = o.maxBackoffMs ?? 4000;
  }

  get polling(): boolean {
    return this.running;
  }

  /** Starts polling now (or as soon as a poll from before a stop() has come back). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.run++;
    this.backoffMs = 0;
    if (!this.busy) this.poll();
  }

  /** Stops polling: clears the pending timer; no event fires after this call. */
  stop(): void {
    this.running = false;
    this.run++;
    if (this.timer !== null) {
      this.clock.clearTimer(this.timer);
      this.timer = null;
    }
  }

  private schedule(ms: number): void {
    this.timer = this.clock.setTimer(ms, () => {
      this.timer = null;
      this.poll();
    });
  }

  /** Delay to the next poll so that polls start every intervalMs (at once when late). */
  private nextPollInMs(startedAt: number): number {
    const elapsed = this.clock.now() - startedAt;
    return elapsed < this.intervalMs ? this.intervalMs - elapsed : 0;
  }

  private poll(): void {
    const run = this.run;
    const startedAt = this.clock.now();
    this.busy = true;
    // Returns true when the answer belongs to the current run; otherwise restarts a run begun
    // while this poll was in flight, or does nothing after stop().
    const current = (): boolean => {
      this.busy = false;
      if (!this.running) return false;
      if (run === this.run) return true;
      this.poll();
      return false;
    };
    this.pn532.inListPassiveTarget(2, this.pollTimeoutMs).then(
      (targets) => {
        if (!current()) return;
        this.backoffMs = 0;
        const t = targets[0];
        if (targets.length === 1 && t.sak & 0x20 && t.ats !== null) {
          this.running = false;
          this.listener({ type: "target", target: t });
          return;
        }
        // Next poll first, then the event: a listener that calls stop() still cancels it.
        this.schedule(this.nextPollInMs(startedAt));
        if (targets.length > 1) this.listener({ type: "collision", targets: targets });
        else if (targets.length === 1) this.listener({ type: "unsupported", target: t });
      },
      (e) => {
        if (!current()) return;
        // With MaxRetries passive activation FF the PN532 searches until the driver aborts
        // it at pollTimeoutMs (driver.ts): that is "no target yet", not a failure.
        if (isCoded(e, "PN532_TIMEOUT")) {
          this.backoffMs = 0;
          this.schedule(this.nextPollInMs(startedAt));
          return;
        }
        const b = this.backoffMs ? this.backoffMs * 2 : this.firstBackoffMs;
        this.backoffMs = b > this.maxBackoffMs ? this.maxBackoffMs : b;
        this.schedule(this.backoffMs);
        const error = isCoded(e) ? e : codedError("NFC_INTERNAL", String(e), { cause: e });
        this.listener({ type: "error", error: error, retryInMs: this.backoffMs });
      },
    );
  }
}
