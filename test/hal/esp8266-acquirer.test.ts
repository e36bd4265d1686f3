/**
 * An authorization over the ESP8266 driver: a real tap of a virtual card, TerminalAuth's
 * signed request, through an HTTP/1.1 client on the driver's NetworkJS callbacks (driven as
 * Espruino's socket server drives them, esp8266-rig.ts), AT bytes to the simulated ESP8266,
 * whose simulated network opens a real TCP connection to the reference acquirer on loopback
 * (host/acquirer): approved with its ARPC, the STAN kept. The HTTP client here is test code
 * (on the board Espruino's built-in http does that part: esp8266-espruino.test.ts). Real
 * time: the sockets to the acquirer are real. Unproven on hardware.
 */
import { connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeClock } from "../../host/auth/node-hal";
import { esp8266, type NetCallbacks } from "../../src/hal/espruino/esp8266-net";
import type { HttpClient } from "../../src/hal/types";
import { Esp8266Sim, type SimLink, type SimPeer } from "../../src/sim/esp8266-sim";
import { removeTempDirs, startTestAcquirer, tapSale, tempDir, terminal, type Acquirer } from "../auth/acquirer-rig";
import { ClientSocket } from "./esp8266-rig";

let acq: Acquirer | null = null;
afterEach(async () => {
  if (acq) await acq.close();
  acq = null;
  removeTempDirs();
});

/** HTTP/1.1 with Connection: close over one NetworkJS socket, polled every millisecond. */
function netJsHttp(net: NetCallbacks, log: string[]): HttpClient {
  return {
    request(method, url, headers, body, t, callback) {
      const u = new URL(url);
      let head = `${method} ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n`;
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      if (body !== null) head += `Content-Length: ${Buffer.byteLength(body, "latin1")}\r\n`;
      const s = new ClientSocket(net, u.hostname, Number(u.port), head + "\r\n" + (body ?? ""));
      log.push(`${method} ${u.pathname} on link ${s.id}`);
      const started = Date.now();
      const timer = setInterval(() => {
        s.turn();
        if (s.ended === null && Date.now() - started < t.connectMs + t.sendMs + t.answerMs) return;
        clearInterval(timer);
        const end = s.received.indexOf("\r\n\r\n");
        if (s.ended !== -1 || end < 0) return callback(Object.assign(new Error("HTTP_CLOSED"), { code: "HTTP_CLOSED", sent: true, socket: s.ended }), null);
        const lines = s.received.substring(0, end).split("\r\n");
        const h: { [name: string]: string } = {};
        for (const l of lines.slice(1)) h[l.substring(0, l.indexOf(":")).toLowerCase()] = l.substring(l.indexOf(":") + 1).trim();
        let rest = s.received.substring(end + 4);
        if (h["transfer-encoding"] === "chunked") {
          let out = "";
          for (;;) {
            const nl = rest.indexOf("\r\n");
            const n = parseInt(rest.substring(0, nl), 16);
            if (!(n > 0)) break;
            out += rest.substring(nl + 2, nl + 2 + n);
            rest = rest.substring(nl + 4 + n);
          }
          rest = out;
        }
        callback(null, { status: parseInt(lines[0].split(" ")[1], 10), headers: h, body: rest });
      }, 1);
    },
  };
}

describe("ESP8266 driver: an authorization reaches the reference acquirer", () => {
  it("joins, then the signed request of a Visa tap goes through AT bytes and a real TCP socket: approved", async () => {
    acq = await startTestAcquirer();
    const clock = nodeClock();
    const opened: string[] = [];
    const sim = new Esp8266Sim(clock, {
      aps: { shop: "pw" },
      connect(host: string, port: number, link: SimLink): SimPeer | string {
        opened.push(`${host}:${port}`);
        const sock = tcpConnect({ host, port });
        sock.setEncoding("latin1");
        sock.on("data", (d: string) => link.data(d));
        sock.on("close", () => link.closed());
        sock.on("error", () => {});
        return { send: (d: string) => void sock.write(Buffer.from(d, "latin1")), close: () => void sock.end() };
      },
    }, { chunk: 48, bootMs: 20, joinMs: 50 });
    const esp = esp8266(sim.port(), clock);
    const joined = await new Promise<string | null>((r) => esp.wifi.connect("shop", { password: "pw" }, r));
    expect(joined).toBeNull();

    const state = tempDir("tappos-esp-term-");
    const log: string[] = [];
    const t = terminal(acq.url, state, {}, { http: netJsHttp(esp.net, log) });
    const sale = await tapSale("card-visa", 1250, state);
    const r = await t.authorize(sale);
    expect(r.outcome).toBe("approved");
    expect(r.responseCode).toBe("00");
    expect(r.arpc).toMatch(/^[0-9A-F]+$/);
    expect(r.stan).toBe("000001");
    expect(acq.store.countAuthorizations()).toBe(1);
    const port = new URL(acq.url).port;
    expect(opened).toEqual([`127.0.0.1:${port}`]);
    expect(log).toEqual(["POST /v1/authorizations on link 0"]);
    // The request left as AT+CIPSEND chunks (≤ 536 bytes each, as NetworkJS hands them over).
    const sends = sim.commands.filter((c) => c.startsWith("AT+CIPSEND=0,"));
    expect(sends.length).toBeGreaterThan(1);
    for (const c of sends) expect(Number(c.split(",")[1])).toBeLessThanOrEqual(536);
    expect(sim.sent).toContain("+IPD,0,");
    t.stop();
  }, 30000);
});
