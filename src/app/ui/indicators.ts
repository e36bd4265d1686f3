/**
 * Four status LEDs and a buzzer showing the Book A status of a UI Request (EMV Contactless
 * Book A v2.10 §9.2 Status; the visual status indicators and audio indication of its user
 * interface chapter). Two independent timelines driven by the injected Clock: the LEDs follow
 * the newest request at once; a tone, once started, plays to its end unless the next request
 * brings a tone of its own (a success beep is not cut by the "Authorising" that follows it).
 *
 * LEDs (LED1 leftmost), per status:
 *   Not Ready         all off
 *   Idle              LED1 flashing: on `idleOnMs` (200) every `idlePeriodMs` (5000)
 *   Ready to Read     LED1 on
 *   Processing        LED1, LED2 on (card seen, being read)
 *   Card Read OK      LED1–LED3 on, then LED4 `stepMs` (125) later: all four
 *   Processing Error  all off
 * Tones:
 *   success  one beep, `successMs` (500) at `successHz` (1500), with LED4 of Card Read OK
 *   alert    two beeps of `alertMs` (200) at `alertHz` (750), `alertGapMs` (200) apart, with
 *            Processing Error, and with Not Authorised (07) whatever its status — tappos's
 *            choice: a decline comes after the card left, and the customer must notice it.
 * Sources. The first light flashing when idle, steady when ready to read, and all four lit with
 * a beep at card read are the EMV contactless four-light convention as acquirers publish it
 * (Adyen help centre, "What are the 4 circles at the top of the terminal screen?"; MagTek
 * DynaFlex II manual §6.8.4: LED1 alone lit "per EMV standards" when ready for a tap). The tone
 * figures (success: one ~1500 Hz beep of 500 ms; alert: two ~750 Hz beeps of 200 ms, 200 ms
 * apart) and the 200 ms / 5 s idle flash are Book A's audio and visual indication figures as
 * the project's issue quotes them: no copy of Book A's text was at hand to check them against,
 * so they are options a scheme's own figures can replace. The 125 ms step between LED3 and
 * LED4 is tappos's choice.
 */
import { UiMessage, UiStatus } from "../../emv/outcome";
import type { UiRequest } from "../../emv/outcome";
import type { Clock, TimerHandle } from "../../hal/types";
import type { OutputPin, ToneOutput } from "../../hal/ui-outputs";
import type { UiContext, UiSink } from "./ui-port";

export interface IndicatorOptions {
  idleOnMs?: number;
  idlePeriodMs?: number;
  stepMs?: number;
  successHz?: number;
  successMs?: number;
  alertHz?: number;
  alertMs?: number;
  alertGapMs?: number;
  /** PWM duty of a tone (0.5: a square wave, the loudest for a passive buzzer). */
  duty?: number;
}

/**
 * One timeline: a flat list of (delay ms, value) pairs, applied in order, each `delay` after
 * the previous one; from pair index `repeatAt` on it loops (−1: it ends). A loop must hold a
 * non-zero delay. Each value goes to its owner's LEDs, or to its buzzer (`tone`): no closure
 * per track, so that the owner's constructor scope is not kept alive (JsVars at idle).
 */
class Track {
  private clock: Clock;
  private owner: StatusIndicators;
  private tone: boolean;
  private steps: number[] | null = null;
  private repeatAt = -1;
  private at = 0;
  private timer: TimerHandle | null = null;

  constructor(clock: Clock, owner: StatusIndicators, tone: boolean) {
    this.clock = clock;
    this.owner = owner;
    this.tone = tone;
  }

  play(steps: number[], repeatAt: number): void {
    this.halt();
    this.steps = steps;
    this.repeatAt = repeatAt;
    this.at = 0;
    this.advance();
  }

  /** Stops the timeline (not named cancel: a name the build keeps whole). */
  halt(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.steps = null;
  }

  /** Applies one value (not named apply: a built-in name the build keeps whole). */
  private put(value: number): void {
    if (this.tone) this.owner.setTone(value);
    else this.owner.setLeds(value);
  }

  /** Applies every step due now, then waits for the next one. */
  private advance(): void {
    const steps = this.steps;
    if (!steps) return;
    for (;;) {
      if (this.at >= steps.length) {
        if (this.repeatAt < 0) {
          this.steps = null;
          return;
        }
        this.at = this.repeatAt * 2;
      }
      const delay = steps[this.at];
      if (delay > 0) break;
      this.put(steps[this.at + 1]);
      this.at += 2;
    }
    this.timer = this.clock.setTimer(steps[this.at], () => {
      // The step is due: applied, then every one due after it.
      this.timer = null;
      const s = this.steps;
      if (!s) return;
      this.put(s[this.at + 1]);
      this.at += 2;
      this.advance();
    });
  }
}

/** LED masks: bit 0 = LED1. */
const ALL_OFF = 0;
const LED1 = 1;
const LED12 = 3;
const LED123 = 7;
const LED1234 = 15;

/**
 * The status LEDs and buzzer as a UI sink. The timelines are made from the options when a
 * request is shown, not kept per instance (JsVars at idle).
 */
export class StatusIndicators implements UiSink {
  private leds: OutputPin[];
  private buzzer: ToneOutput | null;
  private o: IndicatorOptions;
  private ledTrack: Track;
  private toneTrack: Track;
  /** The mask last written; −1 before the first write (every pin is written then). */
  private lit = -1;

  /**
   * @param leds LED1…LED4 (fewer is fine: the missing ones are skipped)
   * @param buzzer null when none is fitted
   */
  constructor(clock: Clock, leds: OutputPin[], buzzer: ToneOutput | null, opts?: IndicatorOptions) {
    this.leds = leds;
    this.buzzer = buzzer;
    this.o = opts || {};
    this.ledTrack = new Track(clock, this, false);
    this.toneTrack = new Track(clock, this, true);
  }

  show(request: UiRequest, context: UiContext | null): void {
    const s = request.status;
    const o = this.o;
    const step = o.stepMs ?? 125;
    if (s === UiStatus.Idle) {
      const idleOn = o.idleOnMs ?? 200;
      this.ledTrack.play([0, LED1, idleOn, ALL_OFF, Math.max(1, (o.idlePeriodMs ?? 5000) - idleOn), LED1], 1);
    } else if (s === UiStatus.CardReadSuccessfully) this.ledTrack.play([0, LED123, step, LED1234], -1);
    else this.ledTrack.play([0, s === UiStatus.ReadyToRead ? LED1 : s === UiStatus.Processing ? LED12 : ALL_OFF], -1);
    if (s === UiStatus.CardReadSuccessfully) this.toneTrack.play([step, o.successHz ?? 1500, o.successMs ?? 500, 0], -1);
    else if (s === UiStatus.ProcessingError || request.messageId === UiMessage.NotAuthorised) {
      const alertMs = o.alertMs ?? 200;
      const alertHz = o.alertHz ?? 750;
      this.toneTrack.play([0, alertHz, alertMs, 0, o.alertGapMs ?? 200, alertHz, alertMs, 0], -1);
    }
  }

  /** Everything off, no timers left (before sleep or a reboot). */
  stop(): void {
    this.ledTrack.halt();
    this.toneTrack.halt();
    this.setLeds(ALL_OFF);
    this.setTone(0);
  }

  /** Writes the LEDs of `mask` that changed (Track's). */
  setLeds(mask: number): void {
    const leds = this.leds;
    const was = this.lit;
    for (let i = 0; i < leds.length; i++) {
      const on = ((mask >> i) & 1) === 1;
      if (was < 0 || ((was >> i) & 1) !== (on ? 1 : 0)) leds[i].write(on);
    }
    this.lit = mask;
  }

  /** Sounds `hz` (0: silent) at the options' duty (Track's). */
  setTone(hz: number): void {
    const b = this.buzzer;
    if (!b) return;
    if (hz > 0) b.tone(hz, this.o.duty ?? 0.5);
    else b.off();
  }
}
