// ISO/IEC 7816-4 §5.1 (response = data + SW1 SW2) and §5.6 (status words).
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { isOk, makeResponse, responseData, splitResponse, statusWord, swName } from "../../src/apdu/response";

describe("response APDU", () => {
  it("splits data and SW", () => {
    const r = splitResponse(fromHex("6F 02 84 00 90 00"));
    expect(toHex(r.data)).toBe("6F028400");
    expect(r.sw).toBe(0x9000);
    expect(statusWord(fromHex("6A82"))).toBe(0x6a82);
    expect(responseData(fromHex("6A82")).length).toBe(0);
  });

  it("rejects fewer than 2 bytes with APDU_TOO_SHORT and the offset", () => {
    expect(() => splitResponse(new Uint8Array(0))).toThrow(expect.objectContaining({ code: "APDU_TOO_SHORT", offset: 0 }));
    expect(() => statusWord(fromHex("90"))).toThrow(expect.objectContaining({ code: "APDU_TOO_SHORT", offset: 1 }));
  });

  it("builds a response from data and SW", () => {
    expect(toHex(makeResponse(fromHex("0102"), 0x6283))).toBe("01026283");
    expect(toHex(makeResponse([], 0x9000))).toBe("9000");
  });

  it("is OK for 9000 only", () => {
    expect(isOk(0x9000)).toBe(true);
    for (const sw of [0x6100, 0x6283, 0x6300, 0x9001, 0x6c10]) expect(isOk(sw)).toBe(false);
  });

  const names: [number, string][] = [
    [0x9000, "OK"],
    [0x6110, "16 more bytes (GET RESPONSE)"],
    [0x6100, "256 more bytes (GET RESPONSE)"],
    [0x6c1a, "wrong Le, exact length 26"],
    [0x6283, "selected file deactivated (application blocked)"],
    [0x63c2, "verification failed, counter 2"],
    [0x6700, "wrong length"],
    [0x6982, "security status not satisfied"],
    [0x6983, "authentication method blocked"],
    [0x6984, "referenced data invalidated"],
    [0x6985, "conditions of use not satisfied"],
    [0x6986, "command not allowed (see phone)"],
    [0x6a81, "function not supported (card blocked)"],
    [0x6a82, "file or application not found"],
    [0x6a83, "record not found"],
    [0x6a86, "incorrect P1 P2"],
    [0x6a88, "referenced data not found"],
    [0x6d00, "instruction not supported"],
    [0x6e00, "class not supported"],
    [0x6f00, "no precise diagnosis"],
    // By SW1 when SW2 is not in the table.
    [0x6a99, "wrong parameters"],
    [0x6999, "command not allowed"],
    [0x6f42, "no precise diagnosis"],
    [0x9100, "proprietary"],
    [0x1234, "unknown"],
  ];
  for (const n of names) {
    it("names " + n[0].toString(16).toUpperCase() + " \"" + n[1] + "\"", () => {
      expect(swName(n[0])).toBe(n[1]);
    });
  }
});
