/**
 * Test-only scenario (test/build/mangle-props.test.ts): what the terminal writes to Storage
 * and sends on the wire, run by the same code on Node (TypeScript source) and in the
 * Espruino interpreters (the board bundle, its property names mangled by build.mjs). Any name
 * the build renamed in a stored record or a wire body, or failed to read back from a host
 * JSON text, shows as a difference between the two outputs.
 *
 * The whole composition (createTerminal + TerminalAuth, as board/esp32/compose.ts makes it)
 * on the PN532 simulator with a transcript phone; the acquirer is a fake HttpClient that
 * prints each request (method, path, the X-Tappos-* headers, body) and answers with JSON text
 * as the reference acquirer writes it (docs/acquirer-api.md). Sale 1 is approved; sale 2's
 * answer never comes (HTTP_TIMEOUT after sending: a reversal is queued and sent). Every
 * Storage write and erase is printed. Then a second terminal boots on the same Storage (a
 * restart, after a power cut in flight: the sale and pending records put back as they were
 * written) and reads them back, and the board config (config.example.json's text) is read and
 * checked (src/app/config-store.ts) and printed back as JSON.
 */
import { readConfig } from "../../src/app/config-store";
import { createTerminal, type Terminal } from "../../src/app/terminal";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { defaultMachineConfig, type TerminalResult } from "../../src/app/terminal-machine";
import { authPortOf, type StatusEvent } from "../../src/app/terminal-runner";
import { DEFAULT_TIMEOUTS, TerminalAuth } from "../../src/auth/terminal-auth";
import { settableWallClock } from "../../src/auth/time";
import { SaleStore } from "../../src/app/persistence";
import type { HttpAnswer, HttpClient, KeyValueStore, Sha256 } from "../../src/hal/types";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { createTranscriptCard } from "../../src/sim/transcript-card";
import applepayVisa from "../../src/sim/transcripts/applepay-visa.apdu";

export interface RecordsEnv {
  print: (line: string) => void;
  sha: Sha256;
  defer: (fn: () => void) => void;
  /** config.example.json's text. */
  configText: string;
  /** Called once everything is printed. */
  done: () => void;
}

const TIME0 = 1768473000000; // 2026-01-15T10:30:00Z

export function runRecords(env: RecordsEnv): void {
  const print = env.print;
  const files: { [name: string]: string } = {};
  const written: { [name: string]: string } = {};
  const store: KeyValueStore = {
    read: (n) => files[n],
    write: function (n, d) {
      print("W " + n + " " + d);
      files[n] = d;
      written[n] = d;
    },
    erase: function (n) {
      print("E " + n);
      delete files[n];
    },
    list: function (p) {
      const out: string[] = [];
      const names = Object.keys(files);
      for (let i = 0; i < names.length; i++) if (names[i].indexOf(p) === 0) out.push(names[i]);
      return out.sort();
    },
  };
  const clock = new SimClock(env.defer);
  let answerAuth = true;
  const http: HttpClient = {
    request: function (method, url, headers, body, t, cb) {
      const names = Object.keys(headers).sort();
      let h = "";
      for (let i = 0; i < names.length; i++) if (names[i].indexOf("X-Tappos") === 0) h += " " + names[i] + "=" + headers[names[i]];
      print("HTTP " + method + " " + url + h + " " + body);
      const reply = function (status: number, text: string) {
        clock.setTimer(20, function () {
          const a: HttpAnswer = { status: status, headers: { "content-type": "application/json" }, body: text };
          cb(null, a);
        });
      };
      const id = body ? (JSON.parse(body) as { clientTransactionId: string }).clientTransactionId : "";
      if (url.indexOf("/v1/reversals") >= 0) reply(200, '{"clientTransactionId":"' + id + '","reversed":true}');
      else if (answerAuth) reply(200, '{"clientTransactionId":"' + id + '","approved":true,"responseCode":"00","authCode":"A1B2C3","message":"APPROVED"}');
      else clock.setTimer(t.connectMs + t.sendMs + t.answerMs, function () {
        const e = new Error("HTTP_TIMEOUT: no complete answer in time") as Error & { code: string; sent: boolean };
        e.code = "HTTP_TIMEOUT";
        e.sent = true;
        cb(e, null);
      });
    },
  };
  let n = 1;
  const random = {
    bytes: function (count: number) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = (n++ * 73) & 0xff;
      return out;
    },
  };
  const wall = settableWallClock(clock, { unixMs: () => TIME0 + clock.now() });
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = i;

  function terminalOn(chip: Pn532Chip): { t: Terminal; auth: TerminalAuth } {
    const auth = new TerminalAuth(
      { url: "http://127.0.0.1:8080", terminalId: "TPOS0001", merchantId: "MERCHANT0001", keyId: "k1", key: key, country: 250, timeouts: DEFAULT_TIMEOUTS },
      { http: http, sha: env.sha, random: random, clock: clock, store: store, wall: wall },
    );
    const config = defaultEntryPointConfig();
    const t = createTerminal({
      link: new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }),
      clock: clock,
      calendar: { today: () => ({ year: 2026, month: 1, day: 15, hour: 10, minute: 30, second: 0 }) },
      wall: wall,
      random: random,
      store: store,
      ui: { show: function () {} },
      beeper: null,
      auth: authPortOf({ checkReady: () => auth.checkReady(), authorize: (s) => auth.authorize(s), authorizer: auth.authorizer }),
      reversals: auth.authorizer,
      settings: { entryPoint: config, machine: defaultMachineConfig(config.terminal.currencyCode), currencyExponent: 2, terminalId: "TPOS0001" },
      print: print,
    });
    return { t: t, auth: auth };
  }

  const chip = new Pn532Chip(clock, { seePhoneNeedsFieldReset: true });
  const first = terminalOn(chip);
  let waiter: ((r: TerminalResult) => void) | null = null;
  first.t.onStatus(function (e: StatusEvent) {
    const w = waiter;
    if (e.type === "result" && e.result && w) {
      waiter = null;
      w(e.result);
    }
  });
  const sale = function (amount: number): Promise<TerminalResult> {
    return new Promise<TerminalResult>(function (resolve) {
      waiter = resolve;
      // The transcript's GPO and GENERATE AC carry the first bytes of this sequence.
      chip.targets = [createTranscriptCard(applepayVisa, { arriveAtMs: clock.now() + 50 }).target];
      n = 1;
      print("till sale " + first.t.sale(amount));
    });
  };
  const fail = function (e: unknown) {
    print("RECORDS FAIL " + ((e as Error).message || e));
    env.done();
  };
  first.t
    .boot()
    .then(function () {
      return first.auth.boot();
    })
    .then(function () {
      return sale(1250);
    })
    .then(function (r) {
      print("result 1 " + JSON.stringify(r));
      answerAuth = false;
      return sale(1250);
    })
    .then(function (r) {
      print("result 2 " + JSON.stringify(r));
      return first.auth.sender.flush();
    })
    .then(function (f) {
      print("flush " + JSON.stringify(f));
      print("last " + first.t.last());
      first.auth.stop();
      // A power cut while sale 2 was in flight: its records as written then are in Storage,
      // and a restart reads them back (the reversal is recovered and sent again).
      store.write("tppending", written["tppending"]);
      store.write("tpsale", written["tpsale"]);
      const sales = new SaleStore(store);
      print("read last " + JSON.stringify(sales.readLast()));
      print("read sale " + JSON.stringify(sales.readSale()));
      const again = terminalOn(new Pn532Chip(clock, { seePhoneNeedsFieldReset: true }));
      return again.auth.boot().then(function (b) {
        print("restart boot " + JSON.stringify(b));
        print("restart queue " + again.auth.authorizer.queue.size() + ", status " + again.t.status() + ", pending " + JSON.stringify(again.auth.authorizer.pending.read()));
        again.auth.stop();
      });
    })
    .then(function () {
      const c = readConfig({ read: (name) => (name === "tpconf" ? env.configText : undefined), write: function () {}, erase: function () {}, list: () => [] });
      print("config " + JSON.stringify(c));
      print("files " + JSON.stringify(store.list("")));
      print("RECORDS END");
      env.done();
    })
    .then(undefined, fail);
}
