// Answer decoding under garbage: whatever the PN532 side sends (random bytes, damaged and
// foreign frames, silence), every command settles with its result or a coded error of the
// driver's own vocabulary, and the next command on a sane link works.
import { describe, it, expect } from "vitest";
import { codedError, isCoded } from "../../src/bytes/coded-error";
import { ACK_FRAME, ERROR_FRAME, NACK_FRAME, encodeFrame } from "../../src/pn532/frame";
import type { Pn532Link } from "../../src/pn532/link";
import { Pn532 } from "../../src/pn532/driver";
import { FakeClock } from "../helpers/fake-clock";
import { mutateBytes as mutate } from "../../host/fuzz/mutate";
import { below, prng, randomBytes, type Rand } from "../../host/fuzz/prng";

/** A link whose PN532 answers at random (`wild`), or correctly: ACK, then a good answer. */
class RandomLink implements Pn532Link {
  readonly kind = "random";
  wild = true;
  reads = 0;
  private lastCommand = 0;
  private acked = false;
  constructor(private rand: Rand, private clock: FakeClock) {}

  writeFrame(frame: Uint8Array): Promise<void> {
    // Information frames from the host: remember the command code (normal frames only here).
    if (frame.length > 6 && frame[3] !== 0xff) {
      this.lastCommand = frame[6];
      this.acked = false;
    }
    return Promise.resolve();
  }

  private answer(code: number): Uint8Array {
    const r = this.rand;
    const params = randomBytes(r, below(r, 3) === 0 ? below(r, 270) : below(r, 8));
    return encodeFrame(0xd5, Uint8Array.of(code, ...params));
  }

  readFrame(timeoutMs: number): Promise<Uint8Array> {
    this.reads++;
    const r = this.rand;
    if (!this.wild) {
      if (!this.acked) {
        this.acked = true;
        return Promise.resolve(ACK_FRAME);
      }
      return Promise.resolve(encodeFrame(0xd5, Uint8Array.of(0x03, 0x32, 0x01, 0x06, 0x07)));
    }
    this.clock.advance(below(r, 3));
    const pick = below(r, 100);
    if (pick < 30) return Promise.resolve(ACK_FRAME);
    if (pick < 55) return Promise.resolve(this.answer(this.lastCommand + 1));
    if (pick < 70) return Promise.resolve(mutate(r, this.answer(this.lastCommand + 1)));
    if (pick < 80) return Promise.resolve(randomBytes(r, below(r, 24)));
    if (pick < 90) {
      this.clock.advance(timeoutMs);
      return Promise.reject(codedError("LINK_TIMEOUT", "fuzz", { waitedMs: timeoutMs }));
    }
    if (pick < 93) return Promise.resolve(ERROR_FRAME);
    if (pick < 95) return Promise.resolve(NACK_FRAME);
    return Promise.resolve(this.answer(below(r, 256)));
  }

  wakeUp(): Promise<void> {
    return Promise.resolve();
  }

  setHostBaudRate(): void {}
}

const OWN_CODES = [
  "PN532_NO_ACK", "PN532_CHECKSUM", "PN532_TIMEOUT", "PN532_SYNTAX_ERROR", "PN532_UNEXPECTED_ANSWER",
  "PN532_BAD_ANSWER", "PN532_STATUS", "PN532_TOO_LONG", "FRAME_BAD_TFI", "FRAME_TOO_LONG",
];

function anyCommand(pn: Pn532, rand: Rand): Promise<unknown> {
  switch (below(rand, 13)) {
    case 0: return pn.getFirmwareVersion();
    case 1: return pn.samConfiguration(1, 0, false);
    case 2: return pn.setParameters(0x14);
    case 3: return pn.setRfField(true);
    case 4: return pn.setTimings(0x0b, 0x0a);
    case 5: return pn.setMaxRetries({ atr: 0xff, psl: 1, passiveActivation: 0xff });
    case 6: return pn.inListPassiveTarget(1 + below(rand, 2), 200);
    case 7: return pn.inDataExchange(1, randomBytes(rand, below(rand, 2) ? 5 : 300), 200);
    case 8: return pn.inRelease(1);
    case 9: return pn.inDeselect(1);
    case 10: return pn.checkPresence(100);
    case 11: return pn.powerDown(0xb0);
    default: return pn.setSerialBaudRate(115200);
  }
}

describe("Pn532 answer decoding fuzz", () => {
  it("3000 commands against a random PN532: results or own coded errors, and recovery", async () => {
    const seen: { [code: string]: number } = {};
    for (let seed = 1; seed <= 3000; seed++) {
      const rand = prng(seed);
      const clock = new FakeClock();
      const link = new RandomLink(rand, clock);
      const pn = new Pn532(link, clock);
      try {
        await clock.run(anyCommand(pn, rand));
        seen.ok = (seen.ok ?? 0) + 1;
      } catch (e) {
        if (!isCoded(e) || OWN_CODES.indexOf(e.code) < 0) throw new Error(`seed ${seed}: ${String(e)}`);
        seen[e.code] = (seen[e.code] ?? 0) + 1;
      }
      expect(link.reads, "seed " + seed).toBeLessThan(100);
      link.wild = false;
      expect(await clock.run(pn.getFirmwareVersion()), "seed " + seed).toEqual({ ic: 0x32, ver: 1, rev: 6, support: 7 });
      expect(clock.pending(), "seed " + seed).toBe(0);
    }
    // The garbage reached the interesting paths, not only one of them.
    for (const c of ["ok", "PN532_NO_ACK", "PN532_CHECKSUM", "PN532_TIMEOUT", "PN532_SYNTAX_ERROR", "PN532_UNEXPECTED_ANSWER", "PN532_BAD_ANSWER", "PN532_STATUS"]) {
      expect(seen[c] ?? 0, c).toBeGreaterThan(0);
    }
  });
});
