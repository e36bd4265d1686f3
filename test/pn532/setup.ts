/** A driver over a scripted link and a fake clock, for the PN532 suites. */
import { Pn532 } from "../../src/pn532/driver";
import type { Pn532Options } from "../../src/pn532/driver";
import { FakeClock } from "../helpers/fake-clock";
import { ScriptLink } from "./script-link";

export function setup(script: string, options?: Pn532Options): { clock: FakeClock; link: ScriptLink; pn: Pn532 } {
  const clock = new FakeClock();
  const link = new ScriptLink(script, clock);
  return { clock, link, pn: new Pn532(link, clock, options) };
}

/** `count` bytes 00, 01, 02 … (mod 256) starting at `from`. */
export function ramp(count: number, from = 0): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (from + i) & 0xff;
  return out;
}
