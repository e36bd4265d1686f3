/**
 * Test-only prelude for the esp32 bundle in espruino-esp32 (test/build/terminal-boards.test.ts):
 * the PN532 simulator (src/sim/pn532-chip.ts) with a transcript phone in its field (QuickPass
 * UnionPay, C-7) behind a stand-in for Espruino's I2C1, so that the real esp32 composition
 * boots its reader and sells on the Linux interpreter, which has no I2C device. Not product
 * code: bundled by the test and run, wrapped in a function, before the board's bundle, after
 * a root `var I2C1;` (assigning the built-in's name as a property of `global` does not hide it
 * in 2v29; a root variable does).
 */
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { createTranscriptCard } from "../../src/sim/transcript-card";
import quickpass from "../../src/sim/transcripts/quickpass-unionpay.apdu";

const clock = new SimClock(function (fn: () => void) {
  setTimeout(fn, 0);
});
const chip = new Pn532Chip(clock, { targets: [createTranscriptCard(quickpass, { arriveAtMs: 0 }).target] });
const bus = new SimI2c(chip, clock);
declare let I2C1: unknown;
I2C1 = {
  setup: function () {},
  writeTo: function (address: number, data: Uint8Array) {
    bus.write(address, data);
  },
  readFrom: function (address: number, length: number) {
    return bus.read(address, length);
  },
};
