// The card reader loaded when a sale needs it and let go once authorising or at idle
// (src/app/lazy-reader.ts, terminal-compose.ts fanOut), as
// the esp32 runs it from its part tpp.card: composeTerminal with lazyReader over the real
// pn532Reader, on the simulated PN532 with virtual phones. The sales end exactly as with
// createTerminal; the reader is made once per sale and let go as the authorization starts (the
// card read), or when the terminal is idle again if the sale ends before that; a cancelled poll stops polling, and a reader that cannot be loaded ends the sale in a
// defined state with its code.
import { describe, expect, it } from "vitest";
import { pn532Reader } from "../../src/app/card-reader";
import { lazyReader, type CardLoader } from "../../src/app/lazy-reader";
import { noAcquirer } from "../../src/app/no-acquirer";
import { composeTerminal, createTerminal, type ReaderMaker, type Terminal, type TerminalParts } from "../../src/app/terminal";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { defaultMachineConfig, type TerminalResult } from "../../src/app/terminal-machine";
import type { StatusEvent } from "../../src/app/terminal-runner";
import { codedError } from "../../src/bytes/coded-error";
import type { Random } from "../../src/hal/types";
import { I2cLink } from "../../src/pn532/link-i2c";
import { createCard } from "../../src/sim/card-engine";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { profileByName } from "../../src/sim/profiles";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { nodeCardCrypto } from "../../host/crypto";
import { calendar, MemoryStore, RecordingUi, WALL_MS } from "./ports";

function counting(): Random {
  let n = 1;
  return { bytes: (count: number) => Uint8Array.from({ length: count }, () => (n++ * 73) & 0xff) };
}

function phone(name: string, arriveAtMs: number): VirtualTarget {
  const p = profileByName(name);
  if (!p) throw new Error("no profile " + name);
  return createCard(JSON.parse(JSON.stringify(p)), nodeCardCrypto, { arriveAtMs, random: counting() });
}

interface Rig {
  clock: SimClock;
  chip: Pn532Chip;
  /** Frames the host wrote to the PN532. */
  writes: { n: number };
  terminal: Terminal;
  status: StatusEvent[];
  log: string[];
  parts: TerminalParts;
}

/**
 * A terminal on the simulator; `lazy`: its reader through lazyReader (load/unload logged), else
 * createTerminal's. `later`: the code handed over on a later turn of the event loop, as a part
 * run at the root scope is (src/hal/espruino/parts.ts runRootPart); `load`: a loader of its own.
 */
function rig(targets: VirtualTarget[], lazy: boolean, load?: CardLoader, later = false): Rig {
  const clock = new SimClock((fn) => setImmediate(fn));
  const chip = new Pn532Chip(clock, { targets, seePhoneNeedsFieldReset: true });
  const log: string[] = [];
  const bus = new SimI2c(chip, clock);
  const writes = { n: 0 };
  const counted = {
    write: (address: number, data: Uint8Array) => {
      writes.n++;
      bus.write(address, data);
    },
    read: (address: number, length: number) => bus.read(address, length),
  };
  const parts: TerminalParts = {
    link: new I2cLink(counted, clock, { pollMs: 2 }),
    clock,
    calendar,
    wall: { unixMs: () => WALL_MS },
    random: counting(),
    store: new MemoryStore(),
    ui: new RecordingUi(),
    beeper: null,
    auth: noAcquirer(),
    reversals: null,
    settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
    print: null,
  };
  const status: StatusEvent[] = [];
  const maker = lazyReader(
    load ??
      function (ready) {
        log.push("load");
        const give = () => {
          log.push("loaded");
          ready(pn532Reader as ReaderMaker, function () {
            log.push("unload");
          });
        };
        // A later turn: a timer of the (simulated) clock, whose time the terminal's deadlines share.
        if (later) clock.setTimer(0, give);
        else give();
      },
  );
  const terminal = lazy ? composeTerminal(parts, maker) : createTerminal(parts);
  terminal.onStatus((e) => {
    status.push(e);
    if (e.type === "state") log.push(e.state);
  });
  return { clock, chip, writes, terminal, status, log, parts };
}

function sale(r: Rig, amountMinor: number): Promise<TerminalResult> {
  return new Promise((resolve) => {
    r.terminal.onStatus((e) => {
      if (e.type === "result" && e.result) resolve(e.result);
    });
    r.terminal.sale(amountMinor);
  });
}

/** Resolves once the terminal reports `state`. */
function reaches(r: Rig, state: string): Promise<void> {
  return new Promise((resolve) => r.terminal.onStatus((e) => (e.type === "state" && e.state === state ? resolve() : undefined)));
}

describe("lazyReader: the card reader made when a sale polls, let go once authorising or idle", () => {
  it.each(["applepay-visa", "googlepay-mastercard", "quickpass-unionpay"])("%s: the same result as createTerminal's; loaded once, let go as the authorization starts", async (name) => {
    const eager = rig([phone(name, 100)], false);
    await eager.terminal.boot();
    const want = await sale(eager, 1250);
    const r = rig([phone(name, 100)], true);
    await r.terminal.boot();
    expect(r.log).toEqual([]); // the boot inits the PN532 without the reader's code
    const idle = reaches(r, "idle");
    const got = await sale(r, 1250);
    expect(got).toEqual(want);
    await idle; // after the result's display time, on the simulated clock
    expect(r.log.filter((l) => l === "load" || l === "unload")).toEqual(["load", "unload"]);
    expect(r.log.indexOf("load")).toBe(r.log.indexOf("presentCard") + 1); // made when the sale polls
    expect(r.log.indexOf("loaded")).toBe(r.log.indexOf("load") + 1); // handed over at once
    // Let go as the terminal reports authorising (no later state polls or reads), not again at idle.
    expect(r.log.indexOf("unload")).toBe(r.log.indexOf("authorising") - 1);
    expect(r.log[r.log.length - 1]).toBe("idle");
  });

  it("the AIDs' parsed bytes are not held at idle, after the composition and after a sale (the card part parses them again)", async () => {
    const eager = rig([phone("applepay-visa", 100)], false);
    await eager.terminal.boot();
    const want = await sale(eager, 1250);
    const r = rig([phone("applepay-visa", 100)], true);
    const aids = r.parts.settings.entryPoint.aids;
    expect(aids.length).toBeGreaterThan(0);
    expect(aids.filter((a) => a.aidParsed !== undefined)).toEqual([]);
    await r.terminal.boot();
    const idle = reaches(r, "idle");
    const got = await sale(r, 1250);
    expect(got).toEqual(want);
    await idle;
    expect(aids.filter((a) => a.aidParsed !== undefined)).toEqual([]);
  });

  it("two sales: a reader made for each, each let go", async () => {
    const r = rig([phone("card-visa", 100)], true);
    await r.terminal.boot();
    for (let i = 0; i < 2; i++) {
      const idle = reaches(r, "idle");
      await sale(r, 1250);
      await idle;
      r.chip.targets = [phone("card-visa", r.clock.now() + 100)];
    }
    expect(r.log.filter((l) => l === "load" || l === "unload")).toEqual(["load", "unload", "load", "unload"]);
  });

  it("cancel while polling: the reader let go and polling stopped (no InListPassiveTarget after)", async () => {
    const r = rig([], true);
    await r.terminal.boot();
    const polling = reaches(r, "presentCard");
    r.terminal.sale(1250);
    await polling;
    await new Promise((res) => setTimeout(res, 20));
    r.terminal.cancel();
    await new Promise((res) => setTimeout(res, 50));
    expect(r.log.slice(-2)).toEqual(["unload", "idle"]);
    // What was in flight settles (the poll's abort); then nothing more is written.
    await new Promise((res) => setTimeout(res, 100));
    const before = r.writes.n;
    await new Promise((res) => setTimeout(res, 200));
    expect(r.writes.n).toBe(before);
    expect(r.clock.pending()).toBe(0);
  });

  it("the code handed over on a later turn (a part run at the root scope): polling starts then, the same result", async () => {
    const eager = rig([phone("googlepay-mastercard", 100)], false);
    await eager.terminal.boot();
    const want = await sale(eager, 1250);
    const r = rig([phone("googlepay-mastercard", 100)], true, undefined, true);
    await r.terminal.boot();
    const idle = reaches(r, "idle");
    const got = await sale(r, 1250);
    expect(got).toEqual(want);
    await idle;
    expect(r.log.filter((l) => /^(un)?load(ed)?$/.test(l))).toEqual(["load", "loaded", "unload"]);
    expect(r.log.indexOf("load")).toBe(r.log.indexOf("presentCard") + 1);
    expect(r.log.indexOf("loaded")).toBe(r.log.indexOf("load") + 1); // nothing else happened meanwhile
  });

  it("the code fails to arrive (its top level threw): the sale ends at its tap deadline, nothing polled; the next sale loads it again", async () => {
    let fail = true;
    const log: string[] = [];
    let clock: SimClock | null = null;
    const r = rig([phone("card-visa", 100)], true, function (ready, failed) {
      log.push("load");
      // On a later turn of the (simulated) clock, as a part run at the root scope.
      (clock as SimClock).setTimer(0, function () {
        if (fail) failed();
        else
          ready(pn532Reader as ReaderMaker, function () {
            log.push("unload");
          });
      });
    });
    clock = r.clock;
    await r.terminal.boot();
    const before = r.writes.n;
    let idle = reaches(r, "idle");
    const first = await sale(r, 1250);
    expect(first).toMatchObject({ outcome: "timeout", reason: "TAP_TIMEOUT" }); // nothing read, nothing charged
    expect(r.writes.n).toBe(before); // no InListPassiveTarget was sent
    await idle;
    fail = false;
    r.chip.targets = [phone("card-visa", r.clock.now() + 100)];
    idle = reaches(r, "idle");
    const second = await sale(r, 1250);
    expect(second.outcome).not.toBe("timeout");
    await idle;
    expect(log).toEqual(["load", "load", "unload"]);
  });

  it("cancel while the code loads: it is let go as soon as it arrives, nothing polls, the terminal idle", async () => {
    const r = rig([phone("card-visa", 100)], true, undefined, true);
    await r.terminal.boot();
    const idle = reaches(r, "idle");
    const before = r.writes.n;
    r.terminal.sale(1250);
    r.terminal.cancel(); // before the clock's next turn: the code is still on its way
    await idle;
    await new Promise((res) => setTimeout(res, 50));
    expect(r.log.filter((l) => /^(un)?load(ed)?$/.test(l))).toEqual(["load", "loaded", "unload"]);
    expect(r.writes.n).toBe(before); // no InListPassiveTarget was sent
    expect(r.clock.pending()).toBe(0);
  });

  it("a reader that cannot be loaded: the sale ends in error with the part's code, the terminal back to idle", async () => {
    const r = rig([phone("card-visa", 100)], true, () => {
      throw codedError("BOARD_PART_MISSING", "tpp.card is not in Storage: npm run flash writes it", { part: "tpp.card" });
    });
    await r.terminal.boot();
    const faults: StatusEvent[] = [];
    r.terminal.onStatus((e) => (e.type === "fault" ? faults.push(e) : undefined));
    const idle = reaches(r, "idle");
    const res = await sale(r, 1250);
    await idle;
    expect(faults.map((f) => f.code)).toContain("BOARD_PART_MISSING");
    expect(res).toMatchObject({ outcome: "timeout", reason: "TAP_TIMEOUT" }); // nothing read, nothing charged
  });
});
