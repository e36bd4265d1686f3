// The ISO-DEP ApduChannel over InDataExchange (UM0701-02 §7.3.8) and the presence check
// (Diagnose 06, §7.2.1), against the scripted PN532 API.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { codedError } from "../../src/bytes/coded-error";
import { IsoDepChannel } from "../../src/nfc/iso-dep-channel";
import { FakePn532, statusError, targetA } from "./fake-pn532";

const PHONE = targetA(1, 0x20, "08A1B2C3", "0578807002");
const SELECT_PPSE = fromHex("00A404000E325041592E5359532E444446303100");

function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail("resolved"),
    (e) => e,
  );
}

describe("IsoDepChannel", () => {
  it("sends one APDU per InDataExchange to the target's Tg with the default deadline", async () => {
    const pn = new FakePn532();
    let sent = "";
    pn.exchange = (tg, data) => {
      sent = toHex(data);
      return Promise.resolve(fromHex("6F10 9000"));
    };
    const ch = new IsoDepChannel(pn, targetA(2, 0x20, "08000000", "0578807002"));
    expect(toHex(await ch.transceive(SELECT_PPSE))).toBe("6F109000");
    expect(sent).toBe(toHex(SELECT_PPSE));
    expect(pn.calls).toEqual(["inDataExchange 2 2500"]);
  });

  it("takes a longer per-APDU deadline for slow phones", async () => {
    const pn = new FakePn532();
    pn.exchange = () => Promise.resolve(fromHex("9000"));
    await new IsoDepChannel(pn, PHONE, { apduTimeoutMs: 5000 }).transceive(SELECT_PPSE);
    expect(pn.calls).toEqual(["inDataExchange 1 5000"]);
  });

  it("accepts 262 bytes and refuses 263 before sending anything", async () => {
    const pn = new FakePn532();
    pn.exchange = () => Promise.resolve(fromHex("9000"));
    const ch = new IsoDepChannel(pn, PHONE);
    await ch.transceive(new Uint8Array(262));
    const e = await rejection(ch.transceive(new Uint8Array(263)));
    expect(e.code).toBe("ISODEP_COMMAND_TOO_LONG");
    expect(e.length).toBe(263);
    expect(pn.calls.length).toBe(1);
  });

  it("rejects an R-APDU shorter than SW1 SW2 as APDU_TOO_SHORT (the card's fault, not the link's)", async () => {
    const pn = new FakePn532();
    pn.exchange = () => Promise.resolve(fromHex("90"));
    const e = await rejection(new IsoDepChannel(pn, PHONE).transceive(SELECT_PPSE));
    expect(e.code).toBe("APDU_TOO_SHORT");
    expect(e.length).toBe(1);
  });

  // PN532 status (UM0701-02 §7.1) → ISO-DEP error.
  const statuses: [number, string][] = [
    [0x01, "ISODEP_TIMEOUT"],
    [0x0a, "ISODEP_CARD_GONE"],
    [0x29, "ISODEP_CARD_GONE"],
    [0x2b, "ISODEP_CARD_GONE"],
    [0x02, "ISODEP_PROTOCOL"], // CRC error
    [0x13, "ISODEP_PROTOCOL"], // format error
    [0x25, "ISODEP_PROTOCOL"], // invalid DEP state
    [0x27, "ISODEP_PROTOCOL"], // not acceptable in context
  ];
  for (const s of statuses) {
    it("maps PN532 status " + s[0].toString(16).padStart(2, "0") + " to " + s[1] + ", keeping the status and the cause", async () => {
      const pn = new FakePn532();
      const cause = statusError(s[0]);
      pn.exchange = () => Promise.reject(cause);
      const e = await rejection(new IsoDepChannel(pn, PHONE).transceive(SELECT_PPSE));
      expect(e.code).toBe(s[1]);
      expect(e.status).toBe(s[0]);
      expect(e.statusName).toBe("s" + s[0].toString(16));
      expect(e.cause).toBe(cause);
    });
  }

  it("maps a PN532 that does not answer within the deadline to ISODEP_TIMEOUT", async () => {
    // The driver aborts the command and reports how long it waited after the ACK.
    const cases: [Error, number][] = [
      [codedError("PN532_TIMEOUT", "InDataExchange: no answer", { waitedMs: 2487 }), 2487],
      [codedError("LINK_TIMEOUT", "nothing"), 2500],
    ];
    for (const c of cases) {
      const pn = new FakePn532();
      pn.exchange = () => Promise.reject(c[0]);
      const e = await rejection(new IsoDepChannel(pn, PHONE).transceive(SELECT_PPSE));
      expect(e.code).toBe("ISODEP_TIMEOUT");
      expect(e.cause).toBe(c[0]);
      expect(e.waitedMs).toBe(c[1]);
    }
  });

  it("passes other driver errors through unchanged", async () => {
    const pn = new FakePn532();
    const cause = codedError("PN532_NO_ACK", "no ACK", { attempts: 2 });
    pn.exchange = () => Promise.reject(cause);
    expect(await rejection(new IsoDepChannel(pn, PHONE).transceive(SELECT_PPSE))).toBe(cause);
  });
});

describe("IsoDepChannel.checkPresence (Diagnose 06)", () => {
  const cases: [string, () => Promise<boolean>, boolean | string][] = [
    ["present", () => Promise.resolve(true), true],
    ["driver says absent", () => Promise.resolve(false), false],
    ["status 01 timeout", () => Promise.reject(statusError(0x01)), false],
    ["status 2B card disappeared", () => Promise.reject(statusError(0x2b)), false],
    ["status 02 CRC error", () => Promise.reject(statusError(0x02)), "ISODEP_PROTOCOL"],
    ["the PN532 itself silent", () => Promise.reject(codedError("LINK_TIMEOUT", "x")), "ISODEP_TIMEOUT"],
  ];
  for (const c of cases) {
    it(c[0] + " → " + c[2], async () => {
      const pn = new FakePn532();
      pn.presence = c[1];
      const p = new IsoDepChannel(pn, PHONE, { presenceTimeoutMs: 300 }).checkPresence();
      if (typeof c[2] === "boolean") expect(await p).toBe(c[2]);
      else expect((await rejection(p)).code).toBe(c[2]);
      expect(pn.calls).toEqual(["checkPresence 300"]);
    });
  }
});
