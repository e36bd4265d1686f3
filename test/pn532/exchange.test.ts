// The host ⇄ PN532 command cycle when things go wrong: UM0701-02 §6.2.1.3 (ACK, and the host
// ACK that aborts), §6.2.1.4 (NACK: send the last frame again), §6.2.1.5 (error frame),
// §6.2.2 (no ACK: the host may send the command again).
import { describe, it, expect } from "vitest";
import { toHex } from "../../src/bytes/hex";
import { setup } from "./setup";

const FW = `
  => 00 00 FF 02 FE D4 02 2A 00                   # GetFirmwareVersion
  <= ACK
  <= 00 00 FF 06 FA D5 03 32 01 06 07 E8 00
`;
const FW_VERSION = { ic: 0x32, ver: 1, rev: 6, support: 7 };

describe("damaged frames: NACK, bounded (§6.2.1.4)", () => {
  const damaged: [string, string, string][] = [
    ["FRAME_BAD_DCS", "00 00 FF 06 FA D5 03 32 01 06 07 E9 00", "a data byte changed: DCS no longer sums to 0"],
    ["FRAME_BAD_LCS", "00 00 FF 06 FB D5 03 32 01 06 07 E8 00", "LEN + LCS ≠ 0"],
    ["FRAME_BAD_PREAMBLE", "00 01 FF 06 FA D5 03 32 01 06 07 E8 00", "start code damaged"],
    ["FRAME_TRUNCATED", "00 00 FF 06 FA D5 03 32", "bytes lost"],
    ["FRAME_BAD_POSTAMBLE", "00 00 FF 06 FA D5 03 32 01 06 07 E8 01", "postamble damaged"],
  ];
  for (const d of damaged) {
    it(`${d[0]} (${d[2]}) → NACK → the PN532 sends the answer again`, async () => {
      const { clock, link, pn } = setup(`
        => D4 02
        <= ACK
        <= ${d[1]}
        => 00 00 FF FF 00 00                          # NACK
        <= 00 00 FF 06 FA D5 03 32 01 06 07 E8 00     # sent again, intact
      `);
      expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
      link.done();
    });
  }

  it("a NACK storm ends after 3 NACKs with PN532_CHECKSUM, and the next command works", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E9 00     # bad DCS
      => NACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E9 00
      => NACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E9 00
      => NACK
      <= 00 00 FF 06 FA D5 03 32 01 06 07 E9 00     # fourth damaged frame: give up
      ${FW}
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_CHECKSUM", attempts: 4, cause: "FRAME_BAD_DCS", command: 0x02 });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    expect(clock.pending()).toBe(0);
    link.done();
  });

  it("nackRetries 0 fails on the first damaged frame", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= 00 00 FF 06 FA D5 03 32
    `, { nackRetries: 0 });
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_CHECKSUM", attempts: 1, cause: "FRAME_TRUNCATED" });
    link.done();
  });

  it("a damaged ACK is asked for again; the PN532 may resend the ACK", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= 00 00 FF 00 FE 00                          # ACK with a broken LCS
      => NACK
      <= ACK                                        # sent again
      <= D5 03 32 01 06 07
    `);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("a damaged ACK is asked for again; the PN532 may answer with its answer frame", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= 00 00 FF 00 FE 00
      => NACK
      <= D5 03 32 01 06 07                          # taken as the answer: its ACK was the damaged frame
    `);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("a damaged ACK counts as the ACK: the command is not written twice, the answer is awaited", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 80 AE 80 00 00                    # GENERATE AC
      <= 00 00 FF 00 FE 00                          # damaged ACK
      => NACK                                       # ignored while the card computes
      time +180
      <= D5 41 00 77 81 90 00
    `);
    expect(toHex(await clock.run(pn.inDataExchange(1, Uint8Array.of(0x80, 0xae, 0x80, 0x00, 0x00), 500)))).toBe("77819000");
    expect(link.readTimeouts).toEqual([30, 500]);
    link.done();
  });
});

describe("lost ACK: send the command again, bounded (§6.2.2)", () => {
  it("no ACK within 30 ms → the command is written again → success", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= timeout                                    # no ACK: the PN532 missed the frame
      => D4 02                                      # sent again
      <= ACK
      <= D5 03 32 01 06 07
    `);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    expect(link.readTimeouts).toEqual([30, 30, 1000]);
    link.done();
  });

  it("no ACK twice → PN532_NO_ACK after one resend, then the next command works", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= timeout
      => D4 02
      <= timeout
      ${FW}
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_NO_ACK", attempts: 2, command: 0x02 });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("ackRetries and ackTimeoutMs are options", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= timeout
    `, { ackRetries: 0, ackTimeoutMs: 50 });
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_NO_ACK", attempts: 1 });
    expect(link.readTimeouts).toEqual([50]);
    link.done();
  });

  it("an answer without its ACK is taken (the ACK was lost), not answered by a second command", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 80 AE 80 00 00                    # GENERATE AC must not run twice
      <= D5 41 00 90 00
    `);
    expect(await clock.run(pn.inDataExchange(1, Uint8Array.of(0x80, 0xae, 0x80, 0x00, 0x00), 500))).toEqual(Uint8Array.of(0x90, 0x00));
    link.done();
  });
});

describe("no answer: abort with an ACK (§6.2.1.3)", () => {
  it("PN532_TIMEOUT with waitedMs after the host ACK, then the next command works", async () => {
    const { clock, link, pn } = setup(`
      => D4 40 01 00 B2 01 0C 00
      <= ACK
      <= timeout                                    # the card never answers
      => ACK                                        # abort
      ${FW}
    `);
    await expect(clock.run(pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x01, 0x0c, 0x00), 250))).rejects.toMatchObject({
      code: "PN532_TIMEOUT",
      command: 0x40,
      waitedMs: 250,
    });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    expect(clock.pending()).toBe(0);
    link.done();
  });

  it("the answer deadline counts from the ACK across discarded frames", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      time +40
      <= D5 4B 00                                   # someone else's answer: discarded
      <= timeout
      => ACK
    `, { commandTimeoutMs: 100 });
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_TIMEOUT", waitedMs: 100 });
    expect(link.readTimeouts).toEqual([30, 100, 60]);
    link.done();
  });

  it("still PN532_TIMEOUT when the aborting ACK cannot be written, with the cause", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= timeout
      => fail LINK_BUS
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_TIMEOUT", cause: { code: "LINK_BUS" } });
    link.done();
  });
});

describe("late answers of aborted commands are not taken for the next answer", () => {
  const timedOutReadRecord = `
    => D4 40 01 00 B2 01 0C 00
    <= ACK
    <= timeout
    => ACK
  `;

  it("discarded after the next command's ACK (code 41 ≠ 03)", async () => {
    const { clock, link, pn } = setup(`
      ${timedOutReadRecord}
      => D4 02
      <= ACK
      <= D5 41 00 70 12 57 10                       # the READ RECORD answer, too late
      <= D5 03 32 01 06 07
    `);
    await expect(clock.run(pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x01, 0x0c, 0x00), 100))).rejects.toMatchObject({ code: "PN532_TIMEOUT" });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("discarded before the next command's ACK", async () => {
    const { clock, link, pn } = setup(`
      ${timedOutReadRecord}
      => D4 02
      <= D5 41 00 70 12 57 10
      <= ACK
      <= D5 03 32 01 06 07
    `);
    await expect(clock.run(pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x01, 0x0c, 0x00), 100))).rejects.toMatchObject({ code: "PN532_TIMEOUT" });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("discarded before the ACK even with the same code, when the previous cycle failed", async () => {
    const { clock, link, pn } = setup(`
      ${timedOutReadRecord}
      => D4 40 01 00 B2 02 0C 00
      <= D5 41 00 70 12 57 10                       # record 1, late
      <= ACK
      <= D5 41 00 70 0A 5F 24 03 25 12 31 90 00     # record 2
    `);
    await expect(clock.run(pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x01, 0x0c, 0x00), 100))).rejects.toMatchObject({ code: "PN532_TIMEOUT" });
    const r = await clock.run(pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x02, 0x0c, 0x00), 100));
    expect(r[1]).toBe(0x0a);
    link.done();
  });

  it("too many out-of-sequence frames → PN532_UNEXPECTED_ANSWER", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= D5 41 00
      <= ACK                                        # a second ACK
      <= D5 4B 00                                   # third out-of-sequence frame: over the limit of 2
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_UNEXPECTED_ANSWER", expected: 0x03, got: 0x4b, discarded: 3 });
    link.done();
  });

  it("a duplicate ACK is discarded", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= ACK
      <= D5 03 32 01 06 07
    `);
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });
});

describe("refusals and foreign frames", () => {
  it("error frame after the ACK → PN532_SYNTAX_ERROR, not resent; the next command works", async () => {
    const { clock, link, pn } = setup(`
      => D4 4A 01 00
      <= ACK
      <= 00 00 FF 01 FF 7F 81 00                    # application-level error frame (§6.2.1.5)
      ${FW}
    `);
    await expect(clock.run(pn.inListPassiveTarget(1, 100))).rejects.toMatchObject({ code: "PN532_SYNTAX_ERROR", command: 0x4a });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  it("error frame in place of the ACK → PN532_SYNTAX_ERROR", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ERROR
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "PN532_SYNTAX_ERROR" });
    link.done();
  });

  const foreign: [string, string, object][] = [
    ["a host frame (TFI D4)", "D4 03 32 01 06 07", { code: "PN532_UNEXPECTED_ANSWER", tfi: 0xd4 }],
    ["a NACK from the PN532", "NACK", { code: "PN532_UNEXPECTED_ANSWER" }],
    ["an information frame with no answer code", "D5", { code: "PN532_UNEXPECTED_ANSWER", tfi: 0xd5 }],
    ["an unknown TFI", "00 00 FF 06 FA D6 03 32 01 06 07 E7 00", { code: "FRAME_BAD_TFI" }],
    ["bytes after the postamble", "00 00 FF 06 FA D5 03 32 01 06 07 E8 00 00", { code: "FRAME_TOO_LONG" }],
  ];
  for (const f of foreign) {
    it("refuses " + f[0], async () => {
      const { clock, link, pn } = setup(`
        => D4 02
        <= ACK
        <= ${f[1]}
        ${FW}
      `);
      await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject(f[2]);
      expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
      link.done();
    });
  }

  it("passes link errors through with their own code", async () => {
    const { clock, link, pn } = setup(`
      => D4 02
      <= ACK
      <= fail LINK_BUS
      ${FW}
    `);
    await expect(clock.run(pn.getFirmwareVersion())).rejects.toMatchObject({ code: "LINK_BUS" });
    expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
    link.done();
  });

  const first: [string, (pn: ReturnType<typeof setup>["pn"]) => Promise<unknown>][] = [
    ["RFConfiguration", (pn) => pn.setRfField(true)],
    ["InDataExchange", (pn) => pn.inDataExchange(1, Uint8Array.of(0x00, 0xb2, 0x01, 0x0c, 0x00), 100)],
  ];
  for (const f of first) {
    it(`a trace that throws on the ${f[0]} frame ends that command with its error, nothing written; the next command works`, async () => {
      let calls = 0;
      const { clock, link, pn } = setup(FW, {
        trace: () => {
          if (calls++ === 0) throw new Error("trace full");
        },
      });
      await expect(clock.run(f[1](pn))).rejects.toThrow("trace full");
      expect(await clock.run(pn.getFirmwareVersion())).toEqual(FW_VERSION);
      link.done();
    });
  }

  it("hands every frame to the trace option", async () => {
    const seen: string[] = [];
    const { clock, link, pn } = setup(FW, {
      trace: (out, frame) => seen.push((out ? "=> " : "<= ") + toHex(frame)),
    });
    await clock.run(pn.getFirmwareVersion());
    expect(seen).toEqual(["=> 0000FF02FED4022A00", "<= 0000FF00FF00", "<= 0000FF06FAD50332010607E800"]);
    link.done();
  });
});
