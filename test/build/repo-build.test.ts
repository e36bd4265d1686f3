// The repository's own boards: every board/<name>/main.ts builds, passes the source check
// and the final-bundle check, and fits its budget. The selftest also runs on the Espruino
// interpreter when it is available.
import { afterAll, describe, expect, it } from "vitest";
import { buildAll, checkBundle, formatProblem } from "../../build.mjs";
import { BUDGETS } from "../../build/budgets.mjs";
import { espruinoBin, runInEspruino, runInEspruinoFromFlash, removeTempDirs } from "./helpers";

afterAll(removeTempDirs);

describe("the repository's boards", () => {
  const built = buildAll({ write: false });

  it("all build with no refusal", async () => {
    const r = await built;
    expect(r.problems.map(formatProblem)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.boards.map((b) => b.name)).toContain("selftest");
  });

  it("every bundle passes the final-bundle check again and fits its budget", async () => {
    for (const b of (await built).boards) {
      expect(checkBundle(b.code)).toEqual([]);
      expect(b.bytes).toBeLessThanOrEqual(b.budget);
      expect(b.code).not.toMatch(/__require|__toESM|__commonJS/);
    }
  });

  it("budgets are the documented ones", () => {
    expect(BUDGETS).toEqual({ selftest: 81920, esp32: 49152, "espruino-wifi": 49152 });
  });

  it.skipIf(!espruinoBin())("the selftest bundle runs from flash on the Espruino interpreter and passes", async () => {
    const selftest = (await built).boards.find((b) => b.name === "selftest")!;
    const out = runInEspruinoFromFlash(selftest.code);
    expect(out).toMatch(/SELFTEST PASS/);
    expect(out).not.toMatch(/Uncaught|OUT OF MEMORY|SELFTEST FAIL/);
  });

  it.skipIf(!espruinoBin())("the selftest bundle also passes loaded as a plain file (espruino dist/selftest.js)", async () => {
    const selftest = (await built).boards.find((b) => b.name === "selftest")!;
    const out = runInEspruino(selftest.code);
    const verdicts = out.split("\n").filter((l) => l.startsWith("SELFTEST "));
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatch(/^SELFTEST PASS (\d+)\/\1$/);
    expect(out).not.toMatch(/Uncaught|OUT OF MEMORY|LOW_MEMORY|ASSERT/);
  });
});
