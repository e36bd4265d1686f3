/**
 * The pure terminal machine (src/app/terminal-machine.ts): every transition, cancel in every
 * state, each deadline, the restarts (see phone, try again, try another card, Select Next),
 * collisions, refusals, and stale answers. No ports, no clock: events in, state and effects out.
 */
import { describe, expect, it } from "vitest";
import { next, idleState, type StateKind, type TerminalEvent, type TerminalState } from "../../src/app/terminal-machine";
import { UiMessage } from "../../src/emv/outcome";
import { ALL_KINDS, CFG, ev, find, MASKED, OUTCOMES, PAN, reach, run, types } from "./fixtures";

function step(s: TerminalState, e: TerminalEvent) {
  return next(s, e, CFG);
}

describe("transitions", () => {
  const rows: { from: StateKind; event: (s: TerminalState) => TerminalEvent; to: StateKind; effects: string[] }[] = [
    { from: "idle", event: ev.sale(1250), to: "amountEntered", effects: ["showUi", "checkReady", "setDeadline"] },
    { from: "amountEntered", event: ev.ready, to: "presentCard", effects: ["clearDeadline", "persistSaleInFlight", "showUi", "startPolling", "setDeadline"] },
    { from: "presentCard", event: ev.card, to: "reading", effects: ["clearDeadline", "runKernel", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.online), to: "cardReadOk", effects: ["clearDeadline", "beep", "showUi", "persistSaleInFlight", "setDeadline"] },
    { from: "cardReadOk", event: ev.saved, to: "authorising", effects: ["clearDeadline", "showUi", "authorize", "setDeadline"] },
    { from: "authorising", event: ev.approved, to: "approved", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "approved", event: ev.deadline, to: "idle", effects: ["clearDeadline", "showUi"] },
    { from: "approved", event: (s) => ({ type: "resultShown", ref: s.seq }), to: "idle", effects: ["clearDeadline", "showUi"] },
    { from: "reading", event: ev.outcome(OUTCOMES.declinedByCard), to: "declined", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.overLimit), to: "error", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.offlineApproved), to: "error", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.seePhone), to: "fieldOff", effects: ["clearDeadline", "showUi", "fieldOff", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.cardGone), to: "presentCard", effects: ["clearDeadline", "showUi", "startPolling", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.tryAnotherCard), to: "presentCard", effects: ["clearDeadline", "beep", "showUi", "startPolling", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.tryAnotherInterface), to: "presentCard", effects: ["clearDeadline", "beep", "showUi", "startPolling", "setDeadline"] },
    { from: "reading", event: ev.outcome(OUTCOMES.selectNext), to: "reading", effects: ["clearDeadline", "runKernel", "setDeadline"] },
    { from: "fieldOff", event: ev.fieldOffDone, to: "presentCard", effects: ["clearDeadline", "showUi", "startPolling", "setDeadline"] },
    { from: "presentCard", event: (s) => ({ type: "collision", ref: s.seq, targets: 2 }), to: "presentCard", effects: ["showUi", "beep"] },
    { from: "presentCard", event: (s) => ({ type: "pollTimeout", ref: s.seq }), to: "idle", effects: ["clearDeadline", "stopPolling", "recordResult", "clearSaleInFlight", "showUi"] },
    { from: "presentCard", event: (s) => ({ type: "saleSaved", ref: s.seq, ok: false, code: "STORAGE_FULL" }), to: "error", effects: ["clearDeadline", "stopPolling", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "cardReadOk", event: (s) => ({ type: "saleSaved", ref: s.seq, ok: false, code: "STORAGE_FULL" }), to: "error", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "amountEntered", event: (s) => ({ type: "ready", ref: s.seq, refusal: "clockInvalid", code: null }), to: "clockInvalid", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "amountEntered", event: (s) => ({ type: "ready", ref: s.seq, refusal: "reversalQueueFull", code: null }), to: "reversalQueueFull", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "amountEntered", event: (s) => ({ type: "ready", ref: s.seq, refusal: "notConfigured", code: null }), to: "notConfigured", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "amountEntered", event: (s) => ({ type: "ready", ref: s.seq, refusal: null, code: "STORAGE_FAILED" }), to: "error", effects: ["clearDeadline", "recordResult", "clearSaleInFlight", "showUi", "beep", "setDeadline"] },
    { from: "clockInvalid", event: ev.deadline, to: "idle", effects: ["clearDeadline", "showUi"] },
    { from: "declined", event: ev.sale(500), to: "amountEntered", effects: ["clearDeadline", "showUi", "checkReady", "setDeadline"] },
  ];
  for (const r of rows) {
    it(`${r.from} → ${r.to}: ${r.effects.join(", ")}`, () => {
      const s = reach(r.from);
      const t = step(s, r.event(s));
      expect(t.state.kind).toBe(r.to);
      expect(types(t.effects)).toEqual(r.effects);
    });
  }

  it("authorising → approved / declined / error per the authorizer's outcome", () => {
    const cases: [string, StateKind, string][] = [
      ["approved", "approved", "approved"],
      ["declined", "declined", "declined"],
      ["notAuthorised", "error", "notAuthorised"],
      ["error", "error", "error"],
    ];
    for (const c of cases) {
      const s = reach("authorising");
      const t = step(s, { type: "authResult", ref: s.seq, result: { outcome: c[0] as "approved", reason: "r", stan: "000001", clientTransactionId: "cd".repeat(16), authCode: null, responseCode: "05", reversal: c[0] === "notAuthorised" } });
      expect(t.state.kind).toBe(c[1]);
      const rec = find(t.effects, "recordResult");
      expect(rec?.result).toMatchObject({ outcome: c[2], amountMinor: 1250, currency: 978, maskedPan: MASKED, stan: "000001", reversal: c[0] === "notAuthorised" });
    }
  });

  it("every state the fixtures reach is a state the machine makes (no orphan kinds)", () => {
    for (const k of ALL_KINDS) expect(reach(k).kind).toBe(k);
  });
});

describe("sale", () => {
  it("refuses an amount that is not whole minor units in 1..n12, and a sale while one runs", () => {
    for (const a of [0, -5, 12.5, NaN, 1e12, Infinity]) {
      const t = step(idleState(0), { type: "sale", amountMinor: a });
      expect(t.state.kind).toBe("idle");
      expect(find(t.effects, "refuse")?.code).toBe("SALE_BAD_AMOUNT");
    }
    for (const k of ["amountEntered", "presentCard", "reading", "authorising"] as StateKind[]) {
      const s = reach(k);
      const t = step(s, { type: "sale", amountMinor: 100 });
      expect(t.state).toBe(s);
      expect(types(t.effects)).toEqual(["refuse"]);
      expect(find(t.effects, "refuse")?.code).toBe("SALE_BUSY");
    }
  });

  it("a sale writes the sale in flight (step card) before polling, with no card data", () => {
    const t = step(reach("amountEntered"), ev.ready(reach("amountEntered")));
    expect(find(t.effects, "persistSaleInFlight")?.sale).toEqual({ step: "card", amountMinor: 1250, currency: 978, maskedPan: null, aid: null });
  });

  it("card read OK: beep, then the sale in flight with the masked PAN only; the clear PAN stays in RAM until authorising", () => {
    const t = step(reach("reading"), ev.outcome(OUTCOMES.online)(reach("reading")));
    expect(find(t.effects, "beep")?.kind).toBe("ok");
    expect(find(t.effects, "showUi")?.request.messageId).toBe(UiMessage.CardReadOk);
    const p = find(t.effects, "persistSaleInFlight");
    expect(p?.sale).toEqual({ step: "authorising", amountMinor: 1250, currency: 978, maskedPan: MASKED, aid: "A0000000031010" });
    expect(JSON.stringify(p)).not.toContain(PAN);
    const a = step(t.state, ev.saved(t.state));
    expect(find(a.effects, "authorize")).toMatchObject({ amountMinor: 1250, currency: 978 });
    expect(a.state.record).toBeNull();
    expect(JSON.stringify(a.state)).not.toContain(PAN);
  });
});

describe("cancel in every state", () => {
  const expected: { [k in StateKind]: { to: StateKind | "same"; must?: string[]; outcome?: string } } = {
    idle: { to: "same" },
    amountEntered: { to: "idle", must: ["recordResult", "clearSaleInFlight"], outcome: "cancelled" },
    presentCard: { to: "idle", must: ["stopPolling", "recordResult", "clearSaleInFlight"], outcome: "cancelled" },
    fieldOff: { to: "idle", must: ["recordResult", "clearSaleInFlight"], outcome: "cancelled" },
    reading: { to: "same", must: ["refuse"] },
    cardReadOk: { to: "idle", must: ["recordResult", "clearSaleInFlight"], outcome: "cancelled" },
    authorising: { to: "error", must: ["reverseInFlight", "recordResult", "clearSaleInFlight"], outcome: "cancelled" },
    approved: { to: "idle" },
    declined: { to: "idle" },
    error: { to: "idle" },
    notConfigured: { to: "idle" },
    clockInvalid: { to: "idle" },
    reversalQueueFull: { to: "idle" },
  };
  for (const k of ALL_KINDS) {
    it(`${k}: ${expected[k].to === "same" ? (k === "reading" ? "refused" : "nothing to cancel") : "→ " + expected[k].to}`, () => {
      const s = reach(k);
      const t = step(s, { type: "cancel" });
      const x = expected[k];
      if (x.to === "same") expect(t.state).toBe(s);
      else expect(t.state.kind).toBe(x.to);
      for (const m of x.must || []) expect(types(t.effects)).toContain(m);
      if (x.outcome) expect(find(t.effects, "recordResult")?.result.outcome).toBe(x.outcome);
      if (s.deadlineId && x.to !== "same") expect(find(t.effects, "clearDeadline")?.id).toBe(s.deadlineId);
    });
  }

  it("refused only while reading: accepted again once the card is read", () => {
    const r = reach("reading");
    const refused = step(r, { type: "cancel" });
    expect(find(refused.effects, "refuse")?.code).toBe("CANCEL_DURING_READ");
    const ok = step(refused.state, ev.outcome(OUTCOMES.online)(refused.state));
    expect(ok.state.kind).toBe("cardReadOk");
    const c = step(ok.state, { type: "cancel" });
    expect(c.state.kind).toBe("idle");
    expect(find(c.effects, "recordResult")?.result).toMatchObject({ outcome: "cancelled", reason: "CANCELLED", maskedPan: MASKED, reversal: false });
  });

  it("cancel while authorising reverses the request in flight (reason cancelled)", () => {
    const t = step(reach("authorising"), { type: "cancel" });
    expect(find(t.effects, "reverseInFlight")?.reason).toBe("cancelled");
    expect(find(t.effects, "recordResult")?.result.reversal).toBe(true);
    expect(types(t.effects).indexOf("reverseInFlight")).toBeLessThan(types(t.effects).indexOf("recordResult"));
  });
});

describe("deadlines", () => {
  it("every state but idle has one, named after it, with the configured time", () => {
    const ms: { [k in StateKind]: number } = {
      idle: 0,
      amountEntered: CFG.checkTimeoutMs,
      presentCard: CFG.tapTimeoutMs,
      fieldOff: 1300 + CFG.fieldOffMarginMs,
      reading: CFG.readTimeoutMs,
      cardReadOk: CFG.saveTimeoutMs,
      authorising: CFG.authTimeoutMs,
      approved: CFG.resultMs,
      declined: CFG.resultMs,
      error: CFG.resultMs,
      notConfigured: CFG.resultMs,
      clockInvalid: CFG.resultMs,
      reversalQueueFull: CFG.resultMs,
    };
    expect(CFG.tapTimeoutMs).toBe(30000);
    for (const k of ALL_KINDS) {
      const s = reach(k);
      if (k === "idle") {
        expect(s.deadlineId).toBeNull();
        continue;
      }
      expect(s.deadlineId).toBe(k + "#" + s.seq);
    }
    // The time is in the setDeadline effect of the transition into the state.
    const t = run(idleState(0), [ev.sale(1250), ev.ready]);
    expect(find(t.effects, "setDeadline")?.ms).toBe(ms.presentCard);
    const f = run(idleState(0), [ev.sale(1250), ev.ready, ev.card, ev.outcome(OUTCOMES.seePhone)]);
    expect(find(f.effects, "setDeadline")?.ms).toBe(ms.fieldOff);
  });

  const ends: { from: StateKind; to: StateKind; reason?: string; must?: string[] }[] = [
    { from: "amountEntered", to: "error", reason: "CHECK_TIMEOUT" },
    { from: "presentCard", to: "idle", reason: "TAP_TIMEOUT", must: ["stopPolling", "clearSaleInFlight"] },
    { from: "fieldOff", to: "presentCard", must: ["startPolling"] },
    { from: "reading", to: "error", reason: "READ_TIMEOUT", must: ["clearSaleInFlight"] },
    { from: "cardReadOk", to: "error", reason: "SAVE_TIMEOUT", must: ["clearSaleInFlight"] },
    { from: "authorising", to: "error", reason: "AUTH_TIMEOUT", must: ["reverseInFlight", "recordResult", "clearSaleInFlight"] },
    { from: "approved", to: "idle" },
    { from: "declined", to: "idle" },
    { from: "error", to: "idle" },
    { from: "notConfigured", to: "idle" },
    { from: "clockInvalid", to: "idle" },
    { from: "reversalQueueFull", to: "idle" },
  ];
  for (const d of ends) {
    it(`${d.from}: deadline → ${d.to}${d.reason ? " (" + d.reason + ")" : ""}`, () => {
      const s = reach(d.from);
      const t = step(s, ev.deadline(s));
      expect(t.state.kind).toBe(d.to);
      for (const m of d.must || []) expect(types(t.effects)).toContain(m);
      if (d.reason) expect(find(t.effects, "recordResult")?.result.reason).toBe(d.reason);
    });
  }

  it("the authorization timeout queues a reversal before anything is shown", () => {
    const s = reach("authorising");
    const t = step(s, ev.deadline(s));
    expect(find(t.effects, "reverseInFlight")?.reason).toBe("no_answer");
    expect(find(t.effects, "recordResult")?.result).toMatchObject({ outcome: "notAuthorised", reason: "AUTH_TIMEOUT", reversal: true });
    expect(types(t.effects).indexOf("reverseInFlight")).toBeLessThan(types(t.effects).indexOf("showUi"));
  });
});

describe("restarts", () => {
  it("See Phone: the field goes off for the hold time, then polling again with the amount kept and See Phone shown", () => {
    const s = reach("reading");
    const t = step(s, ev.outcome(OUTCOMES.seePhone)(s));
    expect(t.state.kind).toBe("fieldOff");
    expect(find(t.effects, "fieldOff")?.ms).toBe(1300);
    expect(find(t.effects, "showUi")?.request.messageId).toBe(UiMessage.SeePhone);
    expect(t.state.sale).toEqual({ id: "", amountMinor: 1250, currency: 978, restarts: 1 });
    const p = step(t.state, ev.fieldOffDone(t.state));
    expect(p.state.kind).toBe("presentCard");
    expect(p.state.sale?.amountMinor).toBe(1250);
    expect(find(p.effects, "showUi")?.request).toMatchObject({ messageId: UiMessage.SeePhone, status: "READY_TO_READ" });
    expect(find(p.effects, "showUi")?.ctx.amountMinor).toBe(1250);
    expect(types(p.effects)).toContain("startPolling");
  });

  it("Try Again (card gone): Present Card Again, same amount, no field off", () => {
    const s = reach("reading");
    const t = step(s, ev.outcome(OUTCOMES.cardGone)(s));
    expect(t.state.kind).toBe("presentCard");
    expect(find(t.effects, "showUi")?.request.messageId).toBe(UiMessage.PresentCardAgain);
    expect(types(t.effects)).not.toContain("fieldOff");
  });

  it("Try Another Card: back to present card with the message, amount kept", () => {
    const s = reach("reading");
    const t = step(s, ev.outcome(OUTCOMES.tryAnotherCard)(s));
    expect(t.state.kind).toBe("presentCard");
    expect(t.state.ui?.messageId).toBe(UiMessage.TryAnotherCard);
    expect(find(t.effects, "beep")?.kind).toBe("alert");
    expect(t.state.sale?.amountMinor).toBe(1250);
  });

  it("over the contactless limit: another card cannot help, error with the outcome's message", () => {
    const s = reach("reading");
    const t = step(s, ev.outcome(OUTCOMES.overLimit)(s));
    expect(t.state.kind).toBe("error");
    expect(find(t.effects, "showUi")?.request.messageId).toBe(UiMessage.OverContactlessLimit);
    expect(t.state.result?.reason).toBe("EMV_LIMIT_EXCEEDED");
  });

  it("Present One Card: a collision asks again, same state, polling and tap deadline untouched", () => {
    const s = reach("presentCard");
    const t = step(s, { type: "collision", ref: s.seq, targets: 2 });
    expect(t.state.kind).toBe("presentCard");
    expect(t.state.seq).toBe(s.seq);
    expect(t.state.deadlineId).toBe(s.deadlineId);
    expect(find(t.effects, "showUi")?.request.messageId).toBe(UiMessage.PresentOneCardOnly);
    expect(types(t.effects)).not.toContain("startPolling");
    // The card then comes alone: read as usual.
    expect(step(t.state, ev.card(t.state)).state.kind).toBe("reading");
  });

  it("restarts are bounded: past maxRestarts the sale ends in error TOO_MANY_ATTEMPTS", () => {
    let s = reach("reading");
    for (let i = 0; i < CFG.maxRestarts; i++) {
      s = step(s, ev.outcome(OUTCOMES.cardGone)(s)).state;
      expect(s.kind).toBe("presentCard");
      s = step(s, ev.card(s)).state;
    }
    const t = step(s, ev.outcome(OUTCOMES.cardGone)(s));
    expect(t.state.kind).toBe("error");
    expect(t.state.result?.reason).toBe("TOO_MANY_ATTEMPTS");
  });
});

describe("stale events are ignored", () => {
  it("a kernel outcome that arrives after the read deadline changed nothing (no authorization, nothing charged)", () => {
    const r = reach("reading");
    const late: TerminalEvent = { type: "kernelOutcome", ref: r.seq, outcome: OUTCOMES.online() };
    const timedOut = step(r, ev.deadline(r)).state;
    expect(timedOut.kind).toBe("error");
    const t = step(timedOut, late);
    expect(t.state).toBe(timedOut);
    expect(t.effects).toEqual([]);
    // Even after a new sale has reached reading again.
    const again = run(step(timedOut, { type: "cancel" }).state, [ev.sale(700), ev.ready, ev.card]).state;
    expect(again.kind).toBe("reading");
    expect(step(again, late).state).toBe(again);
  });

  it("an authorization result after the authorization deadline is dropped (the reversal stands)", () => {
    const a = reach("authorising");
    const late = ev.approved(a);
    const e = step(a, ev.deadline(a)).state;
    const t = step(e, late);
    expect(t.state).toBe(e);
    expect(t.effects).toEqual([]);
  });

  it("a timer of a state already left does nothing", () => {
    const p = reach("presentCard");
    const oldTap = ev.deadline(p);
    const r = step(p, ev.card(p)).state;
    expect(step(r, oldTap).state).toBe(r);
    // The See Phone restart re-enters presentCard: the first tap deadline is not the new one.
    const back = run(r, [ev.outcome(OUTCOMES.seePhone), ev.fieldOffDone]).state;
    expect(back.kind).toBe("presentCard");
    expect(step(back, oldTap).state).toBe(back);
  });

  it("events no state expects change nothing: a card in idle, a field-off done after cancel, a result shown twice", () => {
    const idle = idleState(3);
    expect(step(idle, { type: "cardDetected", ref: 3 }).state).toBe(idle);
    const f = reach("fieldOff");
    const cancelled = step(f, { type: "cancel" }).state;
    expect(step(cancelled, ev.fieldOffDone(f)).state).toBe(cancelled);
    const ap = reach("approved");
    const shown = step(ap, { type: "resultShown", ref: ap.seq }).state;
    expect(step(shown, { type: "resultShown", ref: ap.seq }).state).toBe(shown);
  });
});
