import { describe, expect, it } from "vitest";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { toHex } from "../../src/bytes/hex";
import { preprocess } from "../../src/emv/preprocessing";

describe("prepared entry-point configuration (AIDs parsed once)", () => {
  it("defaultEntryPointConfig parses every AID ahead of the taps; a tap reuses the bytes", () => {
    const config = defaultEntryPointConfig();
    for (const a of config.aids) expect(a.aidParsed && toHex(a.aidParsed.bytes)).toBe(a.aid);
    const combs = preprocess(config, { amountMinor: 100 });
    expect(combs[0].aid).toBe(config.aids[0].aidParsed!.bytes);
    expect(preprocess(config, { amountMinor: 100 })[0].aid).toBe(combs[0].aid);
  });

  it("an AID changed after preparation is parsed again; a malformed one is still reported on the tap", () => {
    const config = defaultEntryPointConfig();
    config.aids[0].aid = "A0000000032010";
    expect(toHex(preprocess(config, { amountMinor: 100 })[0].aid)).toBe("A0000000032010");
    config.aids[0].aid = "A000";
    expect(() => preprocess(config, { amountMinor: 100 })).toThrow(/AID must be/);
  });
});
