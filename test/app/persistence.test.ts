/**
 * Power cuts (src/app/persistence.ts; docs/terminal-states.md "Power cut"): what each state
 * leaves in Storage and what a restart makes of it. Pure `resume` over stored files, then a
 * cut in each state a runner reaches: the runner is dropped, a new one boots on the same
 * Storage with a new Authorizer. Polling → idle, nothing charged; request sent → a reversal
 * queued in the auth module's reversal queue.
 */
import { describe, expect, it } from "vitest";
import { resume, resumeAfterPowerCut, SaleStore, type StoredSale } from "../../src/app/persistence";
import type { Reversal } from "../../src/auth/reversal-queue";
import type { StateKind, TerminalResult } from "../../src/app/terminal-machine";
import { CFG, MASKED, OUTCOMES } from "./fixtures";
import { MemoryStore, rig, settle, type Rig } from "./ports";

const ID = "ab".repeat(16);

function sale(over: Partial<StoredSale>): StoredSale {
  return { step: "card", amountMinor: 1250, currency: 978, maskedPan: null, aid: null, time: "2026-12-06T21:00:00Z", stan: null, clientTransactionId: null, terminalId: null, ...over };
}

const PENDING: Reversal = { terminalId: "TAPPOS01", clientTransactionId: ID, stan: "000007", amountMinor: 1250, currency: "978", reason: "no_answer", time: "2026-12-06T21:00:00Z" };

function last(id: string | null): TerminalResult {
  return { id: null, time: null, card: null, outcome: "approved", reason: "approved", amountMinor: 1250, currency: 978, maskedPan: MASKED, stan: "000007", clientTransactionId: id, authCode: "A1B2C3", responseCode: "00", reversal: false };
}

describe("resume (pure): every restart lands in idle; the stored files decide the rest", () => {
  const rows: { name: string; sale: StoredSale | null; pending: Reversal | null; last: TerminalResult | null; action: string; reversal?: boolean; outcome?: string }[] = [
    { name: "nothing stored (idle, or a result already recorded)", sale: null, pending: null, last: null, action: "none" },
    { name: "cut while polling or reading (step card)", sale: sale({}), pending: null, last: null, action: "notCharged", outcome: "cancelled" },
    { name: "cut after card read OK, before the authorizer started (no ids)", sale: sale({ step: "authorising", maskedPan: MASKED }), pending: null, last: null, action: "notCharged", outcome: "cancelled" },
    { name: "cut with the request pending (sent or about to be)", sale: sale({ step: "authorising", maskedPan: MASKED }), pending: PENDING, last: null, action: "recoverPending", outcome: "notAuthorised" },
    { name: "pending record without the app's sale (its write was torn)", sale: null, pending: PENDING, last: null, action: "recoverPending", outcome: "notAuthorised" },
    { name: "answer came, pending erased, result not yet recorded", sale: sale({ step: "authorising", maskedPan: MASKED, stan: "000007", clientTransactionId: ID }), pending: null, last: last("cd".repeat(16)), action: "reverseSale", reversal: true, outcome: "notAuthorised" },
    { name: "result recorded, sale in flight not yet erased", sale: sale({ step: "authorising", stan: "000007", clientTransactionId: ID }), pending: null, last: last(ID), action: "alreadyDecided" },
  ];
  for (const r of rows) {
    it(`${r.name} → idle, ${r.action}`, () => {
      const plan = resume({ sale: r.sale, pending: r.pending, last: r.last }, "TAPPOS01");
      expect(plan.state.kind).toBe("idle");
      expect(plan.action).toBe(r.action);
      expect(plan.reversal !== null).toBe(!!r.reversal);
      expect(plan.interrupted?.outcome).toBe(r.outcome);
    });
  }

  it("the reversal by ids has the sale's STAN, amount, 3-digit currency and time, no card data", () => {
    const plan = resume({ sale: sale({ step: "authorising", maskedPan: MASKED, stan: "000007", clientTransactionId: ID }), pending: null, last: null }, "TAPPOS01");
    expect(plan.reversal).toEqual(PENDING);
    expect(plan.interrupted).toMatchObject({ reason: "POWER_CUT_REVERSED", stan: "000007", clientTransactionId: ID, reversal: true, maskedPan: MASKED });
  });

  it("a torn sale file reads as none; the pending record still decides", () => {
    const store = new MemoryStore();
    store.files.tpsale = '{"step":"auth';
    expect(new SaleStore(store).readSale()).toBeNull();
  });
});

/** Drives a fresh runner into `kind`. */
async function cutIn(kind: StateKind): Promise<Rig> {
  const r = rig();
  if (kind === "idle") return r;
  r.runner.sale(1250);
  if (kind === "presentCard") return r;
  r.reader.present();
  if (kind === "reading") return r;
  r.reader.answer(kind === "fieldOff" ? OUTCOMES.seePhone() : OUTCOMES.online());
  await settle();
  if (kind === "fieldOff" || kind === "authorising") return r;
  if (kind === "approved" || kind === "declined") r.acquirer.reply(kind === "approved", kind === "approved" ? "00" : "51");
  else r.clock.advance(CFG.authTimeoutMs); // error: authorization timeout
  await settle();
  return r;
}

describe("a power cut in each state, then a restart on the same Storage", () => {
  const rows: { kind: StateKind; action: string; queued: number; last: Partial<TerminalResult> | null }[] = [
    { kind: "idle", action: "none", queued: 0, last: null },
    { kind: "presentCard", action: "notCharged", queued: 0, last: { outcome: "cancelled", reason: "POWER_CUT_NOT_CHARGED", amountMinor: 1250 } },
    { kind: "fieldOff", action: "notCharged", queued: 0, last: { outcome: "cancelled", reason: "POWER_CUT_NOT_CHARGED" } },
    { kind: "reading", action: "notCharged", queued: 0, last: { outcome: "cancelled", reason: "POWER_CUT_NOT_CHARGED" } },
    { kind: "authorising", action: "recoverPending", queued: 1, last: { outcome: "notAuthorised", reason: "POWER_CUT_REVERSED", maskedPan: MASKED, stan: "000001", reversal: true } },
    { kind: "approved", action: "none", queued: 0, last: { outcome: "approved", stan: "000001" } },
    { kind: "declined", action: "none", queued: 0, last: { outcome: "declined" } },
    { kind: "error", action: "none", queued: 1, last: { outcome: "notAuthorised", reason: "AUTH_TIMEOUT", reversal: true } },
  ];
  for (const row of rows) {
    it(`${row.kind} → idle, ${row.action}, ${row.queued} reversal(s) queued`, async () => {
      const before = await cutIn(row.kind);
      expect(before.runner.state.kind).toBe(row.kind);
      const pendingId = before.store.files.tppending ? JSON.parse(before.store.files.tppending).clientTransactionId : null;
      // Power cut: RAM is gone; a new terminal boots on the same Storage.
      const after = rig({ store: before.store });
      const plan = after.runner.boot(after.authorizer, "TAPPOS01");
      expect(plan.action).toBe(row.action);
      expect(after.runner.state.kind).toBe("idle");
      expect(after.authorizer.queue.size()).toBe(row.queued);
      if (pendingId) expect(after.authorizer.queue.list()[0].clientTransactionId).toBe(pendingId);
      expect(after.store.files.tpsale).toBeUndefined();
      expect(after.store.files.tppending).toBeUndefined();
      if (row.last) expect(after.runner.last()).toMatchObject(row.last);
      else expect(after.runner.last()).toBeNull();
      // A second boot changes nothing more.
      expect(rig({ store: before.store }).runner.boot(after.authorizer, "TAPPOS01").action).toBe("none");
      expect(after.authorizer.queue.size()).toBe(row.queued);
    });
  }

  it("resume after TerminalAuth.boot()'s own recovery: same id, one reversal file", async () => {
    const before = await cutIn("authorising");
    const after = rig({ store: before.store });
    after.authorizer.pending.recover(after.authorizer.queue); // what TerminalAuth.boot() does
    const plan = resumeAfterPowerCut(new SaleStore(before.store), after.authorizer, "TAPPOS01");
    expect(plan.action).toBe("reverseSale");
    expect(after.authorizer.queue.size()).toBe(1);
  });
});
