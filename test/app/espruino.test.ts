// The terminal machine, runner, persistence and console till in the Espruino 2v29 interpreter
// itself (espruino-esp32 from host/espruino-dir.ts; skipped, with the reason, only when it is
// missing), loaded from flash as a board would: a sale declined by the no-acquirer stub, cancel
// refused during the read, See Phone's field off, an authorization timeout that queues a
// reversal with the real Authorizer, and a restart that resumes from Storage.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoSkipReason, makeFixture, REPO, removeTempDirs, runInEspruinoFromFlash, titled } from "../build/helpers";

const NO_ESPRUINO = espruinoSkipReason("espruino-esp32");

afterAll(removeTempDirs);

function harness(): string {
  const src = (p: string) => JSON.stringify(join(REPO, "src", p));
  return `import { TerminalRunner, authPortOf } from ${src("app/terminal-runner")};
import { defaultMachineConfig } from ${src("app/terminal-machine")};
import { consoleTill } from ${src("app/console-till")};
import { noAcquirer } from ${src("app/no-acquirer")};
import { Authorizer } from ${src("auth/authorizer")};
import { seePhone } from ${src("emv/kernel")};
import { makeOutcome } from ${src("emv/outcome")};
declare function print(a: string): void;
declare function setTimeout(fn: () => void, ms: number): number;
class Clock {
  t: number;
  timers: any[];
  n: number;
  constructor() { this.t = 0; this.timers = []; this.n = 0; }
  now() { return this.t; }
  setTimer(ms: number, fn: () => void) { this.n++; this.timers.push({ id: this.n, at: this.t + ms, fn: fn }); return this.n; }
  clearTimer(h: number) { this.timers = this.timers.filter((x: any) => x.id !== h); }
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      let best: any = null;
      for (let i = 0; i < this.timers.length; i++) if (best === null || this.timers[i].at < best.at) best = this.timers[i];
      if (best === null || best.at > end) break;
      const b = best;
      this.timers = this.timers.filter((x: any) => x !== b);
      this.t = b.at;
      b.fn();
    }
    this.t = end;
  }
}
function memStore() {
  const files: any = {};
  return { files: files,
    read: (n: string) => files[n],
    write: (n: string, d: string) => { files[n] = d; },
    erase: (n: string) => { delete files[n]; },
    list: (p: string) => Object.keys(files).filter((k) => k.indexOf(p) === 0) };
}
function reader(clock: Clock) {
  const r: any = { listener: null, reads: 0, next: null };
  r.startPolling = (l: any) => { r.listener = l; };
  r.stopPolling = () => { r.listener = null; };
  r.readCard = (amount: number) => { r.reads++; return Promise.resolve(r.next()); };
  r.fieldOff = (ms: number) => new Promise<void>((res) => { clock.setTimer(ms, res); });
  r.present = () => { const l = r.listener; r.listener = null; l({ type: "card" }); };
  return r;
}
function online() {
  const o: any = makeOutcome("ONLINE_REQUEST" as any, "OK", "NA" as any, null, null);
  o.record = { kernel: 3, aid: "A0000000031010", pan: "4761739001010010", expiry: "2812", psn: "01", track2: "4761739001010010D28122011234567899999F",
    serviceCode: "201", cvm: "NO_CVM", icc: { "9F26": "1122334455667788", "9F36": "0001", "9A": "261206", "9F02": "000000001250" }, wallet: {} };
  return o;
}
const cal = { today: () => ({ year: 2026, month: 12, day: 6, hour: 21, minute: 0, second: 7 }) };
const ui = { show: (r: any, c: any) => {} };
const cfg = defaultMachineConfig(978);
function make(clock: Clock, store: any, auth: any, rd: any) {
  return new TerminalRunner({ reader: rd, auth: auth, ui: ui, store: store, clock: clock, calendar: cal, wall: { unixMs: () => 1796590800000 }, beeper: null }, cfg, null, 2);
}
const steps: (() => void)[] = [];
function later(fn: () => void) { steps.push(fn); }
function go() { const f = steps.shift(); if (f) { f(); setTimeout(go, 5); } else print("DONE"); }

// 1. no acquirer: declined, never approved; cancel refused while reading.
const c1 = new Clock(); const s1 = memStore(); const r1 = reader(c1);
const t1 = make(c1, s1, noAcquirer(), r1);
const till = consoleTill(t1, 2, print);
r1.next = online;
later(() => { till.sale(1250); r1.present(); print("CANCEL " + till.cancel()); });
later(() => { print("LAST " + till.last()); c1.advance(3000); print("STATUS " + till.status()); });
// 2. See Phone: field off, then polling with the amount kept.
const c2 = new Clock(); const r2 = reader(c2);
const t2 = make(c2, memStore(), noAcquirer(), r2);
later(() => { r2.next = () => seePhone("TRY_AGAIN" as any, 0x20, {}, 1300); t2.sale(700); r2.present(); });
later(() => { print("SEEPHONE " + t2.state.kind); c2.advance(1300); });
later(() => { print("AGAIN " + t2.state.kind + " " + (t2.state.sale ? t2.state.sale.amountMinor : -1)); });
// 3. real Authorizer, no answer: the timeout queues a reversal; a restart resumes to idle.
const c3 = new Clock(); const s3 = memStore(); const r3 = reader(c3);
// The acquirer never answers. (The executor keeps its resolve: on 2v29, then() on a promise
// whose executor dropped it asserts in jsvar.c and the interpreter exits.)
const held: any[] = [];
const http: any = { send: () => new Promise((res) => { held.push(res); }) };
let n = 0;
const rnd = { bytes: (k: number) => { n++; const b = new Uint8Array(k); b.fill(n); return b; } };
const a3 = new Authorizer(http, s3, rnd, { terminalId: "TAPPOS01", merchantId: "M1", country: 250 }, 8);
const port3 = authPortOf({ checkReady: () => a3.checkReady(true), authorize: (s: any) => a3.authorize(s, 1796590800000), authorizer: a3 });
const t3 = make(c3, s3, port3, r3);
r3.next = online;
later(() => { t3.sale(1250); r3.present(); });
later(() => { print("AUTH " + t3.state.kind + " " + (s3.files.tppending ? "pending" : "none") + " " + JSON.parse(s3.files.tpsale).stan); c3.advance(cfg.authTimeoutMs); });
later(() => { print("TIMEOUT " + t3.state.kind + " queue " + a3.queue.size() + " " + JSON.stringify(t3.last())); });
later(() => {
  t3.sale(1250); r3.present();
});
later(() => {
  // Power cut while authorising: a new runner and Authorizer on the same Storage.
  const a4 = new Authorizer(http, s3, rnd, { terminalId: "TAPPOS01", merchantId: "M1", country: 250 }, 8);
  const t4 = make(new Clock(), s3, noAcquirer(), reader(new Clock()));
  const plan = t4.boot(a4, "TAPPOS01");
  print("RESUME " + plan.action + " " + t4.state.kind + " queue " + a4.queue.size() + " sale " + (s3.files.tpsale ? "left" : "gone"));
});
setTimeout(go, 1);
`;
}

describe("the terminal in the Espruino interpreter", () => {
  it.skipIf(NO_ESPRUINO)(titled("sale, cancel refused while reading, see phone, auth timeout → reversal, power cut → resume", NO_ESPRUINO), async () => {
    const dir = makeFixture({ "terminal.ts": harness() });
    const built = await buildBoard({ entry: join(dir, "terminal.ts"), name: "terminal-test", root: REPO, write: false, budget: 1 << 20, checkSource: false });
    expect(built.problems).toEqual([]);
    const out = runInEspruinoFromFlash(built.code);
    expect(out).not.toMatch(/Uncaught|ASSERT|OUT OF MEMORY|Error/);
    expect(out).toContain("DONE");
    expect(out).toContain("CANCEL refused CANCEL_DURING_READ");
    expect(out).toContain("LAST declined 12.50 978 476173******0010 (no_acquirer)");
    expect(out).toContain("STATUS idle");
    expect(out).toContain("SEEPHONE fieldOff");
    expect(out).toContain("AGAIN presentCard 700");
    expect(out).toContain("AUTH authorising pending 000001");
    expect(out).toMatch(/TIMEOUT error queue 1 .*"reason":"AUTH_TIMEOUT"/);
    expect(out).toContain("RESUME recoverPending idle queue 2 sale gone");
    expect(out).not.toContain("4761739001010010");
  });
});
