// One driver rig per host link for the contract suite (docs/architecture.md "Conventions" §9): SimClock (setImmediate)
// → Pn532Chip → bus front-end → spy → the real link → spy → the real Pn532 driver.
// The bus spy records what crossed the bus in PN532 byte order (an MSB-first SPI master's
// bit reversal undone), the link spy the frames the link handed to the driver.
import { toHex } from "../../src/bytes/hex";
import type { I2cBus, SerialPort, SpiBus } from "../../src/hal/types";
import { Pn532 } from "../../src/pn532/driver";
import type { Pn532Options } from "../../src/pn532/driver";
import type { Pn532Link } from "../../src/pn532/link";
import { I2cLink } from "../../src/pn532/link-i2c";
import { HsuLink } from "../../src/pn532/link-hsu";
import { reverseBits, SpiLink } from "../../src/pn532/link-spi";
import { Pn532Chip, WakeSource } from "../../src/sim/pn532-chip";
import type { ChipOptions } from "../../src/sim/pn532-chip";
import type { SimClock } from "../../src/sim/sim-clock";
import { SimHsu } from "../../src/sim/sim-hsu";
import { SimI2c } from "../../src/sim/sim-i2c";
import { SimSpi } from "../../src/sim/sim-spi";
import { hx, nodeClock } from "../sim/sim-helpers";

export interface Wire {
  /** Host → PN532 transactions carrying bytes, hex: I2C writes, SPI 01 data writes (prefix kept), HSU writes. */
  tx: string[];
  /** SPI only: the first byte (prefix) of each data write as the master shifted it (bit-reversed on an MSB-first bus). */
  rawTx: number[];
  /** What the host received, spaced hex, in order: I2C reads after the status byte, SPI 03 reads after the prefix, HSU chunks. */
  rx: string[];
  /** Frames the link handed to the driver, hex. */
  frames: string[];
  /** Ready-status reads: 1-byte I2C reads (the wake-up read included), SPI 02 transactions. */
  statusReads: number;
  clear(): void;
}

export interface Rig {
  clock: SimClock;
  chip: Pn532Chip;
  link: Pn532Link;
  pn: Pn532;
  wire: Wire;
  /** HSU only. */
  hsu: SimHsu | null;
}

export interface RigOptions {
  chip?: ChipOptions;
  driver?: Pn532Options;
}

export interface Variant {
  name: string;
  kind: "i2c" | "spi" | "hsu";
  /** SAMConfiguration IRQ parameter this wiring needs (the link waits on P70_IRQ). */
  useIrq: boolean;
  /** SPI on an MSB-first master: the link reverses the bits of every byte. */
  reversed: boolean;
  /** PowerDown WakeUpEnable bit of this interface (§7.2.11). */
  wakeSource: number;
  make(opts?: RigOptions): Rig;
}

function newWire(): Wire {
  const w: Wire = {
    tx: [],
    rawTx: [],
    rx: [],
    frames: [],
    statusReads: 0,
    clear() {
      w.tx.length = 0;
      w.rawTx.length = 0;
      w.rx.length = 0;
      w.frames.length = 0;
      w.statusReads = 0;
    },
  };
  return w;
}

function spyI2c(bus: I2cBus, w: Wire): I2cBus {
  return {
    write(a, d) {
      w.tx.push(toHex(d));
      bus.write(a, d);
    },
    read(a, n) {
      const r = bus.read(a, n);
      if (n === 1) w.statusReads++;
      else if (r[0] & 1) w.rx.push(hx(r.subarray(1)));
      return r;
    },
  };
}

function spySpi(bus: SpiBus, w: Wire, reversed: boolean): SpiBus {
  let mosi: number[] = [];
  let miso: number[] = [];
  let raw = -1;
  const order = (b: number) => (reversed ? reverseBits(b) : b);
  return {
    select() {
      mosi = [];
      miso = [];
      raw = -1;
      bus.select();
    },
    transfer(d) {
      const r = bus.transfer(d);
      if (raw < 0 && d.length > 0) raw = d[0];
      for (const b of d) mosi.push(order(b));
      for (const b of r) miso.push(order(b));
      return r;
    },
    deselect() {
      bus.deselect();
      if (mosi[0] === 0x01) {
        w.tx.push(toHex(mosi));
        w.rawTx.push(raw);
      } else if (mosi[0] === 0x02) w.statusReads++;
      else if (mosi[0] === 0x03) w.rx.push(hx(miso.slice(1)));
    },
  };
}

function spySerial(port: SerialPort, w: Wire): SerialPort {
  return {
    setBaudRate: (b) => port.setBaudRate(b),
    write(d) {
      w.tx.push(toHex(d));
      port.write(d);
    },
    onData(l) {
      port.onData(
        l
          ? (c) => {
              w.rx.push(hx(c));
              l(c);
            }
          : null,
      );
    },
  };
}

function spyLink(link: Pn532Link, w: Wire): Pn532Link {
  return {
    kind: link.kind,
    writeFrame: (f) => link.writeFrame(f),
    readFrame: (ms) =>
      link.readFrame(ms).then((f) => {
        w.frames.push(toHex(f));
        return f;
      }),
    wakeUp: () => link.wakeUp(),
    setHostBaudRate: (b) => link.setHostBaudRate(b),
  };
}

/** Every rig made since the last drain(), for the after-each checks. */
const made: Rig[] = [];

export function drainRigs(): Rig[] {
  return made.splice(0, made.length);
}

function finish(clock: SimClock, chip: Pn532Chip, link: Pn532Link, wire: Wire, hsu: SimHsu | null, opts: RigOptions): Rig {
  const rig: Rig = { clock, chip, link, wire, hsu, pn: new Pn532(spyLink(link, wire), clock, opts.driver) };
  made.push(rig);
  return rig;
}

function chipOn(opts: RigOptions): { clock: SimClock; chip: Pn532Chip } {
  const clock = nodeClock();
  return { clock, chip: new Pn532Chip(clock, opts.chip) };
}

function i2c(name: string, irq: boolean): Variant {
  return {
    name,
    kind: "i2c",
    useIrq: irq,
    reversed: false,
    wakeSource: WakeSource.I2c,
    make(opts?: RigOptions) {
      const o = opts ?? {};
      const s = chipOn(o);
      const wire = newWire();
      const bus = spyI2c(new SimI2c(s.chip, s.clock), wire);
      return finish(s.clock, s.chip, new I2cLink(bus, s.clock, { irq: irq ? s.chip.irq : null }), wire, null, o);
    },
  };
}

function spi(name: string, msbFirst: boolean): Variant {
  return {
    name,
    kind: "spi",
    useIrq: false,
    reversed: msbFirst,
    wakeSource: WakeSource.Spi,
    make(opts?: RigOptions) {
      const o = opts ?? {};
      const s = chipOn(o);
      const wire = newWire();
      const bus = spySpi(new SimSpi(s.chip, s.clock, { msbFirstBus: msbFirst }), wire, msbFirst);
      return finish(s.clock, s.chip, new SpiLink(bus, s.clock, { reverseBits: msbFirst }), wire, null, o);
    },
  };
}

const hsu115200: Variant = {
  name: "HSU 115200 baud",
  kind: "hsu",
  useIrq: false,
  reversed: false,
  wakeSource: WakeSource.Hsu,
  make(opts?: RigOptions) {
    const o = opts ?? {};
    const s = chipOn(o);
    const wire = newWire();
    const sim = new SimHsu(s.chip, s.clock);
    return finish(s.clock, s.chip, new HsuLink(spySerial(sim.port, wire), s.clock), wire, sim, o);
  },
};

export const VARIANTS: Variant[] = [
  i2c("I2C, ready-bit polling", false),
  i2c("I2C, P70_IRQ", true),
  spi("SPI, LSB-first bus", false),
  spi("SPI, MSB-first bus + reverseBits", true),
  hsu115200,
];

/** The bytes a host frame occupies on this variant's bus: SPI adds the 01 data-write prefix. */
export function onBus(v: Variant, frameHex: string): string {
  return (v.kind === "spi" ? "01" : "") + frameHex;
}

/** Host writes before the first frame that wake the chip: only HSU writes bytes (55 55 00×14). */
export function wakeTx(v: Variant): string[] {
  return v.kind === "hsu" ? ["5555" + "00".repeat(14)] : [];
}
