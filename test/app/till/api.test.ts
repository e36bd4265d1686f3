/**
 * The till API (src/app/till, docs/till-api.md) over the real runner, Authorizer, reversal
 * queue and sender: every route, the token, bodies, idempotency keys, one sale at a time,
 * cancel in each state, results history, receipts, void, totals, events.
 */
import { describe, expect, it } from "vitest";
import { UNAUTHORIZED } from "../../../src/app/till";
import { CFG, OUTCOMES, PAN } from "../fixtures";
import { MemoryStore, settle, WALL_MS } from "../ports";
import { AUTH, call, finishSale, newKey, readCard, sale, startSale, TOKEN, tillRig, type TillRig } from "./rig";

const ROUTES: [string, string][] = [
  ["POST", "/api/sales"],
  ["POST", "/api/sales/current/cancel"],
  ["GET", "/api/status"],
  ["GET", "/api/results"],
  ["GET", "/api/reversals"],
  ["GET", "/api/totals"],
  ["GET", "/api/sales/abc/receipt"],
  ["POST", "/api/sales/abc/void"],
  ["GET", "/api/nowhere"],
];

const BAD_AUTH: [string, { [k: string]: string }][] = [
  ["no header", {}],
  ["empty", { authorization: "" }],
  ["token alone", { authorization: TOKEN }],
  ["lower-case scheme", { authorization: "bearer " + TOKEN }],
  ["one character more", { authorization: "Bearer " + TOKEN + "x" }],
  ["one character less", { authorization: "Bearer " + TOKEN.slice(0, -1) }],
  ["last character wrong", { authorization: "Bearer " + TOKEN.slice(0, -1) + "0" }],
  ["Basic", { authorization: "Basic " + Buffer.from("a:" + TOKEN).toString("base64") }],
];

async function ackReversal(t: TillRig, reversed = true): Promise<void> {
  await settle();
  const s = t.acquirer.sent[t.acquirer.sent.length - 1];
  expect(s.path).toBe("/v1/reversals");
  const id = (s.body as { clientTransactionId: string }).clientTransactionId;
  s.answer.resolve({ status: 200, headers: {}, body: JSON.stringify({ clientTransactionId: id, reversed }) });
  await settle();
  await settle();
}

async function unreachable(t: TillRig): Promise<void> {
  await settle();
  const s = t.acquirer.sent[t.acquirer.sent.length - 1];
  expect(s.path).toBe("/v1/reversals");
  s.answer.reject(Object.assign(new Error("HTTP_CONNECT: refused"), { code: "HTTP_CONNECT", sent: false }));
  await settle();
  await settle();
}

describe("token", () => {
  for (const [name, headers] of BAD_AUTH) {
    it(`${name}: 401 and nothing else on every route, nothing done`, async () => {
      const t = tillRig();
      for (const [method, path] of ROUTES) {
        const a = await call(t.api, method, path, { amountMinor: 100 }, { ...headers, "idempotency-key": "k1" });
        expect(a.status, method + " " + path).toBe(401);
        expect(a.body).toBe(UNAUTHORIZED);
        expect(t.api.authorized(headers)).toBe(false);
      }
      expect(t.runner.state.kind).toBe("idle");
      expect(t.statuses).toEqual([]);
    });
  }

  it("an empty configured token refuses everything, even an empty bearer", async () => {
    const t = tillRig();
    expect(t.api.authorized(AUTH)).toBe(true);
    const { createTillApi } = await import("../../../src/app/till");
    const none = createTillApi({ ...baseDeps(t), token: "" });
    expect(none.authorized({ authorization: "Bearer " })).toBe(false);
    expect((await call(none, "GET", "/api/status", undefined, { authorization: "Bearer " })).status).toBe(401);
  });
});

function baseDeps(t: TillRig) {
  return {
    runner: t.runner,
    onStatus: () => undefined,
    store: t.store,
    wall: { unixMs: () => t.wall.ms },
    token: TOKEN,
    terminalId: "TAPPOS01",
    merchant: { id: "MERCHANT0001" },
    currency: 978,
    exponent: 2,
    currencyLabel: "EUR",
    maxAmountMinor: CFG.maxAmountMinor,
    reversals: null,
  };
}

describe("routes", () => {
  it("unknown paths and wrong methods: 404 NOT_FOUND", async () => {
    const t = tillRig();
    for (const [m, p] of [["GET", "/api/sales"], ["DELETE", "/api/status"], ["POST", "/api/status"], ["GET", "/api/sales/current/cancel"], ["GET", "/api/sales/x/void"], ["POST", "/api/sales/x/receipt"], ["GET", "/api/sales//receipt"], ["GET", "/api/sales/a.b/receipt"], ["GET", "/apix"]]) {
      const a = await call(t.api, m, p);
      expect(a.status, m + " " + p).toBe(404);
      expect(a.json).toEqual({ error: "NOT_FOUND" });
    }
  });

  it("a query string is ignored; a body over MAX_BODY_BYTES is 413", async () => {
    const t = tillRig();
    expect((await call(t.api, "GET", "/api/status?x=1")).status).toBe(200);
    const a = await call(t.api, "POST", "/api/sales", "x".repeat(1025), { ...AUTH, "idempotency-key": "k" });
    expect(a.status).toBe(413);
    expect(a.json.error).toBe("TOO_LARGE");
  });

  it("GET /api/status: idle, Welcome, no sale, currency", async () => {
    const t = tillRig();
    const a = await call(t.api, "GET", "/api/status");
    expect(a.status).toBe(200);
    expect(a.headers["Content-Type"]).toBe("application/json");
    expect(a.json).toEqual({ state: "idle", messageId: "14", message: "Welcome", sale: null, reversalsPending: 0, online: true, currency: "978", exponent: 2, currencyLabel: "EUR" });
  });
});

describe("POST /api/sales: bodies and keys", () => {
  const BODIES: [string, string, string][] = [
    ["not JSON", "{amountMinor:1}", "body"],
    ["empty", "", "body"],
    ["null", "null", "body"],
    ["array", "[1250]", "body"],
    ["number", "1250", "body"],
    ["string", '"1250"', "body"],
    ["missing amount", "{}", "amountMinor"],
    ["amount as string", '{"amountMinor":"1250"}', "amountMinor"],
    ["zero", '{"amountMinor":0}', "amountMinor"],
    ["negative", '{"amountMinor":-5}', "amountMinor"],
    ["fraction", '{"amountMinor":12.5}', "amountMinor"],
    ["over n12", '{"amountMinor":1000000000000}', "amountMinor"],
    ["null amount", '{"amountMinor":null}', "amountMinor"],
    ["unknown field", '{"amountMinor":100,"currency":"978"}', "currency"],
    ["unknown field first", '{"tip":1,"amountMinor":100}', "tip"],
  ];
  for (const [name, body, field] of BODIES) {
    it(`${name}: 400 naming ${field}, no sale`, async () => {
      const t = tillRig();
      const a = await call(t.api, "POST", "/api/sales", body, { ...AUTH, "idempotency-key": "k1" });
      expect(a.status).toBe(400);
      expect(a.json.error).toBe("BAD_REQUEST");
      expect(a.json.field).toBe(field);
      expect(t.runner.state.kind).toBe("idle");
    });
  }

  const KEYS: [string, string | undefined][] = [
    ["missing", undefined],
    ["empty", ""],
    ["65 characters", "k".repeat(65)],
    ["a space", "a b"],
    ["a slash", "a/b"],
    ["non-ASCII", "clé"],
  ];
  for (const [name, key] of KEYS) {
    it(`Idempotency-Key ${name}: 400 naming Idempotency-Key`, async () => {
      const t = tillRig();
      const h: { [k: string]: string } = { ...AUTH };
      if (key !== undefined) h["idempotency-key"] = key;
      const a = await call(t.api, "POST", "/api/sales", { amountMinor: 100 }, h);
      expect(a.status).toBe(400);
      expect(a.json.field).toBe("Idempotency-Key");
      expect(t.runner.state.kind).toBe("idle");
    });
  }

  it("64 characters of A-Za-z0-9_- is a key", async () => {
    const t = tillRig();
    const a = await startSale(t, 100, "aZ09_-".repeat(10) + "abcd");
    expect(a.status).toBe(201);
  });
});

describe("one sale at a time, idempotency", () => {
  it("201 with the sale; the same key again: 200 and the same sale; a new key while it runs: 409", async () => {
    const t = tillRig();
    const a = await startSale(t, 1250, "till-1");
    expect(a.status).toBe(201);
    expect(a.json.sale).toMatchObject({ amountMinor: 1250, currency: "978", state: "presentCard", result: null });
    const id = a.json.sale.id;
    expect(id).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    const again = await startSale(t, 1250, "till-1");
    expect(again.status).toBe(200);
    expect(again.json.sale.id).toBe(id);
    const other = await startSale(t, 999, "till-2");
    expect(other.status).toBe(409);
    expect(other.json).toEqual({ error: "SALE_IN_PROGRESS" });
    expect(t.runner.state.sale?.amountMinor).toBe(1250);
    // Even a different body under the same key answers the sale it names.
    expect((await startSale(t, 5, "till-1")).json.sale.id).toBe(id);
  });

  it("after the sale, the same key answers it done with its result; a new key starts a new one while the result is shown", async () => {
    const t = tillRig();
    const a = await startSale(t, 1250, "k-done");
    await finishSale(t, true);
    expect(t.runner.state.kind).toBe("approved");
    const b = await startSale(t, 300, "k-next");
    expect(b.status).toBe(201);
    const again = await startSale(t, 1250, "k-done");
    expect(again.status).toBe(200);
    expect(again.json.sale).toMatchObject({ id: a.json.sale.id, state: "done", result: { outcome: "approved", amountMinor: 1250, maskedPan: "476173******0010", scheme: "visa", wallet: "Apple Pay", authCode: "A1B2C3" } });
  });

  it("refused by the terminal at once (no clock): 409 with its code, the key may be used again", async () => {
    const t = tillRig({ clockValid: false });
    const a = await startSale(t, 100, "k-r");
    expect(a.status).toBe(409);
    expect(a.json.error).toBe("AUTH_NO_CLOCK");
    t.wall.ms = WALL_MS;
    t.clock.advance(CFG.resultMs);
    const b = await startSale(t, 100, "k-r");
    expect(b.status).toBe(201);
  });

  it("reversal queue full: 409 AUTH_REVERSAL_QUEUE_FULL", async () => {
    const t = tillRig();
    for (let i = 0; i < 8; i++) t.authorizer.queue.add({ terminalId: "TAPPOS01", clientTransactionId: i + "f".repeat(31), stan: "00000" + i, amountMinor: 1, currency: "978", reason: "no_answer", time: "2026-12-06T20:00:00Z" });
    const a = await startSale(t, 100);
    expect(a.status).toBe(409);
    expect(a.json.error).toBe("AUTH_REVERSAL_QUEUE_FULL");
    expect((await call(t.api, "GET", "/api/status")).json.reversalsPending).toBe(8);
  });
});

describe("POST /api/sales/current/cancel in each state", () => {
  it("idle: 404 NO_SALE", async () => {
    const t = tillRig();
    expect((await call(t.api, "POST", "/api/sales/current/cancel")).json).toEqual({ error: "NO_SALE" });
  });

  it("presentCard: 200, the sale cancelled, in the results", async () => {
    const t = tillRig();
    const s = await startSale(t, 700);
    const a = await call(t.api, "POST", "/api/sales/current/cancel");
    expect(a.status).toBe(200);
    expect(a.json.sale).toMatchObject({ id: s.json.sale.id, state: "done", result: { outcome: "cancelled", reason: "CANCELLED" } });
    expect(t.runner.state.kind).toBe("idle");
    expect((await call(t.api, "GET", "/api/results")).json.results[0]).toMatchObject({ id: s.json.sale.id, outcome: "cancelled" });
  });

  it("reading: 409 CANCEL_REFUSED, the read goes on", async () => {
    const t = tillRig();
    await startSale(t, 700);
    t.reader.present();
    expect(t.runner.state.kind).toBe("reading");
    const a = await call(t.api, "POST", "/api/sales/current/cancel");
    expect(a.status).toBe(409);
    expect(a.json.error).toBe("CANCEL_REFUSED");
    expect(t.runner.state.kind).toBe("reading");
  });

  it("fieldOff (See Phone): 200 cancelled", async () => {
    const t = tillRig();
    await startSale(t, 700);
    t.reader.present();
    t.reader.answer(OUTCOMES.seePhone());
    await settle();
    expect(t.runner.state.kind).toBe("fieldOff");
    const a = await call(t.api, "POST", "/api/sales/current/cancel");
    expect(a.status).toBe(200);
    expect(a.json.sale.result.outcome).toBe("cancelled");
  });

  it("authorising: 200 cancelled, the request in flight queued for reversal", async () => {
    const t = tillRig();
    await startSale(t, 700);
    await readCard(t);
    expect(t.runner.state.kind).toBe("authorising");
    const a = await call(t.api, "POST", "/api/sales/current/cancel");
    expect(a.status).toBe(200);
    expect(a.json.sale.result).toMatchObject({ outcome: "cancelled", maskedPan: "476173******0010" });
    const rv = await call(t.api, "GET", "/api/reversals");
    expect(rv.json.pending).toHaveLength(1);
    expect(rv.json.pending[0]).toMatchObject({ amountMinor: 700, currency: "978", reason: "cancelled" });
  });

  it("result on display: 404 NO_SALE (nothing left to cancel)", async () => {
    const t = tillRig();
    await startSale(t, 700);
    await finishSale(t, true);
    expect(t.runner.state.kind).toBe("approved");
    expect((await call(t.api, "POST", "/api/sales/current/cancel")).status).toBe(404);
  });
});

describe("results", () => {
  it("newest first, masked, no clear PAN anywhere; Storage holds the last 50 only", async () => {
    const store = new MemoryStore();
    const t = tillRig({ store });
    const ids: string[] = [];
    for (let i = 1; i <= 53; i++) {
      const s = await startSale(t, i);
      ids.push(s.json.sale.id);
      await call(t.api, "POST", "/api/sales/current/cancel");
    }
    const a = await call(t.api, "GET", "/api/results");
    expect(a.json.results).toHaveLength(50);
    expect(a.json.results.map((r: { id: string }) => r.id)).toEqual(ids.slice(3).reverse());
    expect(new Set(ids).size).toBe(53);
    const five = await call(t.api, "GET", "/api/results?limit=5");
    expect(five.json.results.map((r: { id: string }) => r.id)).toEqual(ids.slice(48).reverse());
    for (const q of ["?limit=0", "?limit=x", "?limit=-3", "?x=1"]) expect((await call(t.api, "GET", "/api/results" + q)).json.results).toHaveLength(50);
    expect(Object.keys(store.files).filter((n) => n.startsWith("tph")).length).toBe(51); // 50 slots + the count
    // A new API over the same Storage (a reboot) reads them back.
    const t2 = tillRig({ store });
    expect((await call(t2.api, "GET", "/api/results")).json.results[0].id).toBe(ids[52]);
  });

  it("an approved sale: every field of Result", async () => {
    const t = tillRig();
    const id = await sale(t, 1250);
    const a = await call(t.api, "GET", "/api/results");
    expect(a.json.results).toEqual([
      { id, time: "2026-12-06T21:00:00Z", amountMinor: 1250, currency: "978", outcome: "approved", reason: "approved", maskedPan: "476173******0010", scheme: "visa", wallet: "Apple Pay", authCode: "A1B2C3", stan: "000001", voided: false },
    ]);
    expect(JSON.stringify(t.store.files)).not.toContain(PAN);
  });
});

describe("power cut", () => {
  it("a sale cut while authorising is listed after the restart, once, as reversed", async () => {
    const store = new MemoryStore();
    const t = tillRig({ store });
    await startSale(t, 640);
    await readCard(t);
    expect(t.runner.state.kind).toBe("authorising");
    // Power cut: RAM gone; the terminal boots on the same Storage, then the till starts.
    const after = tillRig({ store, boot: true });
    const r = (await call(after.api, "GET", "/api/results")).json.results;
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ outcome: "notAuthorised", reason: "POWER_CUT_REVERSED", amountMinor: 640, maskedPan: "476173******0010", time: "2026-12-06T21:00:00Z" });
    expect((await call(after.api, "GET", "/api/reversals")).json.pending).toHaveLength(1);
    // Another till over the same terminal (or a second start) does not list it twice.
    const again = tillRig({ store, boot: true });
    expect((await call(again.api, "GET", "/api/results")).json.results).toHaveLength(1);
  });

  it("a retry after the restart with the sale's Idempotency-Key: 200, the same sale with its stored result; a new key: a new sale", async () => {
    const store = new MemoryStore();
    const t = tillRig({ store });
    const a = await startSale(t, 640, "till-pc-1");
    expect(a.status).toBe(201);
    const id = a.json.sale.id;
    await readCard(t);
    expect(t.runner.state.kind).toBe("authorising");
    // Power cut: RAM gone; the terminal boots on the same Storage, the till retries its POST.
    const after = tillRig({ store, boot: true });
    const again = await startSale(after, 640, "till-pc-1");
    expect(again.status).toBe(200);
    expect(again.json.sale).toMatchObject({ id, amountMinor: 640, state: "done", result: { id, outcome: "notAuthorised", reason: "POWER_CUT_REVERSED", amountMinor: 640 } });
    expect(after.runner.state.kind).toBe("idle");
    expect(after.acquirer.sent.filter((r) => r.path === "/v1/authorizations")).toHaveLength(0);
    const fresh = await startSale(after, 700, "till-pc-2");
    expect(fresh.status).toBe(201);
    expect(fresh.json.sale.id).not.toBe(id);
    expect(after.runner.state.sale?.amountMinor).toBe(700);
  });

  it("a finished sale's key still answers it after a reboot; old Storage without the key file loads", async () => {
    const store = new MemoryStore();
    const t = tillRig({ store });
    const a = await startSale(t, 1250, "till-done");
    await finishSale(t, true);
    t.clock.advance(CFG.resultMs);
    const id = a.json.sale.id;
    const after = tillRig({ store });
    const again = await startSale(after, 1250, "till-done");
    expect(again.status).toBe(200);
    expect(again.json.sale).toMatchObject({ id, state: "done", result: { id, outcome: "approved", authCode: "A1B2C3" } });
    // Storage from before the keys were kept (or a torn write): the history loads, keys start afresh.
    store.erase("tpkeys");
    const old = tillRig({ store });
    expect((await call(old.api, "GET", "/api/results")).json.results[0].id).toBe(id);
    store.write("tpkeys", '[{"key":"x"');
    const torn = tillRig({ store });
    expect((await startSale(torn, 300, "till-done")).status).toBe(201);
  });
});

describe("receipts", () => {
  it("approved Apple Pay sale: label, AID, masked PAN, auth code, ATC, TVR, verified by device", async () => {
    const t = tillRig();
    const id = await sale(t, 1250);
    const a = await call(t.api, "GET", `/api/sales/${id}/receipt`);
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ id, time: "2026-12-06T21:00:00Z", merchant: { id: "MERCHANT0001", name: "Cafe Test" }, terminalId: "TAPPOS01", amountMinor: 1250, currency: "978", maskedPan: "476173******0010", label: "VISA CREDIT", aid: "A0000000031010", authCode: "A1B2C3", atc: "0001", tvr: "0000000000", cvm: "verified by device", outcome: "approved", voided: false });
    expect(a.json.lines).toEqual([
      "Cafe Test",
      "MERCHANT MERCHANT0001",
      "TERMINAL TAPPOS01",
      "2026-12-06 21:00:00 UTC",
      "SALE",
      "VISA CREDIT",
      "AID A0000000031010",
      "476173******0010",
      "AMOUNT EUR 12.50",
      "APPROVED",
      "AUTH CODE A1B2C3",
      "STAN 000001",
      "ATC 0001",
      "TVR 0000000000",
      "VERIFIED BY DEVICE",
    ]);
    expect(a.body).not.toContain(PAN);
  });

  it("no CVM: 'no signature required'; declined by the acquirer: DECLINED", async () => {
    const t = tillRig();
    const s = await startSale(t, 400);
    await finishSale(t, false, OUTCOMES.online());
    const a = await call(t.api, "GET", `/api/sales/${s.json.sale.id}/receipt`);
    expect(a.json.cvm).toBe("no signature required");
    expect(a.json.label).toBe(null);
    expect(a.json.lines).toContain("DECLINED declined");
  });

  it("unknown id: 404 NOT_FOUND", async () => {
    const t = tillRig();
    expect((await call(t.api, "GET", "/api/sales/nope/receipt")).json).toEqual({ error: "NOT_FOUND" });
  });
});

describe("void", () => {
  it("approved today: the acquirer's reversal route with merchant_void, 200 voided; twice: 409", async () => {
    const t = tillRig();
    const id = await sale(t, 1250);
    const p = call(t.api, "POST", `/api/sales/${id}/void`);
    await settle();
    const sent = t.acquirer.sent[t.acquirer.sent.length - 1];
    expect(sent.method).toBe("POST");
    expect(sent.body).toMatchObject({ terminalId: "TAPPOS01", stan: "000001", amountMinor: 1250, currency: "978", reason: "merchant_void", time: "2026-12-06T21:00:00Z" });
    await ackReversal(t);
    const a = await p;
    expect(a.status).toBe(200);
    expect(a.json.result).toMatchObject({ id, outcome: "approved", voided: true });
    expect((await call(t.api, "GET", "/api/reversals")).json.pending).toEqual([]);
    expect((await call(t.api, "GET", "/api/results")).json.results[0].voided).toBe(true);
    expect((await call(t.api, "GET", `/api/sales/${id}/receipt`)).json.lines).toContain("VOIDED");
    const twice = await call(t.api, "POST", `/api/sales/${id}/void`);
    expect(twice.status).toBe(409);
    expect(twice.json).toEqual({ error: "VOID_NOT_ALLOWED", message: "already voided" });
  });

  it("acquirer unreachable: 202, the reversal stays queued (listed), the sale counts as voided", async () => {
    const t = tillRig();
    const id = await sale(t, 900);
    const p = call(t.api, "POST", `/api/sales/${id}/void`);
    await unreachable(t);
    const a = await p;
    expect(a.status).toBe(202);
    expect(a.json.result.voided).toBe(true);
    const rv = await call(t.api, "GET", "/api/reversals");
    expect(rv.json.pending).toEqual([{ terminalId: "TAPPOS01", stan: "000001", clientTransactionId: expect.any(String), amountMinor: 900, currency: "978", reason: "merchant_void", time: "2026-12-06T21:00:00Z" }]);
    expect((await call(t.api, "GET", "/api/status")).json.reversalsPending).toBe(1);
    expect((await call(t.api, "POST", `/api/sales/${id}/void`)).status).toBe(409);
    t.sender.stop();
  });

  it("refused: declined, cancelled, not today, a sale running, unknown", async () => {
    const t = tillRig();
    const declined = await sale(t, 100, false);
    const s = await startSale(t, 100);
    await call(t.api, "POST", "/api/sales/current/cancel");
    const old = await sale(t, 200);
    const ok = await sale(t, 300);
    const no = async (id: string, message: string) => {
      const a = await call(t.api, "POST", `/api/sales/${id}/void`);
      expect(a.status, id).toBe(409);
      expect(a.json).toEqual({ error: "VOID_NOT_ALLOWED", message });
    };
    await no(declined, "not approved");
    await no(s.json.sale.id, "not approved");
    await startSale(t, 50);
    await no(ok, "a sale is running");
    await call(t.api, "POST", "/api/sales/current/cancel");
    t.wall.ms = WALL_MS + 86400000;
    await no(old, "not today");
    expect((await call(t.api, "POST", "/api/sales/zzz/void")).status).toBe(404);
    expect(t.acquirer.sent.filter((x) => x.path === "/v1/reversals")).toEqual([]);
  });
});

describe("totals", () => {
  it("a busy day: every approved sale counts, not only the 50 results kept", async () => {
    const t = tillRig();
    for (let i = 1; i <= 55; i++) await sale(t, 100);
    expect((await call(t.api, "GET", "/api/results")).json.results).toHaveLength(50);
    expect((await call(t.api, "GET", "/api/totals")).json).toMatchObject({ count: 55, sumMinor: 5500, schemes: [{ scheme: "visa", count: 55, sumMinor: 5500 }] });
  });


  it("today's approved, not voided, per scheme", async () => {
    const t = tillRig();
    await sale(t, 1000);
    await sale(t, 250);
    await sale(t, 777, false);
    const v = await sale(t, 5000);
    const p = call(t.api, "POST", `/api/sales/${v}/void`);
    await ackReversal(t);
    expect((await p).status).toBe(200);
    const mc = await startSale(t, 40);
    const o = OUTCOMES.online();
    o.record!.aid = "A0000000041010";
    o.aid = "A0000000041010";
    await finishSale(t, true, o);
    expect(mc.status).toBe(201);
    const a = await call(t.api, "GET", "/api/totals");
    expect(a.json).toEqual({ date: "2026-12-06", currency: "978", count: 3, sumMinor: 1290, schemes: [{ scheme: "visa", count: 2, sumMinor: 1250 }, { scheme: "mastercard", count: 1, sumMinor: 40 }] });
    t.wall.ms = WALL_MS + 86400000;
    expect((await call(t.api, "GET", "/api/totals")).json).toEqual({ date: "2026-12-07", currency: "978", count: 0, sumMinor: 0, schemes: [] });
  });
});

describe("events", () => {
  it("a status on every state change and the result, in order, through a sale", async () => {
    const t = tillRig();
    await sale(t, 1250);
    // One status per burst of states (amountEntered→presentCard, cardReadOk→authorising are one each).
    const order = t.events.map((e) => e.event + ":" + ((e.data as { state?: string; outcome?: string }).state ?? (e.data as { outcome: string }).outcome));
    expect(order).toEqual(["status:presentCard", "status:reading", "status:authorising", "result:approved", "status:approved", "status:idle"]);
    const results = t.events.filter((e) => e.event === "result");
    expect(results).toHaveLength(1);
    expect(results[0].data).toMatchObject({ outcome: "approved", amountMinor: 1250 });
    const shown = t.events.find((e) => (e.data as { state: string }).state === "presentCard")!.data as { message: string; messageId: string; sale: { amountMinor: number } };
    expect(shown).toMatchObject({ message: "Present Card", messageId: "15", sale: { amountMinor: 1250, result: null } });
  });

  const pending = (t: TillRig) => t.events.map((e) => e.event + ":" + (e.data as { reversalsPending?: number }).reversalsPending);

  it("a void acknowledged: one status once its round ends, nothing pending", async () => {
    const t = tillRig();
    const id = await sale(t, 1250);
    t.events.length = 0;
    const p = call(t.api, "POST", `/api/sales/${id}/void`);
    await settle();
    expect(t.events).toEqual([]);
    await ackReversal(t);
    expect(pending(t)).toEqual(["status:0"]);
    expect((await p).status).toBe(200);
    expect(t.events[0].data).toMatchObject({ state: "idle", reversalsPending: 0 });
  });

  it("a void queued (acquirer unreachable): a status with it pending at the round's end; the back-off round that delivers it: a status with none", async () => {
    const t = tillRig();
    const id = await sale(t, 900);
    t.events.length = 0;
    const p = call(t.api, "POST", `/api/sales/${id}/void`);
    await unreachable(t);
    expect(pending(t)).toEqual(["status:1"]);
    expect((await p).status).toBe(202);
    // The sender's back-off timer (5 s here): unreachable again, the count unchanged: no status.
    t.clock.advance(5000);
    await unreachable(t);
    expect(pending(t)).toEqual(["status:1"]);
    t.clock.advance(10000);
    await ackReversal(t);
    expect(pending(t)).toEqual(["status:1", "status:0"]);
    expect((await call(t.api, "GET", "/api/reversals")).json.pending).toEqual([]);
    t.sender.stop();
  });

  it("a cancel's reversal: pending in the sale's statuses, none once a round delivers it; a round with nothing to send: no status", async () => {
    const t = tillRig();
    await startSale(t, 700);
    await readCard(t);
    await call(t.api, "POST", "/api/sales/current/cancel");
    await settle();
    const last = t.events[t.events.length - 1];
    expect(last.data).toMatchObject({ reversalsPending: 1, sale: { result: { outcome: "cancelled" } } });
    t.events.length = 0;
    const round = t.sender.flush();
    await ackReversal(t);
    await round;
    await settle();
    expect(pending(t)).toEqual(["status:0"]);
    await t.sender.flush();
    await settle();
    expect(pending(t)).toEqual(["status:0"]);
  });

  it("unsubscribe stops them", async () => {
    const t = tillRig();
    const got: string[] = [];
    const off = t.api.subscribe((e) => got.push(e));
    await startSale(t, 5);
    const n = got.length;
    expect(n).toBeGreaterThan(0);
    off();
    await call(t.api, "POST", "/api/sales/current/cancel");
    expect(got.length).toBe(n);
  });
});

it("the sale id is new for every sale", async () => {
  const t = tillRig();
  const a = await startSale(t, 1);
  await call(t.api, "POST", "/api/sales/current/cancel");
  const b = await startSale(t, 1, newKey());
  expect(a.json.sale.id).not.toBe(b.json.sale.id);
});
