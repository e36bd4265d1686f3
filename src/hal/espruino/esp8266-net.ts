/**
 * The ESP8266 as Espruino's network and WiFi (the Espruino WiFi board's module, over AT:
 * esp8266-at.ts). Two faces:
 * - `wifi`: the shape of Espruino's `Wifi` object that src/hal/espruino/wifi.ts drives:
 *   connect(ssid, {password}, cb(err)) powers the module up and joins (ATE0, AT+CWMODE=1,
 *   AT+CIPMUX=1, AT+CWJAP; "ESP8266 AT Instruction Set" §4.1, §5.2), "disconnected" when the
 *   AP is lost, the module resets or stops answering. No SNTP: the clock comes from the
 *   acquirer's Date header (src/auth/terminal-auth.ts boot).
 * - `net`: the callbacks of Espruino's built-in `require("NetworkJS").create(...)`, which the
 *   built-in `http` (and TLS) then use as its sockets. Espruino polls them from its idle loop:
 *   create(host, port, type) returns a socket number (or a negative SOCKET_ERR_*), send(s,
 *   data) the bytes taken (0: later), recv(s, maxLen) a string ("" : nothing yet) or a negative
 *   number (-1: closed, else an error), close(s). TCP clients only: no servers, no UDP.
 *   Bytes are reported sent only after `SEND OK`, so a busy or failed send loses nothing.
 * Unproven on hardware: tested byte for byte against src/sim/esp8266-sim.ts, and in the 2v29
 * Linux interpreter under its real NetworkJS and http modules.
 */
import { find } from "../../bytes/find";
import { codedError, type CodedError } from "../../bytes/coded-error";
import type { Clock } from "../types";
import { atChannel, type ModemPort } from "./esp8266-at";

/** Espruino's socket errors (libs/network/socketerrors.h). */
const enum SockErr {
  Closed = -1,
  Timeout = -3,
  NotFound = -6,
  MaxSock = -7,
  Reset = -9,
  NoConn = -11,
  BadArg = -12,
}

/** 0 free, 1 connecting, 2 open, 3 closed by the peer, 4 closing; negative: a SockErr. */
interface Sock {
  st: number;
  rx: string;
  /** Bytes of the last AT+CIPSEND acknowledged (SEND OK) and not yet reported to Espruino. */
  done: number;
  sending: boolean;
  closeWanted: boolean;
}

export interface NetCallbacks {
  create(host: string | undefined, port: number, type?: number): number;
  close(sckt: number): void;
  accept(sckt: number): number;
  recv(sckt: number, maxLen: number, type?: number): string | number;
  send(sckt: number, data: string, type?: number): number;
}

export interface Esp8266 {
  wifi: {
    connect(ssid: string, options: { password: string }, callback: (err: string | null) => void): void;
    disconnect(callback?: () => void): void;
    setSNTP(server: string, tzOffsetHours: number): void;
    on(event: string, listener: (details?: unknown) => void): void;
    /** AT+CIFSR (§5.2.20): the station's IP address. */
    getIP(callback: (err: CodedError | null, ip: string | null) => void): void;
  };
  net: NetCallbacks;
  /** The last coded error (join, module, socket), or null. */
  lastError(): CodedError | null;
}

const LINKS = 5; // §5.2.6 AT+CIPMUX=1: link IDs 0…4
const CHUNK = 2048; // §5.2.9 AT+CIPSEND: at most 2048 bytes a time

/** AT string argument: `"`, `,` and `\` escaped with `\` (§4.1.4 AT+CWJAP note). */
function quote(v: string): string {
  let r = '"';
  for (let i = 0; i < v.length; i++) {
    const ch = v.charAt(i);
    r += ch === '"' || ch === "," || ch === "\\" ? "\\" + ch : ch;
  }
  return r + '"';
}

/** §4.1.4: +CWJAP:<error code> */
const JOIN_REASONS = ["", "connection timeout", "wrong password", "cannot find the target AP", "connection failed"];

export function esp8266(port: ModemPort, clock: Clock, options?: { joinMs?: number; readyMs?: number }): Esp8266 {
  const o = options || {};
  const socks: (Sock | null)[] = [null, null, null, null, null];
  const s = { online: false, joining: false, err: null as CodedError | null, onLost: null as ((d?: unknown) => void) | null };

  function fail(e: CodedError): CodedError {
    s.err = e;
    return e;
  }

  /** Every link ends with `code` (what recv/send report to Espruino next). */
  function dropAll(code: number): void {
    for (let i = 0; i < LINKS; i++) {
      const k = socks[i];
      if (k !== null && k.st > 0 && k.st !== 3) k.st = k.st === 4 ? 0 : code;
      if (k !== null && k.st === 0) socks[i] = null;
    }
  }

  function lost(e: CodedError | null): void {
    const was = s.online;
    s.online = false;
    dropAll(e !== null && e.code === "ESP_TIMEOUT" ? SockErr.Timeout : e !== null ? SockErr.Reset : SockErr.NoConn);
    if (e !== null) fail(e);
    if (was && !s.joining && s.onLost) s.onLost(e || undefined);
  }

  const at = atChannel(port, clock, {
    line: function (l: string) {
      const k = socks[parseInt(l.charAt(0), 10)];
      if (l.startsWith(",CLOSED", 1) && k) {
        if (k.st === 4) socks[parseInt(l.charAt(0), 10)] = null;
        else if (k.st === 2) k.st = 3;
      } else if (l === "WIFI DISCONNECT" && !s.joining) lost(null);
    },
    ipd: function (id: number, data: string) {
      const k = socks[id];
      if (k && k.st !== 4) k.rx += data;
    },
    lost: lost,
  });

  function closeLink(id: number): void {
    const k = socks[id] as Sock;
    k.st = 4;
    at.send("AT+CIPCLOSE=" + id, 5000, function () {
      // OK after `<id>,CLOSED`, or ERROR when the peer closed it first (§5.2.12): free either way.
      if (socks[id] === k) socks[id] = null;
    });
  }

  const net: NetCallbacks = {
    create: function (host, p, type) {
      if (host === undefined || type === 2) return SockErr.BadArg; // no servers, no UDP
      if (!s.online) return SockErr.NoConn;
      let id = 0;
      while (id < LINKS && socks[id] !== null) id++;
      if (id === LINKS) return SockErr.MaxSock;
      const k: Sock = { st: 1, rx: "", done: 0, sending: false, closeWanted: false };
      socks[id] = k;
      at.send("AT+CIPSTART=" + id + ',"TCP",' + quote(host) + "," + p, 15000, function (e, lines) {
        if (socks[id] !== k) return;
        if (e === null) {
          if (k.st === 1) k.st = 2; // a `<id>,CLOSED` may already have come
          if (k.closeWanted) closeLink(id);
          return;
        }
        fail(e);
        const dns = find("\n" + lines.join("\n") + "\n", "\nDNS Fail\n", 0) >= 0; // a whole line
        k.st = e.code === "ESP_TIMEOUT" ? SockErr.Timeout : dns ? SockErr.NotFound : SockErr.NoConn;
        if (k.closeWanted) socks[id] = null;
      });
      return id;
    },
    close: function (id) {
      const k = socks[id];
      if (!k) return;
      if (k.st === 1) k.closeWanted = true;
      else if (k.st === 2) closeLink(id);
      else if (k.st !== 4) socks[id] = null;
    },
    accept: function () {
      return -1;
    },
    recv: function (id, maxLen) {
      const k = socks[id];
      if (!k) return SockErr.Closed;
      if (k.rx !== "") {
        const r = k.rx.substring(0, maxLen);
        k.rx = k.rx.substring(r.length);
        return r;
      }
      if (k.st < 0) return k.st;
      return k.st === 3 || k.st === 0 ? SockErr.Closed : "";
    },
    send: function (id, data) {
      const k = socks[id];
      if (!k) return SockErr.Closed;
      if (k.done > 0) {
        // Espruino hands the same unsent bytes again until a call returns how many were taken.
        const n = k.done;
        k.done = 0;
        return n;
      }
      if (k.st < 0) return k.st;
      // Closed by the peer: what it sent is read first (an error here would drop it).
      if (k.st !== 2) return k.st === 1 || k.sending || k.rx !== "" ? 0 : SockErr.Closed;
      if (k.sending) return 0;
      const chunk = data.substring(0, CHUNK);
      k.sending = true;
      at.send("AT+CIPSEND=" + id + "," + chunk.length, 10000, function (e) {
        k.sending = false;
        if (e === null) k.done = chunk.length;
        else if (k.st === 2) k.st = fail(e).code === "ESP_TIMEOUT" ? SockErr.Timeout : SockErr.Reset;
      }, chunk);
      return 0;
    },
  };

  return {
    net: net,
    lastError: function () {
      return s.err;
    },
    wifi: {
      connect: function (ssid, opts, callback) {
        s.joining = true;
        lost(null);
        const steps = ["ATE0", "AT+CWMODE=1", "AT+CIPMUX=1", "AT+CWJAP=" + quote(ssid) + "," + quote(opts.password)];
        const done = function (e: CodedError | null): void {
          s.joining = false;
          s.online = e === null;
          callback(e === null ? null : fail(e).message);
        };
        const step = function (i: number): void {
          if (i === steps.length) return done(null);
          at.send(steps[i], i === 3 ? o.joinMs || 20000 : 2000, function (e, lines) {
            if (e === null) return step(i + 1);
            if (i < 3 || e.code !== "ESP_FAIL") return done(e);
            let n = 0;
            for (let j = 0; j < lines.length; j++) if (lines[j].startsWith("+CWJAP:")) n = parseInt(lines[j].substring(7), 10);
            done(codedError("WIFI_JOIN", (JOIN_REASONS[n] || "failed") + " (+CWJAP:" + n + ")", { reason: n }));
          });
        };
        at.restart(o.readyMs || 5000, function (e) {
          if (e === null) step(0);
          else if (e.code !== "ESP_RESET") done(e); // ESP_RESET: a newer connect or disconnect took over
        });
      },
      disconnect: function (callback) {
        s.joining = false;
        at.off();
        lost(null);
        if (callback) callback();
      },
      setSNTP: function () {},
      on: function (event, listener) {
        if (event === "disconnected") s.onLost = listener;
      },
      getIP: function (callback) {
        at.send("AT+CIFSR", 2000, function (e, lines) {
          if (e !== null) return callback(e, null);
          for (let j = 0; j < lines.length; j++) {
            const l = lines[j];
            if (l.startsWith("+CIFSR:STAIP,")) return callback(null, l.substring(14, l.length - 1));
          }
          callback(codedError("ESP_NO_IP", "no station IP"), null);
        });
      },
    },
  };
}
