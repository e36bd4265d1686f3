/**
 * The till API over the real terminal runner and the real src/auth Authorizer, reversal queue
 * and ReversalSender, with the test's fakes behind them (test/app/ports.ts): a reader the
 * test drives and an acquirer the test answers, a fake clock, in-memory Storage.
 */
import { Authorizer } from "../../../src/auth/authorizer";
import { ReversalSender } from "../../../src/auth/reversal-sender";
import type { SignedHttp } from "../../../src/auth/signed-http";
import { createTillApi, type TillApi, type TillResponse } from "../../../src/app/till";
import { authPortOf, TerminalRunner, type AuthPort, type StatusEvent } from "../../../src/app/terminal-runner";
import { Cvm, type Outcome } from "../../../src/emv/outcome";
import { FakeClock } from "../../helpers/fake-clock";
import { CFG, onlineRequest } from "../fixtures";
import { calendar, FakeAcquirer, FakeReader, MemoryStore, RecordingUi, settle, WALL_MS } from "../ports";

export const TOKEN = "s3cret-token_0123456789";
export const AUTH = { authorization: "Bearer " + TOKEN };

export interface TillRig {
  clock: FakeClock;
  store: MemoryStore;
  reader: FakeReader;
  acquirer: FakeAcquirer;
  authorizer: Authorizer;
  sender: ReversalSender;
  runner: TerminalRunner;
  api: TillApi;
  /** Wall clock now (unix ms), settable. */
  wall: { ms: number | null };
  events: { event: string; data: unknown }[];
  statuses: StatusEvent[];
}

export function tillRig(opts?: { store?: MemoryStore; auth?: AuthPort; historyMax?: number; clockValid?: boolean; boot?: boolean }): TillRig {
  const clock = new FakeClock(0);
  const store = opts?.store ?? new MemoryStore();
  const reader = new FakeReader(clock);
  const acquirer = new FakeAcquirer();
  const wall = { ms: opts?.clockValid === false ? null : (WALL_MS as number | null) };
  const authorizer = new Authorizer(acquirer as unknown as SignedHttp, store, { bytes: (n) => randomBytes(n) }, { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", country: 250 }, 8);
  const sender = new ReversalSender(acquirer as unknown as SignedHttp, authorizer.queue, clock, { firstMs: 5000, maxMs: 60000 });
  const port =
    opts?.auth ??
    authPortOf({
      checkReady: () => authorizer.checkReady(wall.ms !== null),
      authorize: (sale) => authorizer.authorize(sale, wall.ms),
      authorizer: authorizer,
    });
  const listeners: ((e: StatusEvent) => void)[] = [];
  const statuses: StatusEvent[] = [];
  const runner = new TerminalRunner(
    { reader, auth: port, ui: new RecordingUi(), store, clock, calendar, wall: { unixMs: () => wall.ms }, beeper: null },
    CFG,
    (e) => {
      statuses.push(e);
      for (const l of listeners) l(e);
    },
    2,
  );
  if (opts?.boot) runner.boot(authorizer, "TAPPOS01");
  const api = createTillApi({
    runner: runner,
    onStatus: (cb) => listeners.push(cb),
    store: store,
    wall: { unixMs: () => wall.ms },
    token: TOKEN,
    terminalId: "TAPPOS01",
    merchant: { id: "MERCHANT0001", name: "Cafe Test" },
    currency: 978,
    exponent: 2,
    currencyLabel: "EUR",
    maxAmountMinor: CFG.maxAmountMinor,
    reversals: { queue: authorizer.queue, sender: sender },
    historyMax: opts?.historyMax,
  });
  const events: { event: string; data: unknown }[] = [];
  api.subscribe((event, data) => events.push({ event, data: JSON.parse(data) }));
  return { clock, store, reader, acquirer, authorizer, sender, runner, api, wall, events, statuses };
}

let seq = 0;
function randomBytes(n: number): Uint8Array {
  seq++;
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seq * 31 + i * 7) & 0xff;
  return b;
}

export interface Answer {
  status: number;
  headers: { [k: string]: string };
  body: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function parsed(r: TillResponse): Answer {
  let j: unknown = null;
  try {
    j = JSON.parse(r.body);
  } catch (e) {
    j = null;
  }
  return { status: r.status, headers: r.headers, body: r.body, json: j };
}

export async function call(api: TillApi, method: string, path: string, body?: unknown, headers?: { [k: string]: string }): Promise<Answer> {
  const h = headers ?? AUTH;
  const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
  return parsed(await api.handle({ method, path, headers: h, body: text }));
}

let keys = 0;
export function newKey(): string {
  return "key-" + ++keys;
}

export function startSale(t: TillRig, amountMinor: number, key?: string): Promise<Answer> {
  return call(t.api, "POST", "/api/sales", { amountMinor }, { ...AUTH, "idempotency-key": key ?? newKey() });
}

/** An Online Request whose record has a label, a CVM and a token requestor (Apple Pay's). */
export function walletOutcome(): Outcome {
  const o = onlineRequest();
  const r = o.record!;
  r.label = "VISA CREDIT";
  r.cvm = Cvm.ConfirmationCodeVerified;
  r.wallet = { tokenRequestor: "40010030273", formFactor: "PHONE", tokenHint: "9F19" };
  return o;
}

/** From a started sale: the card read, the request sent (state authorising). */
export async function readCard(t: TillRig, outcome?: Outcome): Promise<void> {
  t.reader.present();
  t.reader.answer(outcome ?? walletOutcome());
  await settle();
  await settle();
}

/** From a started sale: card read, request sent; answers it approved/declined. */
export async function finishSale(t: TillRig, approved: boolean, outcome?: Outcome): Promise<void> {
  await readCard(t, outcome);
  t.acquirer.reply(approved, approved ? "00" : "05");
  await settle();
  await settle();
}

/** A whole approved (or declined) sale, then back to idle; returns its id. */
export async function sale(t: TillRig, amountMinor: number, approved = true): Promise<string> {
  const a = await startSale(t, amountMinor);
  if (a.status !== 201) throw new Error("sale refused: " + a.body);
  await finishSale(t, approved);
  t.clock.advance(CFG.resultMs);
  return a.json.sale.id;
}
