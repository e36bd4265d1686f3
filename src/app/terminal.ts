/**
 * The terminal, composed once: every board (board/esp32, board/espruino-wifi, the selftest)
 * and `npm start` build their hardware or simulated parts and hand them to `createTerminal`.
 * It owns the tap loop, the runner's card-reader port (terminal-runner.ts `ReaderPort`):
 *
 *   boot      GetFirmwareVersion, SAMConfiguration normal mode (no IRQ use by the chip's
 *             own timeout), MaxRetries: passive activation FF (the PN532 searches until the
 *             driver aborts the poll), then `runner.boot` (what a power cut left).
 *   polling   src/nfc/poller.ts, tuned for phones: each InListPassiveTarget searches up to
 *             `pollTimeoutMs` (300 ms) before the driver aborts it, the next one starts at
 *             once. Phones answer late (an iPhone skips the first activations, a wallet
 *             behind biometrics comes seconds later, a phone that just left the field and
 *             comes back answers only after its own ~300 ms): a short poll window misses
 *             them. Two targets: `collision` (polling goes on). A non-ISO-DEP target is ignored.
 *   reading   the APDU stack from `buildApduStack` over the target just found, then
 *             `runEntryPoint`; its Outcome goes to the runner, which decides (machine):
 *             See Phone (Start B with a Field Off Request) → `fieldOff(ms)` (nfc/field-off.ts)
 *             → polling again, with the amount kept; Online Request → the authorizer.
 *
 * Nothing here touches Espruino globals: the parts come as arguments.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { runEntryPoint } from "../emv/entry-point";
import { errorOutcome } from "../emv/kernel";
import { Start, type Outcome } from "../emv/outcome";
import type { EntryPointConfig } from "../emv/preprocessing";
import type { Calendar, Clock, KeyValueStore, Random, WallClock } from "../hal/types";
import { buildApduStack } from "../nfc/apdu-stack";
import { releaseAfter } from "../nfc/release";
import { fieldOffFor } from "../nfc/field-off";
import { Poller, type PollEvent } from "../nfc/poller";
import type { TargetA } from "../pn532/api";
import { Pn532, type Pn532Options } from "../pn532/driver";
import type { Pn532Link } from "../pn532/link";
import { consoleTill, type ConsoleTill } from "./console-till";
import type { ReversalPort, ResumePlan } from "./persistence";
import type { MachineConfig } from "./terminal-machine";
import { TerminalRunner, type AuthPort, type BeepPort, type ReaderEvent, type ReaderPort, type StatusEvent, type UiPort } from "./terminal-runner";

/** Polling figures (src/nfc/poller.ts). */
export interface ReaderTuning {
  /** From one poll's start to the next, 100..250 ms. */
  pollIntervalMs: number;
  /** How long one InListPassiveTarget searches before the driver aborts it, ms. */
  pollTimeoutMs: number;
}

/** What the terminal runs with (config-store.ts builds it from the Storage config). */
export interface TerminalSettings {
  entryPoint: EntryPointConfig;
  machine: MachineConfig;
  /** ISO 4217 minor digits of `machine.currency`. */
  currencyExponent: number;
  /** For the power-cut resume's reversal (persistence.ts). */
  terminalId: string;
  /** Default: the phone tuning (above), 150 ms interval, 300 ms poll window. */
  reader?: ReaderTuning;
  pn532?: Pn532Options;
}

export interface TerminalParts {
  link: Pn532Link;
  clock: Clock;
  calendar: Calendar;
  wall: WallClock | null;
  random: Random;
  store: KeyValueStore;
  ui: UiPort;
  /** null when the UI's indicators already sound the tones (docs/terminal-states.md). */
  beeper: BeepPort | null;
  /** TerminalAuth through authPortOf, or noAcquirer(). */
  auth: AuthPort;
  /** TerminalAuth's authorizer (pending record, reversal queue); null with noAcquirer(). */
  reversals: ReversalPort | null;
  settings: TerminalSettings;
  /** The till's lines (Espruino print, console.log); null: silent. */
  print: ((line: string) => void) | null;
}

export interface BootReport {
  /** "PN532 v1.6", or null when the reader did not answer. */
  firmware: string | null;
  /** The reader's init failure (TERMINAL_READER_INIT, its cause in `cause`), or null. */
  readerError: Error | null;
  resume: ResumePlan;
}

export interface Terminal extends ConsoleTill {
  runner: TerminalRunner;
  pn532: Pn532;
  reader: ReaderPort & { lastError: string | null };
  /** Inits the PN532, settles what a power cut left; resolves (never rejects) with the report. */
  boot(): Promise<BootReport>;
  /** Every status event of the runner (state, refused, result, fault). */
  onStatus(cb: (e: StatusEvent) => void): void;
  /** True once the PN532 answered its init. */
  readerReady(): boolean;
}

/**
 * The card-reader port over the driver: one poller, one target at a time. A polling error (a
 * driver fault) is only kept in `lastError`: the poller backs off by itself.
 */
export function pn532Reader(pn532: Pn532, clock: Clock, calendar: Calendar, random: Random, config: EntryPointConfig, tuning: ReaderTuning): ReaderPort & { lastError: string | null } {
  let listener: ((e: ReaderEvent) => void) | null = null;
  let target: TargetA | null = null;
  const poller = new Poller(
    pn532,
    clock,
    function (e: PollEvent) {
      const l = listener;
      if (e.type === "target") {
        target = e.target;
        listener = null;
        if (l) l({ type: "card" });
      } else if (e.type === "collision") {
        if (l) l({ type: "collision", targets: e.targets.length });
      } else if (e.type === "error") port.lastError = e.error.code;
    },
    tuning,
  );
  const port = {
    lastError: null as string | null,
    startPolling: function (l: (e: ReaderEvent) => void) {
      listener = l;
      target = null;
      poller.start();
    },
    stopPolling: function () {
      listener = null;
      poller.stop();
    },
    readCard: function (amountMinor: number): Promise<Outcome> {
      const t = target;
      target = null;
      if (t === null) return Promise.resolve(errorOutcome(codedError("TERMINAL_NO_TARGET", "no card detected"), 0));
      // InRelease once the read is over (PN532 UM0701-02 §7.3.11), unless a Field Off Request
      // follows (the field reset releases the target).
      return releaseAfter(pn532, t, runEntryPoint(buildApduStack(pn532, t), config, { amountMinor: amountMinor }, calendar, random), (o: Outcome) => !(o.start === Start.B && o.fieldOffMs !== null));
    },
    fieldOff: (ms: number) => fieldOffFor(pn532, clock, ms),
  };
  return port;
}

/** Every status event to each listener (onStatus). */
function fanOut(listeners: ((e: StatusEvent) => void)[]): (e: StatusEvent) => void {
  return function (e: StatusEvent) {
    for (let i = 0; i < listeners.length; i++) listeners[i](e);
  };
}

/**
 * The terminal's own functions over its composed parts. Made here, not in createTerminal: an
 * Espruino closure keeps its whole scope alive, and createTerminal's holds the parts and the
 * settings (JsVars at idle).
 */
function terminalOver(pn532: Pn532, reader: ReaderPort & { lastError: string | null }, runner: TerminalRunner, listeners: ((e: StatusEvent) => void)[], reversals: ReversalPort | null, terminalId: string): Omit<Terminal, keyof ConsoleTill> {
  let ready = false;
  let initializing: Promise<string> | null = null;

  function initReader(): Promise<string> {
    if (initializing === null) {
      let fw = "";
      initializing = pn532
        .getFirmwareVersion()
        .then(function (v) {
          fw = "PN5" + v.ic.toString(16) + " v" + v.ver + "." + v.rev;
          // IRQ 1 (UM0701-02 §7.2.10, the chip's default): the PN532 keeps driving P70_IRQ, which
          // a link on the IRQ line waits for (IRQ 0 would leave it high); unwired, it is unused.
          return pn532.samConfiguration(1, 0, true);
        })
        .then(() => pn532.setMaxRetries({ atr: 0xff, psl: 1, passiveActivation: 0xff }))
        .then(
          function () {
            ready = true;
            initializing = null;
            return fw;
          },
          function (e: unknown) {
            initializing = null;
            throw codedError("TERMINAL_READER_INIT", "PN532 init failed: " + (isCoded(e) ? e.message : String(e)), { cause: e });
          },
        );
    }
    return initializing;
  }

  // A reader that failed its init refuses the sale before polling (and tries the init again);
  // the runner asks it after the auth port (not configured, no clock…: said first).
  reader.checkReady = function () {
    if (!ready) {
      initReader().then(null, function () {});
      throw codedError("TERMINAL_READER_NOT_READY", "PN532 not initialized");
    }
  };

  return {
    runner: runner,
    pn532: pn532,
    reader: reader,
    readerReady: () => ready,
    onStatus: function (cb: (e: StatusEvent) => void) {
      listeners.push(cb);
    },
    boot: function (): Promise<BootReport> {
      // Without an authorizer (noAcquirer, not configured) nothing is pending or queued; made
      // here, not kept from the composition (JsVars at idle).
      const resume = runner.boot(reversals || { pending: { read: () => null, recover: () => null }, queue: { add: function () {} } }, terminalId);
      return initReader().then(
        function (fw: string) {
          return { firmware: fw, readerError: null, resume: resume };
        },
        function (e: Error) {
          return { firmware: null, readerError: e, resume: resume };
        },
      );
    },
  };
}

/** Composes the terminal from its parts. Call `boot()` once before the first sale. */
export function createTerminal(parts: TerminalParts): Terminal {
  const s = parts.settings;
  const pn532 = new Pn532(parts.link, parts.clock, s.pn532);
  const reader = pn532Reader(pn532, parts.clock, parts.calendar, parts.random, s.entryPoint, s.reader || { pollIntervalMs: 150, pollTimeoutMs: 300 }); // the phone tuning (above)
  const listeners: ((e: StatusEvent) => void)[] = [];
  const runner = new TerminalRunner(
    { reader: reader, auth: parts.auth, ui: parts.ui, store: parts.store, clock: parts.clock, calendar: parts.calendar, wall: parts.wall, beeper: parts.beeper },
    s.machine,
    fanOut(listeners),
    s.currencyExponent,
  );
  return Object.assign(terminalOver(pn532, reader, runner, listeners, parts.reversals, s.terminalId), consoleTill(runner, s.currencyExponent, parts.print));
}
