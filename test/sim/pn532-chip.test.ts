// The simulated PN532's host-frame handling, UM0701-02 §6.2: ACK, answer, NACK, abort,
// syntax errors, power-down, baud-rate switch, IRQ, and the counted faults.
import { describe, it, expect } from "vitest";
import { toHex } from "../../src/bytes/hex";
import { NACK_FRAME, ACK_FRAME } from "../../src/pn532/frame";
import { WakeSource } from "../../src/sim/pn532-chip";
import { simpleTarget } from "../../src/sim/simple-target";
import { ACK, ERR, ans, chipFixture } from "./chip-fixture";
import { prng } from "../../host/fuzz/prng";

describe("PN532 chip model: dialog (§6.2.2)", () => {
  it("ACKs GetFirmwareVersion after 1 ms and answers D5 03 32 01 06 07 (V1.6)", () => {
    const f = chipFixture();
    f.send("02");
    expect(f.run()).toEqual(["1 " + ACK, "2 0000FF06FAD50332010607E800"]);
  });

  it("ignores a host frame with a bad DCS or LCS: no ACK, no answer (the host resends, §6.2.3)", () => {
    const f = chipFixture();
    f.raw("0000FF02FED4022B00");
    f.raw("0000FF02FDD4022A00");
    expect(f.run()).toEqual([]);
    expect(f.chip.framesIgnored).toBe(2);
  });

  it("accepts extra preamble and postamble bytes (§6.2.1.6)", () => {
    const f = chipFixture();
    f.raw("000000FF02FED4022A000000");
    expect(f.frames()).toEqual([ACK, ans("0332010607")]);
  });

  const syntax: [string, string][] = [
    ["an unknown command code", "0000FF02FED47EAE00"],
    ["GetFirmwareVersion with a parameter", "0000FF03FDD4020129 00"],
    ["SAMConfiguration mode 5", "0000FF03FDD414051300"],
    ["InListPassiveTarget MaxTg 3", "0000FF04FCD44A0300DF00"],
    ["RFConfiguration item 05 with 2 bytes", "0000FF05FBD43205FF01F500"],
    ["a frame with TFI D5 from the host", "0000FF02FED50229 00"],
  ];
  for (const s of syntax) {
    it("answers the error frame after the ACK for " + s[0], () => {
      const f = chipFixture();
      f.raw(s[1]);
      expect(f.frames()).toEqual([ACK, ERR]);
    });
  }

  it("resends the last answer on a host NACK (§6.2.1.4)", () => {
    const f = chipFixture();
    f.send("02");
    f.run();
    f.chip.receive(NACK_FRAME);
    expect(f.run()).toEqual(["3 " + ans("0332010607")]);
  });

  it("aborts the command in progress on a host ACK: no answer, nothing left pending (§6.2.1.3)", () => {
    const f = chipFixture();
    f.send("4A0100"); // no target: MxRtyPassiveActivation FF waits for ever
    f.clock.advanceAndRun(50);
    expect(f.run()).toEqual(["1 " + ACK]);
    f.chip.receive(ACK_FRAME);
    expect(f.run()).toEqual([]);
    expect(f.chip.polling).toBeNull();
    expect(f.clock.pending()).toBe(0);
  });

  it("a new command aborts the one in progress", () => {
    const f = chipFixture();
    f.send("4A0100");
    f.clock.advanceAndRun(10);
    f.send("02");
    expect(f.frames()).toEqual([ACK, ACK, ans("0332010607")]);
  });

  it("raises P70_IRQ while a frame waits, unless SAMConfiguration IRQ = 00 (§7.2.10)", () => {
    const f = chipFixture();
    f.chip.onOutput = null;
    let edges = 0;
    f.chip.irq.onAssert(() => edges++);
    f.send("02");
    f.clock.runUntilIdle();
    expect(f.chip.irq.isAsserted()).toBe(true);
    expect(edges).toBe(1);
    f.chip.take();
    expect(f.chip.irq.isAsserted()).toBe(true); // the answer still waits: a new falling edge
    expect(edges).toBe(2);
    f.chip.take();
    expect(f.chip.irq.isAsserted()).toBe(false);
    f.send("14010000");
    f.clock.runUntilIdle();
    expect(f.chip.irq.isAsserted()).toBe(false);
    expect(f.chip.ready()).toBe(true);
  });
});

describe("PN532 chip model: power-down and baud rate", () => {
  it("starts asleep by default and ignores frames until woken, losing the waking transaction", () => {
    const f = chipFixture({ asleep: true });
    expect(f.chip.wake(WakeSource.I2c)).toBe(true);
    f.send("02");
    expect(f.run()).toEqual([]);
    expect(f.chip.asleep).toBe(false);
    f.send("02");
    expect(f.frames()).toEqual([ACK, ans("0332010607")]);
  });

  it("PowerDown answers D5 17 00, sleeps once the answer is read, wakes only on enabled sources (§7.2.11)", () => {
    const f = chipFixture();
    f.send("1620"); // WakeUpEnable: SPI only
    expect(f.frames()).toEqual([ACK, ans("1700")]);
    expect(f.chip.asleep).toBe(true);
    f.chip.wake(WakeSource.I2c);
    f.clock.runUntilIdle();
    expect(f.chip.asleep).toBe(true);
    f.chip.wake(WakeSource.Spi);
    f.clock.runUntilIdle();
    expect(f.chip.asleep).toBe(false);
  });

  it("SetSerialBaudRate answers at the old rate and switches on the host's ACK (§7.2.13)", () => {
    const f = chipFixture();
    f.send("1007"); // 921600
    expect(f.frames()).toEqual([ACK, ans("11")]);
    expect(f.chip.baud).toBe(115200);
    f.chip.receive(ACK_FRAME);
    expect(f.chip.baud).toBe(921600);
  });

  it("SetSerialBaudRate not confirmed by an ACK keeps the old rate", () => {
    const f = chipFixture();
    f.send("1006");
    f.run();
    f.send("02");
    f.run();
    f.chip.receive(ACK_FRAME);
    expect(f.chip.baud).toBe(115200);
  });
});

describe("PN532 chip model: faults (counted)", () => {
  it("badDcs corrupts the next answer's DCS, not the ACK", () => {
    const f = chipFixture();
    f.chip.faults.badDcs = 1;
    f.send("02");
    expect(f.frames()).toEqual([ACK, "0000FF06FAD5033201060717" + "00"]);
    f.send("02");
    expect(f.frames()[1]).toBe(ans("0332010607"));
  });

  it("badLcs corrupts the length checksum", () => {
    const f = chipFixture();
    f.chip.faults.badLcs = 1;
    f.send("02");
    expect(f.frames()[1]).toBe("0000FF06FBD50332010607E800");
  });

  it("a NACK storm: badDcs = 3 gives the answer and two resends corrupt, the third resend clean", () => {
    const f = chipFixture();
    f.chip.faults.badDcs = 3;
    f.send("02");
    const bad = "0000FF06FAD503320106071700";
    expect(f.frames()).toEqual([ACK, bad]);
    const resent: string[] = [];
    for (let i = 0; i < 3; i++) {
      f.chip.receive(NACK_FRAME);
      resent.push(f.frames()[0]);
    }
    expect(resent).toEqual([bad, bad, ans("0332010607")]);
  });

  it("dropAck loses the ACK but answers", () => {
    const f = chipFixture();
    f.chip.faults.dropAck = 1;
    f.send("02");
    expect(f.frames()).toEqual([ans("0332010607")]);
  });

  it("dropAnswer ACKs but never answers", () => {
    const f = chipFixture();
    f.chip.faults.dropAnswer = 1;
    f.send("02");
    expect(f.frames()).toEqual([ACK]);
    expect(f.clock.pending()).toBe(0);
  });

  it("ignoreCommand swallows a command whole, then the next one works", () => {
    const f = chipFixture();
    f.chip.faults.ignoreCommand = 1;
    f.send("02");
    expect(f.frames()).toEqual([]);
    f.send("02");
    expect(f.frames()).toEqual([ACK, ans("0332010607")]);
  });

  it("garbage goes out before the next frame, once", () => {
    const f = chipFixture();
    f.chip.faults.garbage = new Uint8Array([0xaa, 0x00, 0xff, 0x13]);
    f.send("02");
    expect(f.frames()).toEqual(["AA00FF13" + ACK, ans("0332010607")]);
  });
});

describe("PN532 chip model: robustness", () => {
  it("never throws on random or mutated host bytes", () => {
    const rnd = prng(532);
    const f = chipFixture({ targets: [simpleTarget()] });
    const seeds = ["0000FF02FED4022A00", "0000FF04FCD44A0100E100", "0000FF17E9D4400100A404000E325041592E5359532E4444463031008F00"];
    for (let n = 0; n < 3000; n++) {
      let b: Uint8Array;
      if (n % 2) {
        b = new Uint8Array(Math.floor(rnd() * 40));
        for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
      } else {
        const s = seeds[n % 3];
        b = new Uint8Array(s.length / 2);
        for (let i = 0; i < b.length; i++) b[i] = parseInt(s.substr(2 * i, 2), 16);
        b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
      }
      expect(() => f.chip.receive(b)).not.toThrow();
      f.clock.advanceAndRun(rnd() * 3);
    }
    f.chip.receive(ACK_FRAME);
    f.clock.runUntilIdle();
    expect(toHex(ACK_FRAME)).toBe(ACK);
  });
});
