// host/espruino-dir.ts: the one place that knows where the Espruino 2v29 interpreters are.
// CI (.ci/run) sets TAPPOS_REQUIRE_ESPRUINO=1: there a missing interpreter fails the suite
// instead of skipping the selftest runs in the real interpreter.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { espruinoBinary, espruinoDir, espruinoSkipReason, PROJECT_ROOT, type EspruinoBinary } from "../../host/espruino-dir";
import { REPO } from "./helpers";

const BINARIES: EspruinoBinary[] = ["espruino", "espruino-esp32", "espruino-esp32-rel"];
const saved = process.env.ESPRUINO_DIR;

afterEach(() => {
  if (saved === undefined) delete process.env.ESPRUINO_DIR;
  else process.env.ESPRUINO_DIR = saved;
});

describe("host/espruino-dir.ts", () => {
  it("defaults to a folder outside the repository, beside the project's root; an empty $ESPRUINO_DIR is unset", () => {
    delete process.env.ESPRUINO_DIR;
    expect(PROJECT_ROOT).toBe(REPO);
    const byDefault = espruinoDir();
    expect(byDefault.startsWith(REPO + sep)).toBe(false);
    expect(byDefault.startsWith(dirname(REPO) + sep)).toBe(true);
    process.env.ESPRUINO_DIR = "";
    expect(espruinoDir()).toBe(byDefault);
  });

  it("$ESPRUINO_DIR wins; a binary is found there or reported missing with the folder named", () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-espruino-dir-"));
    try {
      writeFileSync(join(dir, "espruino"), "");
      process.env.ESPRUINO_DIR = dir;
      expect(espruinoDir()).toBe(dir);
      expect(espruinoBinary("espruino")).toBe(join(dir, "espruino"));
      expect(espruinoSkipReason("espruino")).toBeNull();
      expect(espruinoBinary("espruino-esp32")).toBeNull();
      expect(espruinoSkipReason("espruino-esp32")).toBe(`espruino-esp32 not found in ${dir} (set $ESPRUINO_DIR)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(process.env.TAPPOS_REQUIRE_ESPRUINO === "1")("CI: all three interpreters are there (TAPPOS_REQUIRE_ESPRUINO=1)", () => {
    expect(BINARIES.map(espruinoSkipReason)).toEqual([null, null, null]);
  });
});
