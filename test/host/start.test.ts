/**
 * `npm start` (host/start.ts): the selftest, then the reference acquirer on loopback and one
 * online sale per wallet against it, as real processes over real sockets. Run twice on the
 * same --state folder: the second run goes on with the next STAN and new ATCs, so nothing is
 * declined as a replay.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../host/espruino-dir";

const state = mkdtempSync(join(tmpdir(), "tappos-start-"));
afterAll(() => rmSync(state, { recursive: true, force: true }));

const start = (args: string[]) =>
  spawnSync(process.execPath, [join(PROJECT_ROOT, "host/run.mjs"), "host/start.ts", ...args], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 120000 });

describe("npm start", () => {
  it("passes the selftest, then gets three sales approved by the acquirer, twice on one state folder", () => {
    const stans: string[] = [];
    for (let run = 0; run < 2; run++) {
      const r = start(["--state", state]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/SELFTEST PASS \d+\/\d+/);
      expect(r.stdout).toMatch(/^acquirer listening on http:\/\/127\.0\.0\.1:\d+$/m);
      expect(r.stdout.match(/^ {2}APPROVED 00 /gm)).toHaveLength(3);
      expect(r.stdout).toContain("npm start: selftest PASS, online sales all approved");
      for (const m of r.stdout.matchAll(/request: STAN (\d{6})/g)) stans.push(m[1]);
      // No full PAN anywhere in what it prints.
      for (const pan of ["4761730000000110", "5413330000000035", "6234560000000123"]) expect(r.stdout).not.toContain(pan);
    }
    expect(stans).toEqual(["000001", "000002", "000003", "000004", "000005", "000006"]);
  });

  it("refuses --state without a folder with exit 2", () => {
    const r = start(["--state"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--state needs a folder");
  });
});
