// The Field Off Request of an Outcome (Book A §6.2; Outcome.fieldOffMs, ms): set on See Phone
// (C-3 GPO 6986, C-2 DF4B), null otherwise; a Select Next's request rides on the final Outcome.
import { describe, expect, it } from "vitest";
import { keepFieldOff, runEntryPoint } from "../../src/emv/entry-point";
import { makeOutcome, OutcomeType, Start } from "../../src/emv/outcome";
import type { AidConfig, EntryPointConfig } from "../../src/emv/preprocessing";
import { applePayVisa, calendar, config, googlePayMastercard, mcGacAnswer, MASTERCARD, random, VISA, VISA_GPO_CMD, type Exchange } from "../../host/fuzz/emv-fixtures";
import { Script } from "../apdu/script-channel";

async function tap(steps: Exchange[], cfg: EntryPointConfig) {
  const script = new Script(steps);
  const o = await runEntryPoint(script, cfg, { amountMinor: 1250 }, calendar, random);
  script.assertDone();
  return o;
}

describe("Outcome.fieldOffMs", () => {
  it("C-3 GPO 6986 (see phone): the hold time, 1300 ms by default, or the configured one", async () => {
    const seePhone = applePayVisa().slice(0, 2).concat([[VISA_GPO_CMD, "6986"]]);
    expect(await tap(seePhone, config([VISA]))).toMatchObject({ reason: "EMV_SEE_PHONE", start: Start.B, fieldOffMs: 1300 });
    expect((await tap(seePhone, config([VISA], { holdMs: 2000 }))).fieldOffMs).toBe(2000);
  });

  it("C-2 DF4B 00 01 00 (see phone): 1300 ms", async () => {
    const o = await tap(googlePayMastercard(mcGacAnswer("00", "000100")), config([MASTERCARD]));
    expect(o).toMatchObject({ type: OutcomeType.EndApplication, reason: "EMV_SEE_PHONE", fieldOffMs: 1300 });
  });

  const NONE: [string, Exchange[], AidConfig][] = [
    ["Online Request", applePayVisa(), VISA],
    ["Try Again (card gone)", applePayVisa().slice(0, 2).concat([[VISA_GPO_CMD, "error:ISODEP_TIMEOUT"]]), VISA],
    ["DF4B 00 10 00 (no see-phone bit)", googlePayMastercard(mcGacAnswer("80", "001000")), MASTERCARD],
  ];
  for (const [name, steps, aid] of NONE) {
    it(`${name}: null`, async () => {
      expect((await tap(steps, config([aid]))).fieldOffMs).toBeNull();
    });
  }

  it("a Select Next's request rides on the Outcome that ends the tap, unless it has its own", () => {
    const next = makeOutcome(OutcomeType.SelectNext, "EMV_STATUS_WORD", Start.C, null, null);
    next.fieldOffMs = 500;
    const end = makeOutcome(OutcomeType.EndApplication, "EMV_NO_CANDIDATE", Start.NA, null, null);
    expect(keepFieldOff(end, next).fieldOffMs).toBe(500);
    const own = makeOutcome(OutcomeType.TryAgain, "EMV_SEE_PHONE", Start.B, null, null);
    own.fieldOffMs = 1300;
    expect(keepFieldOff(own, next).fieldOffMs).toBe(1300);
  });
});
