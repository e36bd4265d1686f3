/**
 * The merchant's till over Espruino's `http` module (`require("http").createServer`): the
 * transport of the till API (src/app/till, handed in by the board as a `TillHandler`), the
 * page from Storage and the live status as Server-Sent Events. The measured behaviour of
 * Espruino 2v29's server it relies on (docs/espruino-notes.md "The till's HTTP server"):
 * - the request callback runs once the headers are in; header names keep the client's case
 *   ("Authorization"): they are lower-cased here for the till. The till gets the path with its
 *   query (`/api/results?limit=5`); routing here looks at the path alone. The body comes as `data`
 *   events (536-byte chunks on Linux), then `end` once Content-Length bytes arrived (at
 *   once without a body). The connection stays open until Content-Length bytes are in,
 *   whatever we answer: past the limit the rest is dropped as it comes, never kept.
 * - `res.write` appends to a send buffer in RAM; `drain` fires when it has been sent. The page
 *   is written a chunk at a time on `drain` from the string `Storage.read` maps onto flash,
 *   so RAM holds one chunk, not the page.
 * - a closed client shows as `close` on the response (SSE streams end there).
 * Every answer is HTTP/1.1 with `Connection: close` (the interpreter adds it): one request
 * per connection.
 */
import type { Clock, KeyValueStore, TimerHandle } from "../types";

export interface TillHttpRequest {
  method: string;
  path: string;
  /** Names lower-cased. */
  headers: { [name: string]: string };
  body: string;
}

export interface TillHttpResponse {
  status: number;
  headers: { [name: string]: string };
  body: string;
}

/** What the server needs of the till (src/app/till's TillApi). */
export interface TillHandler {
  handle(req: TillHttpRequest): Promise<TillHttpResponse>;
  /** The bearer token check (constant time). */
  authorized(headers: { [name: string]: string }): boolean;
  subscribe(listener: (event: string, json: string) => void): () => void;
  statusJson(): string;
}

export interface TillServerOptions {
  port: number;
  /** Bodies above this many bytes get 413 (src/app/till MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** One SSE event as text (src/app/till sseFrame). */
  frame: (event: string, json: string) => string;
  /** Where the gzipped page is (`store.read(page)`), or null: GET / is 404. */
  store: KeyValueStore;
  page: string | null;
  /** Open /api/events streams at most; more get 503. */
  maxStreams: number;
  /** A `: keepalive` comment on every stream this often, ms. */
  keepaliveMs: number;
  clock: Clock;
}

export interface TillServer {
  /** Open event streams. */
  streams(): number;
  close(): void;
}

/** Bytes of the page per write: RAM held while serving it. */
const PAGE_CHUNK = 512;

const JSON_TYPE = { "Content-Type": "application/json" };

function send(res: any, status: number, body: string): void {
  res.writeHead(status, JSON_TYPE);
  res.end(body);
}

export function startTillServer(till: TillHandler, o: TillServerOptions): TillServer {
  const open: any[] = [];
  const st = { timer: -1 as TimerHandle };

  function tooLarge(res: any): void {
    send(res, 413, '{"error":"TOO_LARGE"}');
  }

  function keepalive(): void {
    st.timer = -1;
    if (open.length === 0) return;
    for (let i = 0; i < open.length; i++) open[i].write(": keepalive\n\n");
    st.timer = o.clock.setTimer(o.keepaliveMs, keepalive);
  }

  function stream(res: any): void {
    if (open.length >= o.maxStreams) return send(res, 503, '{"error":"TOO_MANY_STREAMS","message":"' + o.maxStreams + ' event streams open"}');
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    res.write(o.frame("status", till.statusJson()));
    open.push(res);
    const stop = till.subscribe(function (event: string, json: string) {
      res.write(o.frame(event, json));
    });
    res.on("close", function () {
      stop();
      const i = open.indexOf(res);
      if (i >= 0) open.splice(i, 1);
    });
    if (st.timer === -1) st.timer = o.clock.setTimer(o.keepaliveMs, keepalive);
  }

  function page(res: any): void {
    const f = o.page !== null ? o.store.read(o.page) : undefined;
    if (!f) return send(res, 404, '{"error":"NO_PAGE","message":"the page is not in Storage: npm run flash"}');
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip", "Content-Length": "" + f.length, "Cache-Control": "no-cache" });
    const at = { n: 0 };
    const next = function (): void {
      if (at.n >= f.length) return res.end();
      res.write(f.substr(at.n, PAGE_CHUNK));
      at.n += PAGE_CHUNK;
    };
    res.on("drain", next);
    next();
  }

  function answer(res: any, req: TillHttpRequest): void {
    till.handle(req).then(
      function (r: TillHttpResponse) {
        res.writeHead(r.status, r.headers);
        res.end(r.body);
      },
      function (e: Error) {
        send(res, 500, JSON.stringify({ error: "INTERNAL", message: "" + (e && e.message) }));
      },
    );
  }

  function request(req: any, res: any): void {
    const headers: { [name: string]: string } = {};
    const names = Object.keys(req.headers || {});
    for (let i = 0; i < names.length; i++) headers[names[i].toLowerCase()] = "" + req.headers[names[i]];
    const url: string = req.url;
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.substring(0, q);
    const method: string = req.method;
    if (!path.startsWith("/api/")) {
      if (method === "GET" && (path === "/" || path === "/index.html")) return page(res);
      return send(res, 404, '{"error":"NOT_FOUND"}');
    }
    if (!till.authorized(headers)) return send(res, 401, '{"error":"UNAUTHORIZED"}');
    if (method === "GET" && path === "/api/events") return stream(res);
    // Past the limit (declared, or counted as it comes) 413 at once; later data is dropped.
    const body = { text: "", done: parseInt(headers["content-length"] || "0", 10) > o.maxBodyBytes };
    if (body.done) tooLarge(res);
    req.on("data", function (d: string) {
      if (body.done) return;
      body.text += d;
      if (body.text.length <= o.maxBodyBytes) return;
      body.done = true;
      body.text = "";
      tooLarge(res);
    });
    req.on("end", function () {
      if (body.done) return;
      body.done = true;
      answer(res, { method: method, path: url, headers: headers, body: body.text }); // the query too (?limit=n)
    });
  }

  const server = require("http").createServer(request);
  server.listen(o.port);
  return {
    streams: function () {
      return open.length;
    },
    close: function () {
      server.close();
      o.clock.clearTimer(st.timer);
      st.timer = -1;
    },
  };
}
