// The Pn532 driver contract (docs/architecture.md "Conventions" §9): one suite, run over every host link against the
// simulated PN532 — I2C polled and with P70_IRQ, SPI on an LSB-first and on an MSB-first
// master, HSU at 115200 baud. Frames are asserted byte for byte on the bus; the host frames
// are the vectors of PN532 User Manual UM0701-02 (§6.2.1, §7.2.2, §7.2.10, §7.3.1, §7.3.5,
// §7.3.8). After every test no timer is left in the simulated clock and no promise rejected
// unhandled.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { GetResponseChannel } from "../../src/apdu/get-response";
import { IsoDepChannel } from "../../src/nfc/iso-dep-channel";
import { encodeCommand } from "../../src/pn532/frame";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { hx } from "../sim/sim-helpers";
import { activate, ans, bigFci, count, exchangeParts, phone, ramp, rejection } from "./contract-fixtures";
import { drainRigs, onBus, VARIANTS, wakeTx } from "./contract-rig";
import type { Variant } from "./contract-rig";

// --- UM0701-02 vectors, host → PN532 unless named an answer ---
const ACK = "0000FF00FF00";
const NACK = "0000FFFF0000";
const GET_FIRMWARE_VERSION = "0000FF02FED4022A00";
const FIRMWARE_ANSWER = "0000FF06FAD50332010607E800"; // PN532 v1.6
const FIRMWARE_ANSWER_BAD_DCS = "0000FF06FAD5033201060717" + "00";
const SAM_NORMAL = "0000FF05FBD41401000017" + "00"; // mode 1, no timeout, IRQ 00
const SAM_NORMAL_IRQ = "0000FF05FBD41401000116" + "00"; // same, IRQ 01: P70_IRQ driven
const MAX_RETRIES = "0000FF06FAD43205FF01FFF600";
const IN_LIST_1 = "0000FF04FCD44A0100E100";
const IN_LIST_2 = "0000FF04FCD44A0200E000";
const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";
const SELECT_PPSE_FRAME = "0000FF17E9D4400100A404000E325041592E5359532E4444463031008F00";
/** InDataExchange Tg 1 without data: fetch the next MI part (§7.3.8). */
const NEXT_PART = "0000FF03FDD44001EB00";
/** Extended frame header for LEN 0x0105 = D5 41 00 + 258-byte R-APDU (§6.2.1.2). */
const EXTENDED_261 = "00 00 FF FF FF 01 05 FA";
const FIRMWARE = { ic: 0x32, ver: 1, rev: 6, support: 7 };
const FCI = "6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A00000000310109000";

function driverContract(v: Variant): void {
  describe("Pn532 driver over " + v.name, () => {
    it("GetFirmwareVersion: IC 32 v1.6; the host frame and the answer byte for byte on the bus", async () => {
      const r = v.make();
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
      expect(r.wire.tx).toEqual(wakeTx(v).concat([onBus(v, GET_FIRMWARE_VERSION)]));
      expect(r.wire.frames).toEqual([ACK, FIRMWARE_ANSWER]);
      expect(r.wire.rx.join(" ")).toContain(hx(fromHex(FIRMWARE_ANSWER)));
      if (v.kind === "spi") expect(r.wire.rawTx).toEqual([v.reversed ? 0x80 : 0x01]); // 01 shifted LSB first
      // P70_IRQ replaces the status polls: only the wake-up address match reads a status byte.
      // Over I2C every poll reads status + frame in one transaction (link-i2c.ts): no 1-byte polls either.
      if (v.useIrq || v.kind === "i2c") expect(r.wire.statusReads).toBe(1);
      else if (v.kind !== "hsu") expect(r.wire.statusReads).toBeGreaterThan(2);
    });

    it("SAMConfiguration normal mode, no timeout, with the IRQ byte this wiring needs", async () => {
      const r = v.make();
      await r.pn.samConfiguration(1, 0, v.useIrq);
      expect(r.wire.tx.slice(-1)).toEqual([onBus(v, v.useIrq ? SAM_NORMAL_IRQ : SAM_NORMAL)]);
      expect(r.wire.frames).toEqual([ACK, ans("15")]);
      expect(r.chip.irqEnabled).toBe(v.useIrq);
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
    });

    it("RFConfiguration MaxRetries ATR FF, PSL 01, passive activation FF", async () => {
      const r = v.make();
      await r.pn.setMaxRetries({ atr: 0xff, psl: 0x01, passiveActivation: 0xff });
      expect(r.wire.tx.slice(-1)).toEqual([onBus(v, MAX_RETRIES)]);
      expect(r.wire.frames).toEqual([ACK, ans("33")]);
      expect(r.chip.maxRetries).toEqual([0xff, 0x01, 0xff]);
    });

    it("InListPassiveTarget 1 × 106 kbps type A: a phone's ATQA, SAK, UID and ATS", async () => {
      const r = v.make({ chip: { targets: [phone()] } });
      const t = await r.pn.inListPassiveTarget(1, 1000);
      expect(r.wire.tx.slice(-1)).toEqual([onBus(v, IN_LIST_1)]);
      expect(r.wire.frames).toEqual([ACK, ans("4B01" + "01" + "0004" + "20" + "04" + "08A1B2C3" + "0978807002807301C0")]);
      expect(t.map((x) => [x.tg, toHex(x.atqa), x.sak, toHex(x.uid), toHex(x.ats ?? [])])).toEqual([[1, "0004", 0x20, "08A1B2C3", "0978807002807301C0"]]);
    });

    it("InListPassiveTarget MaxTg 2 with two phones in the field: two targets, Tg 1 and 2", async () => {
      const r = v.make({ chip: { targets: [phone(), phone({ uid: fromHex("08D4E5F6") })] } });
      const t = await r.pn.inListPassiveTarget(2, 1000);
      expect(r.wire.tx.slice(-1)).toEqual([onBus(v, IN_LIST_2)]);
      expect(t.map((x) => [x.tg, toHex(x.uid)])).toEqual([
        [1, "08A1B2C3"],
        [2, "08D4E5F6"],
      ]);
    });

    it("InListPassiveTarget with no target and MaxRetries passive 02: an empty list from the PN532", async () => {
      const r = v.make();
      await r.pn.setMaxRetries({ atr: 0xff, psl: 0x01, passiveActivation: 0x02 });
      const t0 = r.clock.now();
      expect(await r.pn.inListPassiveTarget(1, 1000)).toEqual([]);
      expect(r.wire.frames.slice(-1)).toEqual([ans("4B00")]);
      expect(r.clock.now() - t0).toBeLessThan(100); // answered, not aborted at the deadline
    });

    it("InListPassiveTarget with no target and MaxRetries FF: PN532_TIMEOUT, an ACK aborts it, the next polling finds the phone", async () => {
      const r = v.make();
      const e = await rejection(r.pn.inListPassiveTarget(1, 300));
      expect(e).toMatchObject({ code: "PN532_TIMEOUT", command: 0x4a });
      expect(e.waitedMs).toBeGreaterThanOrEqual(300);
      expect(r.wire.tx.slice(-2)).toEqual([onBus(v, IN_LIST_1), onBus(v, ACK)]);
      r.chip.addTarget(phone({ arriveAtMs: r.clock.now() }));
      expect((await r.pn.inListPassiveTarget(1, 300)).map((x) => toHex(x.uid))).toEqual(["08A1B2C3"]);
    });

    it("InDataExchange SELECT PPSE: the vector frame out, the FCI back", async () => {
      const r = v.make({ chip: { targets: [phone({ answer: (c) => fromHex(toHex(c) === SELECT_PPSE ? FCI : "6A82") })] } });
      await activate(r);
      r.wire.clear();
      expect(toHex(await r.pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000))).toBe(FCI);
      expect(r.wire.tx).toEqual([onBus(v, SELECT_PPSE_FRAME)]);
      expect(r.wire.frames).toEqual([ACK, ans("4100" + FCI)]);
    });

    it("a 258-byte R-APDU (256 data + 9000) arrives in one extended frame, header 00 00 FF FF FF 01 05 FA", async () => {
      const resp = concat([ramp(256, 0), [0x90, 0x00]]);
      const r = v.make({ chip: { targets: [phone({ answer: () => resp })] } });
      await activate(r);
      r.wire.clear();
      expect(toHex(await r.pn.inDataExchange(1, fromHex("00B2010C00"), 1000))).toBe(toHex(resp));
      const frame = ans("4100" + toHex(resp));
      expect(frame.length / 2).toBe(8 + 261 + 2);
      expect(r.wire.frames).toEqual([ACK, frame]);
      const onWire = r.wire.rx.join(" ");
      expect(onWire).toContain(hx(fromHex(frame)));
      expect(onWire).toContain(EXTENDED_261 + " D5 41 00 00 01 02");
      // I2C reads 64 frame bytes first; for a longer frame the link NACKs and reads it whole.
      expect(count(r.wire.tx, onBus(v, NACK))).toBe(v.kind === "i2c" ? 1 : 0);
    });

    it("MI chaining PN532 → host: a 200-byte answer through a 64-byte host buffer comes in 4 parts, reassembled", async () => {
      const resp = concat([ramp(198, 0x20), [0x90, 0x00]]);
      const r = v.make({ chip: { targets: [phone({ answer: () => resp })], hostBufferBytes: 64 } });
      await activate(r);
      r.wire.clear();
      expect(toHex(await r.pn.inDataExchange(1, fromHex("00B2011400"), 1000))).toBe(toHex(resp));
      expect(count(r.wire.tx, onBus(v, NEXT_PART))).toBe(3);
      expect(exchangeParts(r.wire.frames)).toEqual([
        [0x40, 64],
        [0x40, 64],
        [0x40, 64],
        [0x00, 8],
      ]);
    });

    it("MI chaining host → PN532: a 300-byte command goes as 262 bytes with Tg|40 (extended frame), then 38", async () => {
      const seen: string[] = [];
      const r = v.make({ chip: { targets: [phone({
            answer: (c) => {
              seen.push(toHex(c));
              return fromHex("9000");
            },
          })] } });
      await activate(r);
      r.wire.clear();
      const cmd = ramp(300, 7);
      expect(toHex(await r.pn.inDataExchange(1, cmd, 1000))).toBe("9000");
      expect(seen).toEqual([toHex(cmd)]);
      const first = encodeCommand(concat([[0x40, 0x41], cmd.subarray(0, 262)]));
      expect(toHex(first.subarray(0, 11))).toBe("0000FFFFFF0109F6D44041");
      expect(r.wire.tx).toEqual([onBus(v, toHex(first)), onBus(v, toHex(encodeCommand(concat([[0x40, 0x01], cmd.subarray(262)]))))]);
      expect(r.wire.frames).toEqual([ACK, ans("4100"), ACK, ans("41009000")]);
    });

    it("a mute target: PN532_STATUS 01 from the driver, ISODEP_TIMEOUT through IsoDepChannel", async () => {
      const r = v.make({ chip: { targets: [phone({ answer: () => null })] } });
      const tg = await activate(r);
      const e = await rejection(r.pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000));
      expect(e).toMatchObject({ code: "PN532_STATUS", status: 0x01, statusName: "TIMEOUT", command: 0x40 });
      expect(r.wire.frames.slice(-1)).toEqual([ans("4101")]);
      const e2 = await rejection(new IsoDepChannel(r.pn, tg).transceive(fromHex(SELECT_PPSE)));
      expect(e2).toMatchObject({ code: "ISODEP_TIMEOUT", status: 0x01 });
      expect(e2.cause).toMatchObject({ code: "PN532_STATUS", status: 0x01 });
    });

    // Observed and documented: the simulated PN532 reports a type A card that left with status
    // 01 (timeout, its goneStatus default; 2B is for type B, §7.1), whether it left between two
    // APDUs or while answering — IsoDepChannel maps both to ISODEP_TIMEOUT, not ISODEP_CARD_GONE.
    it("the target leaves between two APDUs: PN532_STATUS 01 → ISODEP_TIMEOUT; the presence check says gone", async () => {
      const t = phone();
      const r = v.make({ chip: { targets: [t] } });
      const ch = new IsoDepChannel(r.pn, await activate(r));
      expect(toHex(await ch.transceive(fromHex(SELECT_PPSE)))).toBe("9000");
      t.leaveAtMs = r.clock.now();
      const e = await rejection(ch.transceive(fromHex(SELECT_PPSE)));
      expect(e).toMatchObject({ code: "ISODEP_TIMEOUT", status: 0x01, statusName: "TIMEOUT" });
      expect(e.cause).toMatchObject({ code: "PN532_STATUS", status: 0x01 });
      expect(await ch.checkPresence()).toBe(false);
    });

    it("the target leaves while answering an APDU: PN532_STATUS 01 → ISODEP_TIMEOUT", async () => {
      const t: VirtualTarget = phone({
        processingMs: 50,
        answer: (c, nowMs) => {
          t.leaveAtMs = nowMs + 10; // gone before its 50 ms of processing are over
          return fromHex("9000");
        },
      });
      const r = v.make({ chip: { targets: [t] } });
      const ch = new IsoDepChannel(r.pn, await activate(r));
      const e = await rejection(ch.transceive(fromHex(SELECT_PPSE)));
      expect(e).toMatchObject({ code: "ISODEP_TIMEOUT", status: 0x01 });
      expect(r.wire.frames.slice(-1)).toEqual([ans("4101")]);
    });

    it("InDataExchange with no active target (never listed, or released): PN532_STATUS 27", async () => {
      const r = v.make({ chip: { targets: [phone()] } });
      const e = await rejection(r.pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000));
      expect(e).toMatchObject({ code: "PN532_STATUS", status: 0x27, statusName: "COMMAND_NOT_ACCEPTABLE", command: 0x40 });
      expect(r.wire.frames).toEqual([ACK, ans("4127")]);
      await activate(r);
      await r.pn.inRelease(1);
      expect(await rejection(r.pn.inDataExchange(1, fromHex(SELECT_PPSE), 1000))).toMatchObject({ code: "PN532_STATUS", status: 0x27 });
    });

    it("fault: an answer with a corrupt DCS is NACKed once, the resent answer succeeds", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.badDcs = 1;
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
      expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION), onBus(v, NACK)]);
      expect(r.wire.frames).toEqual([ACK, FIRMWARE_ANSWER_BAD_DCS, FIRMWARE_ANSWER]);
    });

    it("fault: an answer with a corrupt LCS — " + (v.kind === "hsu" ? "dropped by the UART reader: PN532_TIMEOUT" : "refused by the link's header check, NACKed") + ", then the next command works", async () => {
      const r = v.make({ driver: { commandTimeoutMs: 200 } });
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.badLcs = 1;
      if (v.kind === "hsu") {
        // A byte stream gives no frame size when LEN and LCS disagree: the reader takes the
        // frame for noise and resyncs. The driver got its ACK and then nothing.
        expect(await rejection(r.pn.getFirmwareVersion())).toMatchObject({ code: "PN532_TIMEOUT", command: 0x02 });
        expect(r.wire.tx).toEqual([GET_FIRMWARE_VERSION, ACK]);
        expect(r.wire.frames).toEqual([ACK]);
      } else {
        expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
        expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION), onBus(v, NACK)]);
        expect(r.wire.frames).toEqual([ACK, FIRMWARE_ANSWER]);
      }
      expect(r.wire.rx.join(" ")).toContain("00 00 FF 06 FB D5"); // LEN 06, LCS FB: on the bus
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
    });

    it("fault: the ACK is lost — the answer counts as the ACK, the command is written once", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.dropAck = 1;
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
      expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION)]);
      expect(r.wire.frames).toEqual([FIRMWARE_ANSWER]);
    });

    it("fault: the command is lost (no ACK, no answer) — resent after the ACK timeout, then succeeds", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.ignoreCommand = 1;
      const t0 = r.clock.now();
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
      expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION), onBus(v, GET_FIRMWARE_VERSION)]);
      expect(r.wire.frames).toEqual([ACK, FIRMWARE_ANSWER]);
      expect(r.clock.now() - t0).toBeGreaterThanOrEqual(30); // the default ACK timeout
    });

    it("fault: no answer after the ACK — PN532_TIMEOUT, an ACK aborts the command, the next command works", async () => {
      const r = v.make({ driver: { commandTimeoutMs: 200 } });
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.dropAnswer = 1;
      const e = await rejection(r.pn.getFirmwareVersion());
      expect(e).toMatchObject({ code: "PN532_TIMEOUT", command: 0x02 });
      expect(e.waitedMs).toBeGreaterThanOrEqual(200);
      expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION), onBus(v, ACK)]);
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
    });

    it("fault: a NACK storm ends in PN532_CHECKSUM after 3 NACKs; the next command works", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.badDcs = 10;
      const e = await rejection(r.pn.getFirmwareVersion());
      expect(e).toMatchObject({ code: "PN532_CHECKSUM", attempts: 4, cause: "FRAME_BAD_DCS", command: 0x02 });
      expect(count(r.wire.tx, onBus(v, NACK))).toBe(3);
      expect(r.chip.faults.badDcs).toBe(6); // the answer + 3 resends were damaged, no more
      r.chip.faults.badDcs = 0;
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
    });

    it("fault: garbage on the line before the ACK — " + (v.kind === "hsu" ? "the HSU reader resyncs" : "the damaged read counts as the ACK and is NACKed"), async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      r.chip.faults.garbage = fromHex("AA 00 FF 13 55 00 FF 80 FF 12");
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
      expect(r.wire.frames.slice(-1)).toEqual([FIRMWARE_ANSWER]);
      expect(r.wire.rx.join(" ")).toContain("AA 00 FF 13 55");
      if (v.kind === "hsu") {
        expect(r.wire.frames).toEqual([ACK, FIRMWARE_ANSWER]);
        expect(r.wire.tx).toEqual([GET_FIRMWARE_VERSION]);
      } else {
        // The bus link cannot size the frame: FRAME_BAD_PREAMBLE where the ACK was due. The
        // PN532 has nothing to resend yet (its answer is still pending), so the NACK changes nothing.
        expect(r.wire.frames).toEqual([FIRMWARE_ANSWER]);
        expect(r.wire.tx).toEqual([onBus(v, GET_FIRMWARE_VERSION), onBus(v, NACK)]);
      }
    });

    it("PowerDown (wake-up on this interface), wake-up, then GetFirmwareVersion", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      await r.pn.powerDown(v.wakeSource);
      const pd = toHex(encodeCommand(new Uint8Array([0x16, v.wakeSource])));
      expect(r.wire.tx).toEqual([onBus(v, pd)]);
      expect(r.wire.frames).toEqual([ACK, ans("1700")]);
      expect(r.chip.asleep).toBe(true);
      await r.pn.wakeUp();
      expect(r.chip.asleep).toBe(false);
      expect(r.wire.tx).toEqual([onBus(v, pd)].concat(wakeTx(v), [onBus(v, GET_FIRMWARE_VERSION)]));
      expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
    });

    it("PowerDown with only another wake-up source enabled: the chip stays asleep, PN532_NO_ACK", async () => {
      const r = v.make();
      await r.pn.powerDown(0x01); // INT0 only
      const e = await rejection(r.pn.wakeUp());
      expect(e).toMatchObject({ code: "PN532_NO_ACK", attempts: 2, command: 0x02 });
      expect(r.chip.asleep).toBe(true);
    });

    it("SetSerialBaudRate without a BR code: PN532_BAD_ARGUMENT, nothing on the bus", async () => {
      const r = v.make();
      await r.pn.getFirmwareVersion();
      r.wire.clear();
      expect(await rejection(r.pn.setSerialBaudRate(100000))).toMatchObject({ code: "PN532_BAD_ARGUMENT", command: 0x10, value: 100000 });
      expect(r.wire.tx).toEqual([]);
    });

    if (v.kind === "hsu") {
      it("SetSerialBaudRate 921600: answer and host ACK at 115200, then commands at 921600, faster on the line", async () => {
        const r = v.make();
        await r.pn.getFirmwareVersion();
        let t0 = r.clock.now();
        await r.pn.getFirmwareVersion();
        const slowMs = r.clock.now() - t0;
        r.wire.clear();
        await r.pn.setSerialBaudRate(921600);
        expect(r.wire.tx).toEqual(["0000FF03FDD410071500", ACK]);
        expect(r.wire.frames).toEqual([ACK, ans("11")]);
        expect(r.chip.baud).toBe(921600);
        expect(r.hsu?.hostBaud).toBe(921600);
        t0 = r.clock.now();
        expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
        const fastMs = r.clock.now() - t0;
        // 9 bytes out + 13 bytes back at 10 bit times each, + ACK 1 ms + command 1 ms in the chip.
        expect(slowMs).toBeCloseTo(2 + (22 * 10000) / 115200, 9);
        expect(fastMs).toBeCloseTo(2 + (22 * 10000) / 921600, 9);
      });
    } else {
      it("SetSerialBaudRate on " + v.kind.toUpperCase() + ": the PN532 accepts it (its UART setting), the link is unchanged", async () => {
        const r = v.make();
        await r.pn.getFirmwareVersion();
        let t0 = r.clock.now();
        await r.pn.getFirmwareVersion();
        const beforeMs = r.clock.now() - t0;
        r.wire.clear();
        await r.pn.setSerialBaudRate(921600);
        expect(r.wire.tx).toEqual([onBus(v, "0000FF03FDD410071500"), onBus(v, ACK)]);
        expect(r.chip.baud).toBe(921600);
        t0 = r.clock.now();
        expect(await r.pn.getFirmwareVersion()).toEqual(FIRMWARE);
        expect(r.clock.now() - t0).toBeCloseTo(beforeMs, 9);
      });
    }

    it("ISO-DEP round: GetResponseChannel(IsoDepChannel) SELECT PPSE — 61xx GET RESPONSE and MI parts give the whole FCI", async () => {
      const fci = bigFci(9);
      expect(fci.length).toBe(317);
      const firstBytes = 250;
      const rest = fci.length - firstBytes;
      const seen: string[] = [];
      const target = phone({
        answer: (c) => {
          const h = toHex(c);
          seen.push(h);
          if (h === SELECT_PPSE) return concat([fci.subarray(0, firstBytes), [0x61, rest]]);
          if (h === "00C00000" + toHex([rest])) return concat([fci.subarray(firstBytes), [0x90, 0x00]]);
          return fromHex("6D00");
        },
      });
      const r = v.make({ chip: { targets: [target], hostBufferBytes: 64 } });
      const ch = new GetResponseChannel(new IsoDepChannel(r.pn, await activate(r)));
      r.wire.clear();
      expect(toHex(await ch.transceive(fromHex(SELECT_PPSE)))).toBe(toHex(fci) + "9000");
      expect(seen).toEqual([SELECT_PPSE, "00C00000" + toHex([rest])]);
      // 250 + 61 43 = 252 bytes in 4 parts of ≤ 64 (3 fetches), then 67 + 90 00 in 2 parts (1 fetch).
      expect(rest).toBe(0x43);
      expect(count(r.wire.tx, onBus(v, NEXT_PART))).toBe(4);
    });
  });
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => {
  unhandled.push(e);
};

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

afterEach(async () => {
  const rigs = drainRigs();
  for (const r of rigs) expect(r.clock.pending(), "timers left in the SimClock").toBe(0);
  await new Promise<void>((done) => setImmediate(done));
  expect(unhandled.splice(0, unhandled.length)).toEqual([]);
});

for (const v of VARIANTS) driverContract(v);

describe("contract rig", () => {
  it("runs the suite over five link variants, each a distinct bus", () => {
    expect(VARIANTS.map((v) => v.kind)).toEqual(["i2c", "i2c", "spi", "spi", "hsu"]);
    expect(VARIANTS.filter((v) => v.useIrq).length).toBe(1);
    expect(VARIANTS.filter((v) => v.reversed).length).toBe(1);
  });
});
