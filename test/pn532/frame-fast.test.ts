// isNormalFrame (src/pn532/frame.ts), the command cycle's fast check of an answer frame, agrees
// with decodeFrame on the framing of every normal frame and of every damaged one (§6.2.1.1);
// the cycle checks the TFI (D5) and the answer code itself.
import { describe, it, expect } from "vitest";
import { prng } from "../../host/fuzz/prng";
import { CommandCycle } from "../../src/pn532/exchange";
import { decodeFrame, encodeCommand, encodeCommandWith, encodeFrame, FrameKind, isNormalFrame, TFI_HOST, TFI_PN532 } from "../../src/pn532/frame";

/** Bytes 0..255 from the project's one seeded generator. */
function bytesOf(seed: number): () => number {
  const r = prng(seed);
  return () => r.int(256);
}

/** What decodeFrame says: a normal (not extended) information frame, or not. */
function decodesAsNormal(b: Uint8Array): boolean {
  try {
    const f = decodeFrame(b);
    return f.kind === FrameKind.Info && !(b[3] === 0xff && b[4] === 0xff);
  } catch {
    return false;
  }
}

describe("isNormalFrame", () => {
  it("true for D5 41 00 90 00 as the PN532 frames it: 00 00 FF 05 FB D5 41 00 90 00 5A 00", () => {
    const b = Uint8Array.from([0x00, 0x00, 0xff, 0x05, 0xfb, 0xd5, 0x41, 0x00, 0x90, 0x00, 0x5a, 0x00]);
    expect(isNormalFrame(b)).toBe(true);
    expect(decodesAsNormal(b)).toBe(true);
  });

  it("agrees with decodeFrame on 3000 random frames and single-byte mutations of them", () => {
    const rnd = bytesOf(7);
    for (let n = 0; n < 3000; n++) {
      const data = new Uint8Array(1 + (rnd() % 60));
      for (let i = 0; i < data.length; i++) data[i] = rnd();
      const f = encodeFrame(TFI_PN532, data);
      expect(isNormalFrame(f)).toBe(true);
      const m = new Uint8Array(f);
      m[rnd() % m.length] ^= 1 + (rnd() % 255);
      expect(isNormalFrame(m) && (m[5] === 0xd5 || m[5] === 0xd4)).toBe(decodesAsNormal(m));
      expect(isNormalFrame(f.subarray(0, f.length - 1))).toBe(false);
    }
  });

  it("false for ACK, NACK and an extended frame; the error frame has normal framing (its TFI 7F is the caller's to check)", () => {
    expect(isNormalFrame(Uint8Array.from([0, 0, 0xff, 0, 0xff, 0]))).toBe(false);
    expect(isNormalFrame(Uint8Array.from([0, 0, 0xff, 0xff, 0, 0]))).toBe(false);
    expect(isNormalFrame(Uint8Array.from([0, 0, 0xff, 1, 0xff, 0x7f, 0x81, 0]))).toBe(true);
    expect(isNormalFrame(encodeFrame(TFI_PN532, new Uint8Array(260)))).toBe(false);
  });
});

describe("encodeCommand / encodeCommandWith (the command cycle's frame builders)", () => {
  it("give encodeFrame's bytes for every data length up to the extended frames, with and without a sum", () => {
    const rnd = bytesOf(11);
    const sum = (b: Uint8Array) => b.reduce((a, x) => a + x, 0);
    for (let n = 0; n <= 266; n++) {
      const data = new Uint8Array(n + 1);
      for (let i = 0; i < data.length; i++) data[i] = rnd();
      if (data.length + 1 > 265) {
        expect(() => encodeCommand(data)).toThrow(expect.objectContaining({ code: "FRAME_TOO_LONG" }));
        continue;
      }
      const want = encodeFrame(TFI_HOST, data);
      expect(encodeCommand(data)).toEqual(want);
      expect(encodeCommand(data, sum)).toEqual(want);
      if (data.length >= 2) {
        expect(encodeCommandWith(data[0], data[1], data.subarray(2))).toEqual(want);
        expect(encodeCommandWith(data[0], data[1], data.subarray(2), sum)).toEqual(want);
      }
    }
  });

  it("InDataExchange D4 40 01 + SELECT PPSE as on the wire (UM0701-02 §7.3.8)", () => {
    const ppse = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x0e, 0x32, 0x50, 0x41, 0x59, 0x2e, 0x53, 0x59, 0x53, 0x2e, 0x44, 0x44, 0x46, 0x30, 0x31, 0x00]);
    const f = encodeCommandWith(0x40, 0x01, ppse);
    expect(Array.from(f.subarray(0, 8))).toEqual([0x00, 0x00, 0xff, 0x17, 0xe9, 0xd4, 0x40, 0x01]);
    expect(Array.from(f.subarray(f.length - 2))).toEqual([0x8f, 0x00]);
  });
});

describe("the command cycle's answer check (exchange.ts onAnswer) agrees with decodeFrame", () => {
  it("on 2000 random D5 answers and single-byte mutations: taken exactly when decodeFrame says it is our answer", () => {
    const rnd = bytesOf(23);
    for (let n = 0; n < 2000; n++) {
      const data = new Uint8Array(2 + (rnd() % 70));
      for (let i = 0; i < data.length; i++) data[i] = rnd();
      data[0] = 0x41; // InDataExchange's answer code
      const f = encodeFrame(TFI_PN532, data);
      const m = new Uint8Array(f);
      if (n % 4 !== 0) m[rnd() % m.length] ^= 1 + (rnd() % 255);
      let want: string | null = null;
      try {
        const d = decodeFrame(m);
        if (d.kind === FrameKind.Info && d.tfi === TFI_PN532 && d.data.length > 0 && d.data[0] === 0x41) want = Buffer.from(d.data.subarray(1)).toString("hex");
      } catch {
        want = null;
      }
      let got: string | null = null;
      const writes: string[] = [];
      const link = {
        kind: "fake",
        writeFrame: () => Promise.resolve(),
        readFrame: () => Promise.reject(new Error("unused")),
        wakeUp: () => Promise.resolve(),
        setHostBaudRate: () => {},
        writeFrameThen: (frame: Uint8Array, done: (e: unknown) => void) => {
          writes.push(Buffer.from(frame).toString("hex"));
          done(null);
        },
        readFrameThen: (_t: number, n: number, done: (f: Uint8Array | null, e: unknown) => void) => {
          if (n === 6) done(Uint8Array.of(0, 0, 0xff, 0, 0xff, 0), null);
          else if (writes.length === 1) done(m, null);
        },
      };
      const cycle = new CommandCycle(link, { now: () => 0, setTimer: () => 0, clearTimer: () => {} }, { ackTimeoutMs: 30, ackRetries: 1, nackRetries: 3, staleFrameLimit: 2, trace: null });
      cycle.run(Uint8Array.of(0x40, 0x01, 0x00), 100, (a) => {
        got = a ? Buffer.from(a).toString("hex") : "error";
      });
      if (want !== null) expect(got).toBe(want);
      else expect(got === null || got === "error").toBe(true);
    }
  });
});
