/**
 * The thin effect runner of the terminal machine (terminal-machine.ts): it holds the state,
 * carries out each effect on the ports it was handed (reader, authorizer, UI, Storage, clock)
 * and feeds their answers back as events, tagged with the `ref` of the state that asked.
 * Events raised while an event is being handled wait in a queue: `next` always sees one
 * event at a time, in order. A port that throws never escapes: it becomes an event (or a
 * "fault" status) so that every state still ends in a defined one.
 */
import { isCoded } from "../bytes/coded-error";
import type { Calendar, Clock, KeyValueStore, TimerHandle, WallClock } from "../hal/types";
import type { DataRecord } from "../emv/data-record";
import { errorOutcome } from "../emv/error-outcome";
import { ui, UiMessage, UiStatus, type Outcome, type UiRequest } from "../emv/outcome";
import type { AuthResult, Sale } from "../auth/authorizer";
import { withReason, type Reversal } from "../auth/reversal-queue";
import { isoUtc, two } from "../auth/time";
import { resumeAfterPowerCut, reversalOf, SaleStore, type ResumePlan, type ReversalPort, type StoredSale } from "./persistence";
import {
  idleState,
  next,
  type AuthSummary,
  type BeepKind,
  type Effect,
  type MachineConfig,
  type Refusal,
  type SaleStep,
  type StateKind,
  type TerminalEvent,
  type TerminalResult,
  type TerminalState,
} from "./terminal-machine";

/** What the poller reports while the terminal waits for a card. */
export type ReaderEvent = { type: "card" } | { type: "collision"; targets: number } | { type: "timeout" };

/**
 * The card side: src/nfc/poller.ts for polling, the APDU stack and Entry Point for a tap,
 * src/nfc/field-off.ts for a Field Off Request. A board composes it.
 */
export interface ReaderPort {
  /** Polls until a card (then stops by itself), a timeout or stopPolling(). */
  startPolling(listener: (e: ReaderEvent) => void): void;
  stopPolling(): void;
  /** One tap over the card just detected (runEntryPoint): resolves with its Outcome and data record. */
  readCard(amountMinor: number): Promise<Outcome>;
  /** Field off for `ms`, then on again. */
  fieldOff(ms: number): Promise<void>;
  /** @throws TERMINAL_READER_NOT_READY (the reader's init failed): no sale starts. Asked after AuthPort.checkReady. */
  checkReady?(): void;
}

/** The online side (src/auth TerminalAuth through `authPortOf`, or no-acquirer.ts). */
export interface AuthPort {
  /** @throws AUTH_NO_CLOCK, AUTH_REVERSAL_QUEUE_FULL, TERMINAL_NOT_CONFIGURED: no card may be read. */
  checkReady(): void;
  /** Writes its pending record (STAN, client transaction id) before it returns. */
  authorize(sale: Sale): Promise<AuthResult>;
  /** The request in flight (tppending), or null. */
  inFlight(): Reversal | null;
  /** Moves the request in flight into the reversal queue with `reason`; returns it, or null. */
  reverseInFlight(reason: Reversal["reason"]): Reversal | null;
  /** Adds a reversal to the queue (Storage) by itself. */
  queueReversal(r: Reversal): void;
}

/** What src/auth TerminalAuth offers (structurally): checkReady, authorize, pending, queue. */
export interface TerminalAuthLike {
  checkReady(): void;
  authorize(sale: Sale): Promise<AuthResult>;
  authorizer: ReversalPort & { pending: { clear(): void } };
}

/**
 * `t` as the runner's AuthPort. src/auth TerminalAuth is one already (it has inFlight,
 * reverseInFlight and queueReversal): it is returned as it is, with no forwarding closures
 * held at idle; any other TerminalAuthLike gets them.
 */
export function authPortOf(t: TerminalAuthLike): AuthPort {
  const own = t as TerminalAuthLike & Partial<AuthPort>;
  if (own.inFlight && own.reverseInFlight && own.queueReversal) return own as AuthPort;
  const pending = t.authorizer.pending;
  const queue = t.authorizer.queue;
  return {
    checkReady: () => t.checkReady(),
    authorize: (sale) => t.authorize(sale),
    inFlight: () => pending.read(),
    reverseInFlight: (reason) => {
      const p = pending.read();
      if (p === null) return null;
      const r = withReason(p, reason);
      queue.add(r);
      pending.clear();
      return r;
    },
    queueReversal: (r) => queue.add(r),
  };
}

/** The UI's context, as src/app/ui/ui-port.ts takes it (all optional, no nulls). */
export interface UiContextOut {
  amountMinor?: number;
  currencyExponent?: number;
  maskedPan?: string;
}

/** src/app/ui/ui-port.ts `UiPort` (UiFanout) satisfies this. */
export interface UiPort {
  show(request: UiRequest, context?: UiContextOut | null): void;
}

export interface BeepPort {
  beep(kind: BeepKind): void;
}

export interface RunnerPorts {
  reader: ReaderPort;
  auth: AuthPort;
  ui: UiPort;
  /** Storage: the sale in flight and the last result (persistence.ts). */
  store: KeyValueStore;
  clock: Clock;
  /** 9F21 time of the sale for the request, when the record lacks it. */
  calendar: Calendar;
  /** Time stamps of the stored sale; null when there is none yet. */
  wall: WallClock | null;
  beeper: BeepPort | null;
}

/** For the till (console-till.ts) and a board's log. */
export interface StatusEvent {
  type: "state" | "refused" | "result" | "fault";
  state: StateKind;
  /** refused / fault: the stable code. */
  code: string | null;
  message: string | null;
  result: TerminalResult | null;
}

function codeOf(e: unknown): string {
  return isCoded(e) ? e.code : "UNCODED";
}

export class TerminalRunner {
  private s: TerminalState;
  private queue: TerminalEvent[];
  private draining = false;
  private timers: { [id: string]: TimerHandle };
  private sales: SaleStore;
  private lastResult: TerminalResult | null = null;
  /** The refusal of the last event handled (sale while busy, cancel during the read…). */
  refusal: { code: string; message: string } | null = null;
  /** The UI request last shown (the till's status message). */
  lastUi: UiRequest | null = null;
  private ids = 0;

  private ports: RunnerPorts;
  private config: MachineConfig;
  private onStatus: ((e: StatusEvent) => void) | null;
  /**
   * ISO 4217 minor digits, for the UI. Private names here differ from the effect types and
   * from names that reach JSON ("currencyExponent", "exponent"): the build keeps those whole,
   * 2–3 JsVars a name on the object or prototype where a shortened one takes 1.
   */
  private minorDigits: number;
  constructor(
    ports: RunnerPorts,
    config: MachineConfig,
    onStatus: ((e: StatusEvent) => void) | null,
    currencyExponent: number,
  ) {
    this.minorDigits = currencyExponent;
    this.ports = ports;
    this.config = config;
    this.onStatus = onStatus;
    this.s = idleState(0);
    this.queue = [];
    this.timers = {};
    this.sales = new SaleStore(ports.store);
  }

  get state(): TerminalState {
    return this.s;
  }

  /** The last result: this run's, else the one stored (after a restart). */
  last(): TerminalResult | null {
    return this.lastResult || this.sales.readLast();
  }

  /** At boot, before any sale: what a power cut left (persistence.ts `resume`). */
  boot(auth: ReversalPort, terminalId: string): ResumePlan {
    const plan = resumeAfterPowerCut(this.sales, auth, terminalId);
    const r = plan.interrupted;
    if (r) {
      // Named and dated like any result, so the till lists it (src/app/till records last() it lacks).
      r.id = this.newId();
      r.time = this.ports.wall ? this.ports.wall.unixMs() : null;
      this.sales.writeLast(r);
      this.lastResult = r;
    }
    this.lastUi = ui(UiMessage.Welcome, UiStatus.Idle, 0);
    this.ports.ui.show(this.lastUi, null);
    return plan;
  }

  /** Starts a sale named `id` (default: a new one, see newId); the id is in state.sale.id. */
  sale(amountMinor: number, id?: string): void {
    this.dispatch({ type: "sale", amountMinor: amountMinor, id: id || this.newId() });
  }

  /** A sale id: the wall time (else the monotonic clock) in base 36, "-", a counter in base 36. */
  newId(): string {
    const w = this.ports.wall ? this.ports.wall.unixMs() : null;
    return (w !== null ? w : this.ports.clock.now()).toString(36) + "-" + (this.ids++).toString(36);
  }

  cancel(): void {
    this.dispatch({ type: "cancel" });
  }

  /** Handles `e` and everything it causes; re-entrant calls queue behind it. */
  dispatch(e: TerminalEvent): void {
    this.queue.push(e);
    if (this.draining) return;
    this.draining = true;
    this.refusal = null;
    try {
      while (this.queue.length > 0) {
        const ev = this.queue.shift() as TerminalEvent;
        const t = next(this.s, ev, this.config);
        const changed = t.state.seq !== this.s.seq;
        this.s = t.state;
        if (changed) this.report("state", null, null, null);
        for (let i = 0; i < t.effects.length; i++) this.run(t.effects[i]);
      }
    } finally {
      this.draining = false;
    }
  }

  private report(type: StatusEvent["type"], code: string | null, message: string | null, result: TerminalResult | null): void {
    if (this.onStatus) this.onStatus({ type: type, state: this.s.kind, code: code, message: message, result: result });
  }

  private reportFault(effect: string, e: unknown): void {
    this.report("fault", codeOf(e), effect + ": " + String(e), null);
  }

  private run(f: Effect): void {
    const p = this.ports;
    try {
      switch (f.type) {
        case "checkReady":
          return this.askReady(f.ref);
        case "startPolling": {
          const ref = f.ref;
          p.reader.startPolling((ev) => {
            if (ev.type === "card") this.dispatch({ type: "cardDetected", ref: ref });
            else if (ev.type === "collision") this.dispatch({ type: "collision", ref: ref, targets: ev.targets });
            else this.dispatch({ type: "pollTimeout", ref: ref });
          });
          return;
        }
        case "stopPolling":
          return p.reader.stopPolling();
        case "fieldOff": {
          const ref = f.ref;
          const done = () => this.dispatch({ type: "fieldOffDone", ref: ref });
          // A failed RF switch is still "done": the next InListPassiveTarget turns the field on.
          p.reader.fieldOff(f.ms).then(done, done);
          return;
        }
        case "runKernel":
          return this.startKernel(f.ref, f.amountMinor);
        case "persistSaleInFlight":
          return this.persist(f.ref, f.sale);
        case "clearSaleInFlight":
          return this.sales.clearSale();
        case "authorize":
          return this.requestAuth(f.ref, f.record, f.amountMinor, f.currency);
        case "reverseInFlight":
          return this.abandonRequest(f.reason);
        case "showUi": {
          const c: UiContextOut = { currencyExponent: this.minorDigits };
          if (f.ctx.amountMinor !== null) c.amountMinor = f.ctx.amountMinor;
          if (f.ctx.maskedPan !== null) c.maskedPan = f.ctx.maskedPan;
          this.lastUi = f.request;
          return p.ui.show(f.request, c);
        }
        case "beep":
          if (p.beeper) p.beeper.beep(f.kind);
          return;
        case "setDeadline":
          return this.armDeadline(f.id, f.ms);
        case "clearDeadline": {
          const h = this.timers[f.id];
          if (h !== undefined) {
            p.clock.clearTimer(h);
            delete this.timers[f.id];
          }
          return;
        }
        case "recordResult":
          if (p.wall) f.result.time = p.wall.unixMs();
          this.lastResult = f.result;
          this.report("result", null, null, f.result);
          return this.sales.writeLast(f.result);
        case "refuse":
          this.refusal = { code: f.code, message: f.message };
          return this.report("refused", f.code, f.message, null);
      }
    } catch (e) {
      this.reportFault(f.type, e);
    }
  }

  /**
   * The request in flight becomes a reversal. Its pending record is gone when the answer came
   * in the same moment (the authorizer erases it before resolving): the ids kept with the sale
   * in flight then name it, since that answer will be dropped as stale.
   */
  private abandonRequest(reason: Reversal["reason"]): void {
    if (this.ports.auth.reverseInFlight(reason) !== null) return;
    const s = this.sales.readSale();
    const r = s ? reversalOf(s, "", reason) : null;
    if (r !== null) this.ports.auth.queueReversal(r);
  }

  private armDeadline(id: string, ms: number): void {
    this.timers[id] = this.ports.clock.setTimer(ms, () => {
      delete this.timers[id];
      this.dispatch({ type: "deadline", id: id });
    });
  }

  private askReady(ref: number): void {
    try {
      this.ports.auth.checkReady();
      const r = this.ports.reader;
      if (r.checkReady) r.checkReady();
    } catch (e) {
      const code = codeOf(e);
      // Refusals end the sale in their own state (machine); any other code is an error.
      const refusal: Refusal | null = code === "AUTH_NO_CLOCK" ? "clockInvalid" : code === "AUTH_REVERSAL_QUEUE_FULL" ? "reversalQueueFull" : code === "TERMINAL_NOT_CONFIGURED" ? "notConfigured" : null;
      this.dispatch({ type: "ready", ref: ref, refusal: refusal, code: refusal === null ? code : null });
      return;
    }
    this.dispatch({ type: "ready", ref: ref, refusal: null, code: null });
  }

  private startKernel(ref: number, amountMinor: number): void {
    const feed = (o: Outcome) => this.dispatch({ type: "kernelOutcome", ref: ref, outcome: o });
    // readCard never rejects (Entry Point turns faults into Outcomes); a port that does anyway ends the tap.
    this.ports.reader.readCard(amountMinor).then(feed, (e) => feed(errorOutcome(e, 0)));
  }

  private persist(ref: number, a: SaleStep): void {
    const w = this.ports.wall ? this.ports.wall.unixMs() : null;
    const s: StoredSale = { step: a.step, amountMinor: a.amountMinor, currency: a.currency, maskedPan: a.maskedPan, aid: a.aid, time: w === null ? null : isoUtc(w), stan: null, clientTransactionId: null, terminalId: null };
    try {
      this.sales.writeSale(s);
    } catch (e) {
      this.dispatch({ type: "saleSaved", ref: ref, ok: false, code: codeOf(e) });
      return;
    }
    this.dispatch({ type: "saleSaved", ref: ref, ok: true, code: null });
  }

  private requestAuth(ref: number, record: DataRecord, amountMinor: number, currency: number): void {
    const feed = (a: AuthSummary) => this.dispatch({ type: "authResult", ref: ref, result: a });
    const failed = (e: unknown) => feed({ outcome: "error", reason: codeOf(e), stan: null, clientTransactionId: null, authCode: null, responseCode: null, reversal: false });
    let pr: Promise<AuthResult>;
    try {
      const t = this.ports.calendar.today();
      pr = this.ports.auth.authorize({ record: record, amountMinor: amountMinor, currency: currency, time9f21: two(t.hour) + two(t.minute) + two(t.second) });
    } catch (e) {
      return failed(e);
    }
    // The authorizer's result as the machine takes it (written here, not a helper: one function fewer held).
    pr.then(
      (r) =>
        feed({
          outcome: r.outcome === "approved" ? "approved" : r.outcome === "declined" ? "declined" : "notAuthorised",
          reason: r.reason,
          stan: r.stan || null,
          clientTransactionId: r.clientTransactionId || null,
          authCode: r.authCode,
          responseCode: r.responseCode,
          reversal: r.reversal !== null,
        }),
      failed,
    );
    try {
      // The authorizer has written its pending record by now: keep its ids with the sale in flight.
      const p = this.ports.auth.inFlight();
      const stored = this.sales.readSale();
      if (p !== null && stored !== null) {
        stored.stan = p.stan;
        stored.clientTransactionId = p.clientTransactionId;
        stored.terminalId = p.terminalId;
        if (stored.time === null) stored.time = p.time;
        this.sales.writeSale(stored);
      }
    } catch (e) {
      this.reportFault("authorize", e); // the pending record alone still decides the reversal at boot
    }
  }
}
