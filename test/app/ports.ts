/**
 * Fakes of the runner's ports: a reader the test drives (cards arrive, outcomes come back when
 * the test says), an in-memory Storage, an HTTP answerer behind the real src/auth Authorizer
 * (real STAN, pending record and reversal queue), a recording UI and buzzer, the fake clock.
 */
import type { Calendar, HttpAnswer, KeyValueStore, Random } from "../../src/hal/types";
import type { Outcome, UiRequest } from "../../src/emv/outcome";
import { Authorizer } from "../../src/auth/authorizer";
import type { SignedHttp } from "../../src/auth/signed-http";
import { authPortOf, TerminalRunner, type AuthPort, type ReaderEvent, type ReaderPort, type StatusEvent, type UiContextOut, type UiPort } from "../../src/app/terminal-runner";
import type { BeepKind } from "../../src/app/terminal-machine";
import { FakeClock } from "../helpers/fake-clock";
import { CFG } from "./fixtures";

export class MemoryStore implements KeyValueStore {
  files: Record<string, string> = {};
  /** Names whose write throws (a full or failing flash). */
  failing: string[] = [];
  read(name: string): string | undefined {
    return this.files[name];
  }
  write(name: string, data: string): void {
    if (this.failing.includes(name)) throw Object.assign(new Error("STORAGE_FULL: no room"), { code: "STORAGE_FULL" });
    this.files[name] = data;
  }
  erase(name: string): void {
    delete this.files[name];
  }
  list(prefix: string): string[] {
    return Object.keys(this.files).filter((n) => n.startsWith(prefix)).sort();
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

export class FakeReader implements ReaderPort {
  listener: ((e: ReaderEvent) => void) | null = null;
  polls = 0;
  stops = 0;
  reads: { amountMinor: number; answer: Deferred<Outcome> }[] = [];
  fieldOffs: number[] = [];
  constructor(private clock: FakeClock) {}
  startPolling(listener: (e: ReaderEvent) => void): void {
    this.polls++;
    this.listener = listener;
  }
  stopPolling(): void {
    this.stops++;
    this.listener = null;
  }
  /** A card enters the field: the poller stops itself and reports it. */
  present(): void {
    const l = this.listener;
    this.listener = null;
    if (l) l({ type: "card" });
  }
  collide(): void {
    if (this.listener) this.listener({ type: "collision", targets: 2 });
  }
  readCard(amountMinor: number): Promise<Outcome> {
    const d = deferred<Outcome>();
    this.reads.push({ amountMinor, answer: d });
    return d.promise;
  }
  fieldOff(ms: number): Promise<void> {
    this.fieldOffs.push(ms);
    return new Promise((r) => this.clock.setTimer(ms, r));
  }
  /** Answers the last read. */
  answer(o: Outcome): void {
    this.reads[this.reads.length - 1].answer.resolve(o);
  }
}

/** The acquirer side of SignedHttp.send: each request waits for the test to answer it. */
export class FakeAcquirer {
  sent: { method: string; path: string; body: unknown; answer: Deferred<HttpAnswer> }[] = [];
  send(method: string, path: string, body: string | null): Promise<HttpAnswer> {
    const d = deferred<HttpAnswer>();
    this.sent.push({ method, path, body: body === null ? null : JSON.parse(body), answer: d });
    return d.promise;
  }
  /** Answers the last request as the acquirer would (docs/acquirer-api.md). */
  reply(approved: boolean, responseCode: string): void {
    const last = this.sent[this.sent.length - 1];
    const id = (last.body as { clientTransactionId: string }).clientTransactionId;
    last.answer.resolve({ status: 200, headers: {}, body: JSON.stringify({ clientTransactionId: id, approved, responseCode, authCode: approved ? "A1B2C3" : undefined, message: approved ? "approved" : "declined" }) });
  }
  /** The connection broke after the request was sent. */
  lose(): void {
    this.sent[this.sent.length - 1].answer.reject(Object.assign(new Error("HTTP_TIMEOUT: answer"), { code: "HTTP_TIMEOUT", phase: "answer", sent: true }));
  }
}

let counter = 0;
const random: Random = {
  bytes: (n: number) => {
    counter++;
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (counter * 7 + i) & 0xff;
    return b;
  },
};

export const WALL_MS = Date.UTC(2026, 11, 6, 21, 0, 0);

/** The real Authorizer over `store` and a fake acquirer; `clockValid` false: AUTH_NO_CLOCK. */
export function realAuth(store: KeyValueStore, acquirer: FakeAcquirer, clockValid: boolean, queueMax?: number): { port: AuthPort; authorizer: Authorizer } {
  const authorizer = new Authorizer(acquirer as unknown as SignedHttp, store, random, { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", country: 250 }, queueMax || 8);
  const port = authPortOf({
    checkReady: () => authorizer.checkReady(clockValid),
    authorize: (sale) => authorizer.authorize(sale, clockValid ? WALL_MS : null),
    authorizer: authorizer,
  });
  return { port, authorizer };
}

export class RecordingUi {
  shown: { request: UiRequest; context: UiContextOut | null | undefined }[] = [];
  show(request: UiRequest, context?: UiContextOut | null): void {
    this.shown.push({ request, context });
  }
  last(): UiRequest {
    return this.shown[this.shown.length - 1].request;
  }
}

export const calendar: Calendar = { today: () => ({ year: 2026, month: 12, day: 6, hour: 21, minute: 0, second: 7 }) };

export interface Rig {
  clock: FakeClock;
  store: MemoryStore;
  reader: FakeReader;
  acquirer: FakeAcquirer;
  authorizer: Authorizer;
  ui: RecordingUi;
  beeps: BeepKind[];
  status: StatusEvent[];
  runner: TerminalRunner;
}

export function rig(opts?: { store?: MemoryStore; clockValid?: boolean; queueMax?: number; auth?: AuthPort; ui?: (clock: FakeClock) => UiPort }): Rig {
  const clock = new FakeClock(0);
  const store = opts?.store ?? new MemoryStore();
  const reader = new FakeReader(clock);
  const acquirer = new FakeAcquirer();
  const real = realAuth(store, acquirer, opts?.clockValid ?? true, opts?.queueMax);
  const ui = new RecordingUi();
  const beeps: BeepKind[] = [];
  const status: StatusEvent[] = [];
  const runner = new TerminalRunner(
    { reader, auth: opts?.auth ?? real.port, ui: opts?.ui ? opts.ui(clock) : ui, store, clock, calendar, wall: { unixMs: () => WALL_MS }, beeper: { beep: (k) => beeps.push(k) } },
    CFG,
    (e) => status.push(e),
    2,
  );
  return { clock, store, reader, acquirer, authorizer: real.authorizer, ui, beeps, status, runner };
}

/** Lets promise callbacks run (the fakes resolve through Node's queues). */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
