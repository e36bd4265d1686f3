// The RF field in the simulated PN532 (RFConfiguration CfgItem 01, UM0701-02 §7.3.1) and the
// phone that said "see phone": it stays in the field and answers activation again only after
// the reader switched the field off for at least T_RESET_MS (Book A §6.2 Field Off Request).
import { describe, it, expect } from "vitest";
import { fromHex } from "../../src/bytes/hex";
import { simpleTarget } from "../../src/sim/simple-target";
import { T_RESET_MS } from "../../src/sim/sim-timing";
import { asksToSeePhone } from "../../src/sim/virtual-target";
import { ACK, ans, chipFixture } from "./chip-fixture";

const PHONE_LISTED = "4B01" + "01" + "0004" + "20" + "04" + "08123456" + "0578807002";
const GPO = "80A8000002830000";
const SEE_PHONE = "6986";

/** A phone answering GPO 6986 (C-3 Req 5.2.2.2) and everything else 9000. */
function seePhonePhone() {
  return simpleTarget({ answer: (c) => fromHex(c[1] === 0xa8 ? SEE_PHONE : "9000") });
}

/** Lists the phone, sends GPO (→ 6986), releases it; MxRtyPassiveActivation 2 so an empty poll ends. */
function afterSeePhone(needsReset: boolean) {
  const f = chipFixture({ targets: [seePhonePhone()], seePhoneNeedsFieldReset: needsReset });
  f.send("3205FF0102");
  f.run();
  f.send("4A0100");
  expect(f.frames()).toEqual([ACK, ans(PHONE_LISTED)]);
  f.send("4001" + GPO);
  expect(f.frames()[1]).toBe(ans("4100" + SEE_PHONE));
  f.send("5200");
  expect(f.frames()[1]).toBe(ans("5300"));
  return f;
}

describe("RFConfiguration item 01: the field, byte for byte (UM0701-02 §7.3.1)", () => {
  it("D4 32 01 00 switches the field off, D4 32 01 01 on; each answered D5 33", () => {
    const f = chipFixture({ targets: [simpleTarget()] });
    f.send("4A0100");
    f.run();
    f.raw("0000FF04FCD4320100F900"); // RFConfiguration CfgItem 01, ConfigurationData 00: RF off
    expect(f.frames()).toEqual([ACK, "0000FF02FED533F800"]);
    expect(f.chip.rfOn).toBe(false);
    expect(f.chip.active).toEqual([null, null]);
    f.clock.advanceAndRun(1300);
    f.raw("0000FF04FCD4320101F800"); // ConfigurationData 01: RF on, AutoRFCA off
    expect(f.frames()).toEqual([ACK, "0000FF02FED533F800"]);
    expect(f.chip.rfOn).toBe(true);
    // The off period as the chip saw it: the 1300 ms hold plus the second command's 2 ms.
    expect(f.chip.fieldOffs.length).toBe(1);
    expect(f.chip.fieldOffs[0].ms).toBeCloseTo(1302, 6);
  });

  it("InListPassiveTarget switches a field left off back on, and that ends the off period too", () => {
    const f = chipFixture({ targets: [simpleTarget()] });
    f.send("320101");
    f.run();
    f.send("320100");
    f.run();
    f.clock.advanceAndRun(50);
    f.send("4A0100");
    expect(f.frames()).toEqual([ACK, ans(PHONE_LISTED)]);
    expect(f.chip.rfOn).toBe(true);
    expect(f.chip.fieldOffs.map((o) => Math.round(o.ms))).toEqual([51]);
  });
});

describe("a phone after 'see phone' (seePhoneNeedsFieldReset)", () => {
  it("is not listed again while the field stays on: InRelease is not enough", () => {
    const f = afterSeePhone(true);
    f.send("4A0100");
    expect(f.frames()).toEqual([ACK, ans("4B00")]);
  });

  it("is listed again after the field was off for the hold time", () => {
    const f = afterSeePhone(true);
    f.send("320100");
    expect(f.frames()[1]).toBe(ans("33"));
    f.clock.advanceAndRun(1300);
    f.send("320101");
    expect(f.frames()[1]).toBe(ans("33"));
    f.send("4A0100");
    expect(f.frames()).toEqual([ACK, ans(PHONE_LISTED)]);
  });

  it("a field-off shorter than T_RESET_MS does not reset it", () => {
    const f = afterSeePhone(true);
    f.send("320100");
    f.run();
    f.clock.advanceAndRun(T_RESET_MS - 2 - 0.5); // + the on command's 2 ms: still < T_RESET_MS
    f.send("320101");
    f.run();
    expect(f.chip.fieldOffs[0].ms).toBeLessThan(T_RESET_MS);
    f.send("4A0100");
    expect(f.frames()).toEqual([ACK, ans("4B00")]);
  });

  it("without the option the phone comes back at once (the model the bench recording uses)", () => {
    const f = afterSeePhone(false);
    f.send("4A0100");
    expect(f.frames()).toEqual([ACK, ans(PHONE_LISTED)]);
  });
});

describe("asksToSeePhone", () => {
  const GAC = fromHex("80AE8000040000125000");
  // [command, response, asks]
  const CASES: [string, Uint8Array, string, boolean][] = [
    ["GPO 6986 (C-3, C-7)", fromHex(GPO), "6986", true],
    ["GPO 9000", fromHex(GPO), "77 02 82 00 9000", false],
    ["GENERATE AC, DF4B 00 01 00 (C-2: see phone)", GAC, "77 0A 9F 27 01 00 DF 4B 03 00 01 00 9000", true],
    ["GENERATE AC, DF4B 00 00 01 (C-2: bit in byte 3)", GAC, "77 0A 9F 27 01 00 DF 4B 03 00 00 01 9000", true],
    ["GENERATE AC, DF4B 00 10 00 (OD-CVM verified: pay)", GAC, "77 0A 9F 27 01 80 DF 4B 03 00 10 00 9000", false],
    ["GENERATE AC without DF4B", GAC, "77 04 9F 27 01 80 9000", false],
    ["GENERATE AC with malformed TLV", GAC, "77 FF 9F 9000", false],
    ["READ RECORD answer holding DF4B", fromHex("00B2010C00"), "70 06 DF 4B 03 00 01 00 9000", false],
    ["one byte", fromHex(GPO), "90", false],
  ];
  for (const [name, command, response, asks] of CASES) {
    it(`${name}: ${asks}`, () => {
      expect(asksToSeePhone(command, fromHex(response))).toBe(asks);
    });
  }
});
