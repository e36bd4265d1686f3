// The Field Off Request carried out (src/nfc/field-off.ts): RFConfiguration CfgItem 01
// (UM0701-02 §7.3.1) off, the hold time on the injected clock, then on.
import { describe, it, expect } from "vitest";
import { fieldOffFor } from "../../src/nfc/field-off";
import { setup } from "../pn532/setup";

describe("fieldOffFor", () => {
  it("D4 32 01 00, holds the field off 1300 ms, then D4 32 01 01", async () => {
    const { clock, link, pn } = setup(`
      => 00 00 FF 04 FC D4 32 01 00 F9 00           # RFConfiguration CfgItem 01: RF off
      <= ACK
      <= 00 00 FF 02 FE D5 33 F8 00
      => 00 00 FF 04 FC D4 32 01 01 F8 00           # RF on (AutoRFCA off), after the hold
      <= ACK
      <= D5 33
    `);
    const t0 = clock.now();
    let onAt = -1;
    const wrapped = Object.assign(Object.create(pn), {
      setRfField: (on: boolean) => {
        if (on) onAt = clock.now();
        return pn.setRfField(on);
      },
    });
    await clock.run(fieldOffFor(wrapped, clock, 1300));
    expect(onAt - t0).toBeGreaterThanOrEqual(1300);
    expect(onAt - t0).toBeLessThan(1300 + 5);
    link.done();
  });

  it("a failure to switch the field off rejects without waiting or switching it on", async () => {
    const { clock, link, pn } = setup(`
      => D4 32 01 00
      <= ACK
      <= ERROR
    `);
    const t0 = clock.now();
    await expect(clock.run(fieldOffFor(pn, clock, 1300))).rejects.toMatchObject({ code: expect.stringMatching(/^PN532_/) });
    expect(clock.now() - t0).toBeLessThan(1300);
    link.done();
  });
});
