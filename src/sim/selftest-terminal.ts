/**
 * The selftest's terminal sales: the whole composition of every board (src/app/terminal.ts
 * createTerminal: PN532 init, phone polling, APDU stack, Entry Point, the Field Off Request,
 * the machine and runner, Storage) booted once over the simulated PN532 on the real I2C link,
 * then a scripted series of sales, each ending at the authorizer: the no-acquirer stub
 * (declined, "no acquirer configured") or an approving stub authorizer bundled here. A
 * transcript phone per kernel is put in the field for its sale. Each step prints the result
 * (PAN masked 6/4), its simulated time and the memory line.
 */
import { noAcquirer } from "../app/no-acquirer";
import { createTerminal, type Terminal } from "../app/terminal";
import { defaultMachineConfig, type TerminalResult } from "../app/terminal-machine";
import type { StatusEvent } from "../app/terminal-runner";
import type { AuthResult } from "../auth/authorizer";
import type { EntryPointConfig } from "../emv/preprocessing";
import type { Calendar, KeyValueStore, Random } from "../hal/types";
import { I2cLink } from "../pn532/link-i2c";
import { Pn532Chip } from "./pn532-chip";
import type { SelftestEnv, SelftestStep } from "./selftest";
import { SimClock } from "./sim-clock";
import { SimI2c } from "./sim-i2c";
import { createTranscriptCard } from "./transcript-card";
import type { TranscriptTap } from "./selftest-taps";

export interface SelftestSale {
  /** Index of the transcript phone put in the field. */
  tap: number;
  amountMinor: number;
  /** true: the stub authorizer approves; false: no acquirer (declined). */
  approve: boolean;
  /** The result's outcome expected (approved, declined). */
  expect: string;
}

function memoryStore(): KeyValueStore {
  const files: { [name: string]: string } = {};
  return {
    read: (n) => files[n],
    write: function (n, d) {
      files[n] = d;
    },
    erase: function (n) {
      delete files[n];
    },
    list: () => [], // the terminal lists nothing
  };
}

/** The boot step, then one step per sale, then the check that nothing is left running. */
export function terminalSteps(env: SelftestEnv, taps: TranscriptTap[], sales: SelftestSale[], config: EntryPointConfig, calendar: Calendar): SelftestStep[] {
  const clock = new SimClock(env.defer);
  const chip = new Pn532Chip(clock, { seePhoneNeedsFieldReset: true });
  // A fresh deterministic sequence per sale: the transcripts' GPO and GENERATE AC carry its first bytes.
  let n = 1;
  const random: Random = {
    bytes: function (count: number) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = (n++ * 73) & 0xff;
      return out;
    },
  };
  // The no-acquirer stub; for an approving sale its answer is turned into an approval (no network).
  const auth = noAcquirer();
  const decline = auth.authorize;
  let approve = false;
  auth.authorize = function (sale) {
    return decline(sale).then(function (r: AuthResult) {
      if (approve) {
        r.outcome = "approved";
        r.reason = "approved";
        r.stan = "000001";
        r.authCode = "SELF01";
      }
      return r;
    });
  };
  let waiter: ((r: TerminalResult) => void) | null = null;
  const t: Terminal = createTerminal({
    link: new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }),
    clock: clock,
    calendar: calendar,
    wall: null,
    random: random,
    store: memoryStore(),
    ui: { show: function () {} },
    beeper: null,
    auth: auth,
    reversals: null,
    settings: { entryPoint: config, machine: defaultMachineConfig(config.terminal.currencyCode), currencyExponent: 2, terminalId: "TPOS0001" },
    print: null,
  });
  t.onStatus(function (e: StatusEvent) {
    const w = waiter;
    if (e.type === "result" && e.result && w) {
      waiter = null;
      w(e.result);
    }
  });
  const steps: SelftestStep[] = [
    {
      name: "terminal boot",
      run: function () {
        return t.boot().then(function (b) {
          if (b.firmware === null) throw b.readerError;
          return b.firmware + ", " + t.status();
        });
      },
    },
  ];
  sales.forEach(function (s) {
    const tap = taps[s.tap];
    steps.push({
      name: "sale " + tap.name + (s.approve ? ", approving authorizer" : ", no acquirer"),
      run: function () {
        const card = createTranscriptCard(tap.text, { arriveAtMs: clock.now() + 50 });
        chip.targets = [card.target];
        n = 1;
        approve = s.approve;
        const start = clock.now();
        const offs = chip.fieldOffs.length;
        return new Promise<TerminalResult>(function (resolve) {
          waiter = resolve;
          t.sale(s.amountMinor);
        }).then(function (r: TerminalResult) {
          const off = chip.fieldOffs.length > offs ? chip.fieldOffs[offs].ms : -1;
          const line = t.last() + ", " + (off >= 0 ? "field off " + off.toFixed(0) + " ms, " : "") + (clock.now() - start).toFixed(0) + " ms, memory " + env.memory();
          const rep = card.report();
          if (!rep.ok) throw rep.failures[0];
          // A See Phone restart honoured the Field Off Request: off at least its hold time.
          if (r.outcome !== s.expect || (off >= 0 && off < (config.holdMs || 0))) throw new Error(line);
          return line;
        });
      },
    });
  });
  steps.push({
    name: "terminal back to idle, nothing running",
    run: function () {
      return new Promise<string>(function (resolve, reject) {
        // The result stays on display resultMs (3 s simulated), then idle.
        clock.setTimer(5000, function () {
          const st = t.status();
          const n = clock.pending();
          if (st !== "idle" || n) reject(new Error(st + ", " + n + " timers"));
          else resolve("idle, no timer pending");
        });
      });
    },
  });
  return steps;
}
