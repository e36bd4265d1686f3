// Status byte (UM0701-02 §7.1) and command names (§7, table 7-1) for traces.
import { describe, it, expect } from "vitest";
import { commandName } from "../../src/pn532/commands";
import { statusError, statusName } from "../../src/pn532/status";

describe("statusName / statusError (§7.1)", () => {
  const codes = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x10, 0x12, 0x13, 0x14, 0x23, 0x25, 0x26, 0x27, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e];

  it("names every error code of the table, each differently", () => {
    const names = codes.map(statusName);
    expect(names.filter((n) => n === "UNKNOWN" || n === "OK")).toEqual([]);
    expect(new Set(names).size).toBe(codes.length);
  });

  it("reads only the low 6 bits: MI (0x40) and NAD (0x80) do not change the name", () => {
    for (const c of codes) {
      expect(statusName(c | 0x40)).toBe(statusName(c));
      expect(statusName(c | 0x80)).toBe(statusName(c));
      expect(statusName(c | 0xc0)).toBe(statusName(c));
    }
    expect(statusName(0x00)).toBe("OK");
    expect(statusName(0x40)).toBe("OK");
    expect(statusName(0x80)).toBe("OK");
  });

  it("calls codes outside the table UNKNOWN", () => {
    for (let s = 1; s < 0x40; s++) if (codes.indexOf(s) < 0) expect(statusName(s)).toBe("UNKNOWN");
  });

  it("makes PN532_STATUS errors with status = error code, statusName, command", () => {
    const e = statusError(0xab, 0x40); // NAD + MI + 2B
    expect(e).toMatchObject({ code: "PN532_STATUS", status: 0x2b, statusName: "CARD_DISAPPEARED", command: 0x40 });
    expect(e.message).toContain("InDataExchange");
  });
});

describe("commandName", () => {
  it("names commands and their answers", () => {
    expect(commandName(0x02)).toBe("GetFirmwareVersion");
    expect(commandName(0x03)).toBe("GetFirmwareVersion");
    expect(commandName(0x4a)).toBe("InListPassiveTarget");
    expect(commandName(0x41)).toBe("InDataExchange");
    expect(commandName(0x00)).toBe("Diagnose");
    expect(commandName(0xfe)).toBe("0xFE");
  });
});
