/**
 * The ESP8266 AT driver (src/hal/espruino/esp8266-at.ts, esp8266-net.ts) byte for byte
 * against the simulated modem (src/sim/esp8266-sim.ts), its sockets driven as Espruino's
 * socket server drives NetworkJS callbacks (esp8266-rig.ts): joining (success, wrong password,
 * no AP), TCP through create/send/recv/close, +IPD split anywhere, a peer closing, the
 * terminal closing, busy / ERROR / FAIL / timeouts / AP loss / module reset as coded errors
 * and Espruino socket errors. Unproven on hardware.
 */
import { describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { AP, ClientSocket, join, rig, SimServer, type Rig } from "./esp8266-rig";

const JOIN_BYTES = 'ATE0\r\nAT+CWMODE=1\r\nAT+CIPMUX=1\r\nAT+CWJAP="shop\\, \\"back\\" room","pa\\\\ss\\,word"\r\n';

/** A server that answers `answer` once it has `expect` bytes, then (optionally) closes. */
function answering(expectBytes: number, answer: string, close: boolean): SimServer {
  return new SimServer((s, link) => {
    if (s.got.length < expectBytes) return;
    link.data(answer);
    if (close) link.closed();
  });
}

function open(r: Rig, host: string, port: number, request: string): ClientSocket {
  const c = new ClientSocket(r.esp.net, host, port, request);
  r.idle.push(() => c.turn());
  return c;
}

function bytes(n: number, seed: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCharCode((i * 31 + seed) & 0xff);
  return s;
}

describe("ESP8266 driver: joining", () => {
  it("powers the module up, reads through the boot noise to ready, then ATE0, CWMODE, CIPMUX, CWJAP (escaped)", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    expect(r.sim.received).toBe(JOIN_BYTES);
    expect(r.sim.sent).toContain("rst cause:2");
    expect(r.sim.sent).toMatch(/ready\r\nATE0\r\r\n\r\nOK\r\n\r\nOK\r\n\r\nOK\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n$/);
    expect(r.sim.commands).toEqual(["ATE0", "AT+CWMODE=1", "AT+CIPMUX=1", `AT+CWJAP="${AP.ssid}","***"`]);
    expect(r.sim.joined()).toBe(true);
    expect(r.esp.lastError()).toBeNull();
    let ip: string | null = null;
    r.esp.wifi.getIP((e, a) => (ip = a));
    r.runUntil(() => ip !== null);
    expect(ip).toBe("192.168.1.23");
  });

  it("a wrong password: WIFI_JOIN reason 2 (+CWJAP:2, FAIL), the password never in the error", () => {
    const r = rig();
    expect(join(r, AP.ssid, "wrong")).toBe("WIFI_JOIN: wrong password (+CWJAP:2)");
    const e = r.esp.lastError();
    expect(isCoded(e, "WIFI_JOIN") && e.reason).toBe(2);
    expect(r.sim.joined()).toBe(false);
    expect(r.esp.net.create("acq", 80)).toBe(-11); // no connection
  });

  it("no such access point: WIFI_JOIN reason 3; a later join succeeds after a fresh power cycle", () => {
    const r = rig();
    expect(join(r, "absent", "x")).toBe("WIFI_JOIN: cannot find the target AP (+CWJAP:3)");
    expect(r.esp.lastError()?.reason).toBe(3);
    expect(join(r)).toBeNull();
    expect(r.sim.received).toBe('ATE0\r\nAT+CWMODE=1\r\nAT+CIPMUX=1\r\nAT+CWJAP="absent","x"\r\n' + JOIN_BYTES);
  });

  it("a module that never says ready: ESP_TIMEOUT, nothing sent", () => {
    const r = rig({ bootMs: 9000 });
    expect(join(r)).toBe("ESP_TIMEOUT: power-up: no answer in 5000 ms");
    expect(r.sim.received).toBe("");
  });
});

describe("ESP8266 driver: TCP over NetworkJS callbacks", () => {
  it("connects, sends 1,200 bytes in 536-byte chunks each acknowledged by SEND OK, reads the answer, peer closes", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const request = bytes(1200, 5);
    const answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    r.servers["acq.example:8443"] = answering(1200, answer, true);
    const before = r.sim.received.length;
    const c = open(r, "acq.example", 8443, request);
    expect(c.id).toBe(0);
    expect(r.runUntil(() => c.ended !== null)).toBe(true);
    expect(c.received).toBe(answer);
    expect(c.ended).toBe(-1);
    expect(r.servers["acq.example:8443"].got).toBe(request);
    expect(r.sim.received.substring(before)).toBe(
      'AT+CIPSTART=0,"TCP","acq.example",8443\r\n' +
        "AT+CIPSEND=0,536\r\n" + request.substring(0, 536) +
        "AT+CIPSEND=0,536\r\n" + request.substring(536, 1072) +
        "AT+CIPSEND=0,128\r\n" + request.substring(1072),
    );
    // closed by the peer: freed without AT+CIPCLOSE; the link number is free again
    expect(r.servers["acq.example:8443"].closedByTerminal).toBe(0);
    const d = open(r, "acq.example", 8443, "x");
    expect(d.id).toBe(0);
  });

  it.each([1, 3, 7, 64])("+IPD split across serial chunks of %i bytes, binary data with CRLF and a fake +IPD inside", (chunk) => {
    const r = rig({ chunk });
    expect(join(r)).toBeNull();
    const answer = "a\r\n+IPD,0,3:xyz\r\nOK\r\n" + bytes(3000, 9); // 3,022 bytes: three 1,460-byte segments, three +IPD
    r.servers["10.0.0.2:80"] = answering(4, answer, false);
    const c = open(r, "10.0.0.2", 80, "ping");
    expect(r.runUntil(() => c.received.length >= answer.length)).toBe(true);
    expect(c.received).toBe(answer);
    expect(r.sim.sent.split("+IPD,0,").length - 1).toBe(4); // three real headers + the one inside the data
    expect(c.ended).toBeNull();
  });

  it("the terminal closes an open link: AT+CIPCLOSE, the peer sees it, the number is reused after OK", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    const c = open(r, "h", 1, "");
    r.runUntil(() => r.sim.sent.includes("0,CONNECT"));
    r.runUntil(() => false, 10);
    r.esp.net.close(c.id);
    expect(r.esp.net.create("h", 1)).toBe(1); // 0 is still closing
    r.runUntil(() => r.servers["h:1"].closedByTerminal === 1);
    expect(r.sim.received).toContain("AT+CIPCLOSE=0\r\n");
    r.runUntil(() => false, 100);
    expect(r.esp.net.create("h", 1)).toBe(0);
  });

  it("close while still connecting: AT+CIPCLOSE follows the connect", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    const id = r.esp.net.create("h", 1);
    r.esp.net.close(id);
    r.runUntil(() => r.servers["h:1"].closedByTerminal === 1, 1000);
    expect(r.sim.received).toMatch(/AT\+CIPSTART=0,"TCP","h",1\r\nAT\+CIPCLOSE=0\r\n$/);
  });

  it("refused: create answers a number, then send/recv report no connection (-11), ESP_ERROR kept", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const c = open(r, "closed.example", 80, "GET");
    r.runUntil(() => c.ended !== null);
    expect(c.ended).toBe(-11);
    expect(r.esp.lastError()?.code).toBe("ESP_ERROR");
  });

  it("a name that does not resolve: DNS Fail → not found (-6)", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const c = open(r, "nowhere.invalid", 80, "GET");
    r.runUntil(() => c.ended !== null);
    expect(c.ended).toBe(-6);
    expect(r.esp.lastError()?.message).toBe("ESP_ERROR: AT+CIPSTART: ERROR (DNS Fail)");
  });

  it("busy p... twice: the same command again 200 ms later, then it goes through", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = answering(2, "yo", true);
    r.sim.busy = 2;
    const c = open(r, "h", 1, "hi");
    r.runUntil(() => c.ended !== null);
    expect(c.received).toBe("yo");
    expect(r.sim.received.split('AT+CIPSTART=0,"TCP","h",1').length - 1).toBe(3);
  });

  it("busy p... three times: ESP_BUSY, the socket ends in an error", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    r.sim.busy = 3;
    const c = open(r, "h", 1, "hi");
    r.runUntil(() => c.ended !== null);
    expect(c.ended).toBe(-11);
    expect(r.esp.lastError()?.code).toBe("ESP_BUSY");
  });

  it("SEND FAIL: send reports connection reset (-9), nothing counted as sent", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    const c = open(r, "h", 1, "hello");
    r.runUntil(() => r.sim.sent.includes("0,CONNECT"));
    r.sim.sendFail = true;
    r.runUntil(() => c.ended !== null);
    expect(c.ended).toBe(-9);
    expect(c.unsent).toBe("hello");
    expect(r.esp.lastError()?.code).toBe("ESP_SEND_FAIL");
  });

  it("a module that stops answering: ESP_TIMEOUT, sockets time out (-3), disconnected; a new connect power-cycles it", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const lost: unknown[] = [];
    r.esp.wifi.on("disconnected", (d) => lost.push(d));
    r.servers["h:1"] = new SimServer();
    r.sim.mute = true;
    const c = open(r, "h", 1, "hello");
    expect(r.runUntil(() => c.ended !== null, 20000)).toBe(true);
    expect(c.ended).toBe(-3);
    expect(lost.length).toBe(1);
    expect(isCoded(lost[0], "ESP_TIMEOUT")).toBe(true);
    expect(r.esp.lastError()?.message).toBe("ESP_TIMEOUT: AT+CIPSTART: no answer in 15000 ms");
    r.sim.mute = false;
    expect(join(r)).toBeNull();
  });

  it("the access point goes: links closed by the module, then WIFI DISCONNECT → disconnected; no new sockets", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const lost: unknown[] = [];
    r.esp.wifi.on("disconnected", (d) => lost.push(d));
    r.servers["h:1"] = answering(2, "partial", false);
    const c = open(r, "h", 1, "hi");
    r.runUntil(() => c.received === "partial");
    r.sim.dropWifi();
    r.runUntil(() => c.ended !== null);
    expect(c.received).toBe("partial");
    expect(c.ended).toBe(-1);
    r.runUntil(() => lost.length > 0);
    expect(lost).toEqual([undefined]);
    expect(r.esp.net.create("h", 1)).toBe(-11);
  });

  it("the module resets by itself (ready unasked): ESP_RESET, open sockets reset (-9), disconnected", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    const lost: unknown[] = [];
    r.esp.wifi.on("disconnected", (d) => lost.push(d));
    r.servers["h:1"] = new SimServer();
    const c = open(r, "h", 1, "");
    r.runUntil(() => r.sim.sent.includes("0,CONNECT"));
    r.runUntil(() => false, 10);
    r.sim.crash();
    r.runUntil(() => c.ended !== null, 2000);
    expect(c.ended).toBe(-9);
    expect(isCoded(lost[0], "ESP_RESET")).toBe(true);
  });

  it("refuses servers and UDP (-12), a sixth link (-7)", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    expect(r.esp.net.create(undefined, 80)).toBe(-12);
    expect(r.esp.net.create("h", 1, 2)).toBe(-12);
    expect([0, 1, 2, 3, 4, 5].map(() => r.esp.net.create("h", 1))).toEqual([0, 1, 2, 3, 4, -7]);
    expect(r.esp.net.accept(0)).toBe(-1);
  });

  it("disconnect powers the module off: sockets end, no more bytes", () => {
    const r = rig();
    expect(join(r)).toBeNull();
    r.servers["h:1"] = new SimServer();
    const c = open(r, "h", 1, "");
    r.runUntil(() => r.sim.sent.includes("0,CONNECT"));
    r.runUntil(() => false, 10);
    let called = false;
    r.esp.wifi.disconnect(() => (called = true));
    expect(called).toBe(true);
    r.runUntil(() => c.ended !== null, 10);
    expect(c.ended).toBe(-11);
    expect(r.sim.joined()).toBe(false);
  });
});
