// The PN532 commands as hex transcripts. Frames: PN532 User Manual UM0701-02 §7 (raw wire
// bytes where the manual's examples give them, otherwise `D4 …`/`D5 …` built by the script).
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { setup } from "./setup";

describe("Pn532 commands (UM0701-02 §7)", () => {
  it("GetFirmwareVersion: PN532 v1.6, types A, B and ISO 18092", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 02 FE D4 02 2A 00                 # GetFirmwareVersion
      <= 00 00 FF 00 FF 00                          # ACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E8 00     # IC 32, Ver 1, Rev 6, Support 7
    `);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual({ ic: 0x32, ver: 1, rev: 6, support: 7 });
    expect(link.readTimeouts).toEqual([30, 1000]);
    link.done();
  });

  it("GetFirmwareVersion refuses an answer of the wrong size", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= D5 03 32 01 06                             # Support byte missing
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_BAD_ANSWER", command: 0x02, offset: 3 });
    link.done();
  });

  it("SAMConfiguration normal mode, no timeout, no IRQ", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 05 FB D4 14 01 00 00 17 00        # SAMConfiguration Mode 1 Timeout 0 IRQ 0
      <= ACK
      <= D5 15
      => D4 14 01 14 01                             # Mode 1, timeout 20 × 50 ms, IRQ used
      <= ACK
      <= D5 15
    `);
    await clock.run(pn.samConfiguration(1, 0, false));
    await clock.run(pn.samConfiguration(1, 20, true));
    link.done();
  });

  it("SetParameters", async () => {
    const { clock, link, pn } = setup(`
      => D4 12 14                                   # fAutomaticRATS | fAutomaticATR_RES
      <= ACK
      <= D5 13
    `);
    await clock.run(pn.setParameters(0x14));
    link.done();
  });

  it("RFConfiguration: field, timings, MaxRetries", async () => {
    const { clock, link, pn } = setup(`
      => D4 32 01 01                                # CfgItem 01: RF on, AutoRFCA off
      <= ACK
      <= D5 33
      => D4 32 01 00                                # RF off
      <= ACK
      <= D5 33
      => D4 32 02 00 0B 0A                          # CfgItem 02: RFU, ATR_RES 102 ms, retry 51.2 ms
      <= ACK
      <= D5 33
      => 00 00 FF 06 FA D4 32 05 FF 01 FF F6 00     # CfgItem 05: MxRtyATR FF, PSL 01, passive FF
      <= ACK
      <= D5 33
    `);
    await clock.run(pn.setRfField(true));
    await clock.run(pn.setRfField(false));
    await clock.run(pn.setTimings(0x0b, 0x0a));
    await clock.run(pn.setMaxRetries({ atr: 0xff, psl: 0x01, passiveActivation: 0xff }));
    link.done();
  });

  it("refuses parameters that are not bytes, writing nothing", async () => {
    const { clock, link, pn } = setup("");
    await expect(clock.run(pn.setMaxRetries({ atr: 256, psl: 1, passiveActivation: 1 }))).rejects.toMatchObject({ code: "PN532_BAD_ARGUMENT", index: 2, value: 256 });
    await expect(clock.run(pn.setTimings(-1, 0))).rejects.toMatchObject({ code: "PN532_BAD_ARGUMENT" });
    await expect(clock.run(pn.inRelease(1.5))).rejects.toMatchObject({ code: "PN532_BAD_ARGUMENT" });
    await expect(clock.run(pn.inListPassiveTarget(3, 100))).rejects.toMatchObject({ code: "PN532_BAD_ARGUMENT", value: 3 });
    await expect(clock.run(pn.setSerialBaudRate(14400))).rejects.toMatchObject({ code: "PN532_BAD_ARGUMENT", value: 14400 });
    link.done();
  });
});

describe("InListPassiveTarget 106 kbps type A (§7.3.5)", () => {
  it("lists a phone: SAK 20, random UID, ATS", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 04 FC D4 4A 01 00 E1 00           # MaxTg 1, BrTy 00
      <= ACK
      <= D5 4B 01                                   # NbTg 1
            01 00 04 20 04 08 12 34 56              # Tg 1, SENS_RES 0004, SEL_RES 20, UID 08123456
            05 78 80 70 02                          # ATS: TL 5, T0 78, TA 80, TB 70, TC 02
    `);
    const targets = await clock.run(pn.inListPassiveTarget(1, 500));
    expect(targets.length).toBe(1);
    const t = targets[0];
    expect([t.tg, toHex(t.atqa), t.sak, toHex(t.uid), toHex(t.ats!)]).toEqual([1, "0004", 0x20, "08123456", "0578807002"]);
    expect(link.readTimeouts).toEqual([30, 500]);
    link.done();
  });

  it("lists a MIFARE Classic card without ATS, and nothing when no card answers", async () => {
    const { clock, link, pn } = setup(`
      => D4 4A 01 00
      <= ACK
      <= D5 4B 01 01 00 04 08 04 DE AD BE EF        # SAK 08: not ISO-DEP, no ATS follows
      => D4 4A 01 00
      <= ACK
      <= D5 4B 00                                   # NbTg 0 (MxRtyPassiveActivation exhausted)
    `);
    const one = await clock.run(pn.inListPassiveTarget(1, 500));
    expect(one.map((t) => [t.sak, toHex(t.uid), t.ats])).toEqual([[0x08, "DEADBEEF", null]]);
    expect(await clock.run(pn.inListPassiveTarget(1, 500))).toEqual([]);
    link.done();
  });

  it("shows a collision as two targets (MaxTg 2)", async () => {
    const { clock, link, pn } = setup(`
      => D4 4A 02 00
      <= ACK
      <= D5 4B 02
            01 00 04 20 04 08 AA BB CC 05 78 80 70 02   # a phone
            02 00 44 00 07 04 11 22 33 44 55 66         # and an Ultralight, 7-byte UID
    `);
    const targets = await clock.run(pn.inListPassiveTarget(2, 500));
    expect(targets.map((t) => [t.tg, toHex(t.uid), t.ats ? toHex(t.ats) : null])).toEqual([
      [1, "08AABBCC", "0578807002"],
      [2, "04112233445566", null],
    ]);
    link.done();
  });

  it("expects no ATS once SetParameters turned fAutomaticRATS off", async () => {
    const { clock, link, pn } = setup(`
      => D4 12 04                                   # fAutomaticATR_RES only
      <= ACK
      <= D5 13
      => D4 4A 01 00
      <= ACK
      <= D5 4B 01 01 00 04 20 04 08 12 34 56        # SAK 20 but the host sends RATS itself
    `);
    await clock.run(pn.setParameters(0x04));
    const targets = await clock.run(pn.inListPassiveTarget(1, 500));
    expect(targets[0].ats).toBeNull();
    link.done();
  });

  it("aborts with an ACK when no card comes before the timeout (MxRtyPassiveActivation FF)", async () => {
    const { clock, link, pn } = setup(`
      => D4 4A 01 00
      <= ACK
      <= timeout                                    # still searching after 150 ms
      => ACK                                        # host ACK aborts the command (§6.2.1.3)
    `);
    await expect(clock.run(pn.inListPassiveTarget(1, 150))).rejects.toMatchObject({ code: "PN532_TIMEOUT", command: 0x4a, waitedMs: 150 });
    link.done();
  });

  it("refuses a malformed answer with its offset", async () => {
    const { clock, link, pn } = setup(`
      => D4 4A 01 00
      <= ACK
      <= D5 4B 01 01 00 04 20 04 08 12 34 56 05 78  # ATS cut short
    `);
    await expect(clock.run(pn.inListPassiveTarget(1, 500))).rejects.toMatchObject({ code: "PN532_BAD_ANSWER", offset: 12 });
    link.done();
  });
});

describe("InRelease, InDeselect, Diagnose, PowerDown, wake-up", () => {
  it("InRelease and InDeselect, status 00", async () => {
    const { clock, link, pn } = setup(`
      => D4 44 01                                   # InDeselect Tg 1
      <= ACK
      <= D5 45 00
      => D4 52 00                                   # InRelease all targets
      <= ACK
      <= D5 53 00
    `);
    await clock.run(pn.inDeselect(1));
    await clock.run(pn.inRelease(0));
    link.done();
  });

  it("InRelease with an error status rejects PN532_STATUS", async () => {
    const { clock, link, pn } = setup(`
      => D4 52 01
      <= ACK
      <= D5 53 27                                   # command not acceptable in context
    `);
    await expect(clock.run(pn.inRelease(1))).rejects.toMatchObject({
      code: "PN532_STATUS",
      status: 0x27,
      statusName: "COMMAND_NOT_ACCEPTABLE",
      command: 0x52,
    });
    link.done();
  });

  const presence: [string, string, boolean][] = [
    ["00", "the target answered", true],
    ["01", "timeout: gone", false],
    ["2B", "card disappeared", false],
    ["27", "no active ISO-DEP target", false],
  ];
  for (const c of presence) {
    it("Diagnose NumTst 06 presence check, status " + c[0] + " (" + c[1] + ")", async () => {
      const { clock, link, pn } = setup(`
        => D4 00 06                                 # Attention Request Test
        <= ACK
        <= D5 01 ${c[0]}
      `);
      expect(await clock.run(pn.checkPresence(200))).toBe(c[2]);
      expect(link.readTimeouts).toEqual([30, 200]);
      link.done();
    });
  }

  it("PowerDown, then wake-up confirmed by GetFirmwareVersion", async () => {
    const { clock, link, pn } = setup(`
      => D4 16 B0                                   # wake up on I2C, SPI or HSU
      <= ACK
      <= D5 17 00
      wake                                          # the link's wake-up sequence
      => D4 02
      <= ACK
      <= D5 03 32 01 06 07
    `);
    await clock.run(pn.powerDown(0xb0));
    await clock.run(pn.wakeUp());
    link.done();
  });

  it("PowerDown with an error status rejects PN532_STATUS", async () => {
    const { clock, link, pn } = setup(`
      => D4 16 B0
      <= ACK
      <= D5 17 10                                   # invalid parameter
    `);
    await expect(clock.run(pn.powerDown(0xb0))).rejects.toMatchObject({ code: "PN532_STATUS", status: 0x10, statusName: "INVALID_PARAMETER" });
    link.done();
  });
});

describe("SetSerialBaudRate (§7.2.13)", () => {
  it("answers at the old rate, the host ACKs, then both switch and settle", async () => {
    const { clock, link, pn } = setup(`
      => D4 10 07                                   # BR 07 = 921600
      <= ACK
      <= D5 11                                      # still at the old rate
      => ACK                                        # host ACK at the old rate
      baud 921600                                   # then the host UART switches
    `, { baudSettleMs: 10 });
    let done = false;
    const p = pn.setSerialBaudRate(921600).then(() => (done = true));
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    link.done();
    expect(done).toBe(false);
    clock.advance(9);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(clock.pending()).toBe(0);
  });

  const rates: [number, string][] = [[9600, "00"], [19200, "01"], [38400, "02"], [57600, "03"], [115200, "04"], [230400, "05"], [460800, "06"], [921600, "07"], [1288000, "08"]];
  for (const r of rates) {
    it("BR " + r[1] + " = " + r[0] + " baud", async () => {
      const { clock, link, pn } = setup(`
        => D4 10 ${r[1]}
        <= ACK
        <= D5 11
        => ACK
        baud ${r[0]}
      `);
      await clock.run(pn.setSerialBaudRate(r[0]));
      link.done();
    });
  }
});

describe("abort and serialization", () => {
  it("abort() writes an ACK frame", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 00 FF 00
    `);
    await clock.run(pn.abort());
    link.done();
  });

  it("runs concurrent calls one after the other, in call order, even after a failure", async () => {
    const { clock, link, pn } = setup(`
      => D4 02                                      # 1: GetFirmwareVersion
      <= ACK
      <= D5 03 32 01 06 07
      => D4 4A 01 00                                # 2: InListPassiveTarget, fails
      <= ACK
      <= ERROR
      => D4 40 01 00 B2 01 0C 00                    # 3: InDataExchange READ RECORD
      <= ACK
      <= D5 41 00 6A 83
      => D4 32 01 00                                # 4: field off
      <= ACK
      <= D5 33
    `);
    const order: string[] = [];
    const p1 = pn.getFirmwareVersion().then(() => order.push("fw"));
    const p2 = pn.inListPassiveTarget(1, 100).catch((e) => order.push(e.code));
    const p3 = pn.inDataExchange(1, fromHex("00B2010C00"), 100).then((r) => order.push(toHex(r)));
    const p4 = pn.setRfField(false).then(() => order.push("off"));
    await clock.run(Promise.all([p1, p2, p3, p4]));
    expect(order).toEqual(["fw", "PN532_SYNTAX_ERROR", "6A83", "off"]);
    link.done();
  });

  it("InDataExchanges queued behind each other keep their own Tg, data, timeout and promise", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B2 01 0C 00                    # 1: READ RECORD 1
      <= ACK
      <= D5 41 00 90 00
      => D4 40 01 00 B2 02 0C 00                    # 2: READ RECORD 2, queued
      <= ACK
      <= D5 41 01                                   # status 01: timeout
      => D4 40 02 00 B2 03 0C 00                    # 3: READ RECORD 3 to Tg 2, queued
      <= ACK
      <= D5 41 00 6A 83
    `);
    const order: string[] = [];
    const p1 = pn.inDataExchange(1, fromHex("00B2010C00"), 100).then((r) => order.push(toHex(r)));
    const p2 = pn.inDataExchange(1, fromHex("00B2020C00"), 200).catch((e) => order.push(e.code + " " + e.status));
    const p3 = pn.inDataExchange(2, fromHex("00B2030C00"), 300).then((r) => order.push(toHex(r)));
    await clock.run(Promise.all([p1, p2, p3]));
    expect(order).toEqual(["9000", "PN532_STATUS 1", "6A83"]);
    expect(link.readTimeouts).toEqual([30, 100, 30, 200, 30, 300]);
    link.done();
  });
});
