/**
 * The till API over real loopback sockets (host/till/server.ts) against the whole host
 * terminal (host/terminal/host-terminal.ts: the composition every board uses, the PN532
 * simulator, src/auth against the reference acquirer on loopback): every route, the SSE
 * stream's events in order through a sale, a bad token everywhere, oversized bodies, the
 * page, a void acknowledged and one queued with the acquirer gone, a clean close.
 */
import { request } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTillApi, MAX_BODY_BYTES, UNAUTHORIZED, type TillApi } from "../../src/app/till";
import { TEST_MERCHANT_ID } from "../../host/auth/test-terminal";
import { terminalStore } from "../../host/tap/state";
import { hostTerminal, type HostTerminal } from "../../host/terminal/host-terminal";
import { acquirerDir, startLoopbackAcquirer, TEST_TERMINAL_ID } from "../../host/terminal/online";
import { startTillServer, type TillServer } from "../../host/till/server";

const T = 60000;
const TOKEN = "till-test-token-0123456789abcdef";
const PAGE = "<!doctype html><title>tappos till</title><p>page</p>";
const root = mkdtempSync(join(tmpdir(), "tappos-till-server-"));
let acquirer: { url: string; close(): Promise<void> };
let ht: HostTerminal;
let api: TillApi;
let server: TillServer;
let acquirerClosed = false;

beforeAll(async () => {
  acquirer = await startLoopbackAcquirer(acquirerDir(root), () => undefined);
  ht = hostTerminal({ stateDir: root, url: acquirer.url, emit: () => undefined, answerMs: 3000 });
  await ht.boot();
  api = createTillApi({
    runner: ht.terminal.runner,
    onStatus: (cb) => ht.terminal.onStatus(cb),
    store: terminalStore(root),
    wall: ht.online.wall,
    token: TOKEN,
    terminalId: TEST_TERMINAL_ID,
    merchant: { id: TEST_MERCHANT_ID, name: "tappos test shop" },
    currency: 978,
    exponent: ht.exponent,
    currencyLabel: ht.currency,
    maxAmountMinor: 999999999999,
    reversals: { queue: ht.online.auth.authorizer.queue, sender: ht.online.auth.sender },
  });
  server = await startTillServer({
    api,
    host: "127.0.0.1",
    port: 0,
    page: () => gzipSync(Buffer.from(PAGE)),
    keepaliveMs: 200,
    extraRoutes: async (req) => {
      if (req.path !== "/api/sim/tap" || req.method !== "POST") return null;
      const label = ht.field.present((JSON.parse(req.body) as { profile: string }).profile);
      return { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ label }) };
    },
  });
}, T);

afterAll(async () => {
  await server?.close();
  ht?.stop();
  if (!acquirerClosed) await acquirer?.close();
  rmSync(root, { recursive: true, force: true });
});

const H = (extra?: Record<string, string>): Record<string, string> => ({ Authorization: "Bearer " + TOKEN, ...extra });

async function api$(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string; type: string | null }> {
  const res = await fetch(server.url + path, { method, headers: headers ?? H(), body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    json = null;
  }
  return { status: res.status, json, text, type: res.headers.get("content-type") };
}

/** A raw request (no automatic Accept-Encoding, a body sent as given). */
function raw(o: { method: string; path: string; headers?: Record<string, string | number>; body?: Buffer; chunks?: Buffer[] }): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const r = request(server.url + o.path, { method: o.method, headers: o.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on("error", reject);
    });
    r.on("error", (e: NodeJS.ErrnoException) => (e.code === "ECONNRESET" || e.code === "EPIPE" ? undefined : reject(e)));
    if (o.chunks) for (const c of o.chunks) r.write(c);
    r.end(o.body);
  });
}

interface Sse {
  events: { event: string; data: any }[];
  comments: string[];
  until(pred: (e: { event: string; data: any }) => boolean): Promise<{ event: string; data: any }>;
  untilComment(): Promise<void>;
  close(): void;
  ended: Promise<void>;
}

async function openEvents(): Promise<Sse> {
  const ac = new AbortController();
  const res = await fetch(server.url + "/api/events", { headers: H(), signal: ac.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const reader = res.body!.getReader();
  const s: Sse = {
    events: [],
    comments: [],
    until: (pred) =>
      new Promise((resolve) => {
        const check = (): void => {
          const f = s.events.find(pred);
          if (f) resolve(f);
          else waiters.push(check);
        };
        check();
      }),
    untilComment: () =>
      new Promise((resolve) => {
        const check = (): void => (s.comments.length ? resolve() : void waiters.push(check));
        check();
      }),
    close: () => ac.abort(),
    ended: Promise.resolve(),
  };
  let waiters: (() => void)[] = [];
  let buf = "";
  const dec = new TextDecoder();
  s.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += dec.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const frame = buf.substring(0, i);
          buf = buf.substring(i + 2);
          if (frame.startsWith(":")) s.comments.push(frame);
          else {
            const ev = /^event: (.*)$/m.exec(frame)?.[1] ?? "message";
            const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "";
            s.events.push({ event: ev, data: JSON.parse(data) });
          }
        }
        const w = waiters;
        waiters = [];
        for (const f of w) f();
      }
    } catch (e) {
      return; // aborted
    }
  })();
  return s;
}

let keyN = 0;
const key = (): string => "srv-key-" + ++keyN;

async function idle(): Promise<void> {
  while (ht.state() !== "idle") await new Promise((r) => setTimeout(r, 50));
}

describe("the till server", () => {
  it("GET /: the page without a token, gzip when the browser takes it, plain otherwise", async () => {
    const gz = await raw({ method: "GET", path: "/", headers: { "Accept-Encoding": "gzip, deflate" } });
    expect(gz.status).toBe(200);
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(String(gz.headers["content-type"])).toMatch(/^text\/html/);
    const plain = await raw({ method: "GET", path: "/" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString()).toBe(PAGE);
    const f = await fetch(server.url + "/");
    expect(await f.text()).toBe(PAGE);
    expect((await api$("GET", "/nothing-here")).status).toBe(404);
    expect((await api$("GET", "/nothing-here")).json).toEqual({ error: "NOT_FOUND" });
  });

  it("a missing or wrong token: 401 and nothing else on every /api route, the events stream too", async () => {
    const routes: [string, string][] = [
      ["POST", "/api/sales"],
      ["POST", "/api/sales/current/cancel"],
      ["GET", "/api/status"],
      ["GET", "/api/results"],
      ["GET", "/api/reversals"],
      ["GET", "/api/events"],
      ["GET", "/api/totals"],
      ["GET", "/api/sales/x/receipt"],
      ["POST", "/api/sales/x/void"],
      ["POST", "/api/sim/tap"],
      ["GET", "/api/nope"],
    ];
    for (const headers of <Record<string, string>[]>[{}, { Authorization: "Bearer wrong" }, { Authorization: "Bearer " + TOKEN.slice(0, -1) + "X" }, { Authorization: "Bearer " + TOKEN + "0" }, { Authorization: TOKEN }]) {
      for (const [m, p] of routes) {
        const a = await api$(m, p, m === "POST" ? { amountMinor: 100, profile: "applepay-visa" } : undefined, { ...headers, "Idempotency-Key": key() });
        expect(a.status, `${m} ${p} ${JSON.stringify(headers)}`).toBe(401);
        expect(a.text).toBe(UNAUTHORIZED);
      }
    }
    expect(ht.state()).toBe("idle");
    expect(ht.field.current()).toBe(null);
  });

  it("bodies over the limit: 413 when announced and when streamed, nothing started", async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const a = await raw({ method: "POST", path: "/api/sales", headers: { Authorization: "Bearer " + TOKEN, "Idempotency-Key": key(), "Content-Length": big.length }, body: big });
    expect(a.status).toBe(413);
    expect(JSON.parse(a.body.toString())).toEqual({ error: "TOO_LARGE" });
    const chunk = Buffer.alloc(400, 0x20);
    const b = await raw({ method: "POST", path: "/api/sales", headers: { Authorization: "Bearer " + TOKEN, "Idempotency-Key": key(), "Transfer-Encoding": "chunked" }, chunks: [chunk, chunk, chunk, chunk] });
    expect(b.status).toBe(413);
    // Exactly the limit is read (and then validated).
    const c = await api$("POST", "/api/sales", " ".repeat(MAX_BODY_BYTES), H({ "Idempotency-Key": key() }));
    expect(c.status).toBe(400);
    expect(c.json.field).toBe("body");
    expect(ht.state()).toBe("idle");
  });

  it("a whole sale over HTTP: 201, same key 200, another key 409, tap, SSE states in order, results, receipt, totals, void, reversals", async () => {
    const sse = await openEvents();
    const first = await sse.until((e) => e.event === "status");
    expect(first.data).toMatchObject({ state: "idle", message: "Welcome", sale: null, currency: "978", currencyLabel: "EUR", exponent: 2 });
    const k = key();
    const a = await api$("POST", "/api/sales", { amountMinor: 1250 }, H({ "Idempotency-Key": k }));
    expect(a.status).toBe(201);
    expect(a.type).toBe("application/json");
    expect(a.json.sale).toMatchObject({ amountMinor: 1250, currency: "978", state: "presentCard", result: null });
    const id = a.json.sale.id;
    expect((await api$("POST", "/api/sales", { amountMinor: 1250 }, H({ "Idempotency-Key": k }))).json.sale.id).toBe(id);
    expect((await api$("POST", "/api/sales", { amountMinor: 1250 }, H({ "Idempotency-Key": k }))).status).toBe(200);
    const busy = await api$("POST", "/api/sales", { amountMinor: 99 }, H({ "Idempotency-Key": key() }));
    expect(busy.status).toBe(409);
    expect(busy.json).toEqual({ error: "SALE_IN_PROGRESS" });
    const st = await api$("GET", "/api/status");
    expect(st.json).toMatchObject({ state: "presentCard", messageId: "15", message: "Present Card", sale: { id, amountMinor: 1250 } });
    expect((await api$("POST", "/api/sim/tap", { profile: "applepay-visa" })).status).toBe(200);
    const res = await sse.until((e) => e.event === "result");
    expect(res.data).toMatchObject({ id, outcome: "approved", amountMinor: 1250, scheme: "visa", wallet: "Apple Pay", voided: false });
    expect(res.data.maskedPan).toMatch(/^\d{6}\*{6}\d{4}$/);
    await sse.until((e) => e.event === "status" && e.data.state === "idle" && sse.events.indexOf(e) > sse.events.indexOf(res));
    const states = sse.events.filter((e) => e.event === "status").map((e) => e.data.state as string);
    // In the order of the sale, one status per burst (cardReadOk passes within authorising's
    // burst); the locked phone asks to be looked at first ("see phone": field off, then again).
    const seen = states.filter((x, i) => i === 0 || x !== states[i - 1]);
    expect(seen).toEqual(["idle", "presentCard", "reading", "fieldOff", "presentCard", "reading", "authorising", "approved", "idle"]);
    expect(sse.events.find((e) => e.data.state === "fieldOff")!.data.message).toBe("See Phone for Instructions");
    const approvedStatus = sse.events.find((e) => e.event === "status" && e.data.state === "approved")!;
    expect(approvedStatus.data).toMatchObject({ message: "Approved", sale: { id, result: { outcome: "approved" } } });
    // The same key after the sale: the sale, done.
    const again = await api$("POST", "/api/sales", { amountMinor: 1250 }, H({ "Idempotency-Key": k }));
    expect(again.json.sale).toMatchObject({ id, state: "done", result: { outcome: "approved" } });

    const results = await api$("GET", "/api/results");
    expect(results.json.results[0]).toMatchObject({ id, outcome: "approved", authCode: expect.any(String), stan: expect.stringMatching(/^\d{6}$/) });
    const receipt = await api$("GET", `/api/sales/${id}/receipt`);
    expect(receipt.json).toMatchObject({ id, label: "VISA CREDIT", aid: "A0000000031010", cvm: expect.any(String), terminalId: TEST_TERMINAL_ID });
    expect(receipt.json.atc).toMatch(/^[0-9A-F]{4}$/);
    expect(receipt.json.tvr).toMatch(/^[0-9A-F]{10}$/);
    expect(receipt.json.lines).toContain("AMOUNT EUR 12.50");
    const totals = await api$("GET", "/api/totals");
    expect(totals.json.count).toBeGreaterThanOrEqual(1);
    expect(totals.json.schemes.find((s: { scheme: string }) => s.scheme === "visa").sumMinor).toBeGreaterThanOrEqual(1250);
    const before = totals.json.sumMinor;

    const mark = sse.events.length;
    const v = await api$("POST", `/api/sales/${id}/void`);
    expect(v.status).toBe(200);
    expect(v.json.result).toMatchObject({ id, voided: true });
    // Its round over, the stream says nothing is pending (never that it was).
    const after = await sse.until((e) => e.event === "status" && sse.events.indexOf(e) >= mark);
    expect(after.data).toMatchObject({ state: "idle", reversalsPending: 0 });
    expect(sse.events.slice(mark).filter((e) => e.data.reversalsPending !== 0)).toEqual([]);
    expect((await api$("POST", `/api/sales/${id}/void`)).status).toBe(409);
    expect((await api$("GET", "/api/reversals")).json).toEqual({ pending: [] });
    expect((await api$("GET", "/api/totals")).json.sumMinor).toBe(before - 1250);
    sse.close();
    await sse.ended;
  }, T);

  it("cancel while the terminal waits for a card: 200 cancelled; again: 404", async () => {
    await idle();
    const a = await api$("POST", "/api/sales", { amountMinor: 300 }, H({ "Idempotency-Key": key() }));
    expect(a.status).toBe(201);
    const c = await api$("POST", "/api/sales/current/cancel");
    expect(c.status).toBe(200);
    expect(c.json.sale.result).toMatchObject({ outcome: "cancelled" });
    expect((await api$("POST", "/api/sales/current/cancel")).json).toEqual({ error: "NO_SALE" });
    const bad = await api$("POST", "/api/sales", { amountMinor: "3" }, H({ "Idempotency-Key": key() }));
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe("amountMinor");
  }, T);

  it("keepalive comments on the stream; close() ends an open stream and stops listening", async () => {
    const sse = await openEvents();
    await sse.untilComment();
    expect(sse.comments[0]).toBe(": keepalive");
    // A declined sale (test amount ending in .05) before the acquirer goes away.
    await idle();
    const d = await api$("POST", "/api/sales", { amountMinor: 105 }, H({ "Idempotency-Key": key() }));
    await api$("POST", "/api/sim/tap", { profile: "card-visa" });
    const r = await sse.until((e) => e.event === "result" && e.data.id === d.json.sale.id);
    expect(r.data.outcome).toBe("declined");
    expect((await api$("POST", `/api/sales/${d.json.sale.id}/void`)).json).toEqual({ error: "VOID_NOT_ALLOWED", message: "not approved" });
    // An approved one, then the acquirer stops: its void is queued (202).
    await idle();
    const ok = await api$("POST", "/api/sales", { amountMinor: 200 }, H({ "Idempotency-Key": key() }));
    await api$("POST", "/api/sim/tap", { profile: "card-visa" });
    const r2 = await sse.until((e) => e.event === "result" && e.data.id === ok.json.sale.id);
    expect(r2.data.outcome).toBe("approved");
    await idle();
    await ht.online.lastRound();
    await acquirer.close();
    acquirerClosed = true;
    const mark = sse.events.length;
    const v = await api$("POST", `/api/sales/${ok.json.sale.id}/void`);
    expect(v.status).toBe(202);
    expect(v.json.result.voided).toBe(true);
    expect((await sse.until((e) => e.event === "status" && sse.events.indexOf(e) >= mark)).data.reversalsPending).toBe(1);
    const p = await api$("GET", "/api/reversals");
    expect(p.json.pending).toEqual([expect.objectContaining({ amountMinor: 200, currency: "978", reason: "merchant_void" })]);
    expect((await api$("GET", "/api/status")).json.reversalsPending).toBe(1);
    ht.online.auth.stop();
    await server.close();
    await sse.ended;
    await expect(fetch(server.url + "/api/status", { headers: H() })).rejects.toThrow();
  }, T);
});
