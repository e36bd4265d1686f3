/**
 * Full taps for the selftest: a transcript phone per kernel (C-3 Visa, C-2 Mastercard, C-7
 * UnionPay) in the simulated PN532's field, through the real I2C link, driver, ISO-DEP
 * channel, APDU decorators, entry point and kernel. Each step prints the outcome with the
 * masked token. After a See Phone outcome (Start B) the phone stays in the field and, as real
 * phones do (the chip's seePhoneNeedsFieldReset), answers again only after the reader has
 * honoured the outcome's Field Off Request (Book A §6.2; nfc/field-off.ts): the step checks
 * the chip saw the field off for at least the hold time.
 */
import { maskPan } from "../bytes/mask";
import { runEntryPoint } from "../emv/entry-point";
import { Outcome, OutcomeType, Start } from "../emv/outcome";
import { EntryPointConfig } from "../emv/preprocessing";
import { Calendar, Random } from "../hal/types";
import { buildApduStack } from "../nfc/apdu-stack";
import { fieldOffFor } from "../nfc/field-off";
import { Pn532 } from "../pn532/driver";
import { I2cLink } from "../pn532/link-i2c";
import { Pn532Chip } from "./pn532-chip";
import { SelftestEnv, SelftestStep } from "./selftest";
import { SimClock } from "./sim-clock";
import { SimI2c } from "./sim-i2c";
import { createTranscriptCard } from "./transcript-card";

export interface TranscriptTap {
  name: string;
  /** The `.apdu` transcript text. */
  text: string;
}

/** A deterministic unpredictable-number source: the transcripts match GPO/GENERATE AC on the header. */
function countingRandom(): Random {
  let n = 1;
  return {
    bytes: function (count: number) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = (n++ * 73) & 0xff;
      return out;
    },
  };
}

/** At most this many See Phone restarts per tap (Book A Start B). */
const MAX_RESTARTS = 2;

/** One tap of a transcript phone; resolves with the outcome line, rejects unless Online Request. */
function tapOnce(env: SelftestEnv, tap: TranscriptTap, config: EntryPointConfig, amountMinor: number, calendar: Calendar): Promise<string> {
  const clock = new SimClock(env.defer);
  const card = createTranscriptCard(tap.text, { arriveAtMs: 50 });
  const chip = new Pn532Chip(clock, { targets: [card.target], seePhoneNeedsFieldReset: true });
  const pn532 = new Pn532(new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }), clock);
  const random = countingRandom();
  let restarts = 0;
  /** The Field Off Requests honoured, ms. */
  const holds: number[] = [];
  function attempt(): Promise<Outcome> {
    return pn532.inListPassiveTarget(1, 2000).then(function (list) {
      if (list.length !== 1) throw new Error("no phone in the field");
      return runEntryPoint(buildApduStack(pn532, list[0]), config, { amountMinor: amountMinor }, calendar, random).then(function (outcome: Outcome) {
        if (outcome.start !== Start.B || restarts >= MAX_RESTARTS) return outcome;
        restarts++;
        if (outcome.fieldOffMs === null) return pn532.inRelease(0).then(attempt);
        holds.push(outcome.fieldOffMs);
        return fieldOffFor(pn532, clock, outcome.fieldOffMs).then(attempt);
      });
    });
  }
  return pn532.samConfiguration(1, 0, false).then(attempt).then(function (outcome: Outcome) {
    const r = outcome.record;
    const line =
      outcome.type + " " + outcome.reason + " kernel " + outcome.kernel + " " + (r ? maskPan(r.pan) + " ARQC " + r.icc["9F26"] + " ATC " + r.icc["9F36"] : "-") +
      (restarts ? " after " + restarts + " See Phone" : "") + (holds.length ? " (field off " + holds.join(", ") + " ms)" : "") + ", " + clock.now().toFixed(0) + " ms";
    const report = card.report();
    if (!report.ok) throw report.failures[0];
    // Each Field Off Request reached the chip: the field was off at least its hold time.
    const offs = chip.fieldOffs;
    const short = holds.filter(function (h, i) {
      return !offs[i] || offs[i].ms < h;
    });
    if (offs.length !== holds.length || short.length) throw new Error("field off " + JSON.stringify(offs) + " for requests " + holds.join());
    if (outcome.type !== OutcomeType.OnlineRequest) throw new Error(line);
    return line;
  });
}

export function tapSteps(env: SelftestEnv, taps: TranscriptTap[], config: EntryPointConfig, amountMinor: number, calendar: Calendar): SelftestStep[] {
  return taps.map(function (tap) {
    return {
      name: "tap " + tap.name,
      run: function () {
        return tapOnce(env, tap, config, amountMinor, calendar);
      },
    };
  });
}
