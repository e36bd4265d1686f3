/**
 * Test-only entry, bundled by test/till/espruino-till.test.ts and host/bench/till-memory.ts
 * (build.mjs buildBoard): the whole terminal composition (src/app/terminal.ts) on the PN532
 * simulator, its till API (src/app/till) and the board's HTTP adapter
 * (src/hal/espruino/till-http.ts) listening on `TILL_PORT`, as board/esp32/till.ts composes
 * them. Runs in the Espruino interpreter. A transcript phone (Apple Pay Visa, C-3: See Phone
 * first, then the payment after the field reset) enters the simulated field when a sale starts
 * polling; the authorizer is the no-acquirer stub turned into an approval (no network), as
 * the selftest's.
 *
 * Test hooks, not product code: `GET /api/x-memory` answers the interpreter's JsVar figures
 * after a garbage collection (process.memory(true): what is held) and the peak usage sampled
 * every 2 ms since the last call (process.memory(false): garbage included, as RAM really is); prints "TILL READY <port>" once listening. Its settings come from the Storage
 * file `tillsim`, "<port> <token> <keepaliveMs>" (text, not JSON: the build's property
 * mangling renames object fields), written before the bundle is load()ed.
 */
import { noAcquirer } from "../../src/app/no-acquirer";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { createTerminal } from "../../src/app/terminal";
import { defaultMachineConfig } from "../../src/app/terminal-machine";
import type { StatusEvent } from "../../src/app/terminal-runner";
import { createTillApi, KEEPALIVE_MS, MAX_BODY_BYTES, sseFrame } from "../../src/app/till/index";
import type { AuthResult } from "../../src/auth/authorizer";
import type { Clock, KeyValueStore, TimerHandle } from "../../src/hal/types";
import { startTillServer } from "../../src/hal/espruino/till-http";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { createTranscriptCard } from "../../src/sim/transcript-card";
import applepayVisa from "../../src/sim/transcripts/applepay-visa.apdu";

declare function print(line: string): void;

interface Memory {
  free: number;
  usage: number;
  total: number;
}
const memory = (gc: boolean): Memory => (process as unknown as { memory(gc: boolean): Memory }).memory(gc);

/** Espruino's timers as the hal Clock (src/hal/espruino/clock.ts does the same on a board). */
const realClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms: number, fn: () => void): TimerHandle => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimer: function (h: TimerHandle) {
    if (h !== -1) clearTimeout(h as unknown as ReturnType<typeof setTimeout>);
  },
};

const flash = require("Storage") as { read(n: string): string | undefined; write(n: string, d: string): boolean; erase(n: string): void; list(): string[] };
const store: KeyValueStore = {
  read: (n) => flash.read(n),
  write: function (n, d) {
    flash.write(n, d);
  },
  erase: function (n) {
    flash.erase(n);
  },
  list: (p) => flash.list().filter((n) => n.indexOf(p) === 0),
};

const simArgs = (store.read("tillsim") || "").split(" ");
const sim = { port: parseInt(simArgs[0], 10), token: simArgs[1], keepaliveMs: parseInt(simArgs[2], 10) };

const clock = new SimClock(function (fn: () => void) {
  setTimeout(fn, 0);
});
const chip = new Pn532Chip(clock, { seePhoneNeedsFieldReset: true });
let n = 1;
const auth = noAcquirer();
const decline = auth.authorize;
auth.authorize = function (sale) {
  return decline(sale).then(function (r: AuthResult) {
    r.outcome = "approved";
    r.reason = "approved";
    r.stan = "000001";
    r.authCode = "SIM001";
    return r;
  });
};
const config = defaultEntryPointConfig();
const terminal = createTerminal({
  link: new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }),
  clock: clock,
  calendar: { today: () => ({ year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 }) },
  wall: { unixMs: () => Date.now() },
  random: {
    bytes: function (count: number) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = (n++ * 73) & 0xff;
      return out;
    },
  },
  store: store,
  ui: { show: function () {} },
  beeper: null,
  auth: auth,
  reversals: null,
  settings: { entryPoint: config, machine: defaultMachineConfig(config.terminal.currencyCode), currencyExponent: 2, terminalId: "TPOS0001" },
  print: null,
});
const last = { state: "idle" };
terminal.onStatus(function (e: StatusEvent) {
  // The phone arrives 50 ms (simulated) after a sale starts polling; it stays through See Phone.
  if (e.type === "state" && e.state === "presentCard" && last.state !== "fieldOff") {
    n = 1;
    chip.targets = [createTranscriptCard(applepayVisa, { arriveAtMs: clock.now() + 50 }).target];
  }
  if (e.type === "state") last.state = e.state;
});

const api = createTillApi({
  runner: terminal.runner,
  onStatus: terminal.onStatus,
  store: store,
  wall: { unixMs: () => Date.now() },
  token: sim.token,
  terminalId: "TPOS0001",
  merchant: { id: "MERCHANT0001", name: "CAFE TEST" },
  currency: 978,
  exponent: 2,
  currencyLabel: "EUR",
  maxAmountMinor: 100000,
  reversals: null,
  online: () => true,
});

// Peak usage, sampled every 2 ms while the till serves (test hook).
const peak = { usage: 0 };
setInterval(function () {
  const u = memory(false).usage;
  if (u > peak.usage) peak.usage = u;
}, 2);
const handle = api.handle;
api.handle = function (req) {
  if (req.path !== "/api/x-memory") return handle(req);
  const m = memory(true);
  const body = JSON.stringify({ free: m.free, usage: m.usage, total: m.total, peak: peak.usage });
  peak.usage = m.usage;
  return Promise.resolve({ status: 200, headers: { "Content-Type": "application/json" }, body: body });
};

terminal.boot().then(function (b) {
  if (b.firmware === null) throw b.readerError;
  startTillServer(api, { port: sim.port, maxBodyBytes: MAX_BODY_BYTES, frame: sseFrame, store: store, page: "till.html.gz", maxStreams: 2, keepaliveMs: sim.keepaliveMs || KEEPALIVE_MS, clock: realClock });
  print("TILL READY " + sim.port);
});
