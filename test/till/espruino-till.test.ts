// The board's till end to end in the Espruino 2v29 interpreter (64-bit Linux build, real
// sockets): test/board-entries/till-sim.ts (the terminal on the PN532 simulator, the till API,
// src/hal/espruino/till-http.ts) run from Storage, called from Node over loopback: the token
// first (401 and nothing else), the body limit (413), a sale through POST /api/sales with its
// status events read from /api/events until the approved result, the stream cap (503), the
// gzipped page from Storage byte for byte. Skipped, with the reason, only without the interpreter.
import { request } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { buildTillSim, startTillSim, type TillSim } from "../../host/bench/till-memory";
import { titled } from "../build/helpers";

const skip = espruinoSkipReason("espruino");
const TOKEN = "espruino-till-test-token-01";
const AUTH = { Authorization: "Bearer " + TOKEN };
// The built page when there is one; else a small gzipped page of our own.
const built = join(PROJECT_ROOT, "dist/till.html.gz");
const PAGE = existsSync(built) ? readFileSync(built) : gzipSync("<!doctype html><title>till</title><p>" + "tappos ".repeat(900));
let sim: TillSim | null = null;

beforeAll(async () => {
  if (skip !== null) return;
  sim = await startTillSim(await buildTillSim(), { bin: "espruino", page: PAGE, token: TOKEN, keepaliveMs: 300 });
}, 120000);

afterAll(() => sim?.stop());

const base = (): string => (sim as TillSim).base;

/** GET without decompression: status, headers, the raw body bytes. */
function rawGet(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = request(base() + path, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on("error", fail);
    req.end();
  });
}

/** Reads SSE events from a fetch body until `until` says stop; returns them. */
async function readEvents(body: ReadableStream<Uint8Array>, until: (events: { event: string; data: string }[], comments: number) => boolean): Promise<{ events: { event: string; data: string }[]; comments: number }> {
  const reader = body.getReader();
  const dec = new TextDecoder();
  const events: { event: string; data: string }[] = [];
  let comments = 0;
  let buf = "";
  while (!until(events, comments)) {
    const c = await reader.read();
    if (c.done) break;
    buf += dec.decode(c.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (frame.startsWith(":")) comments++;
      else {
        const ev = /^event: (.*)$/m.exec(frame);
        const data = /^data: (.*)$/m.exec(frame);
        events.push({ event: ev ? ev[1] : "message", data: data ? data[1] : "" });
      }
    }
  }
  return { events, comments };
}

describe("the board's till in the Espruino interpreter (till-http over real sockets)", () => {
  it.skipIf(skip !== null)(titled("token first: 401 and nothing else on every /api route, events included", skip), async () => {
    for (const [path, init] of [
      ["/api/status", {}],
      ["/api/status", { headers: { Authorization: "Bearer wrong-token-0123456789ab" } }],
      ["/api/events", { headers: { Authorization: "bearer " + TOKEN } }],
      ["/api/sales", { method: "POST", headers: { "Idempotency-Key": "k-401" }, body: '{"amountMinor":100}' }],
    ] as [string, RequestInit][]) {
      const r = await fetch(base() + path, init);
      expect(r.status, path).toBe(401);
      expect(await r.text()).toBe('{"error":"UNAUTHORIZED"}');
    }
  }, 60000);

  it.skipIf(skip !== null)(titled("a body over 1,024 bytes gets 413 (declared or not), a good one goes through", skip), async () => {
    const big = await fetch(base() + "/api/sales", { method: "POST", headers: { ...AUTH, "Idempotency-Key": "k-big" }, body: JSON.stringify({ amountMinor: 100, pad: "x".repeat(5000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: "TOO_LARGE" });
    const bad = await fetch(base() + "/api/sales", { method: "POST", headers: { ...AUTH, "Idempotency-Key": "k-bad" }, body: '{"amountMinor":"12.50"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe("amountMinor");
  }, 60000);

  it.skipIf(skip !== null)(titled("status, then a sale: 201, its status events on /api/events up to the approved result, kept in /api/results (?limit=n)", skip), async () => {
    const st = await fetch(base() + "/api/status?since=0", { headers: AUTH }); // the query is dropped
    expect(st.status).toBe(200);
    expect(st.headers.get("content-type")).toBe("application/json");
    const status = (await st.json()) as { state: string; currency: string; currencyLabel: string };
    expect(status).toMatchObject({ state: "idle", currency: "978", currencyLabel: "EUR" });

    const ac = new AbortController();
    const ev = await fetch(base() + "/api/events", { headers: AUTH, signal: ac.signal });
    expect(ev.status).toBe(200);
    expect(ev.headers.get("content-type")).toBe("text/event-stream");
    const sale = await fetch(base() + "/api/sales", { method: "POST", headers: { ...AUTH, "Idempotency-Key": "k-sale-1" }, body: '{"amountMinor":1250}' });
    expect(sale.status).toBe(201);
    const s = ((await sale.json()) as { sale: { id: string; amountMinor: number } }).sale;
    expect(s.amountMinor).toBe(1250);
    const got = await readEvents(ev.body as ReadableStream<Uint8Array>, (events) => events.some((e) => e.event === "result"));
    ac.abort();
    expect(got.events[0].event).toBe("status"); // the current status at once
    expect((JSON.parse(got.events[0].data) as { state: string }).state).toBe("idle");
    const states = got.events.filter((e) => e.event === "status").map((e) => (JSON.parse(e.data) as { state: string }).state);
    expect(states).toContain("presentCard");
    const result = JSON.parse(got.events.find((e) => e.event === "result")?.data ?? "{}") as { id: string; outcome: string; maskedPan: string };
    expect(result, JSON.stringify(got.events)).toMatchObject({ id: s.id, outcome: "approved", maskedPan: "476173******0110" });

    const again = await fetch(base() + "/api/sales", { method: "POST", headers: { ...AUTH, "Idempotency-Key": "k-sale-1" }, body: '{"amountMinor":1250}' });
    expect(again.status).toBe(200);
    const results = (await (await fetch(base() + "/api/results", { headers: AUTH })).json()) as { results: { id: string; outcome: string }[] };
    expect(results.results[0]).toMatchObject({ id: s.id, outcome: "approved" });

    // A second sale once the terminal is idle again; the query string reaches the till (?limit=1).
    let second = 409;
    for (let i = 0; i < 100 && second === 409; i++) {
      const r = await fetch(base() + "/api/sales", { method: "POST", headers: { ...AUTH, "Idempotency-Key": "k-sale-2" }, body: '{"amountMinor":700}' });
      second = r.status;
      await r.text();
      if (second === 409) await new Promise((d) => setTimeout(d, 100));
    }
    expect(second).toBe(201);
    let all: { results: { amountMinor: number }[] } = { results: [] };
    for (let i = 0; i < 100 && all.results.length < 2; i++) {
      await new Promise((d) => setTimeout(d, 100));
      all = (await (await fetch(base() + "/api/results", { headers: AUTH })).json()) as typeof all;
    }
    expect(all.results.map((r) => r.amountMinor)).toEqual([700, 1250]);
    const one = (await (await fetch(base() + "/api/results?limit=1", { headers: AUTH })).json()) as typeof all;
    expect(one.results.map((r) => r.amountMinor)).toEqual([700]);
    expect((sim as TillSim).output()).not.toMatch(/[0-9]{13,19}/); // no clear PAN printed
  }, 60000);

  it.skipIf(skip !== null)(titled("two event streams at most (503 for a third), keepalive comments, a closed stream frees its place", skip), async () => {
    // A stream closed by an earlier test frees its place once the interpreter sees the close.
    const open = async (c: AbortController): Promise<Response> => {
      for (let i = 0; ; i++) {
        const r = await fetch(base() + "/api/events", { headers: AUTH, signal: c.signal });
        if (r.status !== 503 || i >= 50) return r;
        await r.text();
        await new Promise((d) => setTimeout(d, 100));
      }
    };
    const a = new AbortController();
    const b = new AbortController();
    const one = await open(a);
    const two = await open(b);
    expect([one.status, two.status]).toEqual([200, 200]);
    const three = await fetch(base() + "/api/events", { headers: AUTH });
    expect(three.status).toBe(503);
    expect(((await three.json()) as { error: string }).error).toBe("TOO_MANY_STREAMS");
    const ka = await readEvents(one.body as ReadableStream<Uint8Array>, (_e, comments) => comments >= 1);
    expect(ka.comments).toBeGreaterThanOrEqual(1);
    a.abort();
    // The interpreter sees the close when its next write or read fails: ask until it has.
    let status = 503;
    for (let i = 0; i < 50 && status === 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const c = new AbortController();
      const r = await fetch(base() + "/api/events", { headers: AUTH, signal: c.signal });
      status = r.status;
      c.abort();
    }
    expect(status).toBe(200);
    b.abort();
  }, 60000);

  it.skipIf(skip !== null)(titled("GET / is the gzipped page from Storage, byte for byte, without a token; other paths 404", skip), async () => {
    const r = await rawGet("/");
    expect(r.status).toBe(200);
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(Number(r.headers["content-length"])).toBe(PAGE.length);
    expect(r.body.equals(PAGE)).toBe(true);
    const page = await fetch(base() + "/");
    expect(await page.text()).toBe(gunzipSync(PAGE).toString("utf8"));
    const nf = await fetch(base() + "/favicon.ico");
    expect(nf.status).toBe(404);
    expect(await nf.text()).toBe('{"error":"NOT_FOUND"}');
  }, 60000);

  it.skipIf(skip !== null)(titled("the interpreter reported no error", skip), () => {
    expect((sim as TillSim).output()).not.toMatch(/Uncaught|ASSERT|MEMORY|Headers have already been sent/);
  }, 60000);
});
