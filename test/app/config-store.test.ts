// The terminal configuration in Storage (src/app/config-store.ts): config.example.json is
// valid as committed; each bad field is named by its path, never with its value; a board
// without config is refused into notConfigured with the list; settings follow the config.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfig, CONFIG_FILE, configError, notConfiguredAuth, readConfig, settingsOf } from "../../src/app/config-store";
import { isCoded } from "../../src/bytes/coded-error";
import { MemoryStore } from "./ports";

const EXAMPLE = readFileSync(join(__dirname, "../../config.example.json"), "utf8");
const example = (): Record<string, any> => JSON.parse(EXAMPLE);

describe("config-store", () => {
  it("config.example.json is a valid configuration", () => {
    const r = checkConfig(example());
    expect(r.problems).toEqual([]);
    expect(r.config).toMatchObject({ currency: 978, country: 250, tzOffsetMinutes: 60, reader: { link: "i2c" }, pins: { pn532Irq: "D4" }, fitted: { display: true } });
  });

  it("no tpconf: one problem that names the required fields", () => {
    const r = readConfig(new MemoryStore());
    expect(r.config).toBeNull();
    expect(r.problems[0]).toMatch(/no tpconf in Storage; required: wifi.ssid, wifi.password, acquirer.url/);
  });

  it("not JSON", () => {
    const s = new MemoryStore();
    s.write(CONFIG_FILE, "{wifi:");
    expect(readConfig(s).problems).toEqual(["(file): tpconf is not JSON"]);
  });

  it("each bad field by its path, without its value", () => {
    const c = example();
    delete c.wifi.ssid;
    c.wifi.password = "short";
    c.acquirer.url = "http://acquirer.example";
    c.acquirer.key = "zz" + "00".repeat(20);
    c.acquirer.terminalId = "T1";
    c.currency = 12.5;
    c.reader.link = "usb";
    c.pins = { pn532Irq: "GPIO4", laser: "D2" };
    c.fitted.display = "yes";
    const r = checkConfig(c);
    expect(r.config).toBeNull();
    expect(r.problems).toEqual([
      "wifi.ssid: missing",
      "wifi.password: text of 8..63 printable ASCII characters",
      "acquirer.url: https:// (plain http only to loopback)",
      "acquirer.key: 16..64 bytes of hex",
      "acquirer.terminalId: text of 8..8 printable ASCII characters",
      "reader.link: i2c, spi or hsu",
      'pins.pn532Irq: a pin such as "D4", or null',
      expect.stringMatching(/^pins.laser: not a pin name/),
      "currency: whole number 1..999",
      "fitted.display: true or false",
    ]);
    expect(r.problems.join("\n")).not.toContain("short");
    const e = configError(r.problems);
    expect(isCoded(e, "CONFIG_INVALID")).toBe(true);
    expect((e as any).fields).toContain("acquirer.key");
  });

  it("https without a CA, loopback http allowed", () => {
    const c = example();
    delete c.acquirer.ca;
    expect(checkConfig(c).problems).toEqual(["acquirer.ca: missing: the PEM of the acquirer's CA (https)"]);
    c.acquirer.url = "http://127.0.0.1:8080";
    expect(checkConfig(c).problems).toEqual([]);
  });

  it("defaults for the optional sections", () => {
    const c = example();
    for (const k of ["limits", "reader", "pins", "fitted", "currency", "country", "tzOffsetMinutes", "merchantName"]) delete c[k];
    const r = checkConfig(c);
    expect(r.problems).toEqual([]);
    expect(r.config).toMatchObject({ currency: 978, currencyExponent: 2, country: 250, tzOffsetMinutes: 0, reader: { link: "i2c" }, pins: {}, fitted: { display: null, leds: null, buzzer: null } });
  });

  it("settings follow the config: currency, country, terminal id, limits per kernel", () => {
    const c = example();
    c.currency = 826;
    c.country = 826;
    c.limits = { floorMinor: 0, cvmMinor: 10000, txnMinor: 30000 };
    const s = settingsOf(checkConfig(c).config);
    expect(s.machine.currency).toBe(826);
    expect(s.entryPoint.terminal).toMatchObject({ currencyCode: 826, countryCode: 826, terminalId: "TPOS0001" });
    const mc = s.entryPoint.aids.find((a) => a.kernel === 2)!;
    expect(mc).toMatchObject({ cvmLimitMinor: 10000, txnLimitMinor: 10000, txnLimitOdcvMinor: 30000 });
    expect(s.entryPoint.aids.find((a) => a.kernel === 3)).toMatchObject({ txnLimitMinor: 30000 });
    expect(settingsOf(null).terminalId).toBe("TPOS0001");
  });

  it("notConfiguredAuth refuses with TERMINAL_NOT_CONFIGURED and the fields", () => {
    const a = notConfiguredAuth(["wifi.ssid: missing"]);
    let err: unknown = null;
    try {
      a.checkReady();
    } catch (e) {
      err = e;
    }
    expect(isCoded(err, "TERMINAL_NOT_CONFIGURED")).toBe(true);
    expect((err as Error).message).toBe("TERMINAL_NOT_CONFIGURED: wifi.ssid: missing");
    expect((err as any).fields).toEqual(["wifi.ssid"]);
  });
});
