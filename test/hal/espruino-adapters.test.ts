/**
 * The Espruino adapters (src/hal/espruino/) against fakes of Espruino's own objects (I2C1,
 * SPI1, Serial, pins, E, getTime, setTimeout), with the real links and the PN532 simulator
 * behind them: the bytes the link writes are the bytes Espruino's API receives. Unproven on
 * hardware; this shows the glue is byte-exact and uses Espruino's calling conventions.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeCommand } from "../../src/pn532/frame";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";

// Imported by path so the test project does not type-check Espruino globals against Node's.
const dir = "../../src/hal/espruino/";
type AnyFn = (...a: any[]) => any;
interface Adapters {
  espruinoI2c: AnyFn;
  espruinoSpi: AnyFn;
  espruinoSerial: AnyFn;
  espruinoIrqPin: AnyFn;
  espruinoClock: AnyFn;
  espruinoRandom: AnyFn;
}
async function load(): Promise<Adapters> {
  const buses = await import(/* @vite-ignore */ dir + "buses.ts");
  const clock = await import(/* @vite-ignore */ dir + "clock.ts");
  const random = await import(/* @vite-ignore */ dir + "random.ts");
  return { ...buses, ...clock, ...random } as Adapters;
}

const g = globalThis as any;
let pins: Record<string, number>;
let watches: { fn: AnyFn; pin: string; opts: any }[];
let cleared: unknown[];

beforeEach(() => {
  pins = {};
  watches = [];
  cleared = [];
  g.E = {
    toUint8Array: (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0)),
    hwRand: vi.fn(() => 0x04030201),
  };
  g.digitalWrite = (pin: string, v: number | boolean) => {
    pins[pin] = v ? 1 : 0;
  };
  g.digitalRead = (pin: string) => pins[pin] ?? 1;
  g.pinMode = () => undefined;
  g.setWatch = (fn: AnyFn, pin: string, opts: any) => watches.push({ fn, pin, opts });
  g.clearWatch = (id: unknown) => cleared.push(id);
});
afterEach(() => {
  for (const k of ["E", "digitalWrite", "digitalRead", "pinMode", "setWatch", "clearWatch", "getTime"]) delete g[k];
});

describe("Espruino adapters", () => {
  it("I2C: the link's frames reach I2C1.writeTo / readFrom byte for byte (address 0x24)", async () => {
    const a = await load();
    const clock = new SimClock((fn) => setImmediate(fn));
    const chip = new Pn532Chip(clock);
    const sim = new SimI2c(chip, clock);
    const calls: string[] = [];
    const I2C1 = {
      writeTo: (addr: number, data: Uint8Array) => {
        calls.push(`W ${addr.toString(16)} ${toHex(data)}`);
        sim.write(addr, data);
      },
      readFrom: (addr: number, n: number) => sim.read(addr, n),
    };
    const link = new I2cLink(a.espruinoI2c(I2C1), clock);
    await link.writeFrame(encodeCommand(fromHex("02")));
    expect(toHex(await link.readFrame(100))).toBe("0000FF00FF00");
    expect(toHex(await link.readFrame(100))).toBe("0000FF06FAD50332010607E800");
    expect(calls).toContain("W 24 0000FF02FED4022A00");
  });

  it("SPI: chip select low around each transfer, data through spi.send", async () => {
    const a = await load();
    const sent: string[] = [];
    const SPI1 = { send: (d: Uint8Array) => (sent.push(`${pins.CS} ${toHex(d)}`), new Uint8Array(d.length)) };
    const bus = a.espruinoSpi(SPI1, "CS");
    bus.select();
    bus.transfer(fromHex("0200"));
    bus.deselect();
    expect(sent).toEqual(["0 0200"]);
    expect(pins.CS).toBe(1);
  });

  it("Serial: writes bytes, and string chunks from Serial.on('data') arrive as bytes", async () => {
    const a = await load();
    let onData: AnyFn = () => undefined;
    const written: string[] = [];
    const setups: number[] = [];
    const Serial2 = {
      setup: (baud: number) => setups.push(baud),
      write: (d: Uint8Array) => written.push(toHex(d)),
      on: (_ev: string, fn: AnyFn) => (onData = fn),
    };
    const port = a.espruinoSerial(Serial2, "RX", "TX");
    const got: string[] = [];
    port.onData((c: Uint8Array) => got.push(toHex(c)));
    port.setBaudRate(921600);
    port.write(fromHex("5555000000"));
    onData("\x00\x00\xff\x00\xff\x00");
    expect(setups).toEqual([921600]);
    expect(written).toEqual(["5555000000"]);
    expect(got).toEqual(["0000FF00FF00"]);
  });

  it("IRQ pin: the listener is the falling-edge watch's callback, set when registered; asserted while low", async () => {
    const a = await load();
    const irq = a.espruinoIrqPin("D4");
    expect(watches).toEqual([]); // no watch before a listener
    let n = 0;
    const l = () => n++;
    irq.onAssert(l);
    expect(watches.length).toBe(1);
    expect(watches[0]).toMatchObject({ fn: l, pin: "D4", opts: { repeat: true, edge: "falling" } });
    pins.D4 = 0;
    watches[0].fn({ state: false });
    expect(n).toBe(1);
    expect(irq.isAsserted()).toBe(true);
    pins.D4 = 1;
    expect(irq.isAsserted()).toBe(false);
    irq.onAssert(null);
    expect(cleared).toEqual([1]); // that watch's id only: clearWatch() would clear them all
    expect(watches.length).toBe(1);
  });

  it("clock: ms from getTime(); the caller's function is the timeout's, the id the handle; unknown handles ignored", async () => {
    const a = await load();
    g.getTime = () => 12.5;
    const real = { set: g.setTimeout, clear: g.clearTimeout };
    const fired: AnyFn[] = [];
    const live: boolean[] = [];
    const cleared: unknown[] = [];
    g.setTimeout = (fn: AnyFn) => (fired.push(fn), (live[fired.length] = true), fired.length);
    // Stricter than 2v29 (a no-op there): throws for an id that fired or never was.
    g.clearTimeout = (id: unknown) => {
      cleared.push(id);
      if (typeof id !== "number" || !live[id]) throw new Error("Unknown Timeout");
      live[id] = false;
    };
    try {
      const c = a.espruinoClock();
      expect(c.now()).toBe(12500);
      let ran = 0;
      const f = () => ran++;
      const h1 = c.setTimer(5, f);
      const h2 = c.setTimer(5, () => ran++);
      expect(fired[0]).toBe(f);
      fired[0]();
      live[h1] = false;
      c.clearTimer(h1);
      c.clearTimer(h2);
      c.clearTimer(-1);
      c.clearTimer(undefined as unknown as number);
      expect(ran).toBe(1);
      expect(live[h2]).toBe(false);
      expect(cleared).toEqual([h1, h2, -1]);
    } finally {
      g.setTimeout = real.set;
      g.clearTimeout = real.clear;
    }
  });

  it("random: 32 bits of E.hwRand() per four bytes", async () => {
    const a = await load();
    expect(toHex(a.espruinoRandom().bytes(6))).toBe("010203040102");
  });
});
