/**
 * A simulated ESP8266 running Espressif's AT firmware (NonOS AT 1.x, "ESP8266 AT Instruction
 * Set"), behind the same port the driver gets on the board (src/hal/espruino/esp8266-at.ts
 * ModemPort: UART bytes both ways and the CH_PD pin). A stateful model, not a fake that
 * succeeds: off until CH_PD goes high, then boot noise and `ready`; echo on until ATE0; one
 * command at a time, a second one while it works answered `busy p...` (§3); AT+CWJAP against
 * the simulated access points (+CWJAP:2 wrong password, +CWJAP:3 no such AP, then FAIL);
 * AT+CIPMUX=1 links 0…4 to peers of a simulated network (DNS Fail, refused, ALREADY
 * CONNECTED), AT+CIPSEND's `>` prompt and counted data, `+IPD,<id>,<len>:` towards the driver,
 * `<id>,CLOSED` when a peer closes, `WIFI DISCONNECT` when the AP goes. Output leaves in
 * chunks of `chunk` bytes, one chunk a millisecond on the injected clock, so answers split
 * anywhere, +IPD headers included. Faults: `busy` (answer the next n commands `busy p...`),
 * `mute` (answer nothing: the driver's deadline), `sendFail`, `dropWifi()`, `crash()`.
 * Firmware subset: it also runs in the Espruino interpreter (test/hal/esp8266-espruino.test.ts).
 */
import { find } from "../bytes/find";
import type { Clock } from "../hal/types";

/** The remote end of a link, as the simulated network gives it. */
export interface SimPeer {
  /** Bytes the terminal sent (after SEND OK). */
  send(data: string): void;
  /** The terminal closed the link (AT+CIPCLOSE) or the module lost it. */
  close(): void;
}

/** What a peer calls on the module. */
export interface SimLink {
  /** Bytes towards the terminal: `+IPD`. */
  data(data: string): void;
  /** The peer closed the connection: `<id>,CLOSED`. */
  closed(): void;
}

export interface SimNetwork {
  /** SSID → password of the access points in range. */
  aps: { [ssid: string]: string };
  /** A TCP connection to host:port; "dns" when the name does not resolve, "refused" when nobody listens. */
  connect(host: string, port: number, link: SimLink): SimPeer | string;
}

export interface Esp8266SimOptions {
  /** Bytes per output chunk (default 64). */
  chunk?: number;
  /** Power-up to `ready`, ms (default 300). */
  bootMs?: number;
  /** AT+CWJAP to WIFI GOT IP, ms (default 2000). */
  joinMs?: number;
  /** AT+CIPSTART to CONNECT, ms (default 40). */
  connectMs?: number;
}

const OK = "\r\nOK\r\n";
const ERROR = "\r\nERROR\r\n";

/** Parses `"a\"b","c",3` into ["a\"b" unescaped, "c", "3"]; null when malformed. */
function args(s: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i <= s.length) {
    let v = "";
    if (s.charAt(i) === '"') {
      i++;
      while (i < s.length && s.charAt(i) !== '"') {
        if (s.charAt(i) === "\\") i++;
        v += s.charAt(i++);
      }
      if (s.charAt(i) !== '"') return null;
      i++;
    } else {
      while (i < s.length && s.charAt(i) !== ",") v += s.charAt(i++);
    }
    out.push(v);
    if (i < s.length && s.charAt(i) !== ",") return null;
    i++;
  }
  return out;
}

export class Esp8266Sim {
  /** Every byte the driver wrote, in order. */
  received = "";
  /** Every byte the module sent, in order. */
  sent = "";
  /** Command lines as the module took them (AT+CWJAP's password replaced by ***). */
  commands: string[];
  /** Answer the next n commands with `busy p...`. */
  busy = 0;
  /** Answer nothing (a wedged module). */
  mute = false;
  /** The next AT+CIPSEND ends in SEND FAIL. */
  sendFail = false;

  private clock: Clock;
  private net: SimNetwork;
  private chunk: number;
  private bootMs: number;
  private joinMs: number;
  private connectMs: number;
  private listener: ((chunk: string) => void) | null = null;
  private powered = false;
  private gen = 0;
  private out = "";
  private pumping = false;
  private inBuf = "";
  private echo = true;
  private mode = 0;
  private mux = 0;
  private ap: string | null = null;
  private working = false;
  private sendTo = -1;
  private sendLeft = 0;
  private sendData = "";
  private links: (SimPeer | null)[];

  constructor(clock: Clock, net: SimNetwork, options?: Esp8266SimOptions) {
    const o = options || {};
    this.commands = [];
    this.links = [null, null, null, null, null];
    this.clock = clock;
    this.net = net;
    this.chunk = o.chunk || 64;
    this.bootMs = o.bootMs || 300;
    this.joinMs = o.joinMs || 2000;
    this.connectMs = o.connectMs || 40;
  }

  /** The driver's port (ModemPort). */
  port(): { write(d: string): void; onData(l: ((c: string) => void) | null): void; power(on: boolean): void } {
    const self = this;
    return {
      write: function (d: string) {
        self.input(d);
      },
      onData: function (l: ((c: string) => void) | null) {
        self.listener = l;
      },
      power: function (on: boolean) {
        self.power(on);
      },
    };
  }

  /** True while joined to an access point. */
  joined(): boolean {
    return this.ap !== null;
  }

  /** The access point goes away: every link closes, then WIFI DISCONNECT. */
  dropWifi(): void {
    this.closeLinks(true);
    this.ap = null;
    this.emit("WIFI DISCONNECT\r\n");
  }

  /** The module resets by itself (brown-out, watchdog): links gone, boot noise, `ready`. */
  crash(): void {
    this.power(false);
    this.power(true);
  }

  private power(on: boolean): void {
    if (on === this.powered) return;
    this.gen++;
    this.closeLinks(false);
    this.powered = on;
    this.out = "";
    this.pumping = false;
    this.inBuf = "";
    this.echo = true;
    this.mode = 0;
    this.mux = 0;
    this.ap = null;
    this.working = false;
    this.sendTo = -1;
    if (on) this.later(this.bootMs, "\x00\xfe\x12ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\xa1\x0c load 0x40100000\r\n\r\nready\r\n");
  }

  private closeLinks(say: boolean): void {
    for (let i = 0; i < 5; i++) {
      const p = this.links[i];
      if (p === null) continue;
      this.links[i] = null;
      p.close();
      if (say) this.emit(i + ",CLOSED\r\n");
    }
  }

  /** Bytes towards the driver, in order, `chunk` bytes a millisecond. */
  private emit(s: string): void {
    if (!this.powered) return;
    this.out += s;
    this.sent += s;
    if (this.pumping) return;
    this.pumping = true;
    const self = this;
    const g = this.gen;
    const pump = function (): void {
      if (g !== self.gen || self.out === "") {
        if (g === self.gen) self.pumping = false;
        return;
      }
      const c = self.out.substring(0, self.chunk);
      self.out = self.out.substring(c.length);
      if (self.listener) self.listener(c);
      self.clock.setTimer(1, pump);
    };
    this.clock.setTimer(1, pump);
  }

  /** `s` after `ms`, unless the module was switched off meanwhile; then `after`. */
  private later(ms: number, s: string, after?: () => void): void {
    const self = this;
    const g = this.gen;
    this.clock.setTimer(ms, function () {
      if (g !== self.gen) return;
      self.emit(s);
      if (after) after();
    });
  }

  private input(d: string): void {
    this.received += d;
    if (!this.powered) return;
    this.inBuf += d;
    for (;;) {
      if (this.sendTo >= 0) {
        const part = this.inBuf.substring(0, this.sendLeft);
        this.inBuf = this.inBuf.substring(part.length);
        this.sendData += part;
        this.sendLeft -= part.length;
        if (this.sendLeft > 0) return;
        this.sent1();
        continue;
      }
      const nl = find(this.inBuf, "\r\n", 0);
      if (nl < 0) return;
      const line = this.inBuf.substring(0, nl);
      this.inBuf = this.inBuf.substring(nl + 2);
      if (this.echo) this.emit(line + "\r\r\n");
      this.command(line);
    }
  }

  /** AT+CIPSEND's data is in: to the peer, then SEND OK (§5.2.9). */
  private sent1(): void {
    const id = this.sendTo;
    const p = this.links[id];
    this.sendTo = -1;
    this.emit("\r\nRecv " + this.sendData.length + " bytes\r\n");
    const fail = this.sendFail || p === null;
    this.sendFail = false;
    const self = this;
    this.later(2, fail ? "\r\nSEND FAIL\r\n" : "\r\nSEND OK\r\n", function () {
      self.working = false;
    });
    if (!fail && p !== null) p.send(this.sendData);
  }

  private command(line: string): void {
    if (this.mute || line === "") return;
    if (this.working || this.busy > 0) {
      if (this.busy > 0) this.busy--;
      this.emit("busy p...\r\n");
      return;
    }
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.substring(0, eq);
    const a = eq < 0 ? [] : args(line.substring(eq + 1));
    this.commands.push(name === "AT+CWJAP" && a !== null && a.length === 2 ? 'AT+CWJAP="' + a[0] + '","***"' : line);
    if (a === null) return this.emit(ERROR);
    if (line === "AT") return this.emit(OK);
    if (line === "ATE0" || line === "ATE1") {
      this.echo = line === "ATE1";
      return this.emit(OK);
    }
    if (line === "AT+RST") {
      this.emit(OK);
      const self = this;
      this.clock.setTimer(5, function () {
        self.crash();
      });
      return;
    }
    if (name === "AT+CWMODE" && (a[0] === "1" || a[0] === "2" || a[0] === "3")) {
      this.mode = parseInt(a[0], 10);
      return this.emit(OK);
    }
    if (name === "AT+CIPMUX" && (a[0] === "0" || a[0] === "1")) {
      this.mux = parseInt(a[0], 10);
      return this.emit(OK);
    }
    if (name === "AT+CWJAP" && a.length === 2 && (this.mode & 1) === 1) return this.join(a[0], a[1]);
    if (line === "AT+CIFSR") return this.emit('+CIFSR:STAIP,"' + (this.ap !== null ? "192.168.1.23" : "0.0.0.0") + '"\r\n+CIFSR:STAMAC,"5c:cf:7f:01:02:03"\r\n' + OK);
    if (name === "AT+CIPSTART" && a.length === 4 && a[1] === "TCP" && this.mux === 1) return this.start(parseInt(a[0], 10), a[2], parseInt(a[3], 10));
    if (name === "AT+CIPSEND" && a.length === 2 && this.mux === 1) {
      const id = parseInt(a[0], 10);
      const len = parseInt(a[1], 10);
      if (!(id >= 0 && id < 5) || this.links[id] === null) return this.emit("link is not valid\r\n" + ERROR);
      if (!(len > 0 && len <= 2048)) return this.emit(ERROR);
      this.working = true;
      this.sendTo = id;
      this.sendLeft = len;
      this.sendData = "";
      return this.emit(OK + "> ");
    }
    if (name === "AT+CIPCLOSE" && this.mux === 1) {
      const id = parseInt(a[0], 10);
      const p = id >= 0 && id < 5 ? this.links[id] : null;
      if (!p) return this.emit("UNLINK\r\n" + ERROR);
      this.links[id] = null;
      p.close();
      return this.emit(id + ",CLOSED\r\n" + OK);
    }
    this.emit(ERROR);
  }

  /** §4.1.4 AT+CWJAP: WIFI CONNECTED, WIFI GOT IP, OK; or +CWJAP:<code>, FAIL. */
  private join(ssid: string, password: string): void {
    if (this.ap !== null) {
      this.closeLinks(true);
      this.ap = null;
      this.emit("WIFI DISCONNECT\r\n");
    }
    this.working = true;
    const self = this;
    const known = Object.prototype.hasOwnProperty.call(this.net.aps, ssid);
    const done = function (): void {
      self.working = false;
    };
    if (!known) return this.later(this.joinMs, "+CWJAP:3\r\n\r\nFAIL\r\n", done);
    if (this.net.aps[ssid] !== password) return this.later(this.joinMs, "+CWJAP:2\r\n\r\nFAIL\r\n", done);
    this.later(this.joinMs / 2, "WIFI CONNECTED\r\n");
    this.later(this.joinMs, "WIFI GOT IP\r\n" + OK, function () {
      self.ap = ssid;
      done();
    });
  }

  /** §5.2.7 AT+CIPSTART=<id>,"TCP",<host>,<port> */
  private start(id: number, host: string, port: number): void {
    if (!(id >= 0 && id < 5)) return this.emit(ERROR);
    if (this.links[id] !== null) return this.emit("ALREADY CONNECTED\r\n" + ERROR);
    if (this.ap === null) return this.emit("no ip\r\n" + ERROR);
    this.working = true;
    const self = this;
    const g = this.gen;
    this.clock.setTimer(this.connectMs, function () {
      if (g !== self.gen) return;
      self.working = false;
      const peer = self.net.connect(host, port, {
        data: function (d: string) {
          if (g !== self.gen || self.links[id] !== peer) return;
          for (let i = 0; i < d.length; i += 1460) {
            const part = d.substring(i, i + 1460); // one TCP segment per +IPD
            self.emit("\r\n+IPD," + id + "," + part.length + ":" + part);
          }
        },
        closed: function () {
          if (g !== self.gen || self.links[id] !== peer) return;
          self.links[id] = null;
          self.emit(id + ",CLOSED\r\n");
        },
      });
      if (typeof peer === "string") return self.emit(peer === "dns" ? "DNS Fail\r\n" + ERROR : id + ",CLOSED\r\n" + ERROR);
      self.links[id] = peer;
      self.emit(id + ",CONNECT\r\n" + OK);
    });
  }
}
