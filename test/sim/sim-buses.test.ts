// The simulated PN532's bus front-ends seen directly from the bus side.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { encodeCommand, NACK_FRAME } from "../../src/pn532/frame";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { SimClock } from "../../src/sim/sim-clock";
import { SimHsu } from "../../src/sim/sim-hsu";
import { SimI2c } from "../../src/sim/sim-i2c";

describe("SimI2c (§6.2.4)", () => {
  function setup() {
    const clock = new SimClock(null);
    const chip = new Pn532Chip(clock, { asleep: false });
    const bus = new SimI2c(chip, clock);
    bus.write(0x24, encodeCommand(fromHex("02")));
    clock.runUntilIdle();
    return { clock, chip, bus };
  }

  it("a 1-byte read is a status poll and consumes nothing; reading the frame consumes it", () => {
    const s = setup();
    expect(toHex(s.bus.read(0x24, 1))).toBe("01");
    expect(toHex(s.bus.read(0x24, 1))).toBe("01");
    expect(toHex(s.bus.read(0x24, 8))).toBe("010000FF00FF0000"); // ACK, zero padded
    expect(toHex(s.bus.read(0x24, 14))).toBe("010000FF06FAD50332010607E800");
    expect(toHex(s.bus.read(0x24, 4))).toBe("00000000"); // not ready: status 00 and zeros
  });

  it("a partial read loses the rest; a NACK asks for it again", () => {
    const s = setup();
    s.bus.read(0x24, 7);
    expect(toHex(s.bus.read(0x24, 6))).toBe("010000FF06FA");
    expect(toHex(s.bus.read(0x24, 1))).toBe("00");
    s.bus.write(0x24, NACK_FRAME);
    s.clock.runUntilIdle();
    expect(toHex(s.bus.read(0x24, 14))).toBe("010000FF06FAD50332010607E800");
  });

  it("nothing at another address: SIM_I2C_NO_DEVICE", () => {
    const s = setup();
    expect(() => s.bus.read(0x48, 1)).toThrow(expect.objectContaining({ code: "SIM_I2C_NO_DEVICE" }));
  });
});

describe("SimHsu (§6.2.3)", () => {
  it("garbles bytes received at another baud rate (never a 00, so never a frame)", () => {
    const clock = new SimClock(null);
    const chip = new Pn532Chip(clock, { asleep: false });
    const hsu = new SimHsu(chip, clock);
    const got: string[] = [];
    hsu.port.onData((c) => got.push(toHex(c)));
    chip.baud = 230400;
    chip.receive(encodeCommand(fromHex("02")));
    clock.runUntilIdle();
    expect(got).toEqual(["8080FF80FF80", "8080FF86FAD583B2818687E880"]);
  });
});
