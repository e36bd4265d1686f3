/**
 * The terminal's one user-interface port: an EMV Contactless Book A v2.10 §9.2 User Interface
 * Request (message id, status, hold time; src/emv/outcome.ts) with the transaction's context
 * (amount, masked PAN), fanned out to every output fitted — the screen when a display is
 * there, the status LEDs and the buzzer (indicators.ts).
 *
 * Hold time (Book A §9.2): a request stays shown at least its `holdMs`; a request arriving
 * sooner waits until then (only the newest waiting one is kept, so the customer never watches
 * a backlog replay). Timers come from the injected Clock.
 */
import type { UiRequest } from "../../emv/outcome";
import type { Clock, TimerHandle } from "../../hal/types";

/** What a request is about, besides Book A's fields. All optional. */
export interface UiContext {
  /** Amount in minor units (Book A §9.2 "Value" with qualifier Amount). */
  amountMinor?: number;
  /** ISO 4217 minor digits of the currency (2 for EUR). */
  currencyExponent?: number;
  /** Shown before the amount ("EUR"). */
  currencyLabel?: string;
  /** A PAN already masked (src/bytes/mask.ts): only its last 4 characters are shown. */
  maskedPan?: string;
}

/** One output of the UI: a screen, LEDs, a buzzer. */
export interface UiSink {
  show(request: UiRequest, context: UiContext | null): void;
}

/** The port the terminal talks to. */
export interface UiPort {
  /** Shows `request`; null (an Outcome without a UI Request on Outcome) shows nothing. */
  show(request: UiRequest | null, context?: UiContext | null): void;
}

/** The display where none is fitted (or Espruino's Graphics is absent): shows nothing. */
export class NullDisplay implements UiSink {
  show(request: UiRequest, context: UiContext | null): void {}
}

export interface UiFanoutOptions {
  /**
   * Called with an output's error (an SSD1306_NACK from a display that went away…); the other
   * outputs still show the request. Without it errors are dropped: a UI fault must not end a
   * payment.
   */
  onError?: (error: unknown) => void;
}

/** Fans one request out to each sink in order, honouring hold times. */
export class UiFanout implements UiPort {
  private clock: Clock;
  private sinks: UiSink[];
  private onError: ((error: unknown) => void) | null;
  /** Clock time before which the shown request must stay. */
  private holdUntil = 0;
  private timer: TimerHandle | null = null;
  private waiting: UiRequest | null = null;
  private waitingContext: UiContext | null = null;

  /** Sinks in the order they are served: put LEDs and buzzer before a display (its I2C frame takes ~25 ms). */
  constructor(clock: Clock, sinks: UiSink[], opts?: UiFanoutOptions) {
    this.clock = clock;
    this.sinks = sinks;
    this.onError = opts && opts.onError ? opts.onError : null;
  }

  show(request: UiRequest | null, context?: UiContext | null): void {
    if (!request) return;
    const ctx = context ?? null;
    const now = this.clock.now();
    if (now < this.holdUntil) {
      this.waiting = request;
      this.waitingContext = ctx;
      if (this.timer === null) {
        // The newest waiting request, once the hold time is over.
        this.timer = this.clock.setTimer(this.holdUntil - now, () => {
          this.timer = null;
          const r = this.waiting;
          const c = this.waitingContext;
          this.waiting = null;
          this.waitingContext = null;
          if (r) this.present(r, c, this.clock.now());
        });
      }
      return;
    }
    this.present(request, ctx, now);
  }

  /** The request waiting for a hold time to end, if any. */
  pending(): UiRequest | null {
    return this.waiting;
  }

  private present(request: UiRequest, context: UiContext | null, now: number): void {
    this.holdUntil = now + (request.holdMs > 0 ? request.holdMs : 0);
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) {
      try {
        sinks[i].show(request, context);
      } catch (e) {
        if (this.onError) this.onError(e);
      }
    }
  }
}
