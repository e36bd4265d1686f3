// The Espruino UI adapters (src/hal/espruino/ui-outputs.ts) against fakes of Espruino's own
// digitalWrite, pinMode, analogWrite and Graphics, with the real indicators and screen behind
// them. Unproven on hardware: this shows the glue uses Espruino's calling conventions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatusIndicators } from "../../src/app/ui/indicators";
import { openOled } from "../../src/app/ui/oled";
import { toHex } from "../../src/bytes/hex";
import { ui, UiMessage, UiStatus } from "../../src/emv/outcome";
import type { GraphicsFactory, MonoGraphics, OutputPin, ToneOutput } from "../../src/hal/ui-outputs";
import { Ssd1306Sim } from "../../src/sim/ssd1306-sim";
import { FakeClock } from "../helpers/fake-clock";
import { TestGraphics } from "./ui-helpers";

// Imported by path so the test project does not type-check Espruino globals against Node's.
const path = "../../src/hal/espruino/ui-outputs.ts";
interface Adapters {
  espruinoLed(pin: string, activeLow?: boolean): OutputPin;
  espruinoBuzzer(pin: string): ToneOutput;
  espruinoGraphics(): GraphicsFactory | null;
}
async function load(): Promise<Adapters> {
  return (await import(/* @vite-ignore */ path)) as Adapters;
}

const g = globalThis as any;
let calls: string[];
let now: () => number;

beforeEach(() => {
  calls = [];
  now = () => 0;
  g.digitalWrite = (pin: string, v: number | boolean) => calls.push(`${now()} digitalWrite ${pin} ${Number(v)}`);
  g.pinMode = (pin: string, mode: string) => calls.push(`pinMode ${pin} ${mode}`);
  g.analogWrite = (pin: string, v: number, o?: { freq?: number }) => calls.push(`${now()} analogWrite ${pin} ${v}${o ? " " + JSON.stringify(o) : ""}`);
});
afterEach(() => {
  for (const k of ["digitalWrite", "pinMode", "analogWrite", "Graphics"]) delete g[k];
});

describe("Espruino UI adapters", () => {
  it("LEDs: output mode, off at start, digitalWrite 1 for on (0 when active low)", async () => {
    const a = await load();
    const led = a.espruinoLed("D25");
    const low = a.espruinoLed("D26", true);
    led.write(true);
    low.write(true);
    low.write(false);
    expect(calls).toEqual([
      "pinMode D25 output", "0 digitalWrite D25 0",
      "pinMode D26 output", "0 digitalWrite D26 1",
      "0 digitalWrite D25 1", "0 digitalWrite D26 0", "0 digitalWrite D26 1",
    ]);
  });

  it("buzzer: analogWrite(pin, duty, { freq }) for a tone; analogWrite 0 then digitalWrite 0 for silence", async () => {
    const a = await load();
    const bz = a.espruinoBuzzer("D13");
    bz.tone(1500, 0.5);
    bz.off();
    expect(calls).toEqual(["pinMode D13 output", "0 digitalWrite D13 0", '0 analogWrite D13 0.5 {"freq":1500}', "0 analogWrite D13 0", "0 digitalWrite D13 0"]);
  });

  it("the alert tone through the adapters on D25 D26 D27 D14 and D13, timed by the clock", async () => {
    const a = await load();
    const clock = new FakeClock();
    now = () => clock.now();
    const leds = ["D25", "D26", "D27", "D14"].map((p) => a.espruinoLed(p));
    const ind = new StatusIndicators(clock, leds, a.espruinoBuzzer("D13"));
    calls.length = 0;
    ind.show(ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, 0), null);
    clock.advance(1000);
    expect(calls).toEqual([
      "0 digitalWrite D25 0", "0 digitalWrite D26 0", "0 digitalWrite D27 0", "0 digitalWrite D14 0",
      '0 analogWrite D13 0.5 {"freq":750}', "200 analogWrite D13 0", "200 digitalWrite D13 0",
      '400 analogWrite D13 0.5 {"freq":750}', "600 analogWrite D13 0", "600 digitalWrite D13 0",
    ]);
  });

  it("Graphics: null without it; with it, createArrayBuffer(128, 64, 1, { vertical_byte: true, msb: false }) feeding the OLED", async () => {
    const a = await load();
    expect(a.espruinoGraphics()).toBeNull();
    const made: string[] = [];
    let surface: MonoGraphics | null = null;
    g.Graphics = {
      createArrayBuffer: (w: number, h: number, bpp: number, o: object) => {
        made.push(`${w} ${h} ${bpp} ${JSON.stringify(o)}`);
        return (surface = new TestGraphics(w, h));
      },
    };
    const factory = a.espruinoGraphics();
    expect(factory).not.toBeNull();
    const sim = new Ssd1306Sim();
    const screen = openOled(sim, factory);
    screen.show(ui(UiMessage.PresentCard, UiStatus.ReadyToRead, 0), { amountMinor: 995, currencyLabel: "EUR", currencyExponent: 2 });
    expect(made).toEqual(['128 64 1 {"vertical_byte":true,"msb":false}']);
    expect(toHex(sim.ram)).toBe(toHex(new Uint8Array(surface!.buffer)));
  });
});
