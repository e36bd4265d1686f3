/**
 * The parts of `npm start` below its processes (host/terminal/): the mode chosen from the
 * arguments and whether stdin is a terminal, the text UI's lines for the display, the LEDs
 * and the buzzer, the paced simulator clock, and the virtual field keeping a card's ATC.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { ui, UiMessage, UiStatus } from "../../src/emv/outcome";
import { parseStartArgs } from "../../host/terminal/args";
import { VirtualField } from "../../host/terminal/field";
import { PacedClock } from "../../host/terminal/paced-clock";
import { displayText, ledText, textUi } from "../../host/terminal/text-ui";
import { readCardAtc } from "../../host/tap/state";
import { nodeClock, nodeRandom } from "../../host/auth/node-hal";
import { FakeClock } from "../helpers/fake-clock";

const root = mkdtempSync(join(tmpdir(), "tappos-start-parts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const usageOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isCoded(e)) return e.code;
    throw e;
  }
  return "none";
};

describe("start arguments", () => {
  it("a terminal on stdin means interactive, none means headless; the flags force either", () => {
    expect(parseStartArgs([], true).mode).toBe("interactive");
    expect(parseStartArgs([], false).mode).toBe("headless");
    expect(parseStartArgs(["--interactive"], false).mode).toBe("interactive");
    expect(parseStartArgs(["--headless"], true).mode).toBe("headless");
    expect(parseStartArgs(["--selftest"], true).mode).toBe("selftest");
  });

  it("--amount with --tap is one scripted sale, in minor units", () => {
    const a = parseStartArgs(["--amount", "12.34", "--tap", "card-visa", "--json", "--state", "/x"], true);
    expect([a.mode, a.amountMinor, a.tap, a.json, a.stateDir]).toEqual(["scripted", 1234, "card-visa", true, "/x"]);
  });

  it("refuses what it cannot run: START_USAGE (TAP_USAGE for the amount's own syntax)", () => {
    expect(usageOf(() => parseStartArgs(["--tap", "card-visa"], true))).toBe("START_USAGE");
    expect(usageOf(() => parseStartArgs(["--amount", "0", "--tap", "card-visa"], true))).toBe("START_USAGE");
    expect(usageOf(() => parseStartArgs(["--amount", "1.00", "--tap", "card-visa", "--headless"], true))).toBe("START_USAGE");
    expect(usageOf(() => parseStartArgs(["--json"], true))).toBe("START_USAGE");
    expect(usageOf(() => parseStartArgs(["--interactive", "--headless"], true))).toBe("START_USAGE");
    expect(usageOf(() => parseStartArgs(["--amount", "-1", "--tap", "x"], true))).toBe("TAP_USAGE");
    expect(usageOf(() => parseStartArgs(["--amount", "1,00", "--tap", "x"], true))).toBe("TAP_USAGE");
  });
});

describe("text UI", () => {
  it("LEDs as ●○○○, display text with the amount and a masked PAN only", () => {
    expect(ledText(0)).toBe("○○○○");
    expect(ledText(1)).toBe("●○○○");
    expect(ledText(15)).toBe("●●●●");
    const t = displayText(ui(UiMessage.Approved, UiStatus.CardReadSuccessfully, 0), { amountMinor: 1234, currencyExponent: 2, maskedPan: "4761739001010010" }, "EUR");
    // Even a clear PAN handed by mistake comes out masked 6/4.
    expect(t).toBe("Approved  12.34 EUR  card 476173******0010");
  });

  it("one line per moment: display, then the LEDs; Card Read OK's steps and its beep; idle flashing told once", async () => {
    const clock = new FakeClock(0);
    const lines: string[] = [];
    const t = textUi(clock, "EUR", (kind, text) => lines.push(kind + " " + text));
    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
    t.port.show(ui(UiMessage.Welcome, UiStatus.Idle, 0), null);
    await tick();
    clock.advance(10000);
    await tick();
    t.port.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 0), { amountMinor: 500, currencyExponent: 2 });
    await tick();
    clock.advance(125);
    await tick();
    clock.advance(500);
    await tick();
    t.stop();
    t.port.show(ui(UiMessage.Welcome, UiStatus.Idle, 0), null); // after stop: nothing
    await tick();
    expect(lines).toEqual([
      "display Welcome",
      "leds ●○○○ LED1 flashing (idle)",
      "display Card Read OK Please Remove Card  5.00 EUR",
      "leds ●●●○",
      "leds ●●●●",
      "buzzer 1500 Hz 500 ms",
      "leds ○○○○",
    ]);
  });
});

describe("paced simulator clock", () => {
  it("follows real time, runs ahead by the bus time charged, fires timers on real time", async () => {
    const c = new PacedClock();
    const t0 = c.now();
    c.advance(1000);
    expect(c.now() - t0).toBeGreaterThanOrEqual(1000);
    const fired: number[] = [];
    c.setTimer(20, () => fired.push(1));
    const h = c.setTimer(20, () => fired.push(2));
    c.clearTimer(h);
    expect(c.pending()).toBe(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toEqual([1]);
    expect(c.pending()).toBe(0);
    c.stop();
  });
});

describe("virtual field", () => {
  it("a phone held out is in the chip's field and its APDUs are noted; taken away it is gone; an unknown profile is a usage error (ATCs across runs: start.test.ts)", async () => {
    const state = join(root, "field");
    const seen: string[] = [];
    const f = new VirtualField({ clock: nodeClock(), stateDir: state, random: nodeRandom, onApdu: (e, label) => seen.push(label + " " + e.command[1].toString(16)) });
    expect(f.current()).toBeNull();
    expect(f.present("quickpass-unionpay")).toBe("quickpass-unionpay");
    expect(f.chip.targets.length).toBe(1);
    // The target's own handler, as the simulator calls it: SELECT the app, then GPO (its answer carries 9F36).
    const t = f.chip.targets[0];
    const select = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x08, 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01, 0x00]);
    expect(t.handle(select, f.simClock.now())?.response.slice(-2)).toEqual(Uint8Array.from([0x90, 0x00]));
    expect(seen).toEqual(["quickpass-unionpay a4"]);
    f.remove();
    expect(f.current()).toBeNull();
    expect(f.chip.targets.length).toBe(0);
    f.stop();
    expect(readCardAtc(state, "quickpass-unionpay")).toEqual({});
    expect(usageOf(() => f.present("no-such-phone"))).toBe("TAP_USAGE");
  });
});
