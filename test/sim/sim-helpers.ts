// Test-only helpers around the PN532 simulator: a self-running clock, bus recorders.
import { toHex } from "../../src/bytes/hex";
import type { I2cBus, SerialPort, SpiBus } from "../../src/hal/types";
import { SimClock } from "../../src/sim/sim-clock";

export function nodeClock(): SimClock {
  return new SimClock((fn) => setImmediate(fn));
}

/** Hex with spaces, for readable transcripts. */
export function hx(bytes: ArrayLike<number>): string {
  return toHex(bytes).replace(/(..)(?!$)/g, "$1 ");
}

/** Hex of `bytes` up to one 00 after the last non-zero byte, "…" marking the cut (padded reads). */
export function hxTrim(bytes: ArrayLike<number>): string {
  let n = bytes.length;
  while (n > 0 && bytes[n - 1] === 0) n--;
  n = Math.min(bytes.length, n + 1);
  const part: number[] = [];
  for (let i = 0; i < n; i++) part.push(bytes[i]);
  return hx(part) + (n < bytes.length ? "…" : "");
}

/** Wraps an I2cBus: `log` gets "W <hex>" and "R<n> <hex>" lines (reads without trailing zeros). */
export function recordI2c(bus: I2cBus, log: string[]): I2cBus {
  return {
    write(a, d) {
      log.push("W " + hx(d));
      bus.write(a, d);
    },
    read(a, n) {
      const r = bus.read(a, n);
      log.push("R" + n + " " + hxTrim(r));
      return r;
    },
  };
}

/** Wraps an SpiBus: one log line per transaction, "MOSI <hex> / MISO <hex>". */
export function recordSpi(bus: SpiBus, log: string[]): SpiBus {
  let mosi: number[] = [];
  let miso: number[] = [];
  return {
    select() {
      mosi = [];
      miso = [];
      bus.select();
    },
    transfer(d) {
      const r = bus.transfer(d);
      mosi.push(...d);
      miso.push(...r);
      return r;
    },
    deselect() {
      bus.deselect();
      log.push("MOSI " + hx(mosi) + " / MISO " + hx(miso));
    },
  };
}

/** Wraps a SerialPort: "TX <hex>" / "RX <hex>" lines. */
export function recordSerial(port: SerialPort, log: string[]): SerialPort {
  return {
    setBaudRate(b) {
      log.push("BAUD " + b);
      port.setBaudRate(b);
    },
    write(d) {
      log.push("TX " + hx(d));
      port.write(d);
    },
    onData(l) {
      port.onData(
        l
          ? (c) => {
              log.push("RX " + hx(c));
              l(c);
            }
          : null,
      );
    },
  };
}
