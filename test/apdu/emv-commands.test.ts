// EMV Book 3 §6.5 and Book 1 §11.3: the command bytes the kernels send.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { generateAc, getData, getProcessingOptions, getResponse, readRecord, selectByName } from "../../src/apdu/emv-commands";
import { decodeCommand } from "../../src/apdu/command";

const PPSE = fromHex("325041592E5359532E4444463031"); // "2PAY.SYS.DDF01"

describe("EMV command builders", () => {
  const vectors: [string, Uint8Array, string][] = [
    ["SELECT PPSE (as in the PN532 InDataExchange example)", selectByName(PPSE), "00A404000E325041592E5359532E444446303100"],
    ["SELECT Visa AID A0000000031010", selectByName(fromHex("A0000000031010")), "00A4040007A000000003101000"],
    ["SELECT next occurrence", selectByName(fromHex("A000000004"), true), "00A4040205A00000000400"],
    ["GPO with an empty PDOL", getProcessingOptions(new Uint8Array(0)), "80A8000002830000"],
    ["GPO with TTQ, amount, UN… (4 bytes here)", getProcessingOptions(fromHex("36000000")), "80A800000683043600000000"],
    ["READ RECORD SFI 1 record 1", readRecord(1, 1), "00B2010C00"],
    ["READ RECORD SFI 2 record 3", readRecord(3, 2), "00B2031400"],
    ["READ RECORD SFI 30 record 255", readRecord(255, 30), "00B2FFF400"],
    ["GENERATE AC ARQC", generateAc(0x80, fromHex("0000000012500000")), "80AE8000080000000012500000" + "00"],
    ["GENERATE AC ARQC with CDA", generateAc(0x90, fromHex("01")), "80AE9000010100"],
    ["GET DATA ATC 9F36", getData(0x9f36), "80CA9F3600"],
    ["GET DATA PIN try counter 9F17", getData(0x9f17), "80CA9F1700"],
    ["GET RESPONSE 16 bytes", getResponse(0x10), "00C0000010"],
    ["GET RESPONSE 256 bytes", getResponse(0x00), "00C0000000"],
  ];
  for (const v of vectors) {
    it(v[0], () => {
      expect(toHex(v[1])).toBe(v[2]);
      decodeCommand(v[1]); // every builder output is a well-formed APDU
    });
  }

  it("codes a PDOL data field over 127 bytes with 81 L", () => {
    const c = getProcessingOptions(new Uint8Array(200));
    expect(toHex(c.subarray(0, 8))).toBe("80A80000CB8381C8");
    expect(c.length).toBe(5 + 3 + 200 + 1);
    expect(decodeCommand(c).ne).toBe(256);
  });

  it("refuses what a short APDU cannot carry", () => {
    expect(() => getProcessingOptions(new Uint8Array(253))).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
    expect(() => generateAc(0x80, new Uint8Array(0))).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
    expect(() => generateAc(0x80, new Uint8Array(256))).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
    expect(() => selectByName(new Uint8Array(0))).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
    expect(() => selectByName(new Uint8Array(17))).toThrow(expect.objectContaining({ code: "APDU_BAD_LC" }));
  });

  it("refuses SFI and record numbers outside EMV's ranges (Book 3 §10.2)", () => {
    for (const bad of [[1, 0], [1, 31], [0, 1], [256, 1]]) {
      expect(() => readRecord(bad[0], bad[1])).toThrow(expect.objectContaining({ code: "APDU_BAD_PARAM" }));
    }
  });
});
