/**
 * The hal HttpClient on Espruino's `http` module (docs/espruino-notes.md "Boards"). `https:` URLs go
 * through the board's TLS (mbedTLS on the ESP32) with the acquirer's CA pinned: Espruino's
 * http.request options take `ca` (and `key`/`cert` for client certificates) as PEM text,
 * read from Storage by the board, never from the bundle. Plain HTTP is refused unless the
 * host is loopback (HTTP_INSECURE): there is no fallback to clear text.
 *
 * Espruino reports no "connected" or "sent" event on a client request, so the three phases
 * are one bound here: connectMs + sendMs + answerMs from the call to the end of the answer,
 * on the injected Clock. A failure raised while creating the socket (Espruino throws
 * "Unable to create socket" synchronously on ECONNREFUSED, measured on 2v29 Linux) means
 * nothing was sent; any later failure may have followed the request (`sent` true).
 * TLS and WiFi are unproven on hardware: the Linux interpreter exercises plain HTTP only.
 */
import { codedError } from "../../bytes/coded-error";
import { Clock, HttpAnswer, HttpClient, HttpTimeouts } from "../types";

export interface EspruinoHttpOptions {
  /**
   * PEM of the CA that signed the acquirer's certificate (from Storage), or a function that
   * reads it from Storage when an https request is made (storage.ts storedJsonString): a PEM
   * is 1-2 KB, ~100-170 JsVars held at idle as a string.
   */
  ca?: string | (() => string);
  /** Largest answer kept, bytes (default 8 KiB: the acquirer's answers are ~200 bytes). */
  maxAnswerBytes?: number;
}

interface Target {
  tls: boolean;
  host: string;
  port: number;
  path: string;
}

/** "https://h:8443/p" → parts; null when it is not an http(s) URL. */
function parseUrl(u: string): Target | null {
  const tls = u.startsWith("https://");
  if (!tls && !u.startsWith("http://")) return null;
  const rest = u.substring(tls ? 8 : 7);
  const slash = rest.indexOf("/");
  const hostPort = slash < 0 ? rest : rest.substring(0, slash);
  const colon = hostPort.indexOf(":"); // no IPv6 literals: acquirers are named or IPv4
  const host = colon < 0 ? hostPort : hostPort.substring(0, colon);
  const port = colon < 0 ? (tls ? 443 : 80) : parseInt(hostPort.substring(colon + 1), 10);
  if (host === "" || !(port > 0 && port < 65536)) return null;
  return { tls: tls, host: host, port: port, path: slash < 0 ? "/" : rest.substring(slash) };
}

function loopback(host: string): boolean {
  return host === "localhost" || host.startsWith("127.");
}

export function espruinoHttp(clock: Clock, options: EspruinoHttpOptions): HttpClient {
  const maxBytes = options.maxAnswerBytes || 8192;
  return {
    request: function (method: string, u: string, headers: { [name: string]: string }, body: string | null, t: HttpTimeouts, callback: (error: Error | null, answer: HttpAnswer | null) => void) {
      const target = parseUrl(u);
      if (!target) return callback(codedError("HTTP_URL", "not an http(s) URL", { sent: false }), null);
      if (!target.tls && !loopback(target.host)) return callback(codedError("HTTP_INSECURE", "plain HTTP is for loopback only", { host: target.host, sent: false }), null);
      if (target.tls && !options.ca) return callback(codedError("HTTP_NO_CA", "https needs the acquirer's CA pinned", { host: target.host, sent: false }), null);
      const h: { [name: string]: string | number } = {};
      const names = Object.keys(headers);
      for (let i = 0; i < names.length; i++) h[names[i]] = headers[names[i]];
      h["Connection"] = "close";
      if (body !== null) h["Content-Length"] = body.length;
      const opts: { [k: string]: unknown } = { host: target.host, port: target.port, path: target.path, method: method, protocol: target.tls ? "https:" : "http:", headers: h };
      const ca = options.ca;
      const box = { done: false, timer: 0, status: 0, headers: {} as { [name: string]: string }, text: "", got: false };
      const finish = function (error: Error | null): void {
        if (box.done) return;
        box.done = true;
        clock.clearTimer(box.timer);
        if (error) callback(error, null);
        else callback(null, { status: box.status, headers: box.headers, body: box.text });
      };
      box.timer = clock.setTimer(t.connectMs + t.sendMs + t.answerMs, function () {
        finish(codedError("HTTP_TIMEOUT", "no complete answer in time", { phase: box.got ? "answer" : "send", sent: true }));
      });
      let req: any;
      try {
        // Read here, in the try: a CA that cannot be read is a request that was never sent.
        if (target.tls) opts.ca = typeof ca === "function" ? ca() : ca;
        req = require("http").request(opts, function (res: any) {
          box.got = true;
          box.status = parseInt("" + res.statusCode, 10);
          const hs = res.headers || {};
          const keys = Object.keys(hs);
          for (let i = 0; i < keys.length; i++) box.headers[keys[i].toLowerCase()] = "" + hs[keys[i]];
          res.on("data", function (d: string) {
            if (box.text.length + d.length > maxBytes) finish(codedError("HTTP_TOO_LARGE", "answer too large", { sent: true }));
            else box.text += d;
          });
          res.on("close", function () {
            finish(null);
          });
        });
        req.on("error", function (e: any) {
          finish(codedError("HTTP_CLOSED", "connection failed: " + (e && e.message ? e.message : "" + e), { sent: true }));
        });
        req.on("close", function () {
          if (!box.got) finish(codedError("HTTP_CLOSED", "closed before an answer", { sent: true }));
        });
        req.end(body === null ? undefined : body);
      } catch (e) {
        finish(codedError("HTTP_CONNECT", "cannot connect: " + ((e as Error).message || "" + e), { sent: false }));
      }
    },
  };
}
