/**
 * The terminal, composed once: every board (board/esp32, board/espruino-wifi, the selftest)
 * and `npm start` build their hardware or simulated parts and hand them to `createTerminal`
 * (terminal.ts), or, where the card reader's code is a board part loaded when needed
 * (board/esp32), to `composeTerminal` with a reader maker of their own. It owns the PN532
 * driver and its init, the runner and the console till:
 *
 *   boot      GetFirmwareVersion, SAMConfiguration normal mode (no IRQ use by the chip's
 *             own timeout), MaxRetries: passive activation FF (the PN532 searches until the
 *             driver aborts the poll), then `runner.boot` (what a power cut left).
 *   polling,  the reader (card-reader.ts): Poller, APDU stack, Entry Point; the runner
 *   reading   decides on its Outcome (machine).
 *
 * Nothing here touches Espruino globals: the parts come as arguments.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import type { EntryPointConfig } from "../emv/preprocessing";
import type { Calendar, Clock, KeyValueStore, Random, WallClock } from "../hal/types";
import { Pn532, type Pn532Options } from "../pn532/driver";
import type { Pn532Link } from "../pn532/link";
import { consoleTill, type ConsoleTill } from "./console-till";
import type { ReversalPort, ResumePlan } from "./persistence";
import type { MachineConfig } from "./terminal-machine";
import { TerminalRunner, type AuthPort, type BeepPort, type ReaderPort, type StatusEvent, type UiPort } from "./terminal-runner";

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
  /** Default: the phone tuning (card-reader.ts), 150 ms interval, 300 ms poll window. */
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

/**
 * The card reader over the PN532 driver: polling and reading (card-reader.ts pn532Reader).
 * `sleep`, where the reader has it, is called once the sale needs no more of it: when the
 * terminal starts authorising (the card is read; no state after that polls or reads) and
 * whenever it is back to idle. A reader loaded from a board part lets its code go
 * (lazy-reader.ts).
 */
export type ReaderMaker = (pn532: Pn532, clock: Clock, calendar: Calendar, random: Random, config: EntryPointConfig, tuning: ReaderTuning) => ReaderPort & { sleep?: () => void };

export interface Terminal extends ConsoleTill {
  runner: TerminalRunner;
  pn532: Pn532;
  reader: ReaderPort;
  /** Inits the PN532, settles what a power cut left; resolves (never rejects) with the report. */
  boot(): Promise<BootReport>;
  /** Every status event of the runner (state, refused, result, fault). */
  onStatus(cb: (e: StatusEvent) => void): void;
  /** True once the PN532 answered its init. */
  readerReady(): boolean;
}

/**
 * Every status event to each listener (onStatus). Authorising, or back to idle, the sale needs
 * the reader no more: a reader that can sleep (lazy-reader.ts) lets its code go, so that on the
 * esp32 the authorization (request, signing, HTTP) runs without the card part in RAM.
 */
function fanOut(listeners: ((e: StatusEvent) => void)[], reader: ReaderPort & { sleep?: () => void }): (e: StatusEvent) => void {
  return function (e: StatusEvent) {
    if (e.type === "state" && (e.state === "idle" || e.state === "authorising") && reader.sleep) reader.sleep();
    for (let i = 0; i < listeners.length; i++) listeners[i](e);
  };
}

/**
 * The terminal's own functions over its composed parts. Made here, not in composeTerminal: an
 * Espruino closure keeps its whole scope alive, and composeTerminal's holds the parts and the
 * settings (JsVars at idle).
 */
function terminalOver(pn532: Pn532, reader: ReaderPort, runner: TerminalRunner, listeners: ((e: StatusEvent) => void)[], reversals: ReversalPort | null, terminalId: string): Omit<Terminal, keyof ConsoleTill> {
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
      // Read once, at the boot: let go after it (JsVars at idle; on a board, LazyAuth's port).
      reversals = null;
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

/** Composes the terminal from its parts and a card reader maker. Call `boot()` once before the first sale. */
export function composeTerminal(parts: TerminalParts, makeReader: ReaderMaker): Terminal {
  const s = parts.settings;
  const pn532 = new Pn532(parts.link, parts.clock, s.pn532);
  const reader = makeReader(pn532, parts.clock, parts.calendar, parts.random, s.entryPoint, s.reader || { pollIntervalMs: 150, pollTimeoutMs: 300 }); // the phone tuning (card-reader.ts)
  const listeners: ((e: StatusEvent) => void)[] = [];
  const runner = new TerminalRunner(
    { reader: reader, auth: parts.auth, ui: parts.ui, store: parts.store, clock: parts.clock, calendar: parts.calendar, wall: parts.wall, beeper: parts.beeper },
    s.machine,
    fanOut(listeners, reader),
    s.currencyExponent,
  );
  return Object.assign(terminalOver(pn532, reader, runner, listeners, parts.reversals, s.terminalId), consoleTill(runner, s.currencyExponent, parts.print));
}
