/**
 * One tap on the host simulator, composed as a board composes it (cf. src/sim/selftest.ts):
 * the PN532 simulator behind a simulated I2C bus, the real I2cLink, Pn532 driver, Poller and
 * IsoDepChannel, the one APDU stack (src/nfc/apdu-stack.ts: GET RESPONSE → resend-with-Le →
 * recorder → trace → ISO-DEP), Entry Point and the kernels. Time is simulated: the phone
 * arrives ARRIVE_MS after the start. After a "see phone" outcome (Start B) the customer
 * unlocks the phone while holding it in the field; it is ready UNLOCK_MS later, but like a
 * real phone (the chip's seePhoneNeedsFieldReset) it answers a poll again only after the
 * reader honoured the outcome's Field Off Request (Book A §6.2: RF off for the hold time,
 * src/nfc/field-off.ts). Then Entry Point starts again, at most MAX_RESTARTS times.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { ApduRecorder, type ApduMask } from "../../src/apdu/recorder";
import { toHex } from "../../src/bytes/hex";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Start, UiMessage, UiStatus, ui, type Outcome, type UiRequest } from "../../src/emv/outcome";
import type { EntryPointConfig } from "../../src/emv/preprocessing";
import type { Random } from "../../src/hal/types";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { fieldOffFor } from "../../src/nfc/field-off";
import { Poller } from "../../src/nfc/poller";
import type { TargetA } from "../../src/pn532/api";
import { Pn532 } from "../../src/pn532/driver";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { simCalendar } from "./determinism";
import type { TapTarget } from "./target";
import { TraceChannel, type TraceEntry } from "./trace";

/** The phone enters the field this long after the tap starts, ms. */
export const ARRIVE_MS = 400;
/** After "see phone" the customer unlocks the phone and presents it again this much later, ms. */
export const UNLOCK_MS = 1500;
/** After another Start B outcome (a transcript that goes on) the card comes back after, ms. */
export const RETURN_MS = 500;
/** How long the terminal polls for a card at each (re)start, ms. */
export const WAIT_MS = 10000;
/** Entry Point restarts allowed after the first tap. */
export const MAX_RESTARTS = 2;

export interface SessionInput {
  tapTarget: TapTarget;
  config: EntryPointConfig;
  amountMinor: number;
  /** Calendar date at simulated time 0 (UTC fields), ms. */
  startMs: number;
  /** The terminal's random source (unpredictable numbers). */
  random: Random;
  /** Transcript masking; null records in clear. */
  mask: ApduMask | null;
  /** Header comment lines for the transcript (profile, amount, date …). */
  header: string[];
  /** false: ignore Field Off Requests, as a reader without them would (default true). */
  fieldOff?: boolean;
}

export interface UiEvent {
  tap: number;
  atMs: number;
  /** start: the reader is ready; outcome: UI Request on Outcome; restart: UI Request on Restart. */
  when: "start" | "outcome" | "restart";
  request: UiRequest;
}

export interface TapAttempt {
  tap: number;
  /** The reader started polling, ms. */
  pollingAtMs: number;
  /** InListPassiveTarget reported the card, ms. */
  detectedAtMs: number;
  /** Entry Point gave its outcome, ms. */
  endedAtMs: number;
  target: TargetA;
  outcome: Outcome;
}

export interface SessionResult {
  /** "PN532 v1.6". */
  firmware: string;
  attempts: TapAttempt[];
  /** The last outcome; null when no card came. */
  outcome: Outcome | null;
  ui: UiEvent[];
  trace: TraceEntry[];
  /** The .apdu transcript (masked unless the mask was null). */
  transcript: string;
  /** Simulated ms from the start to the last outcome (or to giving up). */
  totalMs: number;
  /** Polling events worth telling (non-ISO-DEP target, collision, driver errors). */
  notes: string[];
  /** Timers the simulated clock still holds at the end (0: nothing leaked). */
  pendingTimers: number;
  /** Field Off Requests carried out before a restart: after which tap, from when, for how long (ms). */
  fieldOffs: { tap: number; atMs: number; holdMs: number }[];
}

/** Polls (as the Poller does) until one ISO-DEP target answers or `waitMs` passed; null then. */
function waitForTarget(pn532: Pn532, clock: SimClock, waitMs: number, notes: string[]): Promise<TargetA | null> {
  return new Promise((resolve) => {
    const note = (s: string): void => {
      if (notes.indexOf(s) < 0) notes.push(s);
    };
    const poller = new Poller(pn532, clock, (ev) => {
      if (ev.type === "target") {
        clock.clearTimer(deadline);
        resolve(ev.target);
      } else if (ev.type === "collision") note("two cards in the field: present one card only");
      else if (ev.type === "unsupported") note("a target without ISO-DEP (SAK " + toHex([ev.target.sak]) + ") was ignored");
      else note("polling error " + ev.error.code);
    });
    const deadline = clock.setTimer(waitMs, () => {
      poller.stop();
      resolve(null);
    });
    poller.start();
  });
}

function headerOf(t: TargetA): string[] {
  return ["atqa " + toHex(t.atqa), "sak " + toHex([t.sak]), "uid " + toHex(t.uid), "ats " + (t.ats ? toHex(t.ats) : "none")];
}

/** Runs the tap; resolves when the last outcome is in and the field is off. */
export function runSession(input: SessionInput): Promise<SessionResult> {
  const clock = new SimClock((fn) => setImmediate(fn));
  const card = input.tapTarget;
  const target = card.target;
  const chip = new Pn532Chip(clock, { targets: [target], seePhoneNeedsFieldReset: true });
  const pn532 = new Pn532(new I2cLink(new SimI2c(chip, clock), clock), clock);
  const calendar = simCalendar(input.startMs, clock);
  const trace: TraceEntry[] = [];
  const attempts: TapAttempt[] = [];
  const uiEvents: UiEvent[] = [];
  const notes: string[] = [];
  let tapNo = 0;
  let firmware = "";
  let last: Outcome | null = null;
  let endMs = 0;
  const fieldOffs: SessionResult["fieldOffs"] = [];

  // One transcript and one trace for the whole tap; the stack is built at each activation.
  const recorder = new ApduRecorder(input.mask);
  const traced = (isoDep: ApduChannel): ApduChannel => new TraceChannel(isoDep, clock, trace, () => tapNo);

  const show = (when: UiEvent["when"], request: UiRequest | null): void => {
    if (request) uiEvents.push({ tap: tapNo, atMs: clock.now(), when: when, request: request });
  };

  /** Start B again? Profiles come back after "see phone"; a transcript while it has exchanges left. */
  const comesBack = (o: Outcome): boolean => {
    if (o.start !== Start.B || attempts.length > MAX_RESTARTS) return false;
    return card.replay ? card.replay.report().leftovers > 0 : o.reason === "EMV_SEE_PHONE";
  };

  const attempt = (): Promise<void> => {
    tapNo++;
    const pollingAt = clock.now();
    return waitForTarget(pn532, clock, WAIT_MS, notes).then((t) => {
      if (!t) {
        endMs = clock.now();
        return undefined;
      }
      const detectedAt = clock.now();
      if (tapNo === 1) {
        for (const line of input.header.concat(headerOf(t))) recorder.comment(line);
      } else {
        const off = fieldOffs.length && fieldOffs[fieldOffs.length - 1].tap === tapNo - 1 ? fieldOffs[fieldOffs.length - 1] : null;
        recorder.comment("tap " + tapNo + ": card presented again" + (off ? " after the field was off " + off.holdMs + " ms" : "") + ", " + headerOf(t).join(", "));
      }
      const channel = buildApduStack(pn532, t, { recorder: recorder, wire: traced });
      return runEntryPoint(channel, input.config, { amountMinor: input.amountMinor }, calendar, input.random).then((o) => {
        last = o;
        endMs = clock.now();
        attempts.push({ tap: tapNo, pollingAtMs: pollingAt, detectedAtMs: detectedAt, endedAtMs: endMs, target: t, outcome: o });
        show("outcome", o.uiOnOutcome);
        if (!comesBack(o)) return undefined;
        show("restart", o.uiOnRestart);
        // The customer acts on the phone (or takes the card away) and presents it again.
        target.leaveAtMs = undefined;
        target.arriveAtMs = clock.now() + (o.reason === "EMV_SEE_PHONE" ? UNLOCK_MS : RETURN_MS);
        if (o.fieldOffMs === null || input.fieldOff === false) return attempt();
        fieldOffs.push({ tap: tapNo, atMs: clock.now(), holdMs: o.fieldOffMs });
        return fieldOffFor(pn532, clock, o.fieldOffMs).then(attempt);
      });
    });
  };

  return pn532
    .getFirmwareVersion()
    .then((v) => {
      firmware = "PN5" + v.ic.toString(16) + " v" + v.ver + "." + v.rev;
      return pn532.samConfiguration(1, 0, false);
    })
    .then(() => {
      // Book A §7.1: the reader is ready, "Present card" until a card is seen.
      uiEvents.push({ tap: 1, atMs: clock.now(), when: "start", request: ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0) });
      return attempt();
    })
    .then(() => pn532.setRfField(false))
    .then(() => ({
      firmware: firmware,
      attempts: attempts,
      outcome: last,
      ui: uiEvents,
      trace: trace,
      transcript: recorder.text(),
      totalMs: endMs,
      notes: notes,
      pendingTimers: clock.pending(),
      fieldOffs: fieldOffs,
    }));
}
