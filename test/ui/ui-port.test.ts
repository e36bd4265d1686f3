// The one UI port: fan-out in order, faults isolated, Book A §9.2 hold times on a fake clock;
// the OLED where one is fitted, a NullDisplay where it is not.
import { describe, expect, it } from "vitest";
import { StatusIndicators } from "../../src/app/ui/indicators";
import { openOled } from "../../src/app/ui/oled";
import { Screen } from "../../src/app/ui/screen";
import { NullDisplay, UiFanout } from "../../src/app/ui/ui-port";
import type { UiContext, UiSink } from "../../src/app/ui/ui-port";
import { codedError } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";
import { ui, UiMessage, UiStatus } from "../../src/emv/outcome";
import type { UiRequest } from "../../src/emv/outcome";
import type { OutputPin } from "../../src/hal/ui-outputs";
import { Ssd1306Sim } from "../../src/sim/ssd1306-sim";
import { FakeClock } from "../helpers/fake-clock";
import { recordWrites, TestGraphics } from "./ui-helpers";

function sink(name: string, clock: FakeClock, log: string[]): UiSink {
  return {
    show: (r: UiRequest, c: UiContext | null) => log.push(`${clock.now()} ${name} ${r.messageId.toString(16)} ${r.status}${c ? " " + JSON.stringify(c) : ""}`),
  };
}

describe("UiFanout", () => {
  it("serves every sink in order with the request and its context", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const port = new UiFanout(clock, [sink("leds", clock, log), sink("screen", clock, log)]);
    port.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), { amountMinor: 1250 });
    port.show(ui(UiMessage.Processing, UiStatus.Processing, 0));
    expect(log).toEqual([
      '0 leds 15 READY_TO_READ {"amountMinor":1250}',
      '0 screen 15 READY_TO_READ {"amountMinor":1250}',
      "0 leds 16 PROCESSING",
      "0 screen 16 PROCESSING",
    ]);
  });

  it("a failing sink does not stop the others; its error goes to onError", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const errors: unknown[] = [];
    const broken: UiSink = {
      show: () => {
        throw codedError("SSD1306_NACK", "gone", { address: 0x3c });
      },
    };
    const port = new UiFanout(clock, [broken, sink("leds", clock, log)], { onError: (e) => errors.push(e) });
    port.show(ui(UiMessage.Approved, UiStatus.NotReady, 0));
    expect(log).toEqual(["0 leds 3 NOT_READY"]);
    expect(errors).toMatchObject([{ code: "SSD1306_NACK" }]);
    const silent = new UiFanout(clock, [broken]);
    expect(() => silent.show(ui(UiMessage.Approved, UiStatus.NotReady, 0))).not.toThrow();
  });

  it("hold time: a request sent sooner waits until the shown one's holdMs ends; only the newest waits", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const port = new UiFanout(clock, [sink("ui", clock, log)]);
    port.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 750));
    clock.advance(10);
    port.show(ui(UiMessage.Processing, UiStatus.Processing, 0));
    port.show(ui(UiMessage.Authorising, UiStatus.NotReady, 0));
    expect(port.pending()).toMatchObject({ messageId: UiMessage.Authorising });
    clock.advance(1000);
    port.show(ui(UiMessage.Approved, UiStatus.NotReady, 0));
    expect(log).toEqual(["0 ui 17 CARD_READ_OK", "750 ui 1b NOT_READY", "1010 ui 3 NOT_READY"]);
    expect(port.pending()).toBeNull();
    expect(clock.pending()).toBe(0);
  });

  it("with the real indicators: the success beep and the four LEDs last the card-read hold", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const leds: OutputPin[] = [1, 2, 3, 4].map((n) => ({ write: (on: boolean) => log.push(`${clock.now()} LED${n} ${on ? "on" : "off"}`) }));
    const ind = new StatusIndicators(clock, leds, { tone: (hz) => log.push(`${clock.now()} tone ${hz}`), off: () => log.push(`${clock.now()} silent`) });
    const port = new UiFanout(clock, [ind]);
    port.show(ui(UiMessage.Processing, UiStatus.Processing, 0));
    log.length = 0;
    port.show(ui(UiMessage.CardReadOk, UiStatus.CardReadSuccessfully, 750));
    port.show(ui(UiMessage.Authorising, UiStatus.NotReady, 0));
    clock.advance(2000);
    expect(log).toEqual(["0 LED3 on", "125 LED4 on", "125 tone 1500", "625 silent", "750 LED1 off", "750 LED2 off", "750 LED3 off", "750 LED4 off"]);
  });

  it("a null request (an Outcome without a UI Request) shows nothing", () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const port = new UiFanout(clock, [sink("ui", clock, log)]);
    port.show(null, { amountMinor: 1 });
    expect(log).toEqual([]);
  });

  it("NullDisplay shows nothing and never throws", () => {
    expect(() => new NullDisplay().show(ui(UiMessage.Approved, UiStatus.NotReady, 0), null)).not.toThrow();
  });
});

describe("openOled", () => {
  it("fitted: init sequence on the bus, then a Screen whose frames reach GDDRAM", () => {
    const sim = new Ssd1306Sim();
    const log: string[] = [];
    let g: TestGraphics | null = null;
    const display = openOled(recordWrites(sim, log), { create: (w, h) => (g = new TestGraphics(w, h)) });
    expect(display).toBeInstanceOf(Screen);
    expect(log[0]).toBe("W 3C 00 AE");
    expect(log[log.length - 1]).toBe("W 3C 00 AF");
    display.show(ui(UiMessage.Welcome, UiStatus.Idle, 0), null);
    expect(toHex(sim.ram)).toBe(toHex(new Uint8Array(g!.buffer)));
    expect(sim.ram.some((b) => b !== 0)).toBe(true);
  });

  it("no display at the address: a NullDisplay, and onAbsent hears SSD1306_NACK", () => {
    const absent: unknown[] = [];
    const display = openOled(new Ssd1306Sim({ address: 0x3d }), { create: (w, h) => new TestGraphics(w, h) }, { onAbsent: (e) => absent.push(e) });
    expect(display).toBeInstanceOf(NullDisplay);
    expect(absent).toMatchObject([{ code: "SSD1306_NACK", address: 0x3c }]);
  });

  it("no Graphics in this build: a NullDisplay without touching the bus", () => {
    const log: string[] = [];
    const absent: unknown[] = [];
    const display = openOled(recordWrites(new Ssd1306Sim(), log), null, { onAbsent: (e) => absent.push(e) });
    expect(display).toBeInstanceOf(NullDisplay);
    expect(log).toEqual([]);
    expect(absent).toEqual([null]);
  });
});
