/**
 * The ESP8266's AT command channel (Espressif "ESP8266 AT Instruction Set", NonOS AT 1.x:
 * §3 basic, §4 Wi-Fi, §5 TCP/IP): one command in flight, its answer lines up to the final
 * `OK` / `ERROR` / `FAIL` (`SEND OK` / `SEND FAIL` for AT+CIPSEND), the `>` prompt that asks
 * for AT+CIPSEND's data, and what the module says unasked: `+IPD,<id>,<len>:<data>` (binary,
 * counted, split across serial chunks anywhere), `<id>,CLOSED`, `WIFI DISCONNECT`, `ready`.
 *
 * The port and the clock are handed in (the board wires Serial2 and the CH_PD pin:
 * esp8266-port.ts); nothing here names an Espruino global. Every command has a deadline; a
 * missed one means the module is wedged: the command and every queued one fail with
 * ESP_TIMEOUT and `lost` is called (the owner restarts the module). `busy p...` / `busy s...`
 * (the module refused the command while busy, §3) is retried twice, 200 ms apart, then
 * fails with ESP_BUSY. Unproven on hardware: tested byte for byte against src/sim/esp8266-sim.ts.
 */
import { codedError, type CodedError } from "../../bytes/coded-error";
import type { Clock } from "../types";

/** The module's UART (binary strings, as Espruino's Serial gives them) and its enable pin. */
export interface ModemPort {
  write(data: string): void;
  /** Sets the one receive listener; null removes it. */
  onData(listener: ((chunk: string) => void) | null): void;
  /** CH_PD / EN: false holds the module off (and resets it). */
  power(on: boolean): void;
}

export type AtCallback = (error: CodedError | null, lines: string[]) => void;

interface Cmd {
  /** The command without CRLF; "" waits for `ready` after power-up. */
  text: string;
  ms: number;
  /** AT+CIPSEND's payload, written at the `>` prompt; null once written or for other commands. */
  data: string | null;
  lines: string[];
  busy: number;
  cb: AtCallback;
}

export interface AtChannel {
  /** Queues `text` (sent with CRLF); `cb` gets the lines before the final result, or a coded error. */
  send(text: string, ms: number, cb: AtCallback, data?: string): void;
  /** Power-cycles the module (EN low 50 ms) and waits `ms` for `ready`; queued commands fail with ESP_RESET. */
  restart(ms: number, cb: AtCallback): void;
  /** Holds the module off; queued commands fail with ESP_RESET. */
  off(): void;
}

export interface AtOwner {
  /** A line nobody asked for (or `<id>,CLOSED` inside an answer); true when it was the owner's. */
  line(line: string): void;
  /** Payload bytes of `+IPD` for link `id`, as they arrive. */
  ipd(id: number, data: string): void;
  /** The module stopped answering (a deadline passed) or reset itself. */
  lost(why: CodedError): void;
}

/** The command's name for messages: never its arguments (AT+CWJAP carries the password). */
function nameOf(text: string): string {
  const eq = text.indexOf("=");
  return text === "" ? "power-up" : eq < 0 ? text : text.substring(0, eq);
}

export function atChannel(port: ModemPort, clock: Clock, owner: AtOwner): AtChannel {
  const s = { buf: "", ipdId: -1, ipdLeft: 0, cur: null as Cmd | null, queue: [] as Cmd[], timer: -1, gen: 0 };

  function next(): void {
    if (s.cur !== null || s.queue.length === 0) return;
    const c = s.queue.shift() as Cmd;
    s.cur = c;
    s.timer = clock.setTimer(c.ms, function () {
      s.timer = -1;
      const e = codedError("ESP_TIMEOUT", nameOf(c.text) + ": no answer in " + c.ms + " ms", { command: nameOf(c.text) });
      failAll(e);
      owner.lost(e);
    });
    if (c.text !== "") port.write(c.text + "\r\n");
  }

  function finish(e: CodedError | null): void {
    const c = s.cur as Cmd;
    clock.clearTimer(s.timer);
    s.timer = -1;
    s.cur = null;
    c.cb(e, c.lines);
    next();
  }

  function failAll(e: CodedError): void {
    if (s.timer >= 0) clock.clearTimer(s.timer);
    s.timer = -1;
    const all = s.cur !== null ? [s.cur].concat(s.queue) : s.queue;
    s.cur = null;
    s.queue = [];
    s.buf = "";
    s.ipdLeft = 0;
    for (let i = 0; i < all.length; i++) all[i].cb(e, all[i].lines);
  }

  function line(l: string): void {
    const c = s.cur;
    if (l === "" || (c !== null && l === c.text)) return; // blank, or the echo before ATE0
    if (c !== null && c.text === "") {
      if (l === "ready") finish(null);
      return; // boot messages (74880 baud noise) before `ready`
    }
    if (l === "ready" || l === "WIFI DISCONNECT" || l === "WIFI CONNECTED" || l === "WIFI GOT IP" || l.startsWith(",CLOSED", 1) || l.startsWith(",CONNECT", 1)) {
      if (l === "ready") {
        const e = codedError("ESP_RESET", "the module restarted by itself");
        failAll(e);
        owner.lost(e);
      } else owner.line(l);
      if (c === null || !l.startsWith("WIFI")) return;
    }
    if (c === null) return; // a stray answer after a failure: nothing waits for it
    if (l.startsWith("busy ")) {
      // §3: the command was not taken; the same command again later.
      if (c.busy++ < 2) {
        s.cur = null;
        clock.clearTimer(s.timer);
        s.queue.unshift(c);
        clock.setTimer(200, next);
      } else finish(codedError("ESP_BUSY", nameOf(c.text) + ": module busy (" + l + ")", { command: nameOf(c.text) }));
      return;
    }
    const sending = c.text.startsWith("AT+CIPSEND");
    if (l === "SEND OK" || (l === "OK" && !sending)) return finish(null);
    if (l === "ERROR" || l === "FAIL" || l === "SEND FAIL") {
      const code = l === "ERROR" ? "ESP_ERROR" : l === "FAIL" ? "ESP_FAIL" : "ESP_SEND_FAIL";
      return finish(codedError(code, nameOf(c.text) + ": " + l + (c.lines.length ? " (" + c.lines.join("; ") + ")" : ""), { command: nameOf(c.text), lines: c.lines }));
    }
    if (l !== "OK") c.lines.push(l);
  }

  function parse(): void {
    for (;;) {
      if (s.ipdLeft > 0) {
        if (s.buf === "") return;
        const part = s.buf.substring(0, s.ipdLeft);
        s.buf = s.buf.substring(part.length);
        s.ipdLeft -= part.length;
        owner.ipd(s.ipdId, part);
        continue;
      }
      if (s.buf.startsWith("+IPD,")) {
        const colon = s.buf.indexOf(":");
        if (colon < 0 && s.buf.length < 24) return; // the header is still arriving
        if (colon > 0 && colon < 24) {
          // §5 AT+CIPMUX=1: +IPD,<link ID>,<len>:<data> (a single link: +IPD,<len>:<data>)
          const f = s.buf.substring(5, colon).split(",");
          s.ipdId = f.length > 1 ? parseInt(f[0], 10) : 0;
          s.ipdLeft = parseInt(f[f.length > 1 ? 1 : 0], 10) || 0;
          s.buf = s.buf.substring(colon + 1);
          continue;
        }
      }
      const c = s.cur;
      if (c !== null && c.data !== null && s.buf.charAt(0) === ">") {
        s.buf = s.buf.substring(s.buf.charAt(1) === " " ? 2 : 1);
        const d = c.data;
        c.data = null;
        port.write(d);
        continue;
      }
      const nl = s.buf.indexOf("\n");
      if (nl < 0) return;
      const l = s.buf.substring(0, nl).trim();
      s.buf = s.buf.substring(nl + 1);
      line(l);
    }
  }

  port.onData(function (chunk: string) {
    s.buf += chunk;
    parse();
  });

  function reset(): void {
    failAll(codedError("ESP_RESET", "the module was switched off"));
    port.power(false);
  }

  return {
    send: function (text, ms, cb, data) {
      s.queue.push({ text: text, ms: ms, data: data === undefined ? null : data, lines: [], busy: 0, cb: cb });
      next();
    },
    restart: function (ms, cb) {
      reset();
      const g = ++s.gen;
      clock.setTimer(50, function () {
        if (g !== s.gen) return;
        s.queue.push({ text: "", ms: ms, data: null, lines: [], busy: 0, cb: cb });
        port.power(true);
        next();
      });
    },
    off: function () {
      s.gen++;
      reset();
    },
  };
}
