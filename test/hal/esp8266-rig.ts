/**
 * The ESP8266 driver (src/hal/espruino/esp8266-*.ts) on the simulated modem
 * (src/sim/esp8266-sim.ts) on a manual clock, and a stand-in for what Espruino's socket
 * server does with NetworkJS callbacks (libs/network/socketserver.c, facts only): create a
 * client socket, then on each idle turn offer its unsent bytes to send() (at most 536 a
 * call: NetworkJS's chunkSize) and drop the count it returns, and ask recv(s, 536) until it
 * returns a negative number, then close(s).
 */
import type { Esp8266, NetCallbacks } from "../../src/hal/espruino/esp8266-net";
import { esp8266 } from "../../src/hal/espruino/esp8266-net";
import { Esp8266Sim, type Esp8266SimOptions, type SimLink, type SimNetwork, type SimPeer } from "../../src/sim/esp8266-sim";
import { FakeClock } from "../helpers/fake-clock";

export const AP = { ssid: "shop, \"back\" room", password: "pa\\ss,word" };

/** A TCP server on the simulated network: collects what it gets, answers through `reply`. */
export class SimServer {
  got = "";
  closedByTerminal = 0;
  links: SimLink[] = [];
  constructor(public onData: (server: SimServer, link: SimLink) => void = () => {}) {}
}

export interface Rig {
  clock: FakeClock;
  sim: Esp8266Sim;
  esp: Esp8266;
  servers: { [hostPort: string]: SimServer };
  /** Advances the clock 1 ms at a time (each tick is also an idle turn of the socket stand-in) until `pred` or `maxMs`. */
  runUntil(pred: () => boolean, maxMs?: number): boolean;
  idle: (() => void)[];
}

export function rig(simOptions: Esp8266SimOptions = {}, driverOptions: { joinMs?: number } = {}): Rig {
  const clock = new FakeClock(0);
  const servers: { [hostPort: string]: SimServer } = {};
  const network: SimNetwork = {
    aps: { [AP.ssid]: AP.password, other: "x" },
    connect(host: string, port: number, link: SimLink): SimPeer | string {
      if (host === "nowhere.invalid") return "dns";
      const s = servers[host + ":" + port];
      if (!s) return "refused";
      s.links.push(link);
      return {
        send(d: string) {
          s.got += d;
          s.onData(s, link);
        },
        close() {
          s.closedByTerminal++;
        },
      };
    },
  };
  const sim = new Esp8266Sim(clock, network, simOptions);
  const esp = esp8266(sim.port(), clock, driverOptions);
  const idle: (() => void)[] = [];
  return {
    clock,
    sim,
    esp,
    servers,
    idle,
    runUntil(pred, maxMs = 60000) {
      for (let t = 0; t < maxMs; t++) {
        for (const f of idle) f();
        if (pred()) return true;
        clock.advance(1);
      }
      return pred();
    },
  };
}

/** Joins the access point; returns the callback's error (null: joined). */
export function join(r: Rig, ssid = AP.ssid, password = AP.password): string | null | undefined {
  let result: string | null | undefined;
  r.esp.wifi.connect(ssid, { password }, (e) => (result = e));
  r.runUntil(() => result !== undefined);
  return result;
}

/** One client socket as Espruino's socket server drives it. */
export class ClientSocket {
  id: number;
  unsent: string;
  received = "";
  /** The negative number recv or send ended with (-1: closed), or null while open. */
  ended: number | null = null;
  sendCalls = 0;
  constructor(private net: NetCallbacks, host: string, port: number, request: string) {
    this.id = net.create(host, port);
    this.unsent = request;
    if (this.id < 0) this.ended = this.id;
  }
  /** One idle turn. */
  turn(): void {
    if (this.ended !== null) return;
    if (this.unsent !== "") {
      this.sendCalls++;
      const n = this.net.send(this.id, this.unsent.substring(0, 536));
      if (n < 0) return this.end(n);
      this.unsent = this.unsent.substring(n);
    }
    for (;;) {
      const r = this.net.recv(this.id, 536);
      if (typeof r === "number") return this.end(r);
      if (r === "") return;
      if (r.length > 536) throw new Error("recv returned more than maxLen");
      this.received += r;
    }
  }
  private end(code: number): void {
    this.ended = code;
    this.net.close(this.id);
  }
}
