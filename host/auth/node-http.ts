/**
 * The hal HttpClient on Node's http/https (host tools, tests). TLS for every non-loopback
 * URL, verifying the acquirer's certificate against a pinned CA (not the system store); an
 * http:// URL to a non-loopback host is refused (HTTP_INSECURE), never silently sent in
 * clear. Each phase is bounded: connect (TCP + TLS handshake), send (request written),
 * answer (whole answer read after the send).
 */
import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import { codedError } from "../../src/bytes/coded-error";
import type { HttpAnswer, HttpClient, HttpTimeouts } from "../../src/hal/types";

export interface NodeHttpOptions {
  /** PEM of the CA that must have signed the acquirer's certificate (required for https). */
  ca?: string | Buffer;
  /** Largest answer read, bytes (default 64 KiB). */
  maxAnswerBytes?: number;
}

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"];

/** True for a host name that never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.indexOf(hostname) >= 0 || hostname.startsWith("127.");
}

export function nodeHttpClient(options: NodeHttpOptions = {}): HttpClient {
  const maxBytes = options.maxAnswerBytes ?? 65536;
  return {
    request(method, url, headers, body, timeouts: HttpTimeouts, callback) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        callback(codedError("HTTP_URL", "not a URL", { url: url, sent: false }), null);
        return;
      }
      const tls = u.protocol === "https:";
      if (!tls && u.protocol !== "http:") {
        callback(codedError("HTTP_URL", "only http: and https: URLs", { url: url, sent: false }), null);
        return;
      }
      if (!tls && !isLoopback(u.hostname)) {
        callback(codedError("HTTP_INSECURE", "plain HTTP is for loopback only: use https:// with a pinned CA", { host: u.hostname, sent: false }), null);
        return;
      }
      if (tls && options.ca === undefined) {
        callback(codedError("HTTP_NO_CA", "https:// needs the acquirer's CA pinned", { host: u.hostname, sent: false }), null);
        return;
      }
      let done = false;
      let sent = false;
      let timer: NodeJS.Timeout | null = null;
      const finish = (e: Error | null, a: HttpAnswer | null): void => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        if (e) req.destroy();
        callback(e, a);
      };
      const arm = (ms: number, phase: string): void => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => finish(codedError("HTTP_TIMEOUT", phase + " took longer than " + ms + " ms", { phase: phase, sent: phase !== "connect" }), null), ms);
      };
      const bodyBuf = body === null ? null : Buffer.from(body, "latin1");
      const h: Record<string, string> = { ...headers, Connection: "close" };
      if (bodyBuf) h["Content-Length"] = String(bodyBuf.length);
      const reqOptions: https.RequestOptions = {
        method: method,
        hostname: u.hostname.replace(/^\[|\]$/g, ""),
        port: u.port || (tls ? 443 : 80),
        path: u.pathname + u.search,
        headers: h,
        agent: false,
      };
      if (tls) {
        reqOptions.ca = options.ca;
        reqOptions.rejectUnauthorized = true;
      }
      const req = tls ? https.request(reqOptions) : http.request(reqOptions);
      arm(timeouts.connectMs, "connect");
      req.on("socket", (socket: Socket) => {
        const connected = (): void => {
          if (done) return;
          arm(timeouts.sendMs, "send");
          sent = true;
          req.end(bodyBuf ?? undefined, () => {
            if (!done) arm(timeouts.answerMs, "answer");
          });
        };
        const ready = tls ? "secureConnect" : "connect";
        if (!(socket as Socket & { connecting: boolean }).connecting && (!tls || (socket as unknown as { authorized?: boolean }).authorized)) connected();
        else socket.once(ready, connected);
      });
      req.on("error", (e: Error & { code?: string }) => {
        const code = sent ? "HTTP_CLOSED" : "HTTP_CONNECT";
        finish(codedError(code, (e.code ?? "") + " " + e.message, { cause: e.code ?? null, sent: sent }), null);
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on("data", (c: Buffer) => {
          n += c.length;
          if (n > maxBytes) finish(codedError("HTTP_TOO_LARGE", "answer over " + maxBytes + " bytes", { sent: true }), null);
          else chunks.push(c);
        });
        res.on("end", () => {
          const hs: { [name: string]: string } = {};
          for (const k of Object.keys(res.headers)) {
            const v = res.headers[k];
            hs[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
          }
          finish(null, { status: res.statusCode ?? 0, headers: hs, body: Buffer.concat(chunks).toString("latin1") });
        });
        res.on("error", (e: Error) => finish(codedError("HTTP_CLOSED", "answer cut: " + e.message, { sent: true }), null));
        res.on("aborted", () => finish(codedError("HTTP_CLOSED", "answer cut", { sent: true }), null));
      });
    },
  };
}
