/**
 * The terminal's online side (src/auth) against the reference acquirer (host/acquirer) over
 * real loopback sockets, with real card records (virtual cards through the PN532 simulator
 * and the kernels, real ARQCs): approve, decline, wrong key, timeout → reversal persisted →
 * restart → delivered once, answer lost after approval → reversal cancels it, duplicate
 * sends → one authorization, HTTP 500, power loss in flight.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseTlv, tagHex } from "../../src/emv/tlv";
import { requestBody, buildAuthRequest } from "../../src/auth/request";
import { fromHex } from "../../src/bytes/hex";
import { startTestAcquirer, tapSale, tempDir, terminal, removeTempDirs, until, type Acquirer } from "./acquirer-rig";

let acq: Acquirer | null = null;
afterEach(async () => {
  if (acq) await acq.close();
  acq = null;
});
afterAll(removeTempDirs);

const queueFiles = (stateDir: string) => readdirSync(join(stateDir, "terminal")).filter((n) => n.startsWith("tprv"));

describe("online authorization against the reference acquirer", () => {
  it("approves a Visa card: signed request, DE 55 without card data, masked copy for printing", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    const sale = await tapSale("card-visa", 1250, state);
    const r = await t.authorize(sale);
    expect(r.outcome).toBe("approved");
    expect(r.responseCode).toBe("00");
    expect(r.authCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(r.arpc).toMatch(/^[0-9A-F]+$/);
    expect(r.stan).toBe("000001");
    expect(r.clientTransactionId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.reversal).toBeNull();
    expect(r.request!.pan).toBe("476173******0010");
    expect(r.request!.track2).not.toContain("9001010");
    const tags = parseTlv(fromHex(r.request!.iccData)).map((n: { tag: number }) => tagHex(n.tag));
    for (const card of ["56", "57", "5A", "5F20", "5F24", "9F0B", "9F6B"]) expect(tags).not.toContain(card);
    for (const must of ["9F26", "9F36", "9F10", "9F37", "82", "9F02", "5F2A"]) expect(tags).toContain(must);
    expect(acq.store.countAuthorizations()).toBe(1);
    expect(queueFiles(state)).toEqual([]);
    expect(existsSync(join(state, "terminal", "tppending"))).toBe(false);
    // The next tap of the same card spends a new ATC: approved again, not an ATC replay.
    const again = await t.authorize(await tapSale("card-visa", 1250, state));
    expect(again.outcome).toBe("approved");
    expect(again.stan).toBe("000002");
    t.stop();
  });

  it("reports declines with the acquirer's code (.51, .05) and writes no reversal", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    const a = await t.authorize(await tapSale("googlepay-mastercard", 1251, state));
    expect([a.outcome, a.responseCode, a.message]).toEqual(["declined", "51", "insufficient funds"]);
    const b = await t.authorize(await tapSale("quickpass-unionpay", 2005, state));
    expect([b.outcome, b.responseCode]).toEqual(["declined", "05"]);
    expect(a.reversal).toBeNull();
    expect(queueFiles(state)).toEqual([]);
    t.stop();
  });

  it("signs with a wrong key: 401 bad_signature reported, nothing authorised, nothing to reverse", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state, { key: new Uint8Array(32).fill(0x55) });
    const r = await t.authorize(await tapSale("card-visa", 1250, state));
    expect(r.outcome).toBe("not_authorised");
    expect(r.reason).toBe("bad_signature");
    expect(r.httpStatus).toBe(401);
    expect(r.reversal).toBeNull();
    expect(acq.store.countAuthorizations()).toBe(0);
    expect(queueFiles(state)).toEqual([]);
    const u = terminal(acq.url, state, { keyId: "no-such-key" });
    expect((await u.authorize(await tapSale("card-visa", 1250, state))).reason).toBe("unknown_key");
    t.stop();
    u.stop();
  });

  it("times out (.91), persists the reversal before the outcome, and a restarted terminal delivers it exactly once", async () => {
    acq = await startTestAcquirer({ holdMs: 3000 });
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state, { timeouts: { connectMs: 1000, sendMs: 1000, answerMs: 400 } });
    const sale = await tapSale("card-visa", 1291, state);
    // The authorizer alone: no delivery round after it (the terminal "loses power" here).
    const r = await t.authorizer.authorize(sale, Date.now());
    expect(r.outcome).toBe("not_authorised");
    expect(r.reason).toBe("no_answer");
    expect(r.error).toBe("HTTP_TIMEOUT");
    expect(r.reversal).toMatchObject({ clientTransactionId: r.clientTransactionId, stan: r.stan, amountMinor: 1291, currency: "978", reason: "no_answer" });
    const files = queueFiles(state);
    expect(files).toHaveLength(1);
    const stored = JSON.parse(readFileSync(join(state, "terminal", files[0]), "utf8"));
    expect(stored).toEqual(r.reversal);
    expect(JSON.stringify(stored)).not.toMatch(/4761739001010010|pan|track2|iccData/);
    expect(acq.store.getAuthorization(r.clientTransactionId)!.approved).toBe(true);
    t.stop();

    // Restart: a new terminal object on the same state folder sends the queue at boot.
    const t2 = terminal(acq.url, state);
    const boot = await t2.boot();
    expect(boot.flush.acknowledged).toEqual([r.clientTransactionId]);
    expect(boot.flush.left).toBe(0);
    expect(queueFiles(state)).toEqual([]);
    expect(acq.store.getAuthorization(r.clientTransactionId)!.reversed).toBe(true);
    expect(acq.store.getReversal(r.clientTransactionId)!.reversed).toBe(true);
    // Once: the next boots have nothing to send, the ledger holds one reversal.
    const boot2 = await terminal(acq.url, state).boot();
    expect(boot2.flush.acknowledged).toEqual([]);
    expect(acq.store.countReversals()).toBe(1);
    const status = await t2.signed.send("GET", "/v1/authorizations/" + r.clientTransactionId, null);
    expect(JSON.parse(status.body)).toMatchObject({ approved: true, reversed: true });
    t2.stop();
  });

  it("loses the answer after approval (.97): the reversal cancels the approval", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    const r = await t.authorize(await tapSale("card-mastercard", 1297, state));
    expect(r.outcome).toBe("not_authorised");
    expect(r.error).toBe("HTTP_CLOSED");
    expect(r.reversal!.reason).toBe("no_answer");
    const f = await t.sender.flush();
    expect(f.left).toBe(0);
    const row = acq.store.getAuthorization(r.clientTransactionId)!;
    expect(row.approved).toBe(true);
    expect(row.reversed).toBe(true);
    t.stop();
  });

  it("queries the status (GET, same id) before reversing when configured: the stored approval is the outcome", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state, { statusQuery: true });
    const r = await t.authorize(await tapSale("card-visa", 1297, state));
    expect([r.outcome, r.responseCode, r.reversal, r.error]).toEqual(["approved", "00", null, "HTTP_CLOSED"]);
    expect(acq.log.some((l) => l.includes("GET /v1/authorizations/" + r.clientTransactionId))).toBe(true);
    expect(queueFiles(state)).toEqual([]);
    expect(acq.store.getAuthorization(r.clientTransactionId)!.reversed).toBe(false);
    t.stop();
  });

  it("resends with the same id (retries) and a duplicate send: one authorization", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    // .97 drops every send of the id: the terminal sends it twice, the host records it once.
    const t = terminal(acq.url, state, { retries: 1 });
    const r = await t.authorizer.authorize(await tapSale("card-visa", 1297, state), Date.now());
    expect(r.outcome).toBe("not_authorised");
    expect(acq.log.filter((l) => l.includes("id=" + r.clientTransactionId) && l.includes("POST /v1/authorizations"))).toHaveLength(2);
    expect(acq.store.countAuthorizations()).toBe(1);
    // The exact same body sent twice (new nonce and signature each time): the stored answer.
    const sale = await tapSale("card-visa", 1250, state);
    const body = requestBody(buildAuthRequest(sale.record, { terminalId: "TAPPOS01", merchantId: "MERCHANT0001", stan: "000777", clientTransactionId: "ab".repeat(16), amountMinor: 1250, currency: 978, country: 250, time9f21: sale.time9f21 }));
    const one = await t.signed.send("POST", "/v1/authorizations", body);
    const two = await t.signed.send("POST", "/v1/authorizations", body);
    expect(one.status).toBe(200);
    expect(two.body).toBe(one.body);
    expect(acq.store.countAuthorizations()).toBe(2);
    t.stop();
  });

  it("reverses an HTTP 500 (.96) as host_error; the acquirer records it against no authorization", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    const r = await t.authorize(await tapSale("card-visa", 1296, state));
    expect([r.outcome, r.reason, r.httpStatus]).toEqual(["not_authorised", "host_error", 500]);
    await t.sender.flush();
    expect(acq.store.getReversal(r.clientTransactionId)!.reversed).toBe(false);
    expect(queueFiles(state)).toEqual([]);
    t.stop();
  });

  it("recovers a transaction cut by a power loss in flight: the pending record becomes a reversal at boot", async () => {
    acq = await startTestAcquirer({ holdMs: 3000 });
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state, { timeouts: { connectMs: 1000, sendMs: 1000, answerMs: 2000 } });
    const sale = await tapSale("card-visa", 1291, state);
    const inFlight = t.authorizer.authorize(sale, Date.now());
    // The pending record is on disk before the request is sent; the host has it soon after.
    const pendingFile = join(state, "terminal", "tppending");
    expect(existsSync(pendingFile)).toBe(true);
    const pending = JSON.parse(readFileSync(pendingFile, "utf8"));
    await until(() => acq!.store.getAuthorization(pending.clientTransactionId) !== null);
    // Power comes back: a new terminal on the same folder (the old one's answer never comes).
    const t2 = terminal(acq.url, state);
    const boot = await t2.boot();
    expect(boot.recovered).toMatchObject({ clientTransactionId: pending.clientTransactionId, reason: "no_answer" });
    expect(boot.flush.acknowledged).toEqual([pending.clientTransactionId]);
    expect(acq.store.getAuthorization(pending.clientTransactionId)!.reversed).toBe(true);
    // The old object times out too and reverses the same id: still one reversal.
    const late = await inFlight;
    expect(late.reversal!.clientTransactionId).toBe(pending.clientTransactionId);
    await t.sender.flush();
    expect(acq.store.countReversals()).toBe(1);
    t.stop();
    t2.stop();
  });
});
