// Pn532Link over SPI against the simulated PN532 (UM0701-02 §6.2.5): mode 0, LSB first,
// prefixes 01 data write / 02 status read / 03 data read; bytes as the master shifts them.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeCommand } from "../../src/pn532/frame";
import { reverseBits, SpiLink } from "../../src/pn532/link-spi";
import type { SpiLinkOptions } from "../../src/pn532/link-spi";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimSpi } from "../../src/sim/sim-spi";
import { simpleTarget } from "../../src/sim/simple-target";
import type { SimSpiOptions } from "../../src/sim/sim-spi";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { nodeClock, recordSpi } from "../sim/sim-helpers";
import { exchange, linkContract } from "./link-contract";

function rig(targets: VirtualTarget[], link?: SpiLinkOptions, bus?: SimSpiOptions) {
  const clock = nodeClock();
  const chip = new Pn532Chip(clock, { targets: targets });
  const spi = new SimSpi(chip, clock, bus);
  const log: string[] = [];
  return { clock, chip, spi, log, link: new SpiLink(recordSpi(spi, log), clock, link) };
}

linkContract("spi", (t) => rig(t));
describe("SPI link, MSB-first master with bit reversal", () => {
  linkContract("spi", (t) => rig(t, { reverseBits: true }, { msbFirstBus: true }));
});

describe("SPI link on the bus", () => {
  it("GetFirmwareVersion: wake-up select, 01 + frame, 02 status polls, 03 reads (LSB-first wire order)", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    expect(r.log).toEqual([
      "MOSI  / MISO ", // NSS low wakes the chip (§7.2.11)
      "MOSI 01 00 00 FF 02 FE D4 02 2A 00 / MISO 00 00 00 00 00 00 00 00 00 00",
      "MOSI 02 00 / MISO 00 00",
      "MOSI 02 00 / MISO 00 01",
      "MOSI 03 00 00 00 00 00 00 / MISO 00 00 00 FF 00 FF 00",
      "MOSI 02 00 / MISO 00 00",
      "MOSI 02 00 / MISO 00 01",
      "MOSI 03 00 00 00 00 00 00 00 00 00 00 00 00 00 / MISO 00 00 00 FF 06 FA D5 03 32 01 06 07 E8 00",
    ]);
  });

  it("on an MSB-first master every byte is bit-reversed on the wire", async () => {
    const r = rig([], { reverseBits: true }, { msbFirstBus: true });
    await exchange(r.link, "02");
    expect(r.log[1]).toBe("MOSI 80 00 00 FF 40 7F 2B 40 54 00 / MISO 00 00 00 00 00 00 00 00 00 00");
    expect(r.log[2]).toBe("MOSI 40 00 / MISO 00 00");
    expect(r.log[3]).toBe("MOSI 40 00 / MISO 00 80");
    expect(reverseBits(0x01)).toBe(0x80);
    expect(reverseBits(0xd4)).toBe(0x2b);
  });

  it("without bit reversal on an MSB-first master the chip understands nothing: LINK_TIMEOUT", async () => {
    const r = rig([], {}, { msbFirstBus: true });
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    await expect(r.link.readFrame(20)).rejects.toMatchObject({ code: "LINK_TIMEOUT" });
    expect(r.clock.pending()).toBe(0);
  });

  it("reads an extended frame's header in two steps (6 + 2 bytes) and the rest in the same transaction", async () => {
    const resp = new Uint8Array(258);
    resp[256] = 0x90;
    const r = rig([simpleTarget({ answer: () => resp })]);
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    await exchange(r.link, "400100B2010C00");
    const reads = r.log.filter((l) => l.startsWith("MOSI 03"));
    expect(reads.length).toBe(2);
    expect(reads[1].split(" / ")[0].split(" ").length - 1).toBe(1 + 271);
  });

  it("charges 8 bits per byte at the SPI clock: 10 bytes at 1 MHz = 80 µs", () => {
    const r = rig([], {}, { clockHz: 1000000 });
    const t = r.clock.now();
    r.spi.select();
    r.spi.transfer(new Uint8Array(10));
    r.spi.deselect();
    expect(r.clock.now() - t).toBeCloseTo(0.08, 9);
  });

  it("a partial 03 read loses the rest of the frame; a NACK gets it again", () => {
    const clock = nodeClock();
    const chip = new Pn532Chip(clock, { asleep: false });
    const spi = new SimSpi(chip, clock);
    const tx = (d: string) => {
      spi.select();
      const r = spi.transfer(fromHex(d));
      spi.deselect();
      return toHex(r);
    };
    chip.receive(encodeCommand(fromHex("02")));
    return new Promise<void>((done) => clock.setTimer(5, done)).then(() => {
      expect(tx("0200")).toBe("0001");
      expect(tx("03000000")).toBe("000000FF"); // ACK, partly
      expect(tx("0300000000000000")).toBe("000000FF06FAD503"); // the answer, partly: lost too
      expect(tx("0200")).toBe("0000");
      tx("010000FFFF0000"); // NACK
      return new Promise<void>((done) => clock.setTimer(5, done)).then(() => {
        expect(tx("03" + "00".repeat(13))).toBe("00" + "0000FF06FAD50332010607E800");
      });
    });
  });
});
