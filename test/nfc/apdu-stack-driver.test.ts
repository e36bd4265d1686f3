// The APDU stack (src/nfc/apdu-stack.ts) over the real driver and a scripted PN532 link: the
// path every tap takes (the driver's callback form of InDataExchange, UM0701-02 §7.3.8, one
// promise per APDU), with the decorators (ISO/IEC 7816-4 §5.3.4 61xx, §5.6 6Cxx) and the
// ISO-DEP error mapping on the answers it does not hand back as they are.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { buildApduStack } from "../../src/nfc/apdu-stack";
import { setup } from "../pn532/setup";
import { targetA } from "./fake-pn532";

const PHONE = targetA(1, 0x20, "08A1B2C3", "0578807002");
const READ_RECORD = "00 B2 01 0C 00";
// GENERATE AC ARQC, CDOL1 data abbreviated to 4 bytes (Book 3 §6.5.5): case 4, Le 00.
const GAC = "80 AE 80 00 04 00 00 12 50 00";

function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail("resolved"),
    (e) => e,
  );
}

describe("buildApduStack over the driver", () => {
  it("hands back a 9000 answer as the card sent it, one InDataExchange, the ISO-DEP deadline", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 70 03 5A 01 11 90 00
    `);
    const r = await clock.run(buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD)));
    expect(toHex(r)).toBe("70035A01119000");
    expect(link.readTimeouts).toEqual([30, 2500]);
    link.done();
  });

  it("fetches 61xx with GET RESPONSE and resends a GET RESPONSE answered 6Cxx with Le = xx", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${GAC}
      <= ACK
      <= D5 41 00 61 10
      => D4 40 01 00 C0 00 00 10                    # GET RESPONSE, 16 bytes announced
      <= ACK
      <= D5 41 00 6C 08                             # wrong Le, exact length 08
      => D4 40 01 00 C0 00 00 08                    # the GET RESPONSE again, not the GENERATE AC
      <= ACK
      <= D5 41 00 9F 27 01 80 9F 36 02 00 2A 90 00
    `);
    const r = await clock.run(buildApduStack(pn, PHONE).transceive(fromHex(GAC)));
    expect(toHex(r)).toBe("9F2701809F3602002A9000");
    link.done();
  });

  it("resends READ RECORD answered 6Cxx once with Le = xx", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 6C 03
      => D4 40 01 00 B2 01 0C 03
      <= ACK
      <= D5 41 00 70 01 00 90 00
    `);
    expect(toHex(await clock.run(buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD))))).toBe("7001009000");
    link.done();
  });

  it("never sends GENERATE AC twice: 6Cxx → APDU_WRONG_LE, and the next APDU still goes", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${GAC}
      <= ACK
      <= D5 41 00 6C 20
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 6A 83
    `);
    const stack = buildApduStack(pn, PHONE);
    expect(await rejection(clock.run(stack.transceive(fromHex(GAC))))).toMatchObject({ code: "APDU_WRONG_LE", sw: 0x6c20, ins: 0xae });
    expect(toHex(await clock.run(stack.transceive(fromHex(READ_RECORD))))).toBe("6A83");
    link.done();
  });

  it("takes a chained answer (MI) whole", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 40 70 03                             # MI: more follows
      => D4 40 01                                   # the next part
      <= ACK
      <= D5 41 00 5A 01 11 90 00
    `);
    expect(toHex(await clock.run(buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD))))).toBe("70035A01119000");
    link.done();
  });

  const statuses: [number, string, string][] = [
    [0x01, "ISODEP_TIMEOUT", "TIMEOUT"],
    [0x2b, "ISODEP_CARD_GONE", "CARD_DISAPPEARED"],
    [0x02, "ISODEP_PROTOCOL", "CRC"],
  ];
  for (const s of statuses) {
    it(`maps status ${toHex([s[0]])} to ${s[1]}, keeping the status and the cause`, async () => {
      const { clock, link, pn } = setup(`
        => D4 40 01 ${READ_RECORD}
        <= ACK
        <= D5 41 ${toHex([s[0]])}
      `);
      const e = await rejection(clock.run(buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD))));
      expect(e).toMatchObject({ code: s[1], status: s[0], statusName: s[2], cause: { code: "PN532_STATUS", command: 0x40 } });
      link.done();
    });
  }

  it("maps a card that never answers to ISODEP_TIMEOUT after the PN532 is aborted", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= timeout
      => ACK                                        # abort (§6.2.1.3)
    `);
    const e = await rejection(clock.run(buildApduStack(pn, PHONE, { isoDep: { apduTimeoutMs: 400 } }).transceive(fromHex(READ_RECORD))));
    expect(e).toMatchObject({ code: "ISODEP_TIMEOUT", waitedMs: 400, cause: { code: "PN532_TIMEOUT" } });
    link.done();
  });

  it("rejects an R-APDU shorter than SW1 SW2 as APDU_TOO_SHORT", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 90
    `);
    expect(await rejection(clock.run(buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD))))).toMatchObject({ code: "APDU_TOO_SHORT", length: 1 });
    link.done();
  });

  it("refuses a command over 262 bytes before writing anything", async () => {
    const { clock, link, pn } = setup("");
    const e = await rejection(clock.run(buildApduStack(pn, PHONE).transceive(new Uint8Array(263))));
    expect(e).toMatchObject({ code: "ISODEP_COMMAND_TOO_LONG", length: 263 });
    link.done();
  });

  it("answers two APDUs sent at once in order, each with its own answer", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 70 01 01 90 00
      => D4 40 01 00 B2 02 0C 00
      <= ACK
      <= D5 41 00 70 01 02 90 00
    `);
    const stack = buildApduStack(pn, PHONE);
    const a = stack.transceive(fromHex(READ_RECORD));
    const b = stack.transceive(fromHex("00 B2 02 0C 00"));
    const r = await clock.run(Promise.all([a, b]));
    expect(r.map((x) => toHex(x))).toEqual(["7001019000", "7001029000"]);
    link.done();
  });

  it("waits behind a driver command in progress", async () => {
    const { clock, link, pn } = setup(`
      => D4 32 01 01                                # RFConfiguration, field on
      <= ACK
      <= D5 33
      => D4 40 01 ${READ_RECORD}
      <= ACK
      <= D5 41 00 90 00
    `);
    const on = pn.setRfField(true);
    const r = buildApduStack(pn, PHONE).transceive(fromHex(READ_RECORD));
    await clock.run(on);
    expect(toHex(await clock.run(r))).toBe("9000");
    link.done();
  });
});
