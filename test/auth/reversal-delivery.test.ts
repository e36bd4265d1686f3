/**
 * Delivery rules of the reversal queue and the sale guards, over real loopback sockets with
 * the reference acquirer: a full queue stops new sales (coded error, nothing sent) until
 * the acquirer has acknowledged it; the back-off timer runs on the injected clock and
 * delivers once the acquirer is back; a terminal without a valid clock refuses to sell
 * until it has read the acquirer's Date header.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { hexLower } from "../../src/auth/hmac";
import { nodeRandom } from "../../host/auth/node-hal";
import { freePort } from "../../host/bench/till-memory";
import { FakeClock } from "../helpers/fake-clock";
import { removeTempDirs, startTestAcquirer, tapSale, tempDir, terminal, until, type Acquirer } from "./acquirer-rig";

let acq: Acquirer | null = null;
afterEach(async () => {
  if (acq) await acq.close();
  acq = null;
});
afterAll(removeTempDirs);

function codeOf(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return isCoded(e) ? e.code : String(e);
  }
}


describe("reversal queue delivery and sale guards", () => {
  it("refuses a sale while 8 reversals wait (AUTH_REVERSAL_QUEUE_FULL, nothing sent), sells again once they are acknowledged", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    for (let i = 0; i < 8; i++) {
      t.authorizer.queue.add({ terminalId: "TAPPOS01", clientTransactionId: hexLower(nodeRandom.bytes(16)), stan: "00010" + i, amountMinor: 100 + i, currency: "978", reason: "no_answer", time: "2026-12-06T20:11:32Z" });
    }
    expect(codeOf(() => t.checkReady())).toBe("AUTH_REVERSAL_QUEUE_FULL");
    const sale = await tapSale("card-visa", 1250, state);
    const refused = await t.authorize(sale).then(() => null, (e) => (isCoded(e) ? e.code : String(e)));
    expect(refused).toBe("AUTH_REVERSAL_QUEUE_FULL");
    expect(acq.store.countAuthorizations()).toBe(0);
    expect(t.authorizer.queue.size()).toBe(8); // nothing dropped
    const boot = await t.boot();
    expect(boot.flush.acknowledged).toHaveLength(8);
    expect(acq.store.countReversals()).toBe(8);
    expect(codeOf(() => t.checkReady())).toBeNull();
    expect((await t.authorize(sale)).outcome).toBe("approved");
    t.stop();
  });

  it("retries on a back-off timer of the injected clock (5 s, 10 s, …) and delivers when the acquirer is back", async () => {
    const port = await freePort();
    const state = tempDir("tappos-term-");
    const clock = new FakeClock(0);
    const t = terminal(`http://127.0.0.1:${port}`, state, { backoff: { firstMs: 5000, maxMs: 20000 } }, { clock: clock });
    const id = hexLower(nodeRandom.bytes(16));
    t.authorizer.queue.add({ terminalId: "TAPPOS01", clientTransactionId: id, stan: "000009", amountMinor: 1250, currency: "978", reason: "no_answer", time: "2026-12-06T20:11:32Z" });
    const rounds: string[] = [];
    t.sender.onReport = (r) => rounds.push(`${clock.now()}:${r.error ?? "ok"}:${r.left}`);
    await t.sender.flush(); // nobody listens: connection refused
    expect(rounds).toEqual(["0:HTTP_CONNECT:1"]);
    expect(clock.pending()).toBe(1);
    clock.advance(4999);
    expect(rounds).toHaveLength(1);
    clock.advance(1);
    await until(() => rounds.length === 2);
    expect(rounds[1]).toBe("5000:HTTP_CONNECT:1");
    clock.advance(9999);
    expect(rounds).toHaveLength(2);
    // The acquirer comes up on that port; the next timer (10 s after the last try) delivers.
    acq = await startTestAcquirer({ port: port });
    clock.advance(1);
    await until(() => rounds.length === 3);
    expect(rounds[2]).toBe("15000:ok:0");
    expect(acq.store.getReversal(id)).not.toBeNull();
    expect(clock.pending()).toBe(0);
    t.stop();
  });

  it("refuses to sell without a valid clock (AUTH_NO_CLOCK) until the acquirer's Date header sets it at boot", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state, {}, { wallValid: false });
    expect(codeOf(() => t.checkReady())).toBe("AUTH_NO_CLOCK");
    const sale = await tapSale("card-visa", 1250, state);
    expect(await t.authorize(sale).then(() => null, (e) => (isCoded(e) ? e.code : String(e)))).toBe("AUTH_NO_CLOCK");
    const boot = await t.boot();
    expect(boot.clockValid).toBe(true);
    expect(codeOf(() => t.checkReady())).toBeNull();
    expect((await t.authorize(sale)).outcome).toBe("approved");
    t.stop();
  });
});

describe("a reversal the acquirer refuses", () => {
  it("stays queued (409: amount not the authorization's) without holding back the entries after it", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-term-");
    const t = terminal(acq.url, state);
    const r = await t.authorizer.authorize(await tapSale("card-visa", 1297, state), Date.now());
    const wrong = { ...r.reversal!, amountMinor: 1 };
    t.authorizer.queue.add(wrong); // same id, rewritten with a wrong amount: the acquirer says 409
    const other = "f".repeat(32); // sorts after the refused entry: delivered after its 409
    t.authorizer.queue.add({ terminalId: "TAPPOS01", clientTransactionId: other, stan: "000099", amountMinor: 5, currency: "978", reason: "cancelled", time: "2026-12-06T20:11:32Z" });
    const f = await t.sender.flush();
    expect(f.acknowledged).toEqual([other]);
    expect(f.error).toBe("HTTP_409");
    expect(f.left).toBe(1);
    expect(t.authorizer.queue.has(r.clientTransactionId)).toBe(true);
    t.stop();
  });
});
