/**
 * The host terminal's hardware below the PN532 link: the PN532 simulator behind a simulated
 * I2C bus (src/sim), the real I2cLink over it, and the RF field in which a virtual phone or
 * card is put when the person at the till picks one, and from which it is taken after its
 * tap. Each presentation is a fresh virtual target (so a wallet says "see phone" again on
 * the next sale, as a locked phone would) whose ATC starts past what that card spent before
 * in the state folder (host/tap/state.ts), and is written back as it spends one.
 *
 * Every APDU the target answers is noted for the trace with its answer masked at once
 * (maskResponseApdu): the clear answer never leaves this file.
 */
import { toHex } from "../../src/bytes/hex";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { findTag } from "../../src/emv/tlv";
import type { Clock, Random } from "../../src/hal/types";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimI2c } from "../../src/sim/sim-i2c";
import type { TargetAnswer, VirtualTarget } from "../../src/sim/virtual-target";
import { onlineTarget } from "../tap/online";
import { writeCardAtc } from "../tap/state";
import type { TapTarget } from "../tap/target";
import type { TraceEntry } from "../tap/trace";
import { PacedClock } from "./paced-clock";

/** After "see phone" the holder unlocks the phone and holds it out again this much later, ms. */
export const UNLOCK_MS = 1500;

export interface FieldOptions {
  /** The terminal's clock: the I2C link polls on it. */
  clock: Clock;
  /** State folder: each virtual card's ATC (cards/). */
  stateDir: string;
  /** Phone UIDs and the cards' unpredictable data. */
  random: Random;
  /** Each exchange as it completes, the answer masked. */
  onApdu: (e: TraceEntry, label: string) => void;
}

export class VirtualField {
  /** The simulator's time (host/terminal/paced-clock.ts). */
  readonly simClock: PacedClock;
  readonly chip: Pn532Chip;
  /** The real I2C link the terminal's PN532 driver talks through. */
  readonly link: I2cLink;
  private opts: FieldOptions;
  private card: TapTarget | null = null;
  private presentations = 0;

  constructor(opts: FieldOptions) {
    this.opts = opts;
    this.simClock = new PacedClock();
    this.chip = new Pn532Chip(this.simClock, { targets: [], seePhoneNeedsFieldReset: true });
    this.link = new I2cLink(new SimI2c(this.chip, this.simClock), opts.clock);
  }

  /** The label of what is in the field, or null. */
  current(): string | null {
    return this.card ? this.card.label : null;
  }

  /**
   * Puts `source` (a profile name, a .json profile, an .apdu transcript) into the field now;
   * whatever was there leaves first.
   * @throws TAP_USAGE for an unknown profile or an unreadable file
   */
  present(source: string): string {
    const t = onlineTarget(source, this.opts.stateDir, this.opts.random);
    this.remove();
    this.presentations++;
    t.target.arriveAtMs = this.simClock.now();
    t.target.leaveAtMs = undefined;
    t.target = this.watched(t.target, t.kind === "profile" ? source : null, t.label);
    this.card = t;
    this.chip.targets = [t.target];
    return t.label;
  }

  /** The holder takes the phone away (after its tap, or to present another one). */
  remove(): void {
    if (!this.card) return;
    this.card.target.leaveAtMs = this.simClock.now();
    this.card = null;
    this.chip.targets = [];
  }

  /** After "see phone": the holder unlocks the phone, which answers again `UNLOCK_MS` later. */
  unlock(): void {
    if (this.card) this.card.target.arriveAtMs = this.simClock.now() + UNLOCK_MS;
  }

  /** Timers of the simulator cancelled (at exit). */
  stop(): void {
    this.remove();
    this.simClock.stop();
  }

  /** The target, its answers noted (masked) and its ATC kept in the state folder. */
  private watched(target: VirtualTarget, atcLabel: string | null, label: string): VirtualTarget {
    const inner = target.handle.bind(target);
    const opts = this.opts;
    const tap = this.presentations;
    let aid = "";
    target.handle = (command: Uint8Array, nowMs: number): TargetAnswer | null => {
      const answer = inner(command, nowMs);
      const r = answer ? answer.response : null;
      if (r && command.length > 5 && command[1] === 0xa4) aid = toHex(command.subarray(5, 5 + command[4]));
      if (r && atcLabel !== null && r.length > 2 && r[r.length - 2] === 0x90 && (command[1] === 0xa8 || command[1] === 0xae)) {
        let atc: Uint8Array | undefined;
        try {
          atc = findTag(r.subarray(0, r.length - 2), 0x9f36, { allowNonMinimalLength: true });
        } catch (e) {
          atc = undefined; // a broken profile's answer: no ATC to keep
        }
        if (atc && atc.length === 2) writeCardAtc(opts.stateDir, atcLabel, aid, (atc[0] << 8) | atc[1]);
      }
      opts.onApdu({ tap: tap, atMs: nowMs, ms: answer ? answer.processingMs : 0, command: new Uint8Array(command), response: r ? maskResponseApdu(r) : null, error: r ? null : "NO_ANSWER" }, label);
      return answer;
    };
    return target;
  }
}
