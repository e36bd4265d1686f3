/**
 * The effect runner (src/app/terminal-runner.ts) over fake ports and the fake clock, with the
 * real src/auth Authorizer (STAN, pending record, reversal queue in an in-memory Storage):
 * whole sales, each deadline on the clock, see phone, collision, cancel, refusals, Storage
 * failure, late answers, and the host authorizer that never approves.
 */
import { describe, expect, it } from "vitest";
import { UiMessage } from "../../src/emv/outcome";
import { noAcquirer, NO_ACQUIRER_MESSAGE } from "../../src/app/no-acquirer";
import { CFG, MASKED, OUTCOMES, PAN } from "./fixtures";
import { rig, settle, type Rig } from "./ports";
import { UiFanout, type UiContext } from "../../src/app/ui/ui-port";
import type { UiRequest } from "../../src/emv/outcome";

/** sale → card → online request → authorising (the request is with the fake acquirer, or already answered by a stub). */
async function toAuthorising(r: Rig, stub?: boolean): Promise<void> {
  r.runner.sale(1250);
  r.reader.present();
  r.reader.answer(OUTCOMES.online());
  await settle();
  if (!stub) expect(r.runner.state.kind).toBe("authorising");
}

describe("a whole sale", () => {
  it("approved: polling, read, beep, sale in flight with STAN and id, request, approval shown, then idle", async () => {
    const r = rig();
    r.runner.sale(1250);
    expect(r.runner.state.kind).toBe("presentCard");
    expect(r.reader.polls).toBe(1);
    expect(JSON.parse(r.store.files.tpsale)).toMatchObject({ step: "card", amountMinor: 1250, currency: 978, maskedPan: null });
    expect(r.ui.last().messageId).toBe(UiMessage.PresentCard);
    r.reader.present();
    expect(r.runner.state.kind).toBe("reading");
    expect(r.reader.reads[0].amountMinor).toBe(1250);
    r.reader.answer(OUTCOMES.online());
    await settle();
    expect(r.beeps).toEqual(["ok"]);
    expect(r.ui.shown.map((s) => s.request.messageId)).toContain(UiMessage.CardReadOk);
    expect(r.runner.state.kind).toBe("authorising");
    const sale = JSON.parse(r.store.files.tpsale);
    expect(sale).toMatchObject({ step: "authorising", maskedPan: MASKED, stan: "000001", time: "2026-12-06T21:00:00Z" });
    expect(sale.clientTransactionId).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(r.store.files.tppending).clientTransactionId).toBe(sale.clientTransactionId);
    expect(r.acquirer.sent[0].body).toMatchObject({ amountMinor: 1250, currency: "978", pan: PAN });
    // No file holds the clear PAN.
    for (const f of Object.values(r.store.files)) expect(f).not.toContain(PAN);
    r.acquirer.reply(true, "00");
    await settle();
    expect(r.runner.state.kind).toBe("approved");
    expect(r.ui.last().messageId).toBe(UiMessage.Approved);
    expect(r.beeps).toEqual(["ok", "ok"]);
    expect(r.store.files.tpsale).toBeUndefined();
    expect(r.store.files.tppending).toBeUndefined();
    expect(JSON.parse(r.store.files.tplast)).toMatchObject({ outcome: "approved", amountMinor: 1250, maskedPan: MASKED, stan: "000001", authCode: "A1B2C3", reversal: false });
    r.clock.advance(CFG.resultMs);
    expect(r.runner.state.kind).toBe("idle");
    expect(r.ui.last().messageId).toBe(UiMessage.Welcome);
    expect(r.clock.pending()).toBe(0);
    expect(r.status.filter((s) => s.type === "state").map((s) => s.state)).toEqual(["amountEntered", "presentCard", "reading", "cardReadOk", "authorising", "approved", "idle"]);
  });

  it("declined by the acquirer: Not Authorised, no reversal", async () => {
    const r = rig();
    await toAuthorising(r);
    r.acquirer.reply(false, "51");
    await settle();
    expect(r.runner.state.kind).toBe("declined");
    expect(r.runner.last()).toMatchObject({ outcome: "declined", responseCode: "51", reversal: false });
    expect(r.authorizer.queue.size()).toBe(0);
  });

  it("answer lost after sending: error, the authorizer's reversal is reported", async () => {
    const r = rig();
    await toAuthorising(r);
    r.acquirer.lose();
    await settle();
    expect(r.runner.state.kind).toBe("error");
    expect(r.runner.last()).toMatchObject({ outcome: "notAuthorised", reason: "no_answer", reversal: true });
    expect(r.authorizer.queue.size()).toBe(1);
  });
});

describe("deadlines on the injected clock", () => {
  it("tap timeout (30 s): polling stops, idle, nothing charged", () => {
    const r = rig();
    r.runner.sale(1250);
    r.clock.advance(CFG.tapTimeoutMs - 1);
    expect(r.runner.state.kind).toBe("presentCard");
    r.clock.advance(1);
    expect(r.runner.state.kind).toBe("idle");
    expect(r.reader.stops).toBe(1);
    expect(r.runner.last()).toMatchObject({ outcome: "timeout", reason: "TAP_TIMEOUT" });
    expect(r.store.files.tpsale).toBeUndefined();
    expect(r.acquirer.sent).toEqual([]);
  });

  it("read timeout: error; the kernel's late Online Request is dropped, no request sent", async () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.present();
    r.clock.advance(CFG.readTimeoutMs);
    expect(r.runner.state.kind).toBe("error");
    expect(r.runner.last()?.reason).toBe("READ_TIMEOUT");
    r.reader.answer(OUTCOMES.online());
    await settle();
    expect(r.runner.state.kind).toBe("error");
    expect(r.acquirer.sent).toEqual([]);
    r.clock.advance(CFG.resultMs);
    expect(r.runner.state.kind).toBe("idle");
  });

  it("authorization timeout: the request in flight becomes a reversal; a late approval changes nothing", async () => {
    const r = rig();
    await toAuthorising(r);
    const id = JSON.parse(r.store.files.tppending).clientTransactionId;
    r.clock.advance(CFG.authTimeoutMs);
    expect(r.runner.state.kind).toBe("error");
    expect(r.authorizer.queue.list().map((x) => [x.clientTransactionId, x.reason])).toEqual([[id, "no_answer"]]);
    expect(r.store.files.tppending).toBeUndefined();
    expect(r.runner.last()).toMatchObject({ outcome: "notAuthorised", reason: "AUTH_TIMEOUT", reversal: true });
    r.acquirer.reply(true, "00");
    await settle();
    expect(r.runner.state.kind).toBe("error");
    expect(r.runner.last()?.outcome).toBe("notAuthorised");
    expect(r.authorizer.queue.size()).toBe(1); // the approval will be reversed
  });

  it("authorization timeout in the moment the answer came (pending record already erased): reversed by the ids kept with the sale", async () => {
    const r = rig();
    await toAuthorising(r);
    const sale = JSON.parse(r.store.files.tpsale);
    expect(sale.terminalId).toBe("TAPPOS01");
    r.authorizer.pending.clear(); // what the authorizer does on an answer, before its result reaches the runner
    r.clock.advance(CFG.authTimeoutMs);
    expect(r.authorizer.queue.list()).toEqual([
      { terminalId: "TAPPOS01", clientTransactionId: sale.clientTransactionId, stan: "000001", amountMinor: 1250, currency: "978", reason: "no_answer", time: "2026-12-06T21:00:00Z" },
    ]);
    r.acquirer.reply(true, "00");
    await settle();
    expect(r.runner.last()).toMatchObject({ outcome: "notAuthorised", reason: "AUTH_TIMEOUT" });
  });
});

describe("restarts and collisions", () => {
  it("See Phone: field off for the hold time, then polling again with the amount kept", async () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.present();
    r.reader.answer(OUTCOMES.seePhone());
    await settle();
    expect(r.runner.state.kind).toBe("fieldOff");
    expect(r.reader.fieldOffs).toEqual([1300]);
    expect(r.ui.last().messageId).toBe(UiMessage.SeePhone);
    r.clock.advance(1300);
    await settle();
    expect(r.runner.state.kind).toBe("presentCard");
    expect(r.reader.polls).toBe(2);
    expect(r.ui.shown[r.ui.shown.length - 1].context?.amountMinor).toBe(1250);
    r.reader.present();
    expect(r.reader.reads[1].amountMinor).toBe(1250);
  });

  it("two cards: Present One Card Only, polling goes on, the single card is then read", () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.collide();
    expect(r.runner.state.kind).toBe("presentCard");
    expect(r.ui.last().messageId).toBe(UiMessage.PresentOneCardOnly);
    expect(r.reader.polls).toBe(1);
    r.reader.present();
    expect(r.runner.state.kind).toBe("reading");
  });

  it("Try Another Card: back to polling, the amount kept", async () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.present();
    r.reader.answer(OUTCOMES.tryAnotherCard());
    await settle();
    expect(r.runner.state.kind).toBe("presentCard");
    expect(r.ui.last().messageId).toBe(UiMessage.TryAnotherCard);
    expect(r.reader.polls).toBe(2);
    r.reader.present();
    expect(r.reader.reads[1].amountMinor).toBe(1250);
  });

  it("a reader whose readCard rejects ends the tap in a defined state (Entry Point error outcome)", async () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.present();
    r.reader.reads[0].answer.reject(new Error("boom"));
    await settle();
    expect(r.runner.state.kind).toBe("presentCard"); // End Application EMV_INTERNAL: try another card
    expect(r.ui.last().messageId).toBe(UiMessage.TryAnotherCard);
  });
});

describe("cancel", () => {
  it("refused during the card read, accepted once the card is read (the request in flight is reversed)", async () => {
    const r = rig();
    r.runner.sale(1250);
    r.reader.present();
    r.runner.cancel();
    expect(r.runner.refusal?.code).toBe("CANCEL_DURING_READ");
    expect(r.runner.state.kind).toBe("reading");
    r.reader.answer(OUTCOMES.online());
    await settle();
    r.runner.cancel();
    expect(r.runner.state.kind).toBe("error");
    expect(r.runner.last()).toMatchObject({ outcome: "cancelled", reversal: true });
    expect(r.authorizer.queue.list()[0].reason).toBe("cancelled");
  });

  it("while polling: polling stops, idle, the sale in flight erased", () => {
    const r = rig();
    r.runner.sale(1250);
    r.runner.cancel();
    expect(r.runner.state.kind).toBe("idle");
    expect(r.reader.stops).toBe(1);
    expect(r.store.files.tpsale).toBeUndefined();
    expect(r.clock.pending()).toBe(0);
  });
});

describe("refusals before any card is read", () => {
  it("no valid clock: clockInvalid, no polling", () => {
    const r = rig({ clockValid: false });
    r.runner.sale(1250);
    expect(r.runner.state.kind).toBe("clockInvalid");
    expect(r.reader.polls).toBe(0);
    expect(r.runner.last()).toMatchObject({ outcome: "refused", reason: "AUTH_NO_CLOCK" });
    r.clock.advance(CFG.resultMs);
    expect(r.runner.state.kind).toBe("idle");
  });

  it("reversal queue full: reversalQueueFull, no polling", () => {
    const r = rig({ queueMax: 1 });
    r.authorizer.queue.add({ terminalId: "TAPPOS01", clientTransactionId: "ee".repeat(16), stan: "000009", amountMinor: 1, currency: "978", reason: "no_answer", time: "2026-12-06T20:00:00Z" });
    r.runner.sale(1250);
    expect(r.runner.state.kind).toBe("reversalQueueFull");
    expect(r.reader.polls).toBe(0);
  });

  it("Storage failing: the sale in flight cannot be written, error before any card is read", () => {
    const r = rig();
    r.store.failing = ["tpsale"];
    r.runner.sale(1250);
    expect(r.runner.state.kind).toBe("error");
    expect(r.runner.last()?.reason).toBe("STORAGE_FULL");
    expect(r.reader.stops).toBe(1);
  });

  it("a sale while busy, and an amount that is not whole minor units, are refused with a code", () => {
    const r = rig();
    r.runner.sale(12.5);
    expect(r.runner.refusal?.code).toBe("SALE_BAD_AMOUNT");
    r.runner.sale(1250);
    r.runner.sale(99);
    expect(r.runner.refusal?.code).toBe("SALE_BUSY");
    expect(r.status.filter((s) => s.type === "refused").map((s) => s.code)).toEqual(["SALE_BAD_AMOUNT", "SALE_BUSY"]);
  });
});

describe("no acquirer configured (host authorizer stub)", () => {
  it("declines every sale with 'no acquirer configured', never approves, spends no STAN", async () => {
    const r = rig({ auth: noAcquirer() });
    for (let i = 0; i < 3; i++) {
      await toAuthorising(r, true);
      expect(r.runner.state.kind).toBe("declined");
      expect(r.runner.last()).toMatchObject({ outcome: "declined", reason: "no_acquirer", reversal: false });
      r.clock.advance(CFG.resultMs);
    }
    expect(r.beeps.filter((b) => b === "error").length).toBe(3);
    expect(r.store.files.tpstan).toBeUndefined();
    expect(r.store.files.tppending).toBeUndefined();
    const p = noAcquirer();
    const res = await p.authorize({ record: {} as never, amountMinor: 1, currency: 978, time9f21: "000000" });
    expect([res.outcome, res.message]).toEqual(["declined", NO_ACQUIRER_MESSAGE]);
  });
});

describe("with the UI of src/app/ui", () => {
  it("UiFanout is the runner's UI port: a sale's requests reach its sinks with amount and masked PAN, hold times kept", async () => {
    const seen: { id: number; at: number; ctx: UiContext | null }[] = [];
    let now = (): number => 0;
    const r = rig({
      ui: (clock) => {
        now = () => clock.now();
        return new UiFanout(clock, [{ show: (req: UiRequest, ctx: UiContext | null) => seen.push({ id: req.messageId, at: now(), ctx }) }]);
      },
    });
    r.runner.sale(1250);
    r.reader.present();
    r.reader.answer(OUTCOMES.seePhone());
    await settle();
    r.clock.advance(1300);
    await settle();
    expect(seen.map((s) => s.id)).toEqual([UiMessage.Processing, UiMessage.PresentCard, UiMessage.SeePhone, UiMessage.SeePhone]);
    expect(seen[3].at).toBe(1300); // Book A hold time of the first See Phone
    expect(seen[1].ctx).toMatchObject({ amountMinor: 1250, currencyExponent: 2 });
    r.reader.present();
    r.reader.answer(OUTCOMES.online());
    await settle();
    expect(seen[seen.length - 1].id).toBe(UiMessage.Authorising);
    expect(seen[seen.length - 2]).toMatchObject({ id: UiMessage.CardReadOk, ctx: { maskedPan: MASKED } });
  });
});
