// Card profiles checked field by field at load (src/sim/profile-check.ts): every named one
// passes; a wrong field is refused with SIM_PROFILE naming its path.
import { describe, expect, it } from "vitest";
import { checkProfile } from "../../src/sim/profile-check";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";

/* eslint-disable @typescript-eslint/no-explicit-any */
function copyOf(name: string): any {
  return JSON.parse(JSON.stringify(profileByName(name)));
}

describe("profile check", () => {
  it("passes every named profile unchanged", () => {
    for (const name of PROFILE_NAMES) {
      const p = copyOf(name);
      expect(checkProfile(p), name).toBe(p);
    }
  });

  // [what, change to a copy of applepay-visa, path in the error]
  const faults: [string, (p: any) => void, string][] = [
    ["an unknown formFactor", (p) => (p.formFactor = "watch"), "formFactor"],
    ["a missing formFactor", (p) => delete p.formFactor, "formFactor"],
    ["an unknown top-level key", (p) => (p.colour = "red"), "colour"],
    ["an unknown key deep inside", (p) => (p.apps[0].keys.imk2 = "00"), "apps[0].keys.imk2"],
    ["a number where text is due", (p) => (p.name = 7), "name"],
    ["a string where a number is due", (p) => (p.timing.defaultMs = "15"), "timing.defaultMs"],
    ["a negative latency", (p) => (p.timing.defaultMs = -1), "timing.defaultMs"],
    ["a non-hex ATS", (p) => (p.rf.ats = "05zz"), "rf.ats"],
    ["a PAN with letters", (p) => (p.apps[0].keys.pan = "4761ABCD"), "apps[0].keys.pan"],
    ["an unknown cryptogram version", (p) => (p.apps[0].keys.version = "visa-cvn99"), "apps[0].keys.version"],
    ["gpo.format 3", (p) => (p.apps[0].gpo.format = 3), "apps[0].gpo.format"],
    ["a record number as text", (p) => (p.apps[0].records[0].record = "1"), "apps[0].records[0].record"],
    ["a TLV pair of three", (p) => p.apps[0].fci.push(["50", "'X", "extra"]), "apps[0].fci[" + 1 + "]"],
    ["a TLV value that is a number", (p) => (p.apps[0].fci[0][1][0][1] = 5), "apps[0].fci[0][1][0][1]"],
    ["no apps", (p) => (p.apps = []), "apps"],
    ["apps as an object", (p) => (p.apps = {}), "apps"],
    ["partialSelect as text", (p) => (p.apps[0].partialSelect = "yes"), "apps[0].partialSelect"],
    ["an insMs key that is no INS", (p) => (p.timing.insMs = { SELECT: 5 }), "timing.insMs.SELECT"],
    ["a seePhone answer of another kind", (p) => (p.quirks.seePhone.answer = "6985"), "quirks.seePhone.answer"],
    ["quirks as a list", (p) => (p.quirks = []), "quirks"],
  ];
  for (const [what, change, path] of faults) {
    it("refuses " + what + " naming " + path, () => {
      const p = copyOf("applepay-visa");
      change(p);
      let caught: any = null;
      try {
        checkProfile(p);
      } catch (e) {
        caught = e;
      }
      expect(caught, "accepted").not.toBeNull();
      expect(caught).toMatchObject({ code: "SIM_PROFILE", path: path, where: path });
      expect(caught.message).toContain(path);
    });
  }

  it("refuses what is no object at all", () => {
    for (const v of [null, 3, "card-visa", []]) expect(() => checkProfile(v)).toThrow(expect.objectContaining({ code: "SIM_PROFILE", path: "(profile)" }));
  });
});
