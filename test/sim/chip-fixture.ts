// A PN532 chip on a manual clock, driven frame by frame (no bus): for the chip's own tests.
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeCommand, encodeFrame, TFI_PN532 } from "../../src/pn532/frame";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import type { ChipOptions } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";

export const ACK = "0000FF00FF00";
export const ERR = "0000FF01FF7F8100";

/** The PN532 → host frame carrying `data` (hex, answer code first). */
export function ans(data: string): string {
  return toHex(encodeFrame(TFI_PN532, fromHex(data)));
}

export function chipFixture(opts?: ChipOptions) {
  const clock = new SimClock(null);
  const chip = new Pn532Chip(clock, Object.assign({ asleep: false }, opts));
  /** Frames the chip emitted, "<ms> <hex>", taken as soon as emitted. */
  const out: string[] = [];
  chip.onOutput = () => {
    while (chip.ready()) {
      out.push(+clock.now().toFixed(3) + " " + toHex(chip.peek()!));
      chip.take();
    }
  };
  const send = (hexData: string) => chip.receive(encodeCommand(fromHex(hexData)));
  const raw = (hex: string) => chip.receive(fromHex(hex));
  /** Runs the clock dry and returns (and clears) what came out. */
  const run = (): string[] => {
    clock.runUntilIdle();
    return out.splice(0, out.length);
  };
  /** Like run() but only the hex of each frame. */
  const frames = (): string[] => run().map((l) => l.split(" ")[1]);
  return { clock, chip, send, raw, run, frames };
}
