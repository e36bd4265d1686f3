// The UART frame reader (UM0701-02 §6.2.1): frames cut out of a byte stream, resync after noise.
import { describe, it, expect } from "vitest";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { ACK_FRAME, encodeFrame, frameSize, NACK_FRAME, TFI_PN532 } from "../../src/pn532/frame";
import { FrameReader } from "../../src/pn532/hsu-frame-reader";
import { prng } from "../../host/fuzz/prng";

function reader() {
  const got: string[] = [];
  return { got, r: new FrameReader((f) => got.push(toHex(f))) };
}

const FW = "0000FF06FAD50332010607E800";

describe("FrameReader", () => {
  it("cuts ACK, NACK, normal and extended frames from one stream, byte by byte", () => {
    const ext = encodeFrame(TFI_PN532, new Uint8Array(260).fill(7));
    const stream = concat([ACK_FRAME, fromHex(FW), NACK_FRAME, ext]);
    const x = reader();
    for (const b of stream) x.r.push(new Uint8Array([b]));
    expect(x.got).toEqual([toHex(ACK_FRAME), FW, toHex(NACK_FRAME), toHex(ext)]);
  });

  it("skips noise, false start codes and bad length checksums", () => {
    const x = reader();
    x.r.push(fromHex("55 55 13 00 FF 12 34 00 00 FF 03 07 AA" + FW + "FF 00"));
    expect(x.got).toEqual([FW]);
  });

  it("supplies a preamble byte lost to noise (00 FF start code only)", () => {
    const x = reader();
    x.r.push(fromHex("AB" + FW.substring(2)));
    expect(x.got).toEqual([FW]);
  });

  it("drops a partial frame on reset()", () => {
    const x = reader();
    x.r.push(fromHex(FW.substring(0, 12)));
    x.r.reset();
    x.r.push(fromHex(FW.substring(12)));
    x.r.push(ACK_FRAME);
    expect(x.got).toEqual([toHex(ACK_FRAME)]);
  });

  it("fuzz: never throws, emits only frames whose header size equals their length, finds frames after noise without 00", () => {
    const rnd = prng(0x532);
    const bad: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const x = reader();
      const parts: Uint8Array[] = [];
      const want: string[] = [];
      for (let k = 0; k < 3; k++) {
        const noise = new Uint8Array(Math.floor(rnd() * 12));
        for (let i = 0; i < noise.length; i++) noise[i] = 1 + Math.floor(rnd() * 255);
        const data = new Uint8Array(Math.floor(rnd() * 300));
        for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256);
        const f = encodeFrame(TFI_PN532, data.subarray(0, 264));
        parts.push(noise, f);
        want.push(toHex(f));
      }
      const all = concat(parts);
      if (n % 3 === 0) all[Math.floor(rnd() * all.length)] = Math.floor(rnd() * 256); // mutate: anything may happen, no throw
      let i = 0;
      while (i < all.length) {
        const len = 1 + Math.floor(rnd() * 40);
        x.r.push(all.subarray(i, i + len)); // a throw fails the test
        i += len;
      }
      for (const g of x.got) if (frameSize(fromHex(g), 0) !== g.length / 2) bad.push(n + ": size " + g);
      if (n % 3 !== 0 && x.got.join() !== want.join()) bad.push(n + ": frames lost");
    }
    expect(bad).toEqual([]);
  });
});
