// Fuzz for the decoders no other suite fuzzes (docs/architecture.md "Conventions" §10): whatever the bytes, only the
// module's own coded errors come out. Already fuzzed elsewhere, not repeated here: the driver's
// answer handling (test/pn532/fuzz.test.ts), InListPassiveTarget answers (test/pn532/targets),
// ATS (test/nfc/target-info), command APDUs and transcripts (test/apdu), the chip's host-frame
// receiver (test/sim/pn532-chip), FrameReader over noisy frame streams (test/pn532/hsu-frame-reader).
// Seeded (mulberry32): a failing case reproduces from its seed and index.
import { describe, it, expect } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { responseData, splitResponse, statusWord, swName, makeResponse } from "../../src/apdu/response";
import { describeTarget } from "../../src/nfc/target-info";
import { mapExchangeError } from "../../src/nfc/iso-dep-channel";
import { ACK_FRAME, decodeFrame, encodeFrame, ERROR_FRAME, FrameKind, frameSize, MAX_FRAME_DATA, NACK_FRAME, TFI_HOST, TFI_PN532 } from "../../src/pn532/frame";
import type { Frame } from "../../src/pn532/frame";
import { FrameReader } from "../../src/pn532/hsu-frame-reader";
import { statusError, statusName } from "../../src/pn532/status";
import { mutateBytes as mutate } from "../../host/fuzz/mutate";
import { below, prng, randomBytes, type Rand } from "../../host/fuzz/prng";

const FRAME_CODES = ["FRAME_BAD_PREAMBLE", "FRAME_BAD_LCS", "FRAME_BAD_DCS", "FRAME_BAD_POSTAMBLE", "FRAME_BAD_TFI", "FRAME_TRUNCATED", "FRAME_TOO_LONG"];
/** Largest frame on the wire: extended header 8 + TFI/PD 265 + DCS + postamble. */
const MAX_FRAME_BYTES = 8 + MAX_FRAME_DATA + 2;

/** Runs `fn`; returns null, or the code of a coded error from `allowed`; anything else fails. */
function codeOf(fn: () => void, allowed: string[], input: Uint8Array): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!isCoded(e) || allowed.indexOf(e.code) < 0) expect.fail("input " + toHex(input) + " threw " + String(e));
    return (e as { code: string }).code;
  }
}

/**
 * A checksum-valid frame: ACK, NACK, error frame, or an information frame with a random TFI
 * (mostly D4/D5) and 0..264 data bytes — extended when TFI+PD > 255, and sometimes extended
 * although it would fit a normal frame (non-canonical: the PN532 never sends one).
 */
function validFrame(rand: Rand): Uint8Array {
  const pick = below(rand, 20);
  if (pick === 0) return ACK_FRAME;
  if (pick === 1) return NACK_FRAME;
  if (pick === 2) return ERROR_FRAME;
  const n = below(rand, 3) === 0 ? below(rand, MAX_FRAME_DATA) : below(rand, 40);
  const data = randomBytes(rand, n);
  if (pick === 19 && n + 1 <= 255) return extendedForm(TFI_PN532, data);
  return encodeFrame(pick < 10 ? TFI_PN532 : pick < 18 ? TFI_HOST : below(rand, 256), data);
}

/** The extended form of a short frame (LENM 00): valid checksums, not what encodeFrame makes. */
function extendedForm(tfi: number, data: Uint8Array): Uint8Array {
  const len = data.length + 1;
  let sum = tfi;
  for (const b of data) sum += b;
  return concat([[0, 0, 0xff, 0xff, 0xff, 0, len, (0x100 - len) & 0xff, tfi], data, [(0x100 - (sum & 0xff)) & 0xff, 0]]);
}

function isExtended(b: Uint8Array): boolean {
  return b.length > 4 && b[3] === 0xff && b[4] === 0xff;
}

/** The frame a decoded Frame stands for, as the codec writes it. */
function reencode(f: Frame): Uint8Array {
  if (f.kind === FrameKind.Ack) return ACK_FRAME;
  if (f.kind === FrameKind.Nack) return NACK_FRAME;
  if (f.kind === FrameKind.Error) return ERROR_FRAME;
  return encodeFrame(f.tfi, f.data);
}

describe("PN532 frame codec fuzz (UM0701-02 §6.2.1)", () => {
  it("decodeFrame: random, valid and mutated frames decode and re-encode to the same bytes, or throw FRAME_* only", () => {
    const rand = prng(0x6201);
    const seen: { [code: string]: number } = {};
    let decoded = 0;
    let nonCanonical = 0;
    for (let i = 0; i < 6000; i++) {
      const kind = i % 3;
      const input = kind === 0 ? randomBytes(rand, below(rand, 24)) : kind === 1 ? validFrame(rand) : mutate(rand, validFrame(rand));
      let f: Frame | null = null;
      const code = codeOf(() => (f = decodeFrame(input)), FRAME_CODES, input);
      if (code) {
        seen[code] = (seen[code] ?? 0) + 1;
        expect(kind === 1 && code !== "FRAME_BAD_TFI", "valid frame refused: " + toHex(input)).toBe(false);
        continue;
      }
      decoded++;
      const frame = f as unknown as Frame;
      expect(frameSize(input, 0), toHex(input)).toBe(input.length);
      const again = reencode(frame);
      if (isExtended(input) && input[5] === 0) {
        // An extended frame with LEN ≤ 255 decodes; the codec writes it back in normal form.
        nonCanonical++;
        expect(toHex(decodeFrame(again).data)).toBe(toHex(frame.data));
      } else {
        expect(toHex(again), "round trip").toBe(toHex(input));
      }
    }
    expect(decoded).toBeGreaterThan(1500);
    expect(nonCanonical).toBeGreaterThan(10);
    expect(Object.keys(seen).sort()).toEqual([...FRAME_CODES].sort());
  });

  it("frameSize: at any offset of random and frame-bearing buffers, -1 or a size 6..275, or FRAME_* only", () => {
    const rand = prng(0x6202);
    const sizeCodes = ["FRAME_BAD_PREAMBLE", "FRAME_BAD_LCS", "FRAME_TOO_LONG"];
    let sized = 0;
    for (let i = 0; i < 4000; i++) {
      const lead = randomBytes(rand, below(rand, 4));
      const buf = i & 1 ? randomBytes(rand, below(rand, 16)) : concat([lead, mutate(rand, validFrame(rand))]);
      const offset = i % 4 === 0 ? lead.length : below(rand, buf.length + 1);
      let size = 0;
      const code = codeOf(() => (size = frameSize(buf, offset)), sizeCodes, buf);
      if (code) continue;
      if (size >= 0) sized++;
      expect(size === -1 || (size >= 6 && size <= MAX_FRAME_BYTES), toHex(buf) + " @" + offset + " → " + size).toBe(true);
    }
    expect(sized).toBeGreaterThan(300);
  });

  it("frameSize on every prefix of a valid frame: -1 until the header is in, then the full size; never throws", () => {
    const rand = prng(0x6203);
    for (let i = 0; i < 1500; i++) {
      const f = validFrame(rand);
      const header = f.length === 6 ? 5 : isExtended(f) ? 8 : 5;
      for (let n = 0; n <= f.length; n += 1 + below(rand, 4)) {
        expect(frameSize(f.subarray(0, n), 0), toHex(f) + " prefix " + n).toBe(n < header ? -1 : f.length);
      }
    }
  });
});

describe("PN532 status byte fuzz (§7.1)", () => {
  it("statusName / statusError / mapExchangeError over all 256 status bytes", () => {
    const names: string[] = [];
    for (let s = 0; s < 256; s++) {
      const name = statusName(s);
      expect(name).toBe(statusName(s & 0x3f)); // MI and NAD bits ignored
      expect(name.length).toBeGreaterThan(0);
      if (names.indexOf(name) < 0) names.push(name);
      const e = statusError(s, 0x40);
      expect(e).toMatchObject({ code: "PN532_STATUS", status: s & 0x3f, statusName: name, command: 0x40 });
      if ((s & 0x3f) === 0) continue;
      const m = mapExchangeError(e, 2500);
      expect(isCoded(m) && ["ISODEP_TIMEOUT", "ISODEP_CARD_GONE", "ISODEP_PROTOCOL"].indexOf(m.code) >= 0, "status " + s).toBe(true);
      expect(m).toMatchObject({ status: s & 0x3f, cause: e });
    }
    expect(names.length).toBe(2 + 26); // OK, UNKNOWN and the 26 codes of the table
  });
});

describe("HSU FrameReader fuzz (§6.2.3)", () => {
  /** Frames the reader cuts from `stream` pushed in random chunks (whole when `maxChunk` is 0). */
  function cut(rand: Rand, stream: Uint8Array, maxChunk: number): string[] {
    const got: string[] = [];
    const r = new FrameReader((f) => got.push(toHex(f)));
    let i = 0;
    while (i < stream.length) {
      const n = maxChunk ? 1 + below(rand, maxChunk) : stream.length;
      r.push(stream.subarray(i, i + n));
      i += n;
      const held = (r as unknown as { buf: Uint8Array }).buf.length;
      expect(held, "bytes held").toBeLessThanOrEqual(MAX_FRAME_BYTES);
    }
    return got;
  }

  it("random bytes and mutated frame streams in random chunks: no throw, sized frames only, chunking changes nothing", () => {
    const rand = prng(0x6231);
    let frames = 0;
    for (let i = 0; i < 1000; i++) {
      const parts: Uint8Array[] = [];
      for (let k = below(rand, 5); k >= 0; k--) {
        const p = below(rand, 4);
        parts.push(p === 0 ? randomBytes(rand, below(rand, 40)) : p === 1 ? mutate(rand, validFrame(rand)) : validFrame(rand));
      }
      const stream = concat(parts);
      const whole = cut(rand, stream, 0);
      for (const g of whole) {
        const b = fromHex(g);
        expect(frameSize(b, 0), g).toBe(b.length);
      }
      if (i % 8 === 0) expect(cut(rand, stream, 1), "byte by byte: " + toHex(stream)).toEqual(whole);
      expect(cut(rand, stream, 1 + below(rand, 64)), "random chunks: " + toHex(stream)).toEqual(whole);
      frames += whole.length;
    }
    expect(frames).toBeGreaterThan(800);
  });
});

describe("response APDU fuzz (ISO/IEC 7816-4 §5.1)", () => {
  it("statusWord / responseData / splitResponse: data + SW rebuild the input, or APDU_TOO_SHORT only", () => {
    const rand = prng(0x7816);
    let short = 0;
    for (let i = 0; i < 3000; i++) {
      const input = randomBytes(rand, below(rand, i & 1 ? 4 : 300));
      const code = codeOf(
        () => {
          const p = splitResponse(input);
          expect(p.sw).toBe(statusWord(input));
          expect(toHex(responseData(input))).toBe(toHex(p.data));
          expect(toHex(makeResponse(p.data, p.sw))).toBe(toHex(input));
        },
        ["APDU_TOO_SHORT"],
        input,
      );
      if (code) {
        short++;
        expect(input.length).toBeLessThan(2);
      }
    }
    expect(short).toBeGreaterThan(100);
  });

  it("swName names every one of the 65536 status words without throwing", () => {
    for (let sw = 0; sw < 0x10000; sw++) {
      const n = swName(sw);
      if (typeof n !== "string" || n.length === 0) expect.fail("SW " + sw.toString(16) + " → " + String(n));
    }
    expect(swName(0x6a82)).toBe("file or application not found");
  });

  it("describeTarget never throws on random anticollision data and ATS bytes", () => {
    const rand = prng(0x14443);
    for (let i = 0; i < 3000; i++) {
      const ats = below(rand, 4) === 0 ? null : randomBytes(rand, below(rand, 20));
      const line = describeTarget({ tg: 1, atqa: randomBytes(rand, 2), sak: below(rand, 256), uid: randomBytes(rand, [4, 7, 10][below(rand, 3)]), ats: ats });
      expect(line.startsWith("ATQA ")).toBe(true);
      if (ats && ats.length > 0 && ats[0] !== ats.length) expect(line).toContain("(ATS_");
    }
  });
});
