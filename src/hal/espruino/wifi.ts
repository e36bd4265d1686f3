/**
 * The station link on Espruino's `Wifi` module (ESP32 built-in; docs/espruino-notes.md "Boards"):
 * connects with back-off, reconnects when the link drops, reports status as events, and
 * asks for SNTP once connected (`Wifi.setSNTP(server, 0)`: the board's clock in UTC; the
 * terminal's time-zone offset applies only to 9A/9F21, src/auth/time.ts wallCalendar).
 * The board passes `require("Wifi")` in; the SSID and password come from Storage, never
 * from the bundle, and are never printed.
 * Unproven on hardware: tested against a fake of the Wifi object (test/auth/wifi.test.ts).
 */
import { Clock, WallClock, Wifi, WifiStatus } from "../types";

/** What tappos uses of Espruino's Wifi object (espruino.com/Reference#Wifi). */
export interface EspruinoWifiModule {
  connect(ssid: string, options: { password: string }, callback: (err: string | null) => void): void;
  disconnect(callback?: () => void): void;
  setSNTP(server: string, tzOffsetHours: number): void;
  on(event: string, listener: (details?: unknown) => void): void;
}

export interface WifiConfig {
  ssid: string;
  password: string;
  /** SNTP server (default pool.ntp.org). */
  sntpServer?: string;
  /** First retry after a failed or lost connection, ms (default 1000), doubled up to maxRetryMs (default 60000). */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

export interface WifiLink extends Wifi {
  /** Starts connecting (boot). */
  start(): void;
  /** Disconnects and stops reconnecting. */
  stop(): void;
}

/** The board's clock: valid once SNTP (or setTime) has set it past 2024-01-01. */
export function espruinoWallClock(): WallClock {
  return {
    unixMs: function () {
      const ms = Date.now();
      return ms >= 1704067200000 ? ms : null;
    },
  };
}

export function espruinoWifi(wifi: EspruinoWifiModule, clock: Clock, cfg: WifiConfig): WifiLink {
  const first = cfg.firstRetryMs || 1000;
  const max = cfg.maxRetryMs || 60000;
  const s = { status: "off" as WifiStatus, waitMs: first, timer: -1, running: false, listener: null as ((st: WifiStatus) => void) | null };

  function set(st: WifiStatus): void {
    if (s.status === st) return;
    s.status = st;
    if (s.listener) s.listener(st);
  }

  function retryLater(): void {
    if (!s.running || s.timer >= 0) return;
    const wait = s.waitMs;
    s.waitMs = Math.min(s.waitMs * 2, max);
    s.timer = clock.setTimer(wait, function () {
      s.timer = -1;
      attempt();
    });
  }

  function attempt(): void {
    if (!s.running) return;
    set("connecting");
    wifi.connect(cfg.ssid, { password: cfg.password }, function (err: string | null) {
      if (!s.running) return;
      if (err) {
        set("disconnected");
        retryLater();
        return;
      }
      s.waitMs = first;
      wifi.setSNTP(cfg.sntpServer || "pool.ntp.org", 0);
      set("connected");
    });
  }

  wifi.on("disconnected", function () {
    if (!s.running) return;
    set("disconnected");
    retryLater();
  });

  return {
    status: function () {
      return s.status;
    },
    onStatus: function (listener: ((st: WifiStatus) => void) | null) {
      s.listener = listener;
    },
    start: function () {
      if (s.running) return;
      s.running = true;
      attempt();
    },
    stop: function () {
      s.running = false;
      if (s.timer >= 0) clock.clearTimer(s.timer);
      s.timer = -1;
      wifi.disconnect();
      set("off");
    },
  };
}
