/**
 * The online side as a part that comes and goes (src/app/lazy-auth.ts): loaded when asked, let
 * go when idle or as the card part loads, never while it works, and nothing the terminal must
 * keep lost with it: over the reference acquirer on loopback, each "load" a fresh TerminalAuth
 * over the same Storage folder, as a board requires tpp.auth again.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { LazyAuth } from "../../src/app/lazy-auth";
import type { FlushReport } from "../../src/auth/reversal-sender";
import type { Reversal } from "../../src/auth/reversal-queue";
import { freePort } from "../../host/bench/till-memory";
import { FakeClock } from "../helpers/fake-clock";
import { removeTempDirs, startTestAcquirer, tapSale, tempDir, terminal, until, type Acquirer } from "../auth/acquirer-rig";

let acq: Acquirer | null = null;
afterEach(async () => {
  if (acq) await acq.close();
  acq = null;
});
afterAll(removeTempDirs);

/** A LazyAuth whose part is a TerminalAuth on `url` over `state`; counts loads and unloads. */
function lazyOn(url: string, state: string, clock?: FakeClock): { lazy: LazyAuth; loads: number; unloads: number } {
  const c = { lazy: null as unknown as LazyAuth, loads: 0, unloads: 0 };
  c.lazy = new LazyAuth(
    () => {
      c.loads++;
      return terminal(url, state, { backoff: { firstMs: 5000, maxMs: 20000 } }, clock ? { clock: clock } : {});
    },
    () => {
      c.unloads++;
    },
  );
  return c;
}

function reversal(id: string): Reversal {
  return { terminalId: "TAPPOS01", clientTransactionId: id, stan: "000042", amountMinor: 1250, currency: "978", reason: "no_answer", time: "2026-12-07T10:00:00Z" };
}


describe("LazyAuth: the online side loaded when asked, let go when idle", () => {
  it("checkReady loads it and, nothing queued, lets it go again", async () => {
    acq = await startTestAcquirer();
    const c = lazyOn(acq.url, tempDir("tappos-lazy-"));
    expect(c.lazy.loaded()).toBe(false);
    c.lazy.checkReady();
    expect([c.loads, c.unloads, c.lazy.loaded()]).toEqual([1, 1, false]);
  });

  it("an authorization: approved through a fresh instance, kept while it works (release refused), let go once the round of reversals after it ends", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-lazy-");
    const c = lazyOn(acq.url, state);
    const reports: FlushReport[] = [];
    c.lazy.onReport((r) => reports.push(r));
    const sale = await tapSale("card-visa", 1250, state);
    const p = c.lazy.authorize(sale);
    c.lazy.release(); // as a card part loads: refused while the request is in flight
    expect(c.lazy.loaded()).toBe(true);
    expect((await p).outcome).toBe("approved");
    await until(() => reports.length === 1 && !c.lazy.loaded());
    expect(reports[0]).toEqual({ acknowledged: [], left: 0, error: null });
    expect([c.loads, c.unloads]).toEqual([1, 1]);
    expect(acq.store.countAuthorizations()).toBe(1);
  });

  it("a queued reversal survives the card read: release stops its back-off timer, restore sends it after the first wait through a new instance, then it is let go", async () => {
    const port = await freePort();
    const clock = new FakeClock(0);
    const state = tempDir("tappos-lazy-");
    const c = lazyOn(`http://127.0.0.1:${port}`, state, clock);
    const reports: string[] = [];
    c.lazy.onReport((r) => reports.push(`${clock.now()}:${r.error ?? "ok"}:${r.left}`));
    c.lazy.queueReversal(reversal("a".repeat(32)));
    await c.lazy.get().sender.flush(); // nobody listens: the back-off timer is set
    expect(reports).toEqual(["0:HTTP_CONNECT:1"]);
    expect(clock.pending()).toBe(1);
    c.lazy.release(); // a card part loads
    expect([c.lazy.loaded(), clock.pending(), c.unloads]).toEqual([false, 0, 1]);
    acq = await startTestAcquirer({ port: port });
    c.lazy.restore(); // the card part is gone: a new instance, a round 5 s later
    expect([c.lazy.loaded(), c.loads, clock.pending()]).toEqual([true, 2, 1]);
    clock.advance(5000);
    await until(() => reports.length === 2 && !c.lazy.loaded());
    expect(reports[1]).toBe("5000:ok:0");
    expect(acq.store.getReversal("a".repeat(32))).not.toBeNull();
    expect(c.unloads).toBe(2);
  });

  it("a part that cannot be loaded: authorize and boot reject with its coded error (nothing sent), checkReady throws it", async () => {
    const missing = Object.assign(new Error("tpp.auth is not in Storage: npm run flash writes it"), { code: "BOARD_PART_MISSING" });
    const lazy = new LazyAuth(
      () => {
        throw missing;
      },
      () => {},
    );
    acq = await startTestAcquirer();
    const sale = await tapSale("card-visa", 1250, tempDir("tappos-lazy-"));
    await expect(lazy.authorize(sale)).rejects.toBe(missing);
    await expect(lazy.boot()).rejects.toBe(missing);
    expect(() => lazy.checkReady()).toThrow(missing);
    expect(lazy.loaded()).toBe(false);
    expect(acq.store.countAuthorizations()).toBe(0);
  });

  it("restore without a queued reversal loads nothing; the runner's reversal port reads Storage through whichever instance is loaded", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-lazy-");
    const c = lazyOn(acq.url, state);
    c.lazy.restore();
    expect(c.loads).toBe(0);
    const port = c.lazy.reversals();
    expect(port.pending.read()).toBeNull();
    expect(c.loads).toBe(1);
    port.queue.add(reversal("b".repeat(32)));
    c.lazy.release();
    expect(c.lazy.loaded()).toBe(false);
    // A fresh instance over the same Storage sees the entry.
    expect(c.lazy.get().authorizer.queue.has("b".repeat(32))).toBe(true);
    c.lazy.get().stop();
  });
});
