/**
 * The reference acquirer's HTTP server (docs/acquirer-api.md) on node:http: routes, a
 * bounded body reader (16 KiB, 413 and close beyond), authentication, JSON decoding, the
 * ledger, the test-amount deliveries (.91 held, .97 dropped) and one masked log line per
 * request. Slow clients are cut by headersTimeout / requestTimeout; each connection is
 * handled on its own, so one slow socket never blocks another's request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isCoded } from "../../src/bytes/coded-error";
import type { AcquirerConfig, TerminalEntry } from "./config";
import { authorize, reverse, status, type LedgerContext, type Reply } from "./ledger";
import { authenticate, TIMESTAMP_WINDOW_S } from "./signature";
import type { AcquirerStore } from "./store";
import { decodeAuthorization, decodeReversal, parseJsonObject } from "./validate";

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface AcquirerOptions {
  config: AcquirerConfig;
  store: AcquirerStore;
  /** How long a .91 request is held before its connection is closed, ms (default 60,000). */
  holdMs?: number;
  /** All headers must arrive within this, ms (default 10,000). */
  headersTimeoutMs?: number;
  /** The whole request must arrive within this, ms (default 30,000). */
  requestTimeoutMs?: number;
  /** Wall clock, ms (default Date.now). */
  now?: () => number;
  /** One line per request (default console.log). Never given a full PAN or a key. */
  log?: (line: string) => void;
}

export interface RunningAcquirer {
  /** "http://127.0.0.1:PORT" */
  url: string;
  port: number;
  server: Server;
  /** Stops listening, ends held and open connections; the store stays open (the caller's). */
  close(): Promise<void>;
}

const ID_PATH = /^\/v1\/authorizations\/([0-9a-f]{32})$/;

function send(res: ServerResponse, r: Reply, close = false): void {
  const text = JSON.stringify(r.body);
  res.statusCode = r.status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  if (close) res.setHeader("Connection", "close");
  res.end(text);
}

function error(statusCode: number, body: { [k: string]: unknown }): Reply {
  return { status: statusCode, body: body, delivery: "answer" };
}

/** Reads the body up to MAX_BODY_BYTES; null when it is larger (the rest is drained). */
function readBody(req: IncomingMessage): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      resolve(null);
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        req.resume();
        resolve(null);
        return;
      }
      parts.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(parts)));
    req.on("error", reject);
  });
}

/** Starts the acquirer on 127.0.0.1:`port` (0 = a free port). */
export function startAcquirer(options: AcquirerOptions, port: number): Promise<RunningAcquirer> {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const holdMs = options.holdMs ?? 60000;
  const ctx: LedgerContext = { store: options.store, issuers: options.config.issuers, now: now };
  const held = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const useNonce = (keyId: string, nonce: string): boolean => {
    const nowS = Math.floor(now() / 1000);
    return options.store.useNonce(keyId, nonce, nowS, nowS - 3 * TIMESTAMP_WINDOW_S);
  };

  /** The reply to a request whose body was read. */
  function handle(method: string, path: string, req: IncomingMessage, body: Uint8Array): Reply {
    const isAuth = path === "/v1/authorizations";
    const isRev = path === "/v1/reversals";
    const idMatch = ID_PATH.exec(path);
    if (!isAuth && !isRev && !idMatch) return error(404, { error: "not_found" });
    if ((idMatch && method !== "GET") || (!idMatch && method !== "POST")) return error(405, { error: "method_not_allowed" });
    const auth = authenticate({ method: method, path: path, headers: req.headers, body: body }, options.config.terminals, Math.floor(now() / 1000), useNonce);
    if (!auth.ok) return error(401, { error: auth.error });
    const terminal: TerminalEntry = auth.terminal;
    if (idMatch) return status(ctx, terminal, idMatch[1]);
    try {
      const o = parseJsonObject(body);
      return isAuth ? authorize(ctx, terminal, decodeAuthorization(o)) : reverse(ctx, terminal, decodeReversal(o));
    } catch (e) {
      if (isCoded(e, "ACQ_BAD_JSON")) return error(400, { error: "bad_request", reason: "malformed JSON" });
      if (isCoded(e, "ACQ_BAD_FIELD")) return error(400, { error: "bad_request", field: e.field });
      throw e;
    }
  }

  function logLine(method: string, path: string, started: number, code: number | string, r: Reply | null, terminalHint: string): void {
    const parts = [new Date(now()).toISOString(), method, path, String(code), terminalHint || "-"];
    if (r && typeof r.body.clientTransactionId === "string") parts.push("id=" + r.body.clientTransactionId);
    if (r && r.maskedPan) parts.push("pan=" + r.maskedPan);
    if (r && r.responseCode) parts.push("rc=" + r.responseCode);
    if (r && r.body.error) parts.push("error=" + String(r.body.error));
    if (r && r.delivery !== "answer") parts.push("delivery=" + r.delivery);
    parts.push(Date.now() - started + "ms");
    log("acquirer " + parts.join(" "));
  }

  const headersTimeoutMs = options.headersTimeoutMs ?? 10000;
  // How often node:http looks for connections past their timeouts (default 30 s).
  const checkMs = Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4)));
  const server = createServer({ connectionsCheckingInterval: checkMs }, (req, res) => {
    const started = Date.now();
    const method = req.method ?? "";
    // The path is logged as received: ids are not card data. Truncated: it is client input.
    const path = (req.url ?? "").substring(0, 120);
    const keyId = typeof req.headers["x-tappos-key-id"] === "string" ? String(req.headers["x-tappos-key-id"]).substring(0, 64) : "";
    readBody(req).then(
      (body) => {
        if (body === null) {
          const r = error(413, { error: "too_large" });
          send(res, r, true);
          logLine(method, path, started, 413, r, keyId);
          return;
        }
        let r: Reply;
        try {
          r = handle(method, path, req, body);
        } catch (e) {
          log("acquirer internal error " + (isCoded(e) ? e.code : (e as Error).name ?? "Error"));
          r = error(500, { error: "internal" });
        }
        logLine(method, path, started, r.delivery === "answer" ? r.status : "-", r, keyId);
        if (r.delivery === "drop") {
          req.socket.destroy();
        } else if (r.delivery === "hold") {
          const t = setTimeout(() => {
            held.delete(t);
            req.socket.destroy();
          }, holdMs);
          held.add(t);
          req.socket.once("close", () => {
            clearTimeout(t);
            held.delete(t);
          });
        } else send(res, r);
      },
      () => req.socket.destroy(),
    );
  });
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = options.requestTimeoutMs ?? 30000;
  server.keepAliveTimeout = 5000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    // Timeouts and malformed requests: answer when the socket still can, then close.
    if (err.code !== "ECONNRESET") log(`acquirer ${new Date(now()).toISOString()} - - ${err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400} client error ${err.code ?? "?"}`);
    if (socket.writable && err.code === "ERR_HTTP_REQUEST_TIMEOUT") socket.end("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    else if (socket.writable && err.code !== "ECONNRESET") socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const p = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${p}`,
        port: p,
        server: server,
        close: () =>
          new Promise<void>((done) => {
            for (const t of held) clearTimeout(t);
            held.clear();
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
