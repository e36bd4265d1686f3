// Vectors: PN532 User Manual UM0701-02 §6.2.1 and §7 examples.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { byteSum, decodeFrame, encodeCommand, encodeFrame, frameSize, FrameKind, ACK_FRAME, NACK_FRAME, TFI_PN532 } from "../../src/pn532/frame";

const commands: [string, string, string][] = [
  ["GetFirmwareVersion", "02", "0000FF02FED4022A00"],
  ["SAMConfiguration normal, no timeout, no IRQ", "14010000", "0000FF05FBD41401000017" + "00"],
  ["RFConfiguration MaxRetries FF 01 FF", "3205FF01FF", "0000FF06FAD43205FF01FFF600"],
  ["InListPassiveTarget 1 target 106A", "4A0100", "0000FF04FCD44A0100E100"],
  ["InDataExchange SELECT PPSE", "400100A404000E325041592E5359532E444446303100", "0000FF17E9D4400100A404000E325041592E5359532E4444463031008F00"],
];

describe("PN532 frame codec (UM0701-02 §6.2.1)", () => {
  for (const c of commands) {
    const name = c[0], data = c[1], wire = c[2];
    it("encodes " + name, () => {
      expect(toHex(encodeCommand(fromHex(data)))).toBe(wire);
    });
    it("decodes " + name, () => {
      const f = decodeFrame(fromHex(wire));
      expect(f.kind).toBe(FrameKind.Info);
      expect(toHex(f.data)).toBe(data);
    });
  }

  it("decodes the GetFirmwareVersion answer of a PN532 v1.6", () => {
    const f = decodeFrame(fromHex("0000FF06FAD50332010607E800"));
    expect(f.tfi).toBe(TFI_PN532);
    expect(toHex(f.data)).toBe("0332010607");
  });

  it("knows ACK, NACK and the error frame", () => {
    expect(decodeFrame(ACK_FRAME).kind).toBe(FrameKind.Ack);
    expect(decodeFrame(NACK_FRAME).kind).toBe(FrameKind.Nack);
    expect(decodeFrame(fromHex("0000FF01FF7F8100")).kind).toBe(FrameKind.Error);
  });

  it("uses an extended frame for 261 data bytes (D5 41 00 + 258-byte R-APDU)", () => {
    const data = new Uint8Array(260);
    data[0] = 0x41;
    const wire = encodeFrame(TFI_PN532, data);
    expect(toHex(wire.subarray(0, 8))).toBe("0000FFFFFF0105FA");
    expect(wire.length).toBe(8 + 261 + 2);
    expect(frameSize(wire, 0)).toBe(wire.length);
    expect(decodeFrame(wire).data.length).toBe(260);
  });

  const bad: [string, string, string][] = [
    ["bad preamble", "0001FF02FED4022A00", "FRAME_BAD_PREAMBLE"],
    ["bad LCS", "0000FF02FDD4022A00", "FRAME_BAD_LCS"],
    ["bad DCS", "0000FF02FED4022B00", "FRAME_BAD_DCS"],
    ["bad TFI", "0000FF02FED6022800", "FRAME_BAD_TFI"],
    ["truncated", "0000FF02FED402", "FRAME_TRUNCATED"],
    ["trailing bytes", "0000FF02FED4022A0000", "FRAME_TOO_LONG"],
    ["bad postamble", "0000FF02FED4022A01", "FRAME_BAD_POSTAMBLE"],
    ["too long", "0000FFFFFF01F90600", "FRAME_TOO_LONG"],
  ];
  for (const b of bad) {
    it("refuses " + b[0], () => {
      expect(() => decodeFrame(fromHex(b[1]))).toThrow(expect.objectContaining({ code: b[2] }));
    });
  }
});

describe("byteSum", () => {
  it("sums any range, unrolled part and tail alike", () => {
    const b = new Uint8Array(300);
    for (let i = 0; i < b.length; i++) b[i] = (i * 37 + 11) & 0xff;
    for (const [s, e] of [[0, 0], [0, 1], [0, 7], [0, 8], [0, 9], [3, 17], [5, 300], [0, 300], [299, 300]]) {
      let want = 0;
      for (let i = s; i < e; i++) want += b[i];
      expect(byteSum(b, s, e)).toBe(want);
    }
  });
});
