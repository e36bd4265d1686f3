// The polling loop (UM0701-02 §7.3.5 InListPassiveTarget) on a fake clock and a scripted PN532.
import { describe, it, expect } from "vitest";
import { codedError } from "../../src/bytes/coded-error";
import { Poller } from "../../src/nfc/poller";
import type { PollEvent, PollerOptions } from "../../src/nfc/poller";
import { FakeClock } from "../helpers/fake-clock";
import { Deferred, FakePn532, settle, targetA } from "./fake-pn532";
import type { TargetA } from "../../src/pn532/api";

const PHONE = targetA(1, 0x20, "08A1B2C3", "0578807002");
const CARD = targetA(2, 0x20, "04112233445566", "067577810280", "0044");
const MIFARE = targetA(1, 0x08, "11223344", null);

function rig(options?: PollerOptions) {
  const pn = new FakePn532();
  const clock = new FakeClock();
  const events: PollEvent[] = [];
  const poller = new Poller(pn, clock, (e) => events.push(e), options);
  /** Advances the clock in 1 ms steps, letting promise callbacks run after each. */
  const run = async (ms: number) => {
    for (let i = 0; i < ms; i++) {
      clock.advance(1);
      await settle();
    }
  };
  const polls = () => pn.calls.filter((c) => c.startsWith("inListPassiveTarget")).length;
  return { pn, clock, events, poller, run, polls };
}

describe("Poller", () => {
  it("polls at once, then every 150 ms, until one ISO-DEP target answers; then stops", async () => {
    const r = rig();
    // Nothing for the first polls (an iPhone skips them), then the phone.
    r.pn.listAnswers.push([], [], [], [PHONE]);
    r.poller.start();
    await settle();
    expect(r.polls()).toBe(1);
    expect(r.pn.calls[0]).toBe("inListPassiveTarget 2 100");
    await r.run(149);
    expect(r.polls()).toBe(1);
    await r.run(1);
    expect(r.polls()).toBe(2);
    await r.run(300);
    expect(r.polls()).toBe(4);
    expect(r.events).toEqual([{ type: "target", target: PHONE }]);
    expect(r.poller.polling).toBe(false);
    expect(r.clock.pending()).toBe(0);
    await r.run(1000);
    expect(r.polls()).toBe(4);
  });

  it("keeps polling for seconds while a wallet waits for the customer", async () => {
    const r = rig({ pollIntervalMs: 250 });
    for (let i = 0; i < 20; i++) r.pn.listAnswers.push([]);
    r.pn.listAnswers.push([CARD]);
    r.poller.start();
    await r.run(20 * 250);
    expect(r.polls()).toBe(21);
    expect(r.events).toEqual([{ type: "target", target: CARD }]);
  });

  it("reports two targets as a collision and keeps polling", async () => {
    const r = rig();
    r.pn.listAnswers.push([PHONE, CARD], [PHONE]);
    r.poller.start();
    await settle();
    expect(r.events).toEqual([{ type: "collision", targets: [PHONE, CARD] }]);
    expect(r.poller.polling).toBe(true);
    await r.run(150);
    expect(r.events[1]).toEqual({ type: "target", target: PHONE });
  });

  it("reports a target without ISO-DEP (SAK without 0x20, or no ATS) as unsupported and keeps polling", async () => {
    const r = rig();
    const noAts = targetA(1, 0x20, "08000001", null);
    r.pn.listAnswers.push([MIFARE], [noAts], [PHONE]);
    r.poller.start();
    await r.run(300);
    expect(r.events.map((e) => e.type)).toEqual(["unsupported", "unsupported", "target"]);
    expect((r.events[0] as { target: TargetA }).target).toBe(MIFARE);
  });

  it("reports driver errors and retries after a doubling, bounded back-off", async () => {
    const r = rig({ backoffMs: 500, maxBackoffMs: 1500 });
    const err = () => codedError("LINK_TIMEOUT", "no answer", { waitedMs: 100 });
    r.pn.listAnswers.push(err(), err(), err(), err(), [], [PHONE]);
    r.poller.start();
    await settle();
    const retries = () => r.events.filter((e) => e.type === "error").map((e) => (e as { retryInMs: number }).retryInMs);
    expect(retries()).toEqual([500]);
    await r.run(499);
    expect(r.polls()).toBe(1);
    await r.run(1);
    expect(retries()).toEqual([500, 1000]);
    await r.run(1000);
    expect(retries()).toEqual([500, 1000, 1500]);
    await r.run(1500);
    expect(retries()).toEqual([500, 1000, 1500, 1500]);
    const e0 = r.events[0] as { error: { code: string } };
    expect(e0.error.code).toBe("LINK_TIMEOUT");
    // A good poll resets the back-off and the interval is 150 ms again.
    await r.run(1500);
    expect(r.polls()).toBe(5);
    await r.run(150);
    expect(r.polls()).toBe(6);
    expect(r.events[r.events.length - 1]).toEqual({ type: "target", target: PHONE });
  });

  it("counts a search the driver aborted at pollTimeoutMs (PN532_TIMEOUT) as no target", async () => {
    const r = rig({ pollTimeoutMs: 120 });
    const timeout = () => codedError("PN532_TIMEOUT", "InListPassiveTarget: no answer", { waitedMs: 120 });
    r.pn.listAnswers.push(timeout(), timeout(), [PHONE]);
    r.poller.start();
    await r.run(300);
    expect(r.pn.calls).toEqual(["inListPassiveTarget 2 120", "inListPassiveTarget 2 120", "inListPassiveTarget 2 120"]);
    expect(r.events).toEqual([{ type: "target", target: PHONE }]);
  });

  it("wraps a non-coded failure so the listener always gets a code", async () => {
    const r = rig();
    r.pn.listAnswers.push(new Error("boom"));
    r.poller.start();
    await settle();
    const e = r.events[0] as { error: { code: string; cause: Error } };
    expect(e.error.code).toBe("NFC_INTERNAL");
    expect(e.error.cause.message).toBe("boom");
    r.poller.stop();
  });

  it("stop() clears the pending timer and nothing fires afterwards", async () => {
    const r = rig();
    r.poller.start();
    await settle();
    expect(r.clock.pending()).toBe(1);
    r.poller.stop();
    expect(r.clock.pending()).toBe(0);
    r.pn.listAnswers.push([PHONE]);
    await r.run(1000);
    expect(r.polls()).toBe(1);
    expect(r.events).toEqual([]);
  });

  it("drops an answer still in flight at stop()", async () => {
    const r = rig();
    const d = new Deferred<TargetA[]>();
    r.pn.listAnswers.push(d);
    r.poller.start();
    r.poller.stop();
    d.resolve([PHONE]);
    await r.run(500);
    expect(r.events).toEqual([]);
    expect(r.clock.pending()).toBe(0);
    expect(r.polls()).toBe(1);
  });

  it("a listener may stop the poller from inside an event", async () => {
    const pn = new FakePn532();
    const clock = new FakeClock();
    const seen: string[] = [];
    const poller: Poller = new Poller(pn, clock, (e) => {
      seen.push(e.type);
      poller.stop();
    });
    pn.listAnswers.push([MIFARE]);
    poller.start();
    await settle();
    expect(seen).toEqual(["unsupported"]);
    expect(clock.pending()).toBe(0);
  });

  it("start() during a poll from an earlier run waits for it, then polls afresh", async () => {
    const r = rig();
    const d = new Deferred<TargetA[]>();
    r.pn.listAnswers.push(d, [CARD]);
    r.poller.start();
    r.poller.stop();
    r.poller.start();
    expect(r.polls()).toBe(1); // never two InListPassiveTarget at once
    d.resolve([PHONE]); // answer of the stopped run: dropped
    await settle();
    expect(r.polls()).toBe(2);
    await settle();
    expect(r.events).toEqual([{ type: "target", target: CARD }]);
  });

  it("polls back to back when a poll takes longer than the interval", async () => {
    const r = rig();
    const d = new Deferred<TargetA[]>();
    r.pn.listAnswers.push(d);
    r.poller.start();
    await r.run(200);
    d.resolve([]);
    await settle();
    expect(r.polls()).toBe(1);
    r.clock.advance(0); // the next poll is due now, not 150 ms later
    await settle();
    expect(r.polls()).toBe(2);
    r.poller.stop();
  });

  it("refuses a poll interval outside 100..250 ms", () => {
    for (const ms of [99, 251]) {
      expect(() => rig({ pollIntervalMs: ms })).toThrow(expect.objectContaining({ code: "NFC_BAD_OPTION" }));
    }
  });
});
