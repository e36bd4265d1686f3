/**
 * The whole terminal on Node (issue 9): the one composition every board uses
 * (src/app/terminal.ts createTerminal) handed host parts — the PN532 simulator on a virtual
 * I2C bus behind the real I2cLink (field.ts), Node's clock, wall clock and random source, a
 * folder-backed Storage in the state folder, the text UI (text-ui.ts), and src/auth's
 * TerminalAuth against the reference acquirer on loopback (online.ts).
 *
 * What happens is told as events, one line each (`HostEvent`): state changes, display text,
 * LEDs, buzzer, each APDU decoded (answers masked), refusals, faults, results. The virtual
 * phone leaves the field once its tap has an outcome, except after "see phone", where its
 * holder unlocks it and holds it out again (field.ts UNLOCK_MS).
 */
import { describeResult, formatAmount } from "../../src/app/console-till";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { defaultMachineConfig, type StateKind } from "../../src/app/terminal-machine";
import type { StatusEvent } from "../../src/app/terminal-runner";
import { createTerminal, type BootReport, type Terminal } from "../../src/app/terminal";
import type { FlushReport } from "../../src/auth/reversal-sender";
import type { BootReport as AuthBootReport } from "../../src/auth/terminal-auth";
import { wallCalendar } from "../../src/auth/time";
import type { KeyValueStore } from "../../src/hal/types";
import { nodeClock, nodeRandom } from "../auth/node-hal";
import { terminalStore } from "../tap/state";
import { decodeTrace, type DecodedExchange, type DecodedTlv, type TraceEntry } from "../tap/trace";
import { VirtualField } from "./field";
import { onlineSide, TEST_TERMINAL_ID, type OnlineSide } from "./online";
import { textUi, type TextUi } from "./text-ui";

export type HostEventKind = "boot" | "state" | "display" | "leds" | "buzzer" | "apdu" | "field" | "refused" | "fault" | "result" | "online";

export interface HostEvent {
  kind: HostEventKind;
  /** The event as one line (no kind prefix). */
  text: string;
  /** More lines for a person (an APDU's decoded data objects); not in the one-line form. */
  detail: string[];
}

export interface HostTerminalOptions {
  stateDir: string;
  /** The acquirer's base URL. */
  url: string;
  emit: (e: HostEvent) => void;
  /** How long the authorizer waits for an answer, ms. */
  answerMs?: number;
}

export interface HostTerminal {
  terminal: Terminal;
  field: VirtualField;
  online: OnlineSide;
  /** The terminal's Storage (in the state folder). */
  store: KeyValueStore;
  /** "EUR". */
  currency: string;
  /** ISO 4217 numeric of `currency` (978). */
  currencyCode: number;
  exponent: number;
  /** PN532 init, power-cut resume, then the reversal queue sent; resolves with both reports. */
  boot(): Promise<{ terminal: BootReport; auth: AuthBootReport }>;
  /** The current state. */
  state(): StateKind;
  /** Timers stopped (reversal back-off, LEDs, simulator) so the process can end. */
  stop(): void;
}

/** ISO 4217 978 as shown next to amounts. */
const CURRENCY_LABEL = "EUR";

function flatTlv(nodes: DecodedTlv[], out: string[]): void {
  for (const n of nodes) {
    if (n.children) flatTlv(n.children, out);
    else out.push(n.tag + "=" + (n.text !== undefined ? JSON.stringify(n.text) : n.value));
  }
}

function tlvLines(nodes: DecodedTlv[], indent: string, out: string[]): void {
  for (const n of nodes) {
    out.push(indent + n.tag + " " + n.name + (n.value !== undefined ? ": " + n.value + (n.text !== undefined ? ' "' + n.text + '"' : "") : ""));
    if (n.children) tlvLines(n.children, indent + "  ", out);
  }
}

/** One decoded exchange as an event: "SELECT … → 9000 ok · 12 ms · 6F=… 84=…". */
export function apduEvent(d: DecodedExchange, label: string): HostEvent {
  const flat: string[] = [];
  if (d.data) flatTlv(d.data, flat);
  const answer = d.response === null ? "no answer" + (d.error ? " (" + d.error + ")" : "") : d.sw + " " + d.status;
  const detail: string[] = [];
  if (d.commandData) tlvLines(d.commandData, "    > ", detail);
  if (d.data) tlvLines(d.data, "    < ", detail);
  else if (d.dataError) detail.push("    < not BER-TLV (" + d.dataError + ")");
  return { kind: "apdu", text: `${label}: ${d.name} → ${answer} · ${Math.round(d.ms)} ms${flat.length ? " · " + flat.join(" ") : ""}`, detail: detail };
}

/** Composes the host terminal; call boot() before the first sale. */
export function hostTerminal(o: HostTerminalOptions): HostTerminal {
  const emit = (kind: HostEventKind, text: string, detail?: string[]): void => o.emit({ kind: kind, text: text, detail: detail ?? [] });
  const clock = nodeClock();
  const store = terminalStore(o.stateDir);
  const entry = defaultEntryPointConfig();
  const machine = defaultMachineConfig(entry.terminal.currencyCode);
  const exponent = entry.terminal.currencyExponent;
  let trace: TraceEntry[] = [];
  let traceLabel = "";
  const field = new VirtualField({
    clock: clock,
    stateDir: o.stateDir,
    random: nodeRandom,
    onApdu: (e, label) => {
      if (label !== traceLabel || e.tap !== (trace.length ? trace[0].tap : e.tap)) trace = [];
      traceLabel = label;
      trace.push(e);
      const decoded = decodeTrace(trace);
      const ev = apduEvent(decoded[decoded.length - 1], label);
      o.emit(ev);
    },
  });
  const online = onlineSide({ url: o.url, clock: clock, store: store, country: entry.terminal.countryCode, answerMs: o.answerMs });
  const ui: TextUi = textUi(clock, CURRENCY_LABEL, (kind, text) => emit(kind, text));
  const terminal = createTerminal({
    link: field.link,
    clock: clock,
    calendar: wallCalendar(online.wall, 0),
    wall: online.wall,
    random: nodeRandom,
    store: store,
    ui: ui.port,
    beeper: null, // the indicators sound Book A's tones from the UI requests
    auth: online.port,
    reversals: online.auth.authorizer,
    settings: { entryPoint: entry, machine: machine, currencyExponent: exponent, terminalId: TEST_TERMINAL_ID },
    print: null,
  });
  const told = (f: FlushReport, when: string): void => {
    for (const id of f.acknowledged) emit("online", `reversal ${id} acknowledged by the acquirer`);
    if (f.left) emit("online", `reversal queue: ${f.left} waiting${f.error ? " (" + f.error + ")" : ""}, sent again ${when}`);
  };
  online.onResult = (r, round) => {
    round.then((f) => told(f, "on the back-off timer and at the next start"), () => undefined);
    const req = r.request;
    if (req) emit("online", `request STAN ${r.stan} id ${r.clientTransactionId} ${formatAmount(req.amountMinor, exponent)} ${req.currency} PAN ${req.pan ?? "(in Track 2)"} → ${o.url}`);
    emit("online", `answer ${r.outcome}${r.responseCode ? " " + r.responseCode : ""} ${r.message || r.reason}${r.httpStatus !== null ? " (HTTP " + r.httpStatus + ")" : ""}${r.reversal ? ", reversal " + r.reversal.reason + " queued" : ""}`);
  };
  let previous: StateKind = "idle";
  terminal.onStatus((e: StatusEvent) => {
    if (e.type === "state") {
      // The tap is over: the holder takes the phone away, unless it asked to be looked at.
      if (previous === "reading" && e.state === "fieldOff") {
        field.unlock();
        emit("field", `${field.current() ?? "card"}: "see phone": the holder unlocks it and holds it out again`);
      } else if (previous === "reading" && e.state !== "reading" && field.current() !== null) {
        emit("field", `${field.current()} taken away`);
        field.remove();
      }
      previous = e.state;
      emit("state", e.state);
    } else if (e.type === "result") emit("result", describeResult(e.result, exponent));
    else if (e.type === "refused") emit("refused", `${e.code}: ${e.message}`);
    else emit("fault", `${e.code}: ${e.message}`);
  });
  return {
    terminal: terminal,
    field: field,
    online: online,
    store: store,
    currency: CURRENCY_LABEL,
    currencyCode: entry.terminal.currencyCode,
    exponent: exponent,
    boot: () =>
      terminal.boot().then((tb) => {
        emit("boot", tb.firmware ? `${tb.firmware} on a simulated I2C bus` : `reader not ready: ${tb.readerError ? tb.readerError.message : "?"}`);
        if (tb.resume.action !== "none") emit("boot", `power cut found: ${tb.resume.action}${tb.resume.interrupted ? " · last: " + describeResult(tb.resume.interrupted, exponent) : ""}`);
        return online.auth.boot().then((ab) => {
          if (ab.recovered) emit("boot", `request in flight at the cut: STAN ${ab.recovered.stan}, queued for reversal`);
          told(ab.flush, "on the back-off timer and at the next start");
          return { terminal: tb, auth: ab };
        });
      }),
    state: () => terminal.runner.state.kind,
    stop: () => {
      online.auth.stop();
      ui.stop();
      field.stop();
      terminal.reader.stopPolling();
    },
  };
}
