// The repository's own boards: every board/<name>/main.ts builds, passes the source check
// and the final-bundle check, and fits its budget. The selftest also runs in the real
// Espruino 2v29 interpreters (host/espruino-dir.ts): the 64-bit `espruino` with the bundle as
// a plain file, and `espruino-esp32` (16,383 JsVars, as an ESP32) with the bundle written to
// Storage and load()ed, as a board runs saved code. Skipped, with the reason in the title,
// only where the interpreters are missing (CI has them: .ci/run).
import { afterAll, describe, expect, it } from "vitest";
import { buildAll, checkBundle, formatProblem } from "../../build.mjs";
import { BUDGETS, FIRMWARE_BUDGETS, PART_BUDGET } from "../../build/budgets.mjs";
import { espruinoSkipReason, runInEspruino, runInEspruinoFromFlash, removeTempDirs, titled } from "./helpers";

const NO_ESPRUINO = espruinoSkipReason("espruino");
const NO_ESPRUINO_ESP32 = espruinoSkipReason("espruino-esp32");

/** One `SELFTEST PASS n/n` verdict, a `memory` line, and no line of trouble from the interpreter. */
function expectSelftestPassed(out: string): void {
  const lines = out.split("\n").map((l) => l.trim());
  const verdicts = lines.filter((l) => l.startsWith("SELFTEST "));
  expect(verdicts, out).toHaveLength(1);
  expect(verdicts[0], out).toMatch(/^SELFTEST PASS (\d+)\/\1$/);
  expect(lines.filter((l) => /Uncaught|ASSERT|MEMORY/.test(l)), out).toEqual([]);
  expect(lines.some((l) => /^memory free \d+ usage \d+ total \d+$/.test(l)), out).toBe(true);
}

afterAll(removeTempDirs);

describe("the repository's boards", () => {
  const built = buildAll({ write: false });

  it("all build with no refusal", async () => {
    const r = await built;
    expect(r.problems.map(formatProblem)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.boards.map((b) => b.name)).toContain("selftest");
  }, 300000); // the property analysis (build/mangle-props.mjs) type-checks src/ and board/ once

  it("every bundle passes the final-bundle check again and fits its budget", async () => {
    for (const b of (await built).boards) {
      expect(checkBundle(b.code)).toEqual([]);
      expect(b.bytes).toBeLessThanOrEqual(b.budget);
      expect(b.code).not.toMatch(/__require|__toESM|__commonJS/);
    }
  }, 300000);

  it("budgets are the documented ones", () => {
    expect(BUDGETS).toEqual({ selftest: 98304, esp32: 65536, "espruino-wifi": 69632, bench: 81920 });
    expect(PART_BUDGET).toBe(16384);
    expect(FIRMWARE_BUDGETS).toEqual({ "espruino-wifi": 113664 });
  });

  it.skipIf(NO_ESPRUINO)(titled("the selftest bundle passes as a plain file in the 64-bit espruino (espruino dist/selftest.js)", NO_ESPRUINO), async () => {
    const selftest = (await built).boards.find((b) => b.name === "selftest")!;
    expectSelftestPassed(runInEspruino(selftest.code, "espruino"));
  }, 120000);

  it.skipIf(NO_ESPRUINO_ESP32)(titled("the selftest file passes as a plain file in espruino-esp32: it installs itself into Storage and runs from flash (build/self-install.mjs)", NO_ESPRUINO_ESP32), async () => {
    const selftest = (await built).boards.find((b) => b.name === "selftest")!;
    expect(selftest.code.startsWith("// Installs the bundle below into Storage")).toBe(true);
    const out = runInEspruino(selftest.code, "espruino-esp32");
    expectSelftestPassed(out);
    expect(out).toMatch(/^memory free \d+ usage \d+ total 16383$/m);
  }, 120000);

  it.skipIf(NO_ESPRUINO_ESP32)(titled("the selftest bundle passes from Storage, load()ed as a board runs it, in espruino-esp32", NO_ESPRUINO_ESP32), async () => {
    const selftest = (await built).boards.find((b) => b.name === "selftest")!;
    const out = runInEspruinoFromFlash(selftest.code, "espruino-esp32");
    expectSelftestPassed(out);
    expect(out).toMatch(/^memory free \d+ usage \d+ total 16383$/m); // the ESP32 layout
  }, 120000);
});
