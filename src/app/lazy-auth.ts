/**
 * The terminal's online side (src/auth TerminalAuth: signed HTTP, authorizer, reversal queue
 * and sender) as a board part that is let go while a card is read, and loaded again for the
 * authorization (issue 9: on the Espruino WiFi its code and objects hold ~400 JsVars at the
 * peak of a sale, which the card reader part needs then; docs/architecture.md "Parts").
 *
 * It is loaded when asked (the boot, a sale's checkReady, the authorization, the till) and let
 * go again once its work is over and no reversal waits (`settle`), or as a card part loads
 * (`release`). Only what lives in RAM goes with it, nothing the terminal must keep: the
 * request in flight, the reversal queue and the STAN are in Storage (src/auth). It is not let
 * go while it works (an authorization, the boot, a round of reversals): the card read then
 * runs beside it. The back-off timer of the reversal sender stops with it; `restore` takes up
 * the queue again (ReversalSender.resume) once the card part is gone.
 */
import type { AuthResult, Sale } from "../auth/authorizer";
import type { Reversal } from "../auth/reversal-queue";
import type { FlushReport } from "../auth/reversal-sender";
import type { BootReport, TerminalAuth } from "../auth/terminal-auth";
import type { ReversalPort } from "./persistence";
import type { AuthPort } from "./terminal-runner";

export class LazyAuth implements AuthPort {
  private t: TerminalAuth | null;
  /** Authorizations and boots in flight. */
  private working: number;
  private report: ((r: FlushReport) => void) | null;
  /** Reversals were queued when it was let go: `restore` loads it to send them. */
  private queued: boolean;

  /**
   * @param load makes the online side (the board part `tpp.auth`)
   * @param unload lets the part's code go (src/hal/espruino/parts.ts unloadPart)
   */
  constructor(
    private readonly load: () => TerminalAuth,
    private readonly unload: () => void,
  ) {
    this.t = null;
    this.working = 0;
    this.report = null;
    this.queued = false;
  }

  /** The online side, loaded when it is not. */
  get(): TerminalAuth {
    let t = this.t;
    if (t === null) {
      t = this.t = this.load();
      t.sender.onReport = this.reported.bind(this);
    }
    return t;
  }

  /** Whether it is loaded (tests, the bench). */
  loaded(): boolean {
    return this.t !== null;
  }

  /** Where each round of reversals is reported (the till), from every instance loaded. */
  onReport(f: ((r: FlushReport) => void) | null): void {
    this.report = f;
  }

  /** A round of reversals ended (each instance's ReversalSender.onReport): the till told, then `settle`. */
  private reported(r: FlushReport): void {
    const f = this.report;
    if (f !== null) f(r);
    this.settle();
  }

  /** TerminalAuth.boot: power-cut recovery, the clock, the reversal queue sent. Rejects when the part cannot be loaded. */
  boot(): Promise<BootReport> {
    let t: TerminalAuth;
    try {
      t = this.get();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.track(t.boot());
  }

  /** TerminalAuth.checkReady, then let go when idle (the card part loads next). */
  checkReady(): void {
    try {
      this.get().checkReady();
    } catch (e) {
      this.settle();
      throw e;
    }
    this.settle();
  }

  /** TerminalAuth.authorize; rejects, nothing sent, when the part cannot be loaded (BOARD_PART_MISSING). */
  authorize(sale: Sale): Promise<AuthResult> {
    let t: TerminalAuth;
    try {
      t = this.get();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.track(t.authorize(sale));
  }

  inFlight(): Reversal | null {
    return this.get().inFlight();
  }

  reverseInFlight(reason: Reversal["reason"]): Reversal | null {
    return this.get().reverseInFlight(reason);
  }

  queueReversal(r: Reversal): void {
    this.get().queueReversal(r);
  }

  /** The runner's ReversalPort (persistence.ts), through whichever instance is loaded when asked. */
  reversals(): ReversalPort {
    return { pending: { read: pendingRead.bind(null, this), recover: pendingRecover.bind(null, this) }, queue: { add: this.queueReversal.bind(this) } };
  }

  /**
   * Lets the online side go, unless it works: an authorization or the boot in flight, a round
   * of reversals being sent. Its back-off timer stops (`restore` starts the queue again).
   */
  release(): void {
    const t = this.t;
    if (t !== null && this.working === 0 && !t.sender.busy()) this.drop(t, t.authorizer.queue.size() > 0);
  }

  /** Lets the online side go when it is idle: no work in flight, no reversal queued (its timer runs). */
  settle(): void {
    const t = this.t;
    if (t !== null && this.working === 0 && !t.sender.busy() && t.authorizer.queue.size() === 0) this.drop(t, false);
  }

  /** `t` let go: its timer stopped, its part unloaded; `queued`: reversals wait for `restore`. */
  private drop(t: TerminalAuth, queued: boolean): void {
    this.queued = queued;
    t.stop();
    this.t = null;
    this.unload();
  }

  /** After a card read: reversals queued when it was let go are sent again, after the first back-off wait. */
  restore(): void {
    if (!this.queued) return;
    this.queued = false;
    this.get().sender.resume();
  }

  /** Counts `p` as work in flight until it settles. */
  private track<T>(p: Promise<T>): Promise<T> {
    this.working++;
    return p.then(settled.bind(null, this), failed.bind(null, this)) as Promise<T>;
  }

  /** @internal one piece of work settled: `settle` */
  done(): void {
    this.working--;
    this.settle();
  }
}

function settled<T>(a: LazyAuth, v: T): T {
  a.done();
  return v;
}

function failed(a: LazyAuth, e: unknown): never {
  a.done();
  throw e;
}

function pendingRead(a: LazyAuth): Reversal | null {
  return a.get().authorizer.pending.read();
}

/** The request in flight moved into the queue: the loaded instance's own (the port's `queue` is that one). */
function pendingRecover(a: LazyAuth): Reversal | null {
  const z = a.get().authorizer;
  return z.pending.recover(z.queue);
}
