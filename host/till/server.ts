/**
 * The till API and page over node:http (issue 10; docs/till-api.md). The board's adapter is
 * src/hal/espruino/till-http.ts; both do the same, in this order:
 *   GET /            the page (no token: it holds no secret), gzip when the browser takes it;
 *   /api/…           the bearer token first (401 `{"error":"UNAUTHORIZED"}` and nothing else),
 *                    the body limit (413 once more than MAX_BODY_BYTES arrived or are announced),
 *                    then /api/events (SSE), the host's extra routes (simulator), api.handle;
 *   anything else    404 JSON.
 * Listens on loopback by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import { KEEPALIVE_MS, MAX_BODY_BYTES, sseFrame, UNAUTHORIZED, type TillApi, type TillRequest, type TillResponse } from "../../src/app/till/index";

export interface TillServerOptions {
  api: TillApi;
  /** "127.0.0.1" by default. */
  host?: string;
  /** 0: any free port. */
  port: number;
  /**
   * The page: a function called per request giving dist/till.html or its .gz (gzip is
   * recognised by its magic bytes) or null (404); or the page built once, as text and gzip.
   */
  page: (() => Buffer | null) | { html: string | Buffer; gzip?: Buffer | null };
  /** Routes tried after the token check and before api.handle (the simulator's); null: not theirs. */
  extraRoutes?: (req: TillRequest) => Promise<TillResponse | null>;
  /** SSE keepalive period, ms (KEEPALIVE_MS). */
  keepaliveMs?: number;
}

export interface TillServer {
  /** "http://127.0.0.1:port" (no trailing slash). */
  url: string;
  port: number;
  /** Ends event streams and open connections, stops listening. */
  close(): Promise<void>;
}

function send(res: ServerResponse, r: TillResponse): void {
  res.writeHead(r.status, Object.assign({ "Content-Length": Buffer.byteLength(r.body) }, r.headers));
  res.end(r.body);
}

/** The adapter's own answers (404, 401, 413, 500): JSON `body`. */
function sendJson(res: ServerResponse, status: number, body: string): void {
  send(res, { status: status, headers: { "Content-Type": "application/json" }, body: body });
}

function lowerHeaders(req: IncomingMessage): { [name: string]: string } {
  const h: { [name: string]: string } = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") h[k] = v;
  else if (Array.isArray(v)) h[k] = v.join(", ");
  return h;
}

/** The body, or null once it grew past the limit (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on("data", (b: Buffer) => {
      if (over) return;
      n += b.length;
      if (n > limit) {
        over = true;
        resolve(null);
        req.pause();
        return;
      }
      parts.push(b);
    });
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(parts).toString("utf8"));
    });
    req.on("error", reject);
  });
}

export function startTillServer(o: TillServerOptions): Promise<TillServer> {
  const api = o.api;
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const keepaliveMs = o.keepaliveMs ?? KEEPALIVE_MS;

  function page(req: IncomingMessage, res: ServerResponse): void {
    const p = o.page;
    let body = typeof p === "function" ? p() : p.gzip || (typeof p.html === "string" ? Buffer.from(p.html, "utf8") : p.html);
    if (body === null) return sendJson(res, 404, '{"error":"NOT_FOUND"}');
    const gz = body.length > 2 && body[0] === 0x1f && body[1] === 0x8b;
    const h: { [k: string]: string | number } = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (gz && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""))) h["Content-Encoding"] = "gzip";
    else if (gz) body = gunzipSync(body);
    h["Content-Length"] = body.length;
    res.writeHead(200, h);
    res.end(req.method === "HEAD" ? undefined : body);
  }

  function events(res: ServerResponse): void {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    res.write(sseFrame("status", api.statusJson()));
    const off = api.subscribe((event, data) => res.write(sseFrame(event, data)));
    const timer = setInterval(() => res.write(": keepalive\n\n"), keepaliveMs);
    streams.add(res);
    const end = (): void => {
      clearInterval(timer);
      off();
      streams.delete(res);
    };
    res.on("close", end);
  }

  async function apiRoute(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const headers = lowerHeaders(req);
    if (!api.authorized(headers)) {
      res.setHeader("Connection", "close");
      return sendJson(res, 401, UNAUTHORIZED);
    }
    const announced = Number(headers["content-length"] ?? "0");
    const body = announced > MAX_BODY_BYTES ? null : await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      res.setHeader("Connection", "close"); // the rest of the body is not read
      return sendJson(res, 413, '{"error":"TOO_LARGE"}');
    }
    if (path === "/api/events" && req.method === "GET") return events(res);
    const treq: TillRequest = { method: req.method ?? "GET", path: req.url ?? path, headers: headers, body: body };
    const extra = o.extraRoutes ? await o.extraRoutes(treq) : null;
    send(res, extra ?? (await api.handle(treq)));
  }

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.substring(0, q);
    const fail = (e: unknown): void => {
      if (!res.headersSent) sendJson(res, 500, '{"error":"INTERNAL"}');
      else res.destroy(e instanceof Error ? e : undefined);
    };
    try {
      if (path === "/api" || path.startsWith("/api/")) apiRoute(req, res, path).catch(fail);
      else if (path === "/" && (req.method === "GET" || req.method === "HEAD")) page(req, res);
      else sendJson(res, 404, '{"error":"NOT_FOUND"}');
    } catch (e) {
      fail(e);
    }
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      const port = (server.address() as AddressInfo).port;
      const host = o.host ?? "127.0.0.1";
      resolve({
        url: `http://${host.includes(":") ? "[" + host + "]" : host}:${port}`,
        port: port,
        close: () =>
          new Promise<void>((done) => {
            for (const r of streams) r.end();
            streams.clear();
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}
