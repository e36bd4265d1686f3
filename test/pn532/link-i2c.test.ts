// Pn532Link over I2C against the simulated PN532 (UM0701-02 §6.2.4): the bytes on the bus.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeCommand, encodeFrame, TFI_PN532 } from "../../src/pn532/frame";
import { Pn532 } from "../../src/pn532/driver";
import { I2cLink } from "../../src/pn532/link-i2c";
import type { I2cLinkOptions } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { simpleTarget } from "../../src/sim/simple-target";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { nodeClock, recordI2c } from "../sim/sim-helpers";
import { exchange, linkContract } from "./link-contract";

function rig(targets: VirtualTarget[], opts?: I2cLinkOptions & { clockHz?: number; withIrq?: boolean }) {
  const clock = nodeClock();
  const chip = new Pn532Chip(clock, { targets: targets });
  const bus = new SimI2c(chip, clock, { clockHz: opts?.clockHz });
  const log: string[] = [];
  const link = new I2cLink(recordI2c(bus, log), clock, opts?.withIrq ? { ...opts, irq: chip.irq } : opts);
  return { clock, chip, bus, log, link };
}

linkContract("i2c", (t) => rig(t));
// The same contract with P70_IRQ wired (§6.2.4): the link waits for the line, not the status.
linkContract("i2c", (t) => rig(t, { withIrq: true }));

describe("I2C link on the bus", () => {
  it("wakes the chip, writes GetFirmwareVersion as one write, then each poll reads status + frame in one read", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    expect(r.log).toEqual([
      "R1 00", // wake-up: address match (§7.2.11), the chip is still asleep
      "W 00 00 FF 02 FE D4 02 2A 00",
      "R129 01 00 00 FF 00 FF 00…", // 1 ms later: RDY, status + ACK, zero padded
      "R129 01 00 00 FF 06 FA D5 03 32 01 06 07 E8 00…",
    ]);
  });

  it("an expected size sizes the read (7 bytes for status + ACK); polls for an answer at 8 ms, then every 8 ms", async () => {
    const r = rig([], { firstReadBytes: 8 });
    await exchange(r.link, "02");
    r.log.length = 0;
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    expect(toHex(await r.link.readFrame(50, 6))).toBe("0000FF00FF00");
    expect(r.log.slice(1)).toEqual(["R7 01 00 00 FF 00 FF 00"]);
    await r.link.readFrame(50);
    r.log.length = 0;
    const t0 = r.clock.now();
    await expect(r.link.readFrame(30)).rejects.toMatchObject({ code: "LINK_TIMEOUT" });
    // Polls at 8, 16, 24 ms, then what is left up to the deadline: four reads where 1 ms
    // polls made about 30 (an ACK is polled from 1 ms: above, one read).
    expect(r.log).toEqual(new Array(4).fill("R9 00…"));
    expect(r.clock.now() - t0).toBeGreaterThanOrEqual(30);
  });

  it("with an IRQ pin it reads no lone status byte: it waits for P70_IRQ, then status + frame in one read", async () => {
    const clock = nodeClock();
    const chip = new Pn532Chip(clock);
    const log: string[] = [];
    const link = new I2cLink(recordI2c(new SimI2c(chip, clock), log), clock, { irq: chip.irq });
    await exchange(link, "02");
    expect(log).toEqual(["R1 00", "W 00 00 FF 02 FE D4 02 2A 00", "R129 01 00 00 FF 00 FF 00…", "R129 01 00 00 FF 06 FA D5 03 32 01 06 07 E8 00…"]);
    expect(clock.pending()).toBe(0);
  });

  it("with P70_IRQ, an answer 100 ms away costs one status + frame read, no empty read; no timer or wait left", async () => {
    const slow = simpleTarget({ answer: () => fromHex("9000"), processingMs: 100 });
    const r = rig([slow], { withIrq: true });
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    const a = await exchange(r.link, "400100B2010C00");
    expect(a[1]).toBe(toHex(encodeFrame(TFI_PN532, fromHex("41009000"))));
    expect(r.log).toEqual(["W 00 00 FF 08 F8 D4 40 01 00 B2 01 0C 00 2C 00", "R129 01 00 00 FF 00 FF 00…", "R129 01 00 00 FF 05 FB D5 41 00 90 00 5A 00…"]);
    expect(r.clock.pending()).toBe(0);
  });

  it("with P70_IRQ, the line already low when the read starts: the frame is read at once, no timer", async () => {
    const r = rig([], { withIrq: true });
    await exchange(r.link, "02");
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    while (!r.chip.irq.isAsserted()) r.clock.step();
    r.log.length = 0;
    let got: Uint8Array | null = null;
    r.link.readFrameThen?.(50, 6, (f) => (got = f));
    expect(toHex(got as unknown as Uint8Array)).toBe("0000FF00FF00");
    expect(r.log).toEqual(["R7 01 00 00 FF 00 FF 00"]);
  });

  it("with P70_IRQ, a frame longer than the read: NACK, then the line again, status + the full length", async () => {
    const resp = new Uint8Array(258).fill(0x11);
    resp[256] = 0x90;
    const r = rig([simpleTarget({ answer: () => resp })], { withIrq: true });
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    const a = await exchange(r.link, "400100B2010C00");
    expect(a[1]).toBe(toHex(encodeFrame(TFI_PN532, fromHex("4100" + toHex(resp)))));
    expect(r.log.map((l) => l.slice(0, 27))).toEqual([
      "W 00 00 FF 08 F8 D4 40 01 0",
      "R129 01 00 00 FF 00 FF 00…",
      "R129 01 00 00 FF FF FF 01 0",
      "W 00 00 FF FF 00 00", // NACK: send it again (§6.2.1.4)
      "R272 01 00 00 FF FF FF 01 0",
    ]);
    expect(r.clock.pending()).toBe(0);
  });

  it("with P70_IRQ, a damaged header: FRAME_BAD_PREAMBLE, as without it", async () => {
    const r = rig([], { withIrq: true });
    await exchange(r.link, "02");
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    await r.link.readFrame(50, 6);
    r.chip.faults.garbage = fromHex("AA55");
    await expect(r.link.readFrame(50)).rejects.toMatchObject({ code: "FRAME_BAD_PREAMBLE" });
    expect(r.clock.pending()).toBe(0);
  });

  it("with P70_IRQ, an edge while no read waits is ignored: the next read finds the line low and reads once", async () => {
    const r = rig([], { withIrq: true });
    await exchange(r.link, "02");
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    r.log.length = 0;
    while (r.clock.pending() > 0) r.clock.step(); // the ACK and the answer come: edges, no read waiting
    expect(r.log).toEqual([]);
    expect(toHex(await r.link.readFrame(50, 6))).toBe("0000FF00FF00");
    expect(toHex(await r.link.readFrame(50))).toBe("0000FF06FAD50332010607E800");
    expect(r.log.length).toBe(2);
  });

  it("with P70_IRQ stuck low and no frame (no chip, a floating line): reads backing off from pollMs, LINK_TIMEOUT at the deadline with waitedMs", async () => {
    const clock = nodeClock();
    const reads: number[] = [];
    const bus = { write: () => {}, read: (_a: number, n: number) => (reads.push(clock.now()), new Uint8Array(n)) };
    const link = new I2cLink(bus, clock, { irq: { isAsserted: () => true, onAssert: () => {} }, pollMs: 2 });
    await link.writeFrame(encodeCommand(fromHex("02")));
    reads.length = 0;
    const t0 = clock.now();
    const e = await link.readFrame(10, 6).catch((x) => x);
    expect(e).toMatchObject({ code: "LINK_TIMEOUT", waitedMs: 10 });
    // As the status polls: the next after half the time waited, at least pollMs; the last at the deadline.
    expect(reads.map((t) => t - t0)).toEqual([0, 2, 4, 6, 9, 10]);
    expect(clock.pending()).toBe(0);
  });

  it("with P70_IRQ high, the deadline holds where start + timeout leaves a rounding residue (11.412499999999998 + 30 ms)", () => {
    const clock = new SimClock(null);
    clock.advance(11.412499999999998); // (t + 30) − t is 29.999999999999996 here
    const link = new I2cLink({ write: () => {}, read: (_a, n) => new Uint8Array(n) }, clock, { irq: { isAsserted: () => false, onAssert: () => {} } });
    let error: unknown = null;
    link.readFrameThen?.(30, 0, (_f, e) => (error = e));
    let steps = 0;
    while (steps < 10 && clock.step()) steps++;
    expect(steps).toBe(1); // the deadline timer, and no second wait for the residue
    expect(error).toMatchObject({ code: "LINK_TIMEOUT" });
    expect((error as { waitedMs: number }).waitedMs).toBeCloseTo(30, 9);
  });

  it("reads a 261-data-byte extended frame: short read, NACK, re-read with the full length", async () => {
    const resp = new Uint8Array(258).fill(0x11);
    resp[256] = 0x90;
    const r = rig([simpleTarget({ answer: () => resp })], { irq: null });
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    const a = await exchange(r.link, "400100B2010C00");
    const full = encodeFrame(TFI_PN532, fromHex("4100" + toHex(resp)));
    expect(a[1]).toBe(toHex(full));
    // Without the polls that found no frame (status 00):
    const reads = r.log.filter((l) => !/^R\d+ 00/.test(l));
    expect(reads.length).toBe(5);
    expect(reads[0]).toBe("W 00 00 FF 08 F8 D4 40 01 00 B2 01 0C 00 2C 00");
    expect(reads[2].startsWith("R129 01 00 00 FF FF FF 01 05 FA D5 41 00 11")).toBe(true);
    expect(reads[3]).toBe("W 00 00 FF FF 00 00"); // NACK: send it again
    expect(reads[4].startsWith("R272 01 00 00 FF FF FF 01 05 FA D5 41 00 11")).toBe(true);
  });

  it("charges 9 bits per byte, address included: 0.225 ms for GetFirmwareVersion at 400 kHz, 0.9 ms at 100 kHz", () => {
    for (const c of [[400000, 0.225], [100000, 0.9]]) {
      const r = rig([], { clockHz: c[0] });
      const t = r.clock.now();
      r.bus.write(0x24, encodeCommand(fromHex("02")));
      expect(r.clock.now() - t).toBeCloseTo(c[1], 9);
      expect((9 * (9 + 1)) / c[0] * 1000).toBeCloseTo(c[1], 9);
    }
  });

  it("a wrong address is a bus NACK: SIM_I2C_NO_DEVICE", async () => {
    const clock = nodeClock();
    const chip = new Pn532Chip(clock);
    const link = new I2cLink(new SimI2c(chip, clock), clock, { address: 0x48 });
    await expect(link.writeFrame(encodeCommand(fromHex("02")))).rejects.toMatchObject({ code: "SIM_I2C_NO_DEVICE", address: 0x48 });
  });

  it("garbage after the status byte: FRAME_BAD_PREAMBLE up to the driver; a NACK brings the frame back", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    await r.link.readFrame(50, 6); // the ACK, read 1 ms after the command as the driver does
    r.chip.faults.garbage = fromHex("AA55");
    await expect(r.link.readFrame(50)).rejects.toMatchObject({ code: "FRAME_BAD_PREAMBLE" });
    await r.link.writeFrame(fromHex("0000FFFF0000"));
    expect(toHex(await r.link.readFrame(50))).toBe("0000FF06FAD50332010607E800");
  });

  it("a caller's dueMs sets the first answer poll; after it the polls back off to half the time waited (≥ 8, ≤ 32 ms)", async () => {
    // 1 GHz: the reads take no simulated time, so the poll times are the schedule's alone.
    const r = rig([], { clockHz: 1e9 });
    await exchange(r.link, "02");
    const times: number[] = [];
    const t0 = r.clock.now();
    const bus = { write: () => {}, read: (a: number, n: number) => (times.push(r.clock.now() - t0), r.bus.read(a, n)) };
    const link = new I2cLink(bus, r.clock);
    await link.writeFrame(encodeCommand(fromHex("02"))); // the wake-up: not yet
    times.length = 0;
    const got = new Promise((resolve) => link.readFrameThen(200, 0, (f, e) => resolve(e), 12));
    const e = await got;
    expect(e).toMatchObject({ code: "LINK_TIMEOUT" });
    const rel = times.map((t) => Math.round((t - times[0] + 12) * 10) / 10);
    // 12, then +8 (8 ≥ 12/2 … 20/2 = 10), +10, +15, +22.5, then +32 at most, the last one at the deadline.
    expect(rel).toEqual([12, 20, 30, 45, 67.5, 99.5, 131.5, 163.5, 195.5, 200]);
  });

  it("dueMs for the answer of an exchange: one poll, where 8 ms polls would have taken three", async () => {
    const slow = simpleTarget({ answer: () => fromHex("9000"), processingMs: 20 });
    const r = rig([slow], { clockHz: 1e9 });
    await exchange(r.link, "4A0100");
    r.log.length = 0;
    await r.link.writeFrame(encodeCommand(fromHex("400100B2010C00")));
    expect(toHex(await r.link.readFrame(50, 6))).toBe("0000FF00FF00");
    const answer = new Promise<Uint8Array | null>((resolve) => r.link.readFrameThen(500, 0, (f) => resolve(f), 25));
    expect(toHex((await answer) as Uint8Array)).toBe(toHex(encodeFrame(TFI_PN532, fromHex("41009000"))));
    expect(r.log.filter((l) => l.startsWith("R"))).toEqual(["R7 01 00 00 FF 00 FF 00", "R129 01 00 00 FF 05 FB D5 41 00 90 00 5A 00…"]);
  });

  it("the driver's estimates: RFConfiguration's answer read 1 ms after the ACK, an InDataExchange's after the card's ~10 ms: no empty poll", async () => {
    const card = simpleTarget({ answer: () => fromHex("9000"), processingMs: 5 });
    const r = rig([card]);
    const pn = new Pn532(r.link, r.clock);
    await pn.samConfiguration(1, 0x14, false);
    r.log.length = 0;
    await pn.setRfField(false);
    await pn.setRfField(true);
    const [t] = await pn.inListPassiveTarget(1, 500);
    expect(toHex(await pn.inDataExchange(t.tg, fromHex("00B2010C00"), 500))).toBe("9000");
    // Each command: its write, the ACK, the answer; no read that found nothing (status 00).
    expect(r.log.map((l) => l.slice(0, 4))).toEqual(new Array(4).fill(["W 00", "R7 0", "R129"]).flat());
    expect(r.log.filter((l) => /^R\d+ 00/.test(l))).toEqual([]);
  });

  it("times out with the chip's ACK lost: LINK_TIMEOUT, no poll timer left", async () => {
    const r = rig([]);
    await exchange(r.link, "02");
    r.chip.faults.dropAck = 1;
    await r.link.writeFrame(encodeCommand(fromHex("02")));
    // the answer comes (1 ms after the missing ACK's time), so the first read gets it: the driver sees no ACK
    expect(toHex(await r.link.readFrame(50))).toBe("0000FF06FAD50332010607E800");
    await expect(r.link.readFrame(30)).rejects.toMatchObject({ code: "LINK_TIMEOUT", waitedMs: expect.any(Number) });
    expect(r.clock.pending()).toBe(0);
  });
});
