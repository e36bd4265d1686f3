/**
 * One simulated tap with the real firmware path (docs/architecture.md "Timing model"): SimClock →
 * Pn532Chip with a virtual card (card engine + profile, host crypto) → simulated bus (I2C,
 * SPI or HSU) → the real link → Pn532 driver → the APDU stack (src/nfc/apdu-stack.ts) →
 * entry point → kernel. Time is simulated, so the figures are what the hardware would take,
 * not what this CPU takes.
 *
 * The figures of a tap (from InListPassiveTarget to the Outcome):
 * - RF: ISO 14443 wire time of every InDataExchange (chip.lastExchange.rfMs: I-blocks,
 *   R(ACK)s, S(WTX), frame delay times) plus the type A activation (sim-timing activationMs);
 * - card: the card's own processing time (lastExchange.processingMs, from its profile);
 * - limit = RF + card, the physical limit; overhead = total − limit, what the reader adds
 *   (host link, PN532 firmware time, waiting for RDY);
 * - link: the host bus busy moving frames (I2C 9 bits per byte with the address byte, SPI 8
 *   bits per byte, HSU 10 bits per byte both ways), ready-status polls not counted. Not a
 *   share of the overhead: part of it overlaps RF time (the host reads the ACK frame while
 *   the PN532 already talks to the card).
 */
import { runEntryPoint } from "../../src/emv/entry-point";
import type { Outcome } from "../../src/emv/outcome";
import type { EntryPointConfig } from "../../src/emv/preprocessing";
import type { Calendar, I2cBus, SerialPort, SpiBus } from "../../src/hal/types";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { fieldOffFor } from "../../src/nfc/field-off";
import type { TargetA } from "../../src/pn532/api";
import { Pn532 } from "../../src/pn532/driver";
import type { Pn532Link } from "../../src/pn532/link";
import { HsuLink } from "../../src/pn532/link-hsu";
import { I2cLink } from "../../src/pn532/link-i2c";
import { SpiLink } from "../../src/pn532/link-spi";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimHsu } from "../../src/sim/sim-hsu";
import { SimI2c } from "../../src/sim/sim-i2c";
import { SimSpi } from "../../src/sim/sim-spi";
import { activationMs, type ExchangeRecord } from "../../src/sim/sim-timing";
import { nodeCardCrypto } from "../crypto";
import { seededRandom } from "../fuzz/prng";

/** A host link and its speed. */
export interface LinkSpec {
  name: string;
  kind: "i2c" | "spi" | "hsu";
  /** I2C SCL / SPI SCK, Hz. */
  hz?: number;
  /** HSU baud rate after SetSerialBaudRate (the PN532 starts at 115200). */
  baud?: number;
  /** Wait for P70_IRQ instead of polling the ready bit. */
  irq?: boolean;
}

export const I2C_400: LinkSpec = { name: "I2C 400 kHz", kind: "i2c", hz: 400000 };

/** The links of the per-link table. */
export const LINKS: LinkSpec[] = [
  { name: "I2C 100 kHz", kind: "i2c", hz: 100000 },
  I2C_400,
  { name: "I2C 400 kHz + P70_IRQ", kind: "i2c", hz: 400000, irq: true },
  { name: "HSU 115200 baud", kind: "hsu", baud: 115200 },
  { name: "HSU 921600 baud", kind: "hsu", baud: 921600 },
  { name: "SPI 1 MHz", kind: "spi", hz: 1000000 },
];

/** One tap's figures, simulated ms. */
export interface TapResult {
  profile: string;
  link: string;
  /** 1 for the first tap; 2 for the tap after a "see phone" outcome. */
  tap: number;
  /** The Field Off Request honoured before this tap (RF off, ms; Book A §6.2); 0 for none. Not in totalMs. */
  fieldOffMs: number;
  /** C-APDUs that reached the card (GET RESPONSE and resends included). */
  apdus: number;
  totalMs: number;
  rfMs: number;
  cardMs: number;
  /** rfMs + cardMs: the physical limit. */
  limitMs: number;
  /** totalMs - limitMs. */
  overheadMs: number;
  /** Host bus busy with frames (may overlap RF). */
  linkMs: number;
  outcome: string;
  reason: string;
  kernel: number | null;
  aid: string | null;
}

/** 7 March 2025 12:00, as in the EMV fixtures. */
const CALENDAR: Calendar = { today: () => ({ year: 2025, month: 3, day: 7, hour: 12, minute: 0, second: 0 }) };

/** A seeded byte source for unpredictable numbers and phone UIDs (host/fuzz/prng.ts): runs repeat exactly. */
export { seededRandom };

/** The terminal of the bench: online-only, CDCVM, every AID of the named profiles (12.50 CHF). */
export const BENCH_CONFIG: EntryPointConfig = {
  terminal: {
    countryCode: 756,
    currencyCode: 756,
    currencyExponent: 2,
    terminalType: 21,
    terminalCapabilities: new Uint8Array([0x00, 0x68, 0xc8]),
    additionalCapabilities: new Uint8Array([0x60, 0x00, 0xf0, 0xa0, 0x01]),
    merchantNameLocation: "TAPPOS BENCH",
    ifdSerial: "TAPPOS01",
  },
  aids: [
    { aid: "A0000000031010", kernel: 3, ttq: "32004000", floorLimitMinor: 0, cvmLimitMinor: 5000, txnLimitMinor: 100000 },
    { aid: "A0000000041010", kernel: 2, floorLimitMinor: 0, cvmLimitMinor: 1000, txnLimitMinor: 5000, txnLimitOdcvMinor: 100000 },
    { aid: "A000000333010102", kernel: 7, floorLimitMinor: 0, cvmLimitMinor: 30000 },
    { aid: "A000000333010101", kernel: 7, floorLimitMinor: 0, cvmLimitMinor: 30000 },
  ],
  cdcvm: true,
};

export const AMOUNT_MINOR = 1250;

interface Wired {
  link: Pn532Link;
  /** Simulated ms the host bus has been busy so far. */
  busMs(): number;
}

/** The simulated bus of `spec` between `chip` and a real link, with a busy-time meter. */
function wire(spec: LinkSpec, chip: Pn532Chip, clock: SimClock): Wired {
  let busy = 0;
  const timed = <T>(f: () => T): T => {
    const t = clock.now();
    const r = f();
    busy += clock.now() - t;
    return r;
  };
  if (spec.kind === "i2c") {
    const sim = new SimI2c(chip, clock, { clockHz: spec.hz });
    // A 1-byte read is a status poll (RDY): not counted, the host polls while it waits anyway.
    const bus: I2cBus = {
      write: (a, d) => timed(() => sim.write(a, d)),
      read: (a, n) => (n > 1 ? timed(() => sim.read(a, n)) : sim.read(a, n)),
    };
    return { link: new I2cLink(bus, clock, { irq: spec.irq ? chip.irq : null }), busMs: () => busy };
  }
  if (spec.kind === "spi") {
    const sim = new SimSpi(chip, clock, { clockHz: spec.hz });
    // Transactions with the 02 status-read prefix are polls: not counted (as for I2C).
    let t0 = 0;
    let prefix = -1;
    const bus: SpiBus = {
      select: () => {
        t0 = clock.now();
        prefix = -1;
        sim.select();
      },
      transfer: (d) => {
        if (prefix < 0 && d.length > 0) prefix = d[0];
        return sim.transfer(d);
      },
      deselect: () => {
        sim.deselect();
        if (prefix !== 0x02) busy += clock.now() - t0;
      },
    };
    return { link: new SpiLink(bus, clock, { irq: spec.irq ? chip.irq : null }), busMs: () => busy };
  }
  // HSU: the UART wires run on clock timers; 10 bits per byte at the rate each side uses.
  const sim = new SimHsu(chip, clock);
  let baud = 115200;
  const port: SerialPort = {
    setBaudRate: (b) => {
      baud = b;
      sim.port.setBaudRate(b);
    },
    write: (d) => {
      busy += (d.length * 10000) / baud;
      sim.port.write(d);
    },
    onData: (l) =>
      sim.port.onData(
        l
          ? (c) => {
              busy += (c.length * 10000) / baud;
              l(c);
            }
          : null,
      ),
  };
  return { link: new HsuLink(port, clock), busMs: () => busy };
}

/**
 * Taps the card of `profile` once over `spec` (twice when the first tap ends with "see
 * phone", as the holder would after unlocking the phone). Resolves with one result per tap.
 */
export function simulateTaps(profile: CardProfile, spec: LinkSpec, seed?: number): Promise<TapResult[]> {
  const clock = new SimClock((fn) => setImmediate(fn));
  const random = seededRandom(seed ?? 1);
  const card = createCard(JSON.parse(JSON.stringify(profile)) as CardProfile, nodeCardCrypto, { random });
  // The phone stays in the field after "see phone" and comes back only on a new field.
  const chip = new Pn532Chip(clock, { targets: [card], seePhoneNeedsFieldReset: true });
  // Every InDataExchange sets chip.lastExchange to a new record (filled in after the assignment).
  const records: ExchangeRecord[] = [];
  let last: ExchangeRecord | null = null;
  Object.defineProperty(chip, "lastExchange", {
    get: () => last,
    set: (v: ExchangeRecord | null) => {
      last = v;
      if (v) records.push(v);
    },
  });
  const w = wire(spec, chip, clock);
  const pn = new Pn532(w.link, clock);
  const results: TapResult[] = [];

  const tap = (n: number, offMs: number): Promise<void> => {
    const t0 = clock.now();
    const bus0 = w.busMs();
    const rec0 = records.length;
    let target: TargetA | null = null;
    return pn
      .inListPassiveTarget(1, 1000)
      .then((list) => {
        if (list.length === 0) throw new Error("no card in the field");
        target = list[0];
        return runEntryPoint(buildApduStack(pn, target), BENCH_CONFIG, { amountMinor: AMOUNT_MINOR }, CALENDAR, random);
      })
      .then((o: Outcome) => {
        const t = target as TargetA;
        const ex = records.slice(rec0);
        let rf = activationMs(t.uid.length, t.ats ? t.ats.length : 0);
        let cardMs = 0;
        for (const r of ex) {
          rf += r.rfMs;
          cardMs += r.processingMs;
        }
        const total = clock.now() - t0;
        const linkMs = w.busMs() - bus0;
        results.push({
          profile: profile.name,
          link: spec.name,
          tap: n,
          fieldOffMs: offMs,
          apdus: ex.length,
          totalMs: total,
          rfMs: rf,
          cardMs,
          limitMs: rf + cardMs,
          overheadMs: total - rf - cardMs,
          linkMs,
          outcome: o.type,
          reason: o.reason,
          kernel: o.kernel,
          aid: o.aid,
        });
        if (o.reason !== "EMV_SEE_PHONE" || n >= 2) return undefined;
        // Field Off Request (src/nfc/field-off.ts): RF off for the hold time, then poll again.
        if (o.fieldOffMs === null) return pn.inRelease(0).then(() => tap(n + 1, 0));
        const hold = o.fieldOffMs;
        return fieldOffFor(pn, clock, hold).then(() => tap(n + 1, hold));
      });
  };

  const setup =
    spec.kind === "hsu" && spec.baud && spec.baud !== 115200
      ? pn.samConfiguration(1, 0, false).then(() => pn.setSerialBaudRate(spec.baud as number))
      : pn.samConfiguration(1, 0, !!spec.irq);
  return setup
    .then(() => tap(1, 0))
    .then(() => results);
}
