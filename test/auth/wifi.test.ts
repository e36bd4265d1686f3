/**
 * The WiFi link (src/hal/espruino/wifi.ts) against a fake of Espruino's `Wifi` object with
 * its calling conventions (connect(ssid, {password}, cb(err)), "disconnected" events,
 * setSNTP(server, tzHours)) on the test clock: back-off on failures, SNTP on connect,
 * reconnect after a loss, stop. Unproven on hardware.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { espruinoWallClock, espruinoWifi, type EspruinoWifiModule } from "../../src/hal/espruino/wifi";
import { FakeClock } from "../helpers/fake-clock";

class FakeWifi implements EspruinoWifiModule {
  connects: { atMs: number; ssid: string; password: string; cb: (err: string | null) => void }[] = [];
  sntp: [string, number][] = [];
  disconnects = 0;
  private listeners: { [e: string]: ((d?: unknown) => void)[] } = {};
  constructor(private clock: FakeClock) {}
  connect(ssid: string, options: { password: string }, cb: (err: string | null) => void): void {
    this.connects.push({ atMs: this.clock.now(), ssid: ssid, password: options.password, cb: cb });
  }
  disconnect(): void {
    this.disconnects++;
  }
  setSNTP(server: string, tz: number): void {
    this.sntp.push([server, tz]);
  }
  on(event: string, fn: (d?: unknown) => void): void {
    (this.listeners[event] ??= []).push(fn);
  }
  emit(event: string): void {
    for (const f of this.listeners[event] ?? []) f({ reason: "201" });
  }
  /** Answers the last connect. */
  answer(err: string | null): void {
    this.connects[this.connects.length - 1].cb(err);
  }
}

afterEach(() => vi.restoreAllMocks());

describe("Espruino WiFi link", () => {
  it("connects with back-off (1 s, 2 s, 4 s), sets SNTP in UTC once connected, reports each status", () => {
    const clock = new FakeClock(0);
    const fake = new FakeWifi(clock);
    const link = espruinoWifi(fake, clock, { ssid: "shop", password: "secret-pw" });
    const seen: string[] = [];
    link.onStatus((s) => seen.push(s));
    expect(link.status()).toBe("off");
    link.start();
    expect(fake.connects.map((c) => [c.ssid, c.password])).toEqual([["shop", "secret-pw"]]);
    fake.answer("auth fail");
    clock.advance(999);
    expect(fake.connects).toHaveLength(1);
    clock.advance(1);
    fake.answer("no AP");
    clock.advance(2000);
    fake.answer("no AP");
    clock.advance(4000);
    expect(fake.connects.map((c) => c.atMs)).toEqual([0, 1000, 3000, 7000]);
    expect(fake.sntp).toEqual([]);
    fake.answer(null);
    expect(link.status()).toBe("connected");
    expect(fake.sntp).toEqual([["pool.ntp.org", 0]]);
    expect(seen).toEqual(["connecting", "disconnected", "connecting", "disconnected", "connecting", "disconnected", "connecting", "connected"]);
    expect(clock.pending()).toBe(0);
  });

  it("reconnects after the link drops, starting the back-off again, and stops for good on stop()", () => {
    const clock = new FakeClock(0);
    const fake = new FakeWifi(clock);
    const link = espruinoWifi(fake, clock, { ssid: "shop", password: "pw", sntpServer: "ntp.example", firstRetryMs: 500, maxRetryMs: 800 });
    link.start();
    fake.answer(null);
    fake.emit("disconnected");
    expect(link.status()).toBe("disconnected");
    clock.advance(500);
    expect(link.status()).toBe("connecting");
    fake.answer("gone");
    clock.advance(800);
    fake.answer("gone");
    clock.advance(800); // capped at maxRetryMs
    expect(fake.connects.map((c) => c.atMs)).toEqual([0, 500, 1300, 2100]);
    link.stop();
    expect(link.status()).toBe("off");
    expect(fake.disconnects).toBe(1);
    fake.answer(null); // a late callback changes nothing
    fake.emit("disconnected");
    clock.advance(10000);
    expect(fake.connects).toHaveLength(4);
    expect(link.status()).toBe("off");
  });

  it("reads the board's clock as valid only once it is past 2024 (SNTP set it)", () => {
    vi.spyOn(Date, "now").mockReturnValue(946684800000);
    expect(espruinoWallClock().unixMs()).toBeNull();
    vi.spyOn(Date, "now").mockReturnValue(1796501492000);
    expect(espruinoWallClock().unixMs()).toBe(1796501492000);
  });
});
