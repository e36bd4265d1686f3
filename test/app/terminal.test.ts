// The whole terminal composition (src/app/terminal.ts) end to end on the simulator: the PN532
// simulator behind the real I2cLink and driver, virtual phones from the card engine (host
// crypto), the real poller, APDU stack, Entry Point, kernels, machine and runner, Storage in
// memory. Each sale: its result and the UI requests shown, in order.
import { describe, expect, it } from "vitest";
import { createTerminal, type Terminal } from "../../src/app/terminal";
import { noAcquirer } from "../../src/app/no-acquirer";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { defaultMachineConfig, type TerminalResult } from "../../src/app/terminal-machine";
import type { AuthPort, StatusEvent } from "../../src/app/terminal-runner";
import type { AuthResult, Sale } from "../../src/auth/authorizer";
import { UiMessage } from "../../src/emv/outcome";
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

/** An authorizer port that approves every sale (no HTTP), recording what it was asked. */
function approving(): AuthPort & { sales: Sale[] } {
  const sales: Sale[] = [];
  return {
    sales,
    checkReady: () => {},
    authorize: (sale: Sale) => {
      sales.push(sale);
      return Promise.resolve({ outcome: "approved", reason: "approved", responseCode: "00", authCode: "A1B2C3", message: "approved", arpc: null, httpStatus: 200, stan: "000001", clientTransactionId: "c1", request: null, reversal: null, error: null } as AuthResult);
    },
    inFlight: () => null,
    reverseInFlight: () => null,
    queueReversal: () => {},
  };
}

interface Rig {
  clock: SimClock;
  chip: Pn532Chip;
  ui: RecordingUi;
  store: MemoryStore;
  terminal: Terminal;
  status: StatusEvent[];
  lines: string[];
}

function rig(targets: VirtualTarget[], auth?: AuthPort): Rig {
  const clock = new SimClock((fn) => setImmediate(fn));
  const chip = new Pn532Chip(clock, { targets, seePhoneNeedsFieldReset: true });
  const ui = new RecordingUi();
  const store = new MemoryStore();
  const lines: string[] = [];
  const terminal = createTerminal({
    link: new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }),
    clock,
    calendar,
    wall: { unixMs: () => WALL_MS },
    random: counting(),
    store,
    ui,
    beeper: null,
    auth: auth ?? noAcquirer(),
    reversals: null,
    settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
    print: (l) => lines.push(l),
  });
  const status: StatusEvent[] = [];
  terminal.onStatus((e) => status.push(e));
  return { clock, chip, ui, store, terminal, status, lines };
}

/** Starts a sale and resolves with its recorded result. */
function sale(r: Rig, amountMinor: number): Promise<TerminalResult> {
  return new Promise((resolve) => {
    r.terminal.onStatus((e) => {
      if (e.type === "result" && e.result) resolve(e.result);
    });
    r.terminal.sale(amountMinor);
  });
}

const messages = (r: Rig): number[] => r.ui.shown.map((s) => s.request.messageId);
const states = (r: Rig): string[] => r.status.filter((e) => e.type === "state").map((e) => e.state);

describe("createTerminal on the simulated PN532", () => {
  it("boots: firmware, SAMConfiguration, idle on display, nothing left from a power cut", async () => {
    const r = rig([]);
    const b = await r.terminal.boot();
    expect(b.firmware).toBe("PN532 v1.6");
    expect(b.readerError).toBeNull();
    expect(b.resume.interrupted).toBeNull();
    expect(r.terminal.readerReady()).toBe(true);
    expect(messages(r)).toEqual([UiMessage.Welcome]);
  });

  it("Apple Pay Visa: See Phone, field off for the hold time, polled again, read, declined by noAcquirer", async () => {
    const r = rig([phone("applepay-visa", 200)]);
    await r.terminal.boot();
    const res = await sale(r, 1250);
    expect(res.outcome).toBe("declined");
    expect(res.reason).toBe("no_acquirer");
    expect(res.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
    expect(r.chip.fieldOffs.length).toBe(1);
    expect(r.chip.fieldOffs[0].ms).toBeGreaterThanOrEqual(1300);
    expect(states(r)).toEqual(["amountEntered", "presentCard", "reading", "fieldOff", "presentCard", "reading", "cardReadOk", "authorising", "declined"]);
    const m = messages(r);
    expect(m).toContain(UiMessage.SeePhone);
    expect(m.indexOf(UiMessage.SeePhone)).toBeLessThan(m.indexOf(UiMessage.CardReadOk));
    expect(m[m.length - 1]).toBe(UiMessage.NotAuthorised);
    expect(r.terminal.last()).toContain("declined 12.50 978 ");
    expect(r.lines.join("\n")).not.toMatch(/\d{13,19}/); // no clear PAN in any till line
  });

  it("Google Pay Mastercard: See Phone (DF4B) and field off, then read, declined by noAcquirer", async () => {
    const r = rig([phone("googlepay-mastercard", 100)]);
    await r.terminal.boot();
    const res = await sale(r, 1250);
    expect(res).toMatchObject({ outcome: "declined", reason: "no_acquirer", amountMinor: 1250, currency: 978 });
    expect(states(r)).toEqual(["amountEntered", "presentCard", "reading", "fieldOff", "presentCard", "reading", "cardReadOk", "authorising", "declined"]);
    expect(r.chip.fieldOffs.length).toBe(1);
    const m = messages(r);
    expect(m.slice(0, 3)).toEqual([UiMessage.Welcome, UiMessage.Processing, UiMessage.PresentCard]);
    expect(m.slice(-3)).toEqual([UiMessage.CardReadOk, UiMessage.Authorising, UiMessage.NotAuthorised]);
  });

  it("QuickPass UnionPay approved by an authorizer port: the record reaches it, the result keeps its STAN and auth code", async () => {
    const a = approving();
    const r = rig([phone("quickpass-unionpay", 100)], a);
    await r.terminal.boot();
    const res = await sale(r, 1250);
    expect(res).toMatchObject({ outcome: "approved", stan: "000001", authCode: "A1B2C3" });
    expect(a.sales.length).toBe(1);
    expect(a.sales[0].record.aid).toMatch(/^A000000333/);
    expect(a.sales[0].amountMinor).toBe(1250);
    expect(messages(r).slice(-3)).toEqual([UiMessage.CardReadOk, UiMessage.Authorising, UiMessage.Approved]);
    expect(r.terminal.last()).toContain("approved 12.50");
    expect(r.store.files.tpsale).toBeUndefined();
  });

  it("two cards: Present one card only, polling goes on, the one left is read", async () => {
    const visa = phone("card-visa", 100);
    const mc = phone("card-mastercard", 100);
    const r = rig([visa, mc]);
    await r.terminal.boot();
    let moved = false;
    const p = sale(r, 1250);
    // Once the collision is on display, the Mastercard leaves the field.
    const wait = (): void => {
      if (!moved && messages(r).includes(UiMessage.PresentOneCardOnly)) {
        moved = true;
        mc.leaveAtMs = r.clock.now();
      } else if (!moved) setImmediate(wait);
    };
    wait();
    const res = await p;
    expect(moved).toBe(true);
    expect(res.outcome).toBe("declined");
    expect(res.maskedPan?.startsWith("4")).toBe(true);
    expect(states(r)).toContain("reading");
  });

  it("a card pulled away during the read: the read ends, Present card again, then the tap timeout", async () => {
    const r = rig([phone("broken-early-removal", 100)]);
    await r.terminal.boot();
    const res = await sale(r, 1250);
    expect(res.outcome).toBe("timeout");
    expect(res.reason).toBe("TAP_TIMEOUT");
    const s = states(r);
    expect(s.slice(0, 4)).toEqual(["amountEntered", "presentCard", "reading", "presentCard"]);
    expect(messages(r)).toContain(UiMessage.PresentCardAgain);
    expect(r.store.files.tpsale).toBeUndefined();
  });

  it("the PN532 absent: boot reports TERMINAL_READER_INIT and a sale ends in error without polling", async () => {
    const clock = new SimClock((fn) => setImmediate(fn));
    const chip = new Pn532Chip(clock, {});
    chip.faults.dropAnswer = 1000;
    const ui = new RecordingUi();
    const t = createTerminal({
      link: new I2cLink(new SimI2c(chip, clock), clock, { pollMs: 2 }),
      clock, calendar, wall: null, random: counting(), store: new MemoryStore(), ui, beeper: null, auth: noAcquirer(), reversals: null,
      settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
      print: null,
    });
    const b = await t.boot();
    expect(b.firmware).toBeNull();
    expect(b.readerError?.message).toMatch(/^TERMINAL_READER_INIT: PN532 init failed: PN532_TIMEOUT/);
    const res = await new Promise<TerminalResult>((resolve) => {
      t.onStatus((e) => e.type === "result" && e.result && resolve(e.result));
      t.sale(500);
    });
    expect(res).toMatchObject({ outcome: "error", reason: "TERMINAL_READER_NOT_READY" });
  });

  it("the link on P70_IRQ (the esp32 board's D4): the init keeps the PN532 driving the line (SAMConfiguration IRQ 1), then the reader answers", async () => {
    const clock = new SimClock((fn) => setImmediate(fn));
    const chip = new Pn532Chip(clock, {});
    const t = createTerminal({
      link: new I2cLink(new SimI2c(chip, clock), clock, { irq: chip.irq }),
      clock, calendar, wall: null, random: counting(), store: new MemoryStore(), ui: new RecordingUi(), beeper: null, auth: noAcquirer(), reversals: null,
      settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
      print: null,
    });
    const b = await t.boot();
    expect(b.readerError).toBeNull();
    expect(b.firmware).toBe("PN532 v1.6");
    expect(chip.irqEnabled).toBe(true);
  });

  it("a stuck P70_IRQ with no chip behind it (Linux, a floating line): the init still ends, TERMINAL_READER_INIT", async () => {
    let reads = 0;
    const bus = { write: () => {}, read: (_a: number, n: number) => (reads++, new Uint8Array(n)) };
    const clock = new SimClock((fn) => setImmediate(fn));
    const t = createTerminal({
      link: new I2cLink(bus, clock, { irq: { isAsserted: () => true, onAssert: () => {} } }),
      clock, calendar, wall: null, random: counting(), store: new MemoryStore(), ui: new RecordingUi(), beeper: null, auth: noAcquirer(), reversals: null,
      settings: { entryPoint: defaultEntryPointConfig(), machine: defaultMachineConfig(978), currencyExponent: 2, terminalId: "TPOS0001" },
      print: null,
    });
    const b = await t.boot();
    expect(b.readerError?.message).toMatch(/^TERMINAL_READER_INIT: PN532 init failed: PN532_NO_ACK/);
    expect(reads).toBeLessThan(200);
    expect(clock.pending()).toBe(0);
  });
});
