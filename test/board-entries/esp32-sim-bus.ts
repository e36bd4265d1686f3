/**
 * Test-only prelude for the esp32 bundle in espruino-esp32 (test/build/terminal-boards.test.ts,
 * host/bench/esp32-memory.ts): the PN532 simulator (src/sim/pn532-chip.ts) with a transcript
 * phone in its field behind a stand-in for Espruino's I2C1, so that the real esp32 composition
 * boots its reader and sells on the Linux interpreter, which has no I2C device. The phone is
 * the transcript (src/sim/transcripts/*.apdu) in the Storage file `simphone`, read from flash
 * (in the bundle, three transcripts and the board's parts made the script that writes them too
 * large for RAM). Not product code: bundled by the test and run, wrapped in a function,
 * before the board's bundle, after a root `var I2C1;` (assigning the built-in's name as a
 * property of `global` does not hide it in 2v29; a root variable does).
 */
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { createTranscriptCard } from "../../src/sim/transcript-card";

declare let I2C1: unknown;

const transcript = (require("Storage") as { read(n: string): string | undefined }).read("simphone") || "";
const clock = new SimClock(function (fn: () => void) {
  setTimeout(fn, 0);
});
// See Phone (Visa, Mastercard): the phone answers the payment only after the field reset.
const chip = new Pn532Chip(clock, { seePhoneNeedsFieldReset: true, targets: [createTranscriptCard(transcript, { arriveAtMs: 0 }).target] });
const bus = new SimI2c(chip, clock);
// What the simulator holds (its queue, the answer it prepares), for host/bench/esp32-memory.ts
// to take its growth off the terminal's figures with E.getSizeOf.
(global as unknown as { simHeld: unknown[] }).simHeld = [chip, clock, bus];
// An SSD1306 at 0x3C when the Storage file `simoled` says so: the panel only takes writes
// (commands and pixels), each acknowledged, so a board with its display fitted keeps tpp.oled.
const oled = (require("Storage") as { read(n: string): string | undefined }).read("simoled") === "1";
I2C1 = {
  setup: function () {},
  writeTo: function (address: number, data: Uint8Array) {
    if (oled && address === 0x3c) return;
    bus.write(address, data);
  },
  readFrom: function (address: number, length: number) {
    return bus.read(address, length);
  },
};
