// The SSD1306 driver against the simulated SSD1306 on a recorded I2C bus: the init and flush
// sequences byte for byte (datasheet rev 1.1 §8.1.5, §9 Table 9-1, §10.1; charge pump
// application note §2), the GDDRAM that results, and the simulator's own parser.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { Ssd1306 } from "../../src/display/ssd1306";
import type { I2cBus } from "../../src/hal/types";
import { encodeCommand } from "../../src/pn532/frame";
import { I2cLink } from "../../src/pn532/link-i2c";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimI2c } from "../../src/sim/sim-i2c";
import { Ssd1306Sim } from "../../src/sim/ssd1306-sim";
import { nodeClock } from "../sim/sim-helpers";
import { recordWrites } from "./ui-helpers";

function rig(opts?: ConstructorParameters<typeof Ssd1306>[1], simAddress = 0x3c) {
  const sim = new Ssd1306Sim({ address: simAddress });
  const log: string[] = [];
  const oled = new Ssd1306(recordWrites(sim, log), opts);
  return { sim, log, oled };
}

/** A frame whose bytes differ from their neighbours and from page to page. */
function pattern(n: number): Uint8Array {
  const f = new Uint8Array(n);
  for (let i = 0; i < n; i++) f[i] = (i * 7 + (i >> 7) * 13 + 1) & 0xff;
  return f;
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

describe("SSD1306 driver", () => {
  it("init(): the datasheet sequence, one command per write after control byte 00, at 0x3C", () => {
    const { sim, log, oled } = rig();
    oled.init();
    expect(log).toEqual([
      "W 3C 00 AE", // §10.1.12 display off
      "W 3C 00 D5 80", // §10.1.16 clock: divide 1, Fosc 8
      "W 3C 00 A8 3F", // §10.1.11 multiplex 64
      "W 3C 00 D3 00", // §10.1.15 offset 0
      "W 3C 00 40", // §10.1.6 start line 0
      "W 3C 00 8D 14", // charge pump on (application note §2), before display on
      "W 3C 00 20 00", // §10.1.3 horizontal addressing
      "W 3C 00 A1", // §10.1.8 segment remap
      "W 3C 00 C8", // §10.1.14 COM scan descending
      "W 3C 00 DA 12", // §10.1.18 alternative COM pins (128×64)
      "W 3C 00 81 CF", // §10.1.7 contrast
      "W 3C 00 D9 F1", // §10.1.17 precharge
      "W 3C 00 DB 40", // §10.1.19 VCOMH
      "W 3C 00 A4", // §10.1.9 output follows RAM
      "W 3C 00 A6", // §10.1.10 normal
      "W 3C 00 AF", // §10.1.12 display on
    ]);
    expect(sim).toMatchObject({
      displayOn: true, chargePump: true, memoryMode: 0, multiplex: 0x3f, displayOffset: 0, startLine: 0,
      segmentRemap: true, comScanDec: true, comPins: 0x12, contrast: 0xcf, precharge: 0xf1, vcomh: 0x40,
      clockDivide: 0x80, entireOn: false, inverse: false,
    });
    expect(sim.commands.map((c) => toHex(c))).toEqual(log.map((l) => l.slice(8).replace(/ /g, "")));
  });

  it("flush(): column window 21 00 7F, page window 22 00 07, then 32 writes of 40 + 32 bytes; GDDRAM equals the frame", () => {
    const { sim, log, oled } = rig();
    oled.init();
    log.length = 0;
    const frame = pattern(1024);
    oled.flush(frame);
    expect(log.slice(0, 2)).toEqual(["W 3C 00 21 00 7F", "W 3C 00 22 00 07"]);
    expect(log.length).toBe(2 + 32);
    expect(log[2]).toBe("W 3C 40 " + toHex(frame.subarray(0, 32)).replace(/(..)(?!$)/g, "$1 "));
    expect(log[33]).toBe("W 3C 40 " + toHex(frame.subarray(992, 1024)).replace(/(..)(?!$)/g, "$1 "));
    for (const l of log.slice(2)) expect(l.split(" ").length - 2).toBe(33);
    expect(toHex(sim.ram)).toBe(toHex(frame));
    // The pointer wrapped to column 0, page 0 after the last byte (§10.1.3 horizontal mode).
    expect([sim.col, sim.page]).toEqual([0, 0]);
  });

  it("flush() lands at column 0, page 0 wherever the RAM pointer was left", () => {
    const { sim, oled } = rig();
    oled.init();
    sim.write(0x3c, fromHex("00 21 10 20 22 03 05"));
    sim.write(0x3c, fromHex("40 AA BB"));
    expect([sim.col, sim.page]).toEqual([0x12, 3]);
    oled.flush(pattern(1024));
    expect(toHex(sim.ram)).toBe(toHex(pattern(1024)));
  });

  it("chunkBytes: 16 gives 64 data writes of 17 bytes; 1000 gives 1000 + 24 (a short last chunk)", () => {
    const a = rig({ chunkBytes: 16 });
    a.oled.init();
    a.log.length = 0;
    a.oled.flush(pattern(1024));
    expect(a.log.length).toBe(2 + 64);
    expect(a.log.slice(2).every((l) => l.split(" ").length - 2 === 17)).toBe(true);
    expect(toHex(a.sim.ram)).toBe(toHex(pattern(1024)));
    const b = rig({ chunkBytes: 1000 });
    b.oled.init();
    b.log.length = 0;
    b.oled.flush(pattern(1024));
    expect(b.log.slice(2).map((l) => l.split(" ").length - 2)).toEqual([1001, 25]);
    expect(toHex(b.sim.ram)).toBe(toHex(pattern(1024)));
  });

  it("contrast(n) sends 81 n; on()/off() send AF/AE", () => {
    const { sim, log, oled } = rig();
    oled.init();
    log.length = 0;
    oled.contrast(0x10);
    oled.off();
    expect(sim.displayOn).toBe(false);
    oled.on();
    expect(log).toEqual(["W 3C 00 81 10", "W 3C 00 AE", "W 3C 00 AF"]);
    expect(sim.contrast).toBe(0x10);
    expect(sim.displayOn).toBe(true);
  });

  it("128×32: multiplex 1F, sequential COM pins 02, pages 0–3, 512-byte frames", () => {
    const { sim, log, oled } = rig({ height: 32 });
    oled.init();
    expect(log).toContain("W 3C 00 A8 1F");
    expect(log).toContain("W 3C 00 DA 02");
    log.length = 0;
    oled.flush(pattern(512));
    expect(log[1]).toBe("W 3C 00 22 00 03");
    expect(toHex(sim.ram.subarray(0, 512))).toBe(toHex(pattern(512)));
  });

  it("address 0x3D (SA0 high) when asked", () => {
    const { sim, log, oled } = rig({ address: 0x3d }, 0x3d);
    oled.init();
    expect(log[0]).toBe("W 3D 00 AE");
    expect(sim.displayOn).toBe(true);
  });

  it("nothing at the address: SSD1306_NACK with the address and the bus error as cause", () => {
    const { oled } = rig({}, 0x3d);
    const e = codeOf(() => oled.init()) as { code: string; address: number; cause: { code: string } };
    expect(e.code).toBe("SSD1306_NACK");
    expect(e.address).toBe(0x3c);
    expect(e.cause.code).toBe("SIM_I2C_NO_DEVICE");
  });

  it("refuses a frame of the wrong size and options out of range, with codes", () => {
    const { oled } = rig();
    expect(codeOf(() => oled.flush(new Uint8Array(1000)))).toMatchObject({ code: "SSD1306_BAD_BUFFER", length: 1000, expected: 1024 });
    expect(codeOf(() => oled.contrast(256))).toMatchObject({ code: "SSD1306_BAD_OPTION", option: "contrast" });
    expect(codeOf(() => oled.contrast(1.5))).toMatchObject({ code: "SSD1306_BAD_OPTION" });
    const sim = new Ssd1306Sim();
    expect(codeOf(() => new Ssd1306(sim, { address: 0x24 }))).toMatchObject({ code: "SSD1306_BAD_OPTION", option: "address" });
    expect(codeOf(() => new Ssd1306(sim, { height: 48 }))).toMatchObject({ code: "SSD1306_BAD_OPTION", option: "height" });
    expect(codeOf(() => new Ssd1306(sim, { chunkBytes: 0 }))).toMatchObject({ code: "SSD1306_BAD_OPTION", option: "chunkBytes" });
  });

  it("shares the I2C bus with the PN532 (0x24): each device answers its own address only", async () => {
    const clock = nodeClock();
    const pn532 = new SimI2c(new Pn532Chip(clock), clock);
    const oledSim = new Ssd1306Sim();
    const bus: I2cBus = {
      write: (a, d) => (a === 0x3c ? oledSim.write(a, d) : pn532.write(a, d)),
      read: (a, n) => (a === 0x3c ? oledSim.read(a, n) : pn532.read(a, n)),
    };
    const oled = new Ssd1306(bus);
    oled.init();
    const link = new I2cLink(bus, clock);
    await link.writeFrame(encodeCommand(fromHex("02"))); // GetFirmwareVersion
    expect(toHex(await link.readFrame(100))).toBe("0000FF00FF00");
    oled.flush(pattern(1024));
    expect(toHex(await link.readFrame(100))).toBe("0000FF06FAD50332010607E800");
    expect(toHex(oledSim.ram)).toBe(toHex(pattern(1024)));
  });
});

describe("SSD1306 simulator", () => {
  it("Co = 1 control bytes: 80 <command byte> pairs and C0 <one data byte>", () => {
    const sim = new Ssd1306Sim();
    sim.write(0x3c, fromHex("80 81 80 3F 80 20 80 00 C0 AA C0 BB"));
    expect(sim.contrast).toBe(0x3f);
    expect(sim.memoryMode).toBe(0);
    expect(toHex(sim.ram.subarray(0, 3))).toBe("AABB00");
  });

  it("a command's arguments may come in later writes (parser state survives STOP)", () => {
    const sim = new Ssd1306Sim();
    sim.write(0x3c, fromHex("00 81"));
    expect(sim.contrast).toBe(0x7f);
    sim.write(0x3c, fromHex("00 10"));
    expect(sim.contrast).toBe(0x10);
    expect(sim.commands).toEqual([[0x81, 0x10]]);
  });

  it("page addressing (the reset mode): B2 + column 05 writes there and wraps within the page", () => {
    const sim = new Ssd1306Sim();
    sim.write(0x3c, fromHex("00 B2 05 10"));
    sim.write(0x3c, fromHex("40 11 22"));
    expect(sim.ram[2 * 128 + 5]).toBe(0x11);
    expect(sim.ram[2 * 128 + 6]).toBe(0x22);
    // Column start 7E (0E low nibble, 17 high nibble): past column 127 the pointer goes back
    // to the column start, the page stays (§10.1.3).
    sim.write(0x3c, fromHex("00 0E 17"));
    sim.write(0x3c, fromHex("40 33 44 55"));
    expect([sim.ram[2 * 128 + 126], sim.ram[2 * 128 + 127], sim.ram[3 * 128]]).toEqual([0x55, 0x44, 0]);
  });

  it("vertical addressing walks pages first inside the windows", () => {
    const sim = new Ssd1306Sim();
    sim.write(0x3c, fromHex("00 20 01 21 02 03 22 06 07"));
    sim.write(0x3c, fromHex("40 01 02 03 04 05"));
    expect([sim.ram[6 * 128 + 2], sim.ram[7 * 128 + 2], sim.ram[6 * 128 + 3], sim.ram[7 * 128 + 3], sim.ram[6 * 128 + 2]]).toEqual([5, 2, 3, 4, 5]);
  });

  it("refuses unknown opcodes, reads, bad control bytes, empty writes and other addresses, with codes", () => {
    const sim = new Ssd1306Sim();
    expect(codeOf(() => sim.write(0x3c, fromHex("00 FF")))).toMatchObject({ code: "SIM_SSD1306_UNKNOWN_COMMAND", opcode: 0xff });
    expect(codeOf(() => sim.write(0x3c, fromHex("01 AF")))).toMatchObject({ code: "SIM_SSD1306_BAD_CONTROL" });
    expect(codeOf(() => sim.write(0x3c, new Uint8Array(0)))).toMatchObject({ code: "SIM_SSD1306_NO_CONTROL" });
    expect(codeOf(() => sim.read(0x3c, 1))).toMatchObject({ code: "SIM_SSD1306_NO_READ" });
    expect(codeOf(() => sim.write(0x3d, fromHex("00 AF")))).toMatchObject({ code: "SIM_I2C_NO_DEVICE", address: 0x3d });
    expect(sim.displayOn).toBe(false);
  });
});
