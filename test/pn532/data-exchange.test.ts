// InDataExchange (UM0701-02 §7.3.8): status byte, extended frames, MI chaining both ways.
import { describe, it, expect } from "vitest";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { encodeFrame, TFI_PN532 } from "../../src/pn532/frame";
import { ramp, setup } from "./setup";

const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
// FCI of the PPSE with one Visa entry: 6F { 84 "2PAY.SYS.DDF01", A5 { BF0C { 61 { 4F A0000000031010 } } } }
const PPSE_FCI = "6F20840E325041592E5359532E4444463031A50EBF0C0B61094F07A0000000031010";

describe("InDataExchange", () => {
  it("SELECT PPSE to target 1 (vector frame), FCI + 9000 back", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 17 E9 D4 40 01 00 A4 04 00 0E 32 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00 8F 00
      <= ACK
      <= D5 41 00 ${PPSE_FCI} 90 00                   # status 00, R-APDU
    `);
    const r = await clock.run(pn.inDataExchange(1, fromHex(SELECT_PPSE), 500));
    expect(toHex(r)).toBe(PPSE_FCI + "9000");
    expect(link.readTimeouts).toEqual([30, 500]);
    link.done();
  });

  it("status 01 (vector frame) → PN532_STATUS TIMEOUT", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 ${SELECT_PPSE}
      <= ACK
      <= 00 00 FF 03 FD D5 41 01 E9 00              # status 01: the target did not answer
    `);
    await expect(clock.run(pn.inDataExchange(1, fromHex(SELECT_PPSE), 500))).rejects.toMatchObject({
      code: "PN532_STATUS",
      status: 0x01,
      statusName: "TIMEOUT",
      command: 0x40,
    });
    link.done();
  });

  it("a 258-byte R-APDU arrives in an extended frame (261 data bytes)", async () => {
    const rapdu = concat([ramp(256), fromHex("9000")]);
    const wire = encodeFrame(TFI_PN532, concat([fromHex("4100"), rapdu]));
    expect(toHex(wire.subarray(0, 9))).toBe("0000FFFFFF0105FAD5"); // LENM 01 LENL 05, LCS FA
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B0 00 00 00                    # READ BINARY, Le 256
      <= ACK
      <= ${toHex(wire)}
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, fromHex("00B0000000"), 500)))).toBe(toHex(rapdu));
    link.done();
  });

  it("262 bytes out fit one extended host frame", async () => {
    const capdu = ramp(262);
    const wire = encodeFrame(0xd4, concat([fromHex("4001"), capdu]));
    expect(toHex(wire.subarray(0, 11))).toBe("0000FFFFFF0109F6D44001"); // 265 = 01 09, LCS F6
    const { clock, link, pn } = setup(`
      => ${toHex(wire)}
      <= ACK
      <= D5 41 00 90 00
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, capdu, 500)))).toBe("9000");
    link.done();
  });

  it("refuses an answer without its status byte", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 C0 00 00 00
      <= ACK
      <= D5 41
    `);
    await expect(clock.run(pn.inDataExchange(1, fromHex("00C0000000"), 500))).rejects.toMatchObject({ code: "PN532_BAD_ANSWER", offset: 0 });
    link.done();
  });
});

describe("MI chaining, PN532 → host", () => {
  it("a 300-byte answer in parts of 262 + 38: the host asks with D4 40 Tg", async () => {
    const answer = ramp(300, 7);
    const { clock, link, pn } = setup(`
      => D4 40 01 80 CA 9F 7F 00
      <= ACK
      <= D5 41 40 ${toHex(answer.subarray(0, 262))}   # status MI: more to come
      => D4 40 01                                   # next part, no data
      <= ACK
      <= D5 41 00 ${toHex(answer.subarray(262))}      # last part
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, fromHex("80CA9F7F00"), 500)))).toBe(toHex(answer));
    link.done();
  });

  it("three parts, and a failure status in the middle stops it", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 02 00 B0 00 00 00
      <= ACK
      <= D5 41 40 ${toHex(ramp(100))}
      => D4 40 02
      <= ACK
      <= D5 41 40 ${toHex(ramp(100, 100))}
      => D4 40 02
      <= ACK
      <= D5 41 00 ${toHex(ramp(56, 200))}
      => D4 40 02 00 B0 00 00 00
      <= ACK
      <= D5 41 40 ${toHex(ramp(100))}
      => D4 40 02
      <= ACK
      <= D5 41 2B                                   # card disappeared
    `);
    expect(toHex(await clock.run(pn.inDataExchange(2, fromHex("00B0000000"), 500)))).toBe(toHex(ramp(256)));
    await expect(clock.run(pn.inDataExchange(2, fromHex("00B0000000"), 500))).rejects.toMatchObject({ code: "PN532_STATUS", statusName: "CARD_DISAPPEARED" });
    link.done();
  });

  it("bounded: past 4096 bytes → PN532_TOO_LONG", async () => {
    let script = "=> D4 40 01 00 B0 00 00 00\n<= ACK\n";
    for (let i = 0; i < 15; i++) script += `<= D5 41 40 ${toHex(ramp(262))}\n=> D4 40 01\n<= ACK\n`;
    script += `<= D5 41 40 ${toHex(ramp(262))}   # 16 × 262 = 4192 bytes\n`;
    const { clock, link, pn } = setup(script);
    await expect(clock.run(pn.inDataExchange(1, fromHex("00B0000000"), 500))).rejects.toMatchObject({ code: "PN532_TOO_LONG", length: 4192, limit: 4096 });
    link.done();
  });

  it("maxAnswerBytes is an option", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B0 00 00 00
      <= ACK
      <= D5 41 40 ${toHex(ramp(200))}
      => D4 40 01
      <= ACK
      <= D5 41 00 ${toHex(ramp(101))}
    `, { maxAnswerBytes: 300 });
    await expect(clock.run(pn.inDataExchange(1, fromHex("00B0000000"), 500))).rejects.toMatchObject({ code: "PN532_TOO_LONG", length: 301, limit: 300 });
    link.done();
  });

  it("maxAnswerBytes bounds a one-part answer too: up to the limit taken, past it PN532_TOO_LONG", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B2 01 0C 00
      <= ACK
      <= D5 41 00 70 02 5A 00 90 00                 # 6 bytes: the limit
      => D4 40 01 00 B2 02 0C 00
      <= ACK
      <= D5 41 00 70 03 5A 01 11 90 00              # 7 bytes: one over
    `, { maxAnswerBytes: 6 });
    expect(toHex(await clock.run(pn.inDataExchange(1, fromHex("00B2010C00"), 500)))).toBe("70025A009000");
    await expect(clock.run(pn.inDataExchange(1, fromHex("00B2020C00"), 500))).rejects.toMatchObject({ code: "PN532_TOO_LONG", length: 7, limit: 6, command: 0x40 });
    link.done();
  });

  it("an MI part without data is refused (it could loop forever)", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B0 00 00 00
      <= ACK
      <= D5 41 40
    `);
    await expect(clock.run(pn.inDataExchange(1, fromHex("00B0000000"), 500))).rejects.toMatchObject({ code: "PN532_BAD_ANSWER" });
    link.done();
  });
});

describe("MI chaining, host → PN532", () => {
  it("a 300-byte command in parts of 262 (Tg | MI) + 38, each part but the last answered 00", async () => {
    const capdu = ramp(300, 1);
    const { clock, link, pn } = setup(`
      => D4 40 41 ${toHex(capdu.subarray(0, 262))}    # Tg 01 with MI (0x40)
      <= ACK
      <= D5 41 00                                   # part taken, no data
      => D4 40 01 ${toHex(capdu.subarray(262))}       # last part: plain Tg
      <= ACK
      <= D5 41 00 90 00
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, capdu, 500)))).toBe("9000");
    link.done();
  });

  it("600 bytes out (262 + 262 + 76) and 300 bytes back", async () => {
    const capdu = ramp(600);
    const answer = ramp(300, 3);
    const { clock, link, pn } = setup(`
      => D4 40 41 ${toHex(capdu.subarray(0, 262))}
      <= ACK
      <= D5 41 00
      => D4 40 41 ${toHex(capdu.subarray(262, 524))}
      <= ACK
      <= D5 41 00
      => D4 40 01 ${toHex(capdu.subarray(524))}
      <= ACK
      <= D5 41 40 ${toHex(answer.subarray(0, 262))}
      => D4 40 01
      <= ACK
      <= D5 41 00 ${toHex(answer.subarray(262))}
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, capdu, 500)))).toBe(toHex(answer));
    link.done();
  });

  const badAcks: [string, string, object][] = [
    ["an error status stops the chain", "D5 41 0B", { code: "PN532_STATUS", status: 0x0b, statusName: "RF_PROTOCOL" }],
    ["data on a part acknowledgement", "D5 41 00 90 00", { code: "PN532_BAD_ANSWER", offset: 1 }],
    ["MI on a part acknowledgement", "D5 41 40", { code: "PN532_BAD_ANSWER", offset: 0 }],
  ];
  for (const b of badAcks) {
    it("refuses " + b[0], async () => {
      const capdu = ramp(300);
      const { clock, link, pn } = setup(`
        => D4 40 41 ${toHex(capdu.subarray(0, 262))}
        <= ACK
        <= ${b[1]}
      `);
      await expect(clock.run(pn.inDataExchange(1, capdu, 500))).rejects.toMatchObject(b[2]);
      link.done();
    });
  }
});

describe("every §7.1 error status → PN532_STATUS with its name", () => {
  const table: [number, string][] = [
    [0x01, "TIMEOUT"], [0x02, "CRC"], [0x03, "PARITY"], [0x04, "ANTICOLLISION_BIT_COUNT"], [0x05, "FRAMING"],
    [0x06, "BIT_COLLISION"], [0x07, "BUFFER_TOO_SMALL"], [0x09, "RF_BUFFER_OVERFLOW"], [0x0a, "RF_FIELD_TIMEOUT"],
    [0x0b, "RF_PROTOCOL"], [0x0d, "TEMPERATURE"], [0x0e, "INTERNAL_BUFFER_OVERFLOW"], [0x10, "INVALID_PARAMETER"],
    [0x12, "DEP_UNSUPPORTED_COMMAND"], [0x13, "DATA_FORMAT"], [0x14, "MIFARE_AUTH"], [0x23, "UID_CHECK_BYTE"],
    [0x25, "DEP_INVALID_STATE"], [0x26, "OPERATION_NOT_ALLOWED"], [0x27, "COMMAND_NOT_ACCEPTABLE"],
    [0x29, "RELEASED_BY_INITIATOR"], [0x2a, "CARD_ID_MISMATCH"], [0x2b, "CARD_DISAPPEARED"], [0x2c, "NFCID3_MISMATCH"],
    [0x2d, "OVER_CURRENT"], [0x2e, "NAD_MISSING"],
  ];
  for (const t of table) {
    const status = t[0];
    it(`status ${toHex([status])} and with NAD bit ${toHex([status | 0x80])} → ${t[1]}`, async () => {
      const { clock, link, pn } = setup(`
        => D4 40 01 00 84 00 00 08
        <= ACK
        <= D5 41 ${toHex([status])}
        => D4 40 01 00 84 00 00 08
        <= ACK
        <= D5 41 ${toHex([status | 0x80])} 00     # NAD present: still the same error
      `);
      const expected = { code: "PN532_STATUS", status: status, statusName: t[1], command: 0x40 };
      await expect(clock.run(pn.inDataExchange(1, fromHex("0084000008"), 500))).rejects.toMatchObject(expected);
      await expect(clock.run(pn.inDataExchange(1, fromHex("0084000008"), 500))).rejects.toMatchObject(expected);
      link.done();
    });
  }
});
