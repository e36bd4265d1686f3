/**
 * One bench tap, the same code when recording (Node, simulated PN532, host/bench/record-bus.ts)
 * and when replaying (the `bench` board): InListPassiveTarget, the APDU decorator stack over
 * the ISO-DEP channel, entry point and kernel, then InRelease as the terminal sends it; a See
 * Phone outcome (Book A Start B) switches the RF field off for its Field Off Request
 * (src/nfc/field-off.ts) and polls again, as the holder taps again after unlocking the phone. Any change here
 * changes what is recorded at build time, so replay and code never drift apart.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Start, type Outcome } from "../../src/emv/outcome";
import type { EntryPointConfig } from "../../src/emv/preprocessing";
import type { Calendar, Clock, Random } from "../../src/hal/types";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { fieldOffFor } from "../../src/nfc/field-off";
import { releaseAfter } from "../../src/nfc/release";
import type { Pn532Api, TargetA } from "../../src/pn532/api";

/** InListPassiveTarget wait, ms. */
export const LIST_TIMEOUT_MS = 1000;
/** See Phone restarts per tap (Book A Start B). */
export const MAX_RESTARTS = 2;
/** Amount of every bench tap, minor units. */
export const BENCH_AMOUNT_MINOR = 1250;

/** The date every bench tap runs on (9A): fixed, so recorded commands repeat exactly. */
export const BENCH_CALENDAR: Calendar = {
  today: function () {
    return { year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 };
  },
};

/**
 * A fresh deterministic unpredictable-number source: each tap sends the recorded commands
 * again. Call k (from 1) answers `count` bytes of value k & 0xff: one native fill, no loop
 * per byte in JS (the bench counts the tap, not its own test data).
 */
export function benchRandom(): Random {
  let n = 1;
  return {
    bytes: function (count: number) {
      return new Uint8Array(count).fill(n++);
    },
  };
}

export interface BenchTapOptions {
  config: EntryPointConfig;
  /** The driver's clock: the Field Off Request's hold time runs on it. */
  clock: Clock;
  /** Wraps the channel the entry point talks to (the recorder logs APDUs there); null = none. */
  wrap: ((c: ApduChannel) => ApduChannel) | null;
}

/**
 * The one-time set-up before taps: SAMConfiguration normal mode, P70_IRQ driven by the PN532
 * when the link waits for it, else not (UM0701-02 §7.2.10).
 */
export function benchInit(pn: Pn532Api, useIrq: boolean): Promise<void> {
  return pn.samConfiguration(1, 0, useIrq);
}

/** As the terminal: InRelease after a read, except before a Field Off Request (src/app/terminal.ts). */
function needsRelease(o: Outcome): boolean {
  return !(o.start === Start.B && o.fieldOffMs !== null);
}

/** What a bench tap resolves with. */
export interface BenchTapResult {
  outcome: Outcome;
  /** See Phone restarts it took. */
  restarts: number;
}

/**
 * One tap; resolves with the final outcome and how many See Phone restarts it took. The
 * steps are functions made once per tap, side by side, not nested: the interpreter lexes a
 * nested function's body again each time the function around it runs.
 */
export function benchTap(pn: Pn532Api, opts: BenchTapOptions): Promise<BenchTapResult> {
  const random = benchRandom();
  let restarts = 0;
  function attempt(): Promise<BenchTapResult> {
    return pn.inListPassiveTarget(1, LIST_TIMEOUT_MS).then(listed);
  }
  function listed(list: TargetA[]): Promise<BenchTapResult> {
    if (list.length !== 1) throw new Error("no card in the field");
    const stack = buildApduStack(pn, list[0]);
    const channel = opts.wrap ? opts.wrap(stack) : stack;
    // InRelease once the read is over, as the terminal does (src/nfc/release.ts).
    return releaseAfter(pn, list[0], runEntryPoint(channel, opts.config, { amountMinor: BENCH_AMOUNT_MINOR }, BENCH_CALENDAR, random), needsRelease).then(settled);
  }
  function settled(outcome: Outcome): BenchTapResult | Promise<BenchTapResult> {
    if (outcome.start !== Start.B || restarts >= MAX_RESTARTS) return { outcome: outcome, restarts: restarts };
    restarts++;
    if (outcome.fieldOffMs === null) return attempt();
    return fieldOffFor(pn, opts.clock, outcome.fieldOffMs).then(attempt);
  }
  return attempt();
}
