// The driver's frame checksums through the link's ByteSum (Pn532Link.sum: Espruino's native
// E.sum on a board, handed over by board/), UM0701-02 §6.2.1.1: TFI + ΣPD + DCS ≡ 0.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeFrame, isNormalFrame, sumBytes, TFI_HOST } from "../../src/pn532/frame";
import { Pn532 } from "../../src/pn532/driver";
import { FakeClock } from "../helpers/fake-clock";
import { ScriptLink } from "./script-link";
import { ramp } from "./setup";

/** A ByteSum that adds like E.sum and records what it was given. */
function recordingSum(): { sum: (b: Uint8Array) => number; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    sum: (b: Uint8Array) => {
      seen.push(toHex(b));
      let s = 0;
      for (const x of b) s += x;
      return s;
    },
  };
}

describe("frame checksums through a ByteSum", () => {
  it("sumBytes adds every byte, no modulo", () => {
    expect(sumBytes(new Uint8Array(0))).toBe(0);
    expect(sumBytes(ramp(300))).toBe(Array.from(ramp(300)).reduce((a, b) => a + b, 0));
  });

  it("encodeFrame and isNormalFrame give the same bytes and verdicts with a given sum", () => {
    for (const n of [1, 2, 7, 8, 9, 100, 254, 255, 264]) {
      const data = ramp(n, n * 7);
      const r = recordingSum();
      const f = encodeFrame(TFI_HOST, data, r.sum);
      expect(toHex(f)).toBe(toHex(encodeFrame(TFI_HOST, data)));
      expect(r.seen).toEqual([toHex(data)]);
      if (f.length < 263) {
        expect(isNormalFrame(f, r.sum)).toBe(true);
        const bad = f.slice();
        bad[bad.length - 2] ^= 1; // DCS
        expect(isNormalFrame(bad, r.sum)).toBe(false);
        expect(isNormalFrame(bad)).toBe(false);
      }
    }
  });

  it("the driver adds command data, the whole ACK (00 00 FF 00 FF 00 = 0x1FE) and the whole answer frame with the link's sum (00 00 FF + LEN + LCS + TFI..DCS + 00 ≡ FF: DCS right)", async () => {
    const clock = new FakeClock();
    const link = new ScriptLink(
      `
      => 00 00 FF 02 FE D4 02 2A 00                 # GetFirmwareVersion
      <= 00 00 FF 00 FF 00                          # ACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E8 00     # IC 32, Ver 1, Rev 6, Support 7
    `,
      clock,
    );
    const r = recordingSum();
    Object.assign(link, { sum: r.sum });
    const pn = new Pn532(link, clock);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual({ ic: 0x32, ver: 1, rev: 6, support: 7 });
    link.done();
    // Every byte of every frame received goes through the sum: the ACK's six, then the answer's.
    expect(r.seen).toEqual([
      toHex(fromHex("02")),
      toHex(fromHex("00 00 FF 00 FF 00")),
      toHex(fromHex("00 00 FF 06 FA D5 03 32 01 06 07 E8 00")),
    ]);
  });
});
