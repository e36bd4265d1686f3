// npm run bench: each section run in-process with tiny counts. Structure and invariants only —
// no timing assertion (the figures are for people; docs/architecture.md "Timing model").
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBenchArgs, DEFAULT_CASES } from "../../host/bench";
import { benchBundles, bundleTables, REPO } from "../../host/bench/bundles";
import { benchCpu, cpuTables } from "../../host/bench/cpu";
import { benchFuzz, fuzzTables } from "../../host/bench/fuzz";
import { benchInterpreter, interpreterTables } from "../../host/bench/interpreter";
import { formatTable, type BenchTable } from "../../host/bench/table";
import { LINKS } from "../../host/bench/tap-rig";
import { benchTaps, tapTables } from "../../host/bench/taps";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { runKernelFuzz } from "../../host/fuzz/kernel-fuzz";
import { budgetFor } from "../../build/budgets.mjs";

/** Every row has one cell per column, every cell is a string or a finite number, and the text form has a line per row. */
function wellFormed(t: BenchTable): void {
  expect(t.id).toMatch(/^[a-z][a-z0-9-]*$/);
  expect(t.title.length).toBeGreaterThan(0);
  expect(t.columns.length).toBeGreaterThan(0);
  for (const r of t.rows) {
    expect(r).toHaveLength(t.columns.length);
    for (const c of r) expect(typeof c === "string" || Number.isFinite(c)).toBe(true);
  }
  const text = formatTable(t).split("\n");
  expect(text[0]).toBe(t.title);
  expect(text).toHaveLength(3 + t.rows.length + t.notes.length);
  expect(JSON.parse(JSON.stringify(t))).toEqual(t);
}

describe("bench arguments", () => {
  it("defaults, options and refusals", () => {
    expect(parseBenchArgs([])).toMatchObject({ json: false, cases: DEFAULT_CASES, seed: 1 });
    expect(parseBenchArgs(["--json", "--cases", "500", "--seed", "9", "--link-profile", "card-visa"])).toMatchObject({
      json: true,
      cases: 500,
      seed: 9,
      linkProfile: "card-visa",
    });
    expect(parseBenchArgs(["--cases=0", "--seed=4294967295", "--cpu-ms=1"])).toMatchObject({ cases: 0, seed: 4294967295, cpuMs: 1 });
  });

  // [arguments, what the one-line message says]
  const refused: [string[], string][] = [
    [["--cases", "many"], '--cases "many" is not a whole number'],
    [["--cases", "1e3"], '--cases "1e3" is not a whole number'],
    [["--cases", "-5"], '--cases "-5" is not a whole number'],
    [["--cases", "2.5"], '--cases "2.5" is not a whole number'],
    [["--cases", ""], '--cases "" is not a whole number'],
    [["--cases", "999999999999"], "is not a whole number 0…100000000"],
    [["--cpu-ms", "0"], '--cpu-ms "0" is not a whole number 1…'],
    [["--seed", "4294967296"], '--seed "4294967296"'],
    [["--cases"], "--cases needs a value"],
    [["--cases", "--json"], "--cases needs a value"],
    [["--fast"], "unknown option --fast"],
    [["extra"], "unknown option extra"],
    [["--json=yes"], "--json takes no value"],
    [["--seed", "1", "--seed", "2"], "--seed given twice"],
    [["--link-profile", "nope"], '--link-profile: unknown profile "nope"'],
  ];
  for (const [args, message] of refused) {
    it(`refuses ${JSON.stringify(args)} with BENCH_USAGE, one line`, () => {
      let caught: { code?: string; message?: string } | null = null;
      try {
        parseBenchArgs(args);
      } catch (e) {
        caught = e as { code?: string; message?: string };
      }
      expect(caught?.code).toBe("BENCH_USAGE");
      expect(caught?.message).toContain(message);
      expect(caught?.message).not.toContain("\n");
    });
  }
});

describe("table 1: kernel fuzz", () => {
  it("200 cases in chunks: every case counted once, no violation", async () => {
    const f = await benchFuzz({ cases: 200, seed: 5, chunk: 64 });
    expect(f.cases).toBe(200);
    expect(f.violationCount).toBe(0);
    expect(f.violations).toEqual([]);
    const sum = (m: { [k: string]: number }) => Object.values(m).reduce((a, b) => a + b, 0);
    expect(sum(f.byType)).toBe(200);
    expect(sum(f.byReason)).toBe(200);
    expect(f.apdus).toBeGreaterThan(200);
    const tables = fuzzTables(f);
    expect(tables.map((t) => t.id)).toEqual(["fuzz", "fuzz-types", "fuzz-reasons"]);
    tables.forEach(wellFormed);
    expect(tables[0].rows[0].slice(0, 3)).toEqual([200, f.apdus, 0]);
  });

  it("chunks are seeds seed, seed+1 …: the same cases as runKernelFuzz per seed", async () => {
    const f = await benchFuzz({ cases: 120, seed: 3, chunk: 60 });
    const a = await runKernelFuzz(3, 60);
    const b = await runKernelFuzz(4, 60);
    expect(f.apdus).toBe(a.apdus + b.apdus);
    for (const k of Object.keys(f.byReason)) expect(f.byReason[k]).toBe((a.byReason[k] ?? 0) + (b.byReason[k] ?? 0));
  });
});

describe("table 2: simulated taps", () => {
  it("one profile over I2C 400 kHz and two links: split adds up, outcome defined", async () => {
    const t = await benchTaps({ profiles: ["card-visa"], linkProfile: "card-visa", links: [LINKS[1], LINKS[4]] });
    expect(t.profiles).toHaveLength(1);
    expect(t.links.map((r) => r.link)).toEqual([LINKS[1].name, LINKS[4].name]);
    for (const r of t.profiles.concat(t.links)) {
      expect(r.outcome).toBe("ONLINE_REQUEST");
      expect(r.apdus).toBe(4); // PPSE, SELECT, GPO, READ RECORD
      expect(r.rfMs).toBeGreaterThan(0);
      expect(r.cardMs).toBeGreaterThan(0);
      expect(r.limitMs).toBeCloseTo(r.rfMs + r.cardMs, 9);
      expect(r.overheadMs).toBeCloseTo(r.totalMs - r.limitMs, 9);
      expect(r.overheadMs).toBeGreaterThan(0);
      expect(r.linkMs).toBeGreaterThan(0);
    }
    // Same card, same RF and card time whatever the host link.
    expect(t.links[0].limitMs).toBeCloseTo(t.links[1].limitMs, 9);
    const tables = tapTables(t);
    expect(tables.map((x) => x.id)).toEqual(["taps", "links"]);
    tables.forEach(wellFormed);
  });

  it("a see-phone profile gets its second tap; every profile name is known to the table", async () => {
    const t = await benchTaps({ profiles: ["applepay-visa"], links: [] });
    expect(t.profiles.map((r) => [r.tap, r.reason])).toEqual([
      [1, "EMV_SEE_PHONE"],
      [2, "OK"],
    ]);
    expect(PROFILE_NAMES).toContain(t.linkProfile);
  });
});

describe("table 3: host CPU", () => {
  it("in-process: every work item measured, rates consistent", async () => {
    const c = await benchCpu({ budgetMs: 2, spawn: false });
    expect(c.jitless).toBeNull();
    expect(c.jit.map((x) => x.name.split(",")[0])).toEqual([
      "TLV parseTlv tree",
      "TLV collectTlv record",
      "PN532 frame encode",
      "PN532 frame decode",
      "entry point + C-3 Visa qVSDC (4 APDUs)",
      "entry point + C-2 Mastercard (6 APDUs)",
      "entry point + C-7 UnionPay qUICS (4 APDUs)",
    ]);
    for (const x of c.jit) {
      expect(x.ops).toBeGreaterThan(0);
      expect(x.usPerOp * x.opsPerSec).toBeCloseTo(1e6, 3);
    }
    cpuTables(c).forEach(wellFormed);
  });

  it("child processes: JIT and --jitless rows", async () => {
    const c = await benchCpu({ budgetMs: 1 });
    expect(c.jitless).toHaveLength(c.jit.length);
    const t = cpuTables(c)[0];
    wellFormed(t);
    for (const r of t.rows) expect(r[3]).not.toBe("-");
  }, 60000);
});

describe("tables 4 and 5: bundles and interpreter", () => {
  it("bundle figures of dist/*.js, with the board's budget", async () => {
    const root = mkdtempSync(join(tmpdir(), "tappos-bench-"));
    try {
      mkdirSync(join(root, "dist"));
      writeFileSync(join(root, "dist", "selftest.js"), "print('x');".repeat(500));
      writeFileSync(join(root, "dist", "notes.txt"), "not a bundle");
      const b = await benchBundles({ root });
      expect(b.built).toBe(false);
      expect(b.bundles).toEqual([{ file: "dist/selftest.js", bytes: 5500, gzipBytes: expect.any(Number), budget: budgetFor("selftest") }]);
      expect(b.bundles[0].gzipBytes).toBeLessThan(200);
      const t = bundleTables(b)[0];
      wellFormed(t);
      expect(t.rows[0][4]).toBe(((5500 / budgetFor("selftest")) * 100).toFixed(1) + " %");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("no interpreter: skipped cleanly", () => {
    const i = benchInterpreter({ bin: null });
    expect(i.skipped).toBe("interpreter: not found, skipped");
    const t = interpreterTables(i)[0];
    wellFormed(t);
    expect(t.rows).toEqual([]);
    expect(formatTable(t)).toContain("interpreter: not found, skipped");
  });
});

describe("npm run bench -- --json", () => {
  it("prints one JSON object with every table; exit 0 without violations; interpreter skipped when absent", () => {
    const r = spawnSync(process.execPath, [join(REPO, "host/run.mjs"), "host/bench.ts", "--json", "--cases", "300", "--cpu-ms", "1", "--link-profile", "card-visa"], {
      cwd: REPO,
      encoding: "utf8",
      timeout: 120000,
      env: Object.assign({}, process.env, { ESPRUINO_DIR: join(REPO, "no-such-espruino") }),
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.failures).toEqual([]);
    // The profile by source file and function needs no interpreter (V8 coverage of the bench board).
    expect(j.tables.map((t: BenchTable) => t.id)).toEqual(["fuzz", "fuzz-types", "fuzz-reasons", "taps", "links", "cpu", "bundles", "interpreter", "js-profile-files", "js-profile-functions", "esp32-memory", "espruino-wifi-memory"]);
    j.tables.forEach(wellFormed);
    expect(j.esp32Memory.rows).toEqual([]);
    expect(j.esp32Memory.skipped).toMatch(/^esp32 memory: .*not found.*skipped$/);
    expect(j.espruinoWifiMemory.skipped).toMatch(/^espruino-wifi memory: .*not found.*skipped$/);
    expect(j.jsProfile.runs.map((p: { kernel: string }) => p.kernel)).toEqual(["UnionPay C-7", "Visa C-3", "Mastercard C-2"]);
    expect([j.fuzz.cases, j.fuzz.violationCount]).toEqual([300, 0]);
    expect(j.taps.profiles.map((p: { profile: string }) => p.profile)).toEqual(expect.arrayContaining(PROFILE_NAMES));
    expect(j.taps.links).toHaveLength(LINKS.length);
    expect(j.interpreter.skipped).toBe(`interpreter: espruino-esp32 not found in ${join(REPO, "no-such-espruino")} (set $ESPRUINO_DIR), skipped`);
  }, 120000);

  it("refuses an unknown option with exit code 2", () => {
    const r = spawnSync(process.execPath, [join(REPO, "host/run.mjs"), "host/bench.ts", "--nope"], { cwd: REPO, encoding: "utf8", timeout: 60000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    // One line, no usage dump and no stack trace.
    expect(r.stderr).toBe("bench: unknown option --nope (npm run bench -- --help lists the options)\n");
    const bad = spawnSync(process.execPath, [join(REPO, "host/run.mjs"), "host/bench.ts", "--cases", "10", "--cpu-ms", "x"], { cwd: REPO, encoding: "utf8", timeout: 60000 });
    // Refused before the fuzz of --cases 10 ran: nothing on stdout.
    expect([bad.status, bad.stdout]).toEqual([2, ""]);
    expect(bad.stderr.trim().split("\n")).toEqual(['bench: --cpu-ms "x" is not a whole number 1…600000 (npm run bench -- --help lists the options)']);
  }, 60000);
});
