// Pn532Link over HSU (UART) against the simulated PN532 (UM0701-02 §6.2.3, §7.2.11, §7.2.13):
// wake-up preamble, byte timing at the baud rate, resync after noise, baud-rate switch.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { ACK_FRAME, encodeCommand } from "../../src/pn532/frame";
import { HsuLink } from "../../src/pn532/link-hsu";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimHsu } from "../../src/sim/sim-hsu";
import { simpleTarget } from "../../src/sim/simple-target";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { nodeClock, recordSerial } from "../sim/sim-helpers";
import { exchange, linkContract } from "./link-contract";

function rig(targets: VirtualTarget[], chunkBytes?: number) {
  const clock = nodeClock();
  const chip = new Pn532Chip(clock, { targets: targets });
  const hsu = new SimHsu(chip, clock, chunkBytes);
  const log: string[] = [];
  return { clock, chip, hsu, log, link: new HsuLink(recordSerial(hsu.port, log), clock) };
}

const FW = "0000FF06FAD50332010607E800";
const byteMs = (baud: number) => 10000 / baud; // start + 8 data + stop bits

linkContract("hsu", (t) => rig(t));

describe("HSU link on the line", () => {
  it("sends the wake-up preamble 55 55 00… before the first frame, then the frame", async () => {
    const r = rig([]);
    expect(await exchange(r.link, "02")).toEqual([toHex(ACK_FRAME), FW]);
    expect(r.log).toEqual([
      "TX 55 55 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
      "TX 00 00 FF 02 FE D4 02 2A 00",
      "RX 00 00 FF 00 FF 00",
      "RX 00 00 FF 06 FA D5 03 32 01 06 07 E8 00",
    ]);
  });

  it("a chip that got no wake-up ignores frames (it starts asleep)", async () => {
    const r = rig([]);
    r.hsu.port.write(encodeCommand(fromHex("02")));
    await new Promise<void>((done) => r.clock.setTimer(20, done));
    expect(r.chip.asleep).toBe(true);
    expect(r.log).toEqual([]);
  });

  it("charges 10 bits per byte at 115200 baud: ACK ready 9 + 6 byte times after the write, plus 1 ms", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    const t = r.clock.now();
    await r.link.readFrame(20);
    expect(r.clock.now() - t).toBeCloseTo(9 * byteMs(115200) + 1 + 6 * byteMs(115200), 9);
    await r.link.readFrame(20);
    // answer 1 ms after the ACK was queued, then 13 bytes on the wire
    expect(r.clock.now() - t).toBeCloseTo(9 * byteMs(115200) + 2 + 13 * byteMs(115200), 9);
  });

  it("resynchronises after garbage before a frame (false start codes included)", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    r.chip.faults.garbage = fromHex("AA 00 FF 13 55 00 FF 80 FF 12");
    expect(await exchange(r.link, "02")).toEqual([toHex(ACK_FRAME), FW]);
  });

  it("delivers a 271-byte extended frame in 16-byte chunks", async () => {
    const resp = new Uint8Array(258);
    resp[256] = 0x90;
    const r = rig([simpleTarget({ answer: () => resp })]);
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    const a = await exchange(r.link, "400100B2010C00");
    expect(a[1].length).toBe(2 * 271);
    const rx = r.log.filter((l) => l.startsWith("RX"));
    expect(rx.length).toBe(1 + Math.ceil(271 / 16));
    expect(rx.every((l) => l.split(" ").length - 1 <= 16)).toBe(true);
  });

  it("SetSerialBaudRate: answer at the old rate, host ACK at the old rate, then both at the new one (§7.2.13)", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    r.log.length = 0;
    expect(await exchange(r.link, "1007")).toEqual([toHex(ACK_FRAME), "0000FF02FED5111A00"]);
    await r.link.writeFrame(ACK_FRAME);
    await new Promise<void>((done) => r.clock.setTimer(1, done)); // let the ACK leave the UART
    expect(r.chip.baud).toBe(921600);
    r.link.setHostBaudRate(921600);
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    const t = r.clock.now();
    expect(toHex(await r.link.readFrame(20))).toBe(toHex(ACK_FRAME));
    expect(r.clock.now() - t).toBeCloseTo(9 * byteMs(921600) + 1 + 6 * byteMs(921600), 9);
    expect(toHex(await r.link.readFrame(20))).toBe(FW);
    expect(r.log.slice(0, 6)).toEqual([
      "TX 00 00 FF 03 FD D4 10 07 15 00",
      "RX 00 00 FF 00 FF 00",
      "RX 00 00 FF 02 FE D5 11 1A 00",
      "TX 00 00 FF 00 FF 00",
      "BAUD 921600",
      "TX 00 00 FF 02 FE D4 02 2A 00",
    ]);
  });

  it("a host that does not switch after SetSerialBaudRate sends garbled bytes: LINK_TIMEOUT", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    await exchange(r.link, "1007");
    await r.link.writeFrame(ACK_FRAME);
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    await expect(r.link.readFrame(30)).rejects.toMatchObject({ code: "LINK_TIMEOUT" });
    expect(r.chip.baud).toBe(921600);
    expect(r.chip.framesIgnored).toBe(0); // garbled bytes hold no 00: not even a frame start
    expect(r.clock.pending()).toBe(0);
  });

  it("refuses a second concurrent readFrame with LINK_BUSY", async () => {
    const r = rig([]);
    const first = r.link.readFrame(10);
    await expect(r.link.readFrame(10)).rejects.toMatchObject({ code: "LINK_BUSY" });
    await expect(first).rejects.toMatchObject({ code: "LINK_TIMEOUT" });
  });
});
