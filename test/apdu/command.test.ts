// ISO/IEC 7816-4 §5.1: the seven length-field forms, checked both ways, then the strict errors.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { apduCase, decodeCommand, encodeCommand } from "../../src/apdu/command";
import type { CommandApdu } from "../../src/apdu/command";
import { prng, randomBytes, mutate, codeOrNull, below } from "./fuzz";

function cmd(data: string, ne: number, extended: boolean): CommandApdu {
  return { cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x02, data: fromHex(data), ne: ne, extended: extended };
}

const D300 = "A5".repeat(300);

// [what, wire, data, Ne, extended, case]
const vectors: [string, string, string, number, boolean, number][] = [
  ["case 1", "00B00102", "", 0, false, 1],
  ["case 2S, Le 10", "00B0010210", "", 16, false, 2],
  ["case 2S, Le 00 = 256", "00B0010200", "", 256, false, 2],
  ["case 3S", "00B00102031122 33", "112233", 0, false, 3],
  ["case 4S, Le 00", "00B0010203112233 00", "112233", 256, false, 4],
  ["case 4S, Le 05", "00B0010201AA05", "AA", 5, false, 4],
  ["case 2E, Le 0101", "00B00102 000101", "", 257, true, 2],
  ["case 2E, Le 0000 = 65536", "00B00102 000000", "", 65536, true, 2],
  ["case 2E, small Ne kept extended", "00B00102 000010", "", 16, true, 2],
  ["case 3E, Lc 0003", "00B00102 000003 112233", "112233", 0, true, 3],
  ["case 3E, Lc 012C", "00B00102 00012C" + D300, D300, 0, true, 3],
  ["case 4E, Lc 0003 Le 0000", "00B00102 000003 112233 0000", "112233", 65536, true, 4],
  ["case 4E, Lc 012C Le 0100", "00B00102 00012C" + D300 + "0100", D300, 256, true, 4],
];

describe("command APDU codec (ISO/IEC 7816-4 §5.1)", () => {
  for (const v of vectors) {
    const name = v[0], wire = toHex(fromHex(v[1])), data = v[2], ne = v[3], ext = v[4], kase = v[5];
    it("decodes " + name, () => {
      const c = decodeCommand(fromHex(wire));
      expect([c.cla, c.ins, c.p1, c.p2]).toEqual([0x00, 0xb0, 0x01, 0x02]);
      expect(toHex(c.data)).toBe(toHex(fromHex(data)));
      expect(c.ne).toBe(ne);
      expect(c.extended).toBe(ext);
      expect(apduCase(c)).toBe(kase);
    });
    it("encodes " + name, () => {
      expect(toHex(encodeCommand(cmd(data, ne, ext)))).toBe(wire);
    });
  }

  it("switches to extended fields by itself when Nc > 255 or Ne > 256", () => {
    expect(toHex(encodeCommand(cmd("", 257, false)))).toBe("00B00102000101");
    expect(toHex(encodeCommand(cmd(D300, 0, false)))).toBe("00B0010200012C" + D300);
    expect(toHex(encodeCommand(cmd("AA", 65536, false)))).toBe("00B00102000001AA0000");
  });

  // [what, wire, code, offset]
  const errors: [string, string, string, number][] = [
    ["empty", "", "APDU_TOO_SHORT", 0],
    ["3 bytes", "00B001", "APDU_TOO_SHORT", 3],
    ["short Lc beyond the end", "00B0010205112233", "APDU_BAD_LC", 4],
    ["2 bytes after short data", "00B00102011100 00", "APDU_TRAILING", 7],
    ["extended marker alone with one byte", "00B00102 0001", "APDU_BAD_LC", 5],
    ["extended Lc 0000", "00B00102 000000 11", "APDU_BAD_LC", 4],
    ["extended Lc beyond the end", "00B00102 000004 112233", "APDU_BAD_LC", 4],
    ["1-byte Le after extended Lc", "00B00102 000001 11 00", "APDU_BAD_LE", 8],
    ["3 bytes after extended data", "00B00102 000001 11 000000", "APDU_TRAILING", 10],
  ];
  for (const v of errors) {
    it("rejects " + v[0] + " with " + v[2] + " at offset " + v[3], () => {
      let caught: any = null;
      try {
        decodeCommand(fromHex(v[1]));
      } catch (e) {
        caught = e;
      }
      expect(caught && caught.code).toBe(v[2]);
      expect(caught.offset).toBe(v[3]);
    });
  }

  it("refuses to encode impossible lengths", () => {
    expect(() => encodeCommand(cmd("", 65537, false))).toThrow(expect.objectContaining({ code: "APDU_BAD_LE" }));
    expect(() => encodeCommand(cmd("", -1, false))).toThrow(expect.objectContaining({ code: "APDU_BAD_LE" }));
    expect(() => encodeCommand(cmd("", 1.5, false))).toThrow(expect.objectContaining({ code: "APDU_BAD_LE" }));
    expect(() => encodeCommand({ ...cmd("", 0, false), data: new Uint8Array(65536) })).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
  });

  it("fuzz: random and mutated bytes give a command that re-encodes identically, or an APDU_ error", () => {
    const rand = prng(0x7816);
    const seeds = vectors.map((v) => fromHex(v[1]));
    const seen: { [code: string]: number } = {};
    let decoded = 0;
    for (let i = 0; i < 4000; i++) {
      const input = i & 1 ? randomBytes(rand, 12) : mutate(rand, seeds[below(rand, seeds.length)]);
      let c: CommandApdu | null = null;
      const code = codeOrNull(() => (c = decodeCommand(input)), "APDU_", toHex(input));
      if (code) seen[code] = (seen[code] || 0) + 1;
      else {
        decoded++;
        expect(toHex(encodeCommand(c!)), toHex(input)).toBe(toHex(input));
      }
    }
    expect(decoded).toBeGreaterThan(100);
    expect(Object.keys(seen).sort()).toEqual(["APDU_BAD_LC", "APDU_BAD_LE", "APDU_TOO_SHORT", "APDU_TRAILING"]);
  });
});
