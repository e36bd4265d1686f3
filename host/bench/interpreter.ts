/**
 * Table 5: dist/selftest.js in `espruino-esp32`, the Espruino 2v29 Linux build with the
 * ESP32's layout (16,383 JsVars of 14 bytes), found by host/espruino-dir.ts (skipped, with the
 * reason, when it is missing). Run as a board runs saved code: the bundle is written to
 * Storage (the interpreter keeps its flash in its working directory, a fresh temp dir) and
 * started with load(), so function bodies execute from flash (docs/espruino-notes.md
 * "Memory when loading"). The wall time of that run minus a run that only writes Storage is
 * the selftest's own time (interpreter speed on this host CPU; simulated time costs no wall
 * time).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { espruinoBinary, espruinoSkipReason, silentStdin, type EspruinoBinary } from "../espruino-dir";
import { num, type BenchTable } from "./table";
import { REPO } from "./bundles";

export interface InterpreterBench {
  /** The binary used, or null when none was found. */
  bin: string | null;
  bundle: string;
  /** Why nothing ran ("interpreter: espruino-esp32 not found in … (set $ESPRUINO_DIR), skipped"), else null. */
  skipped: string | null;
  /** Wall ms: Storage write + load() + selftest, Storage write alone, their difference. */
  wallMs: number;
  baselineMs: number;
  selftestMs: number;
  exitCode: number | null;
  /** The "memory …" line the selftest prints (process.memory()). */
  memory: string;
  /** "SELFTEST PASS n/n" or "SELFTEST FAIL …", or "" when neither was printed. */
  verdict: string;
  /** Error lines seen (Uncaught, OUT OF MEMORY …). */
  errors: string[];
}

/** The path of an interpreter (default `espruino-esp32`) from host/espruino-dir.ts, or null. */
export function findInterpreter(name: EspruinoBinary = "espruino-esp32"): string | null {
  return espruinoBinary(name);
}

/** A script that writes `code` to Storage file app.js in chunks and, if `run`, load()s it. */
function storageScript(code: string, run: boolean): string {
  const chunk = 2000;
  const lines = ['var S=require("Storage");S.erase("app.js");'];
  for (let i = 0; i < code.length; i += chunk) lines.push(`S.write("app.js",${JSON.stringify(code.slice(i, i + chunk))},${i},${code.length});`);
  lines.push(run ? 'print("--app--");setTimeout(function(){load("app.js");},1);' : 'print("--stored--");');
  return lines.join("\n") + "\n";
}

function runScript(bin: string, script: string, timeoutMs: number): { ms: number; out: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), "tappos-bench-espruino-"));
  try {
    writeFileSync(join(dir, "code.js"), script);
    const t0 = performance.now();
    // stdin /dev/null (read as REPL input otherwise); SIGKILL on timeout (SIGTERM is ignored).
    const stdin = silentStdin();
    const r = spawnSync(bin, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8" });
    stdin.close();
    const ms = performance.now() - t0;
    return { ms, out: ((r.stdout ?? "") + (r.stderr ?? "")).replace(/\r/g, ""), status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function benchInterpreter(opts?: { bin?: string | null; bundle?: string; timeoutMs?: number }): InterpreterBench {
  const given = opts !== undefined && opts.bin !== undefined;
  const bin = given ? (opts.bin as string | null) : findInterpreter();
  const bundle = opts?.bundle ?? join(REPO, "dist", "selftest.js");
  const r: InterpreterBench = { bin, bundle, skipped: null, wallMs: 0, baselineMs: 0, selftestMs: 0, exitCode: null, memory: "", verdict: "", errors: [] };
  if (!bin) {
    r.skipped = "interpreter: " + ((given ? null : espruinoSkipReason("espruino-esp32")) ?? "not found") + ", skipped";
    return r;
  }
  if (!existsSync(bundle)) {
    r.skipped = "interpreter: " + bundle + " not built, skipped";
    return r;
  }
  const code = readFileSync(bundle, "utf8");
  if (!/^[\x00-\x7f]*$/.test(code)) {
    r.skipped = "interpreter: bundle is not ASCII, skipped";
    return r;
  }
  const timeoutMs = opts?.timeoutMs ?? 120000;
  const base = runScript(bin, storageScript(code, false), timeoutMs);
  const full = runScript(bin, storageScript(code, true), timeoutMs);
  r.baselineMs = base.ms;
  r.wallMs = full.ms;
  r.selftestMs = Math.max(0, full.ms - base.ms);
  r.exitCode = full.status;
  const lines = full.out.split("\n").map((l) => l.trim());
  r.memory = lines.find((l) => l.startsWith("memory ")) ?? "";
  r.verdict = lines.find((l) => l.startsWith("SELFTEST ")) ?? "";
  r.errors = lines.filter((l) => /Uncaught|OUT OF MEMORY|ERROR/.test(l)).slice(0, 5);
  if (!base.out.includes("--stored--")) r.errors.unshift("could not write the bundle to Storage");
  return r;
}

export function interpreterTables(i: InterpreterBench): BenchTable[] {
  const t: BenchTable = {
    id: "interpreter",
    title: "Espruino interpreter: dist/selftest.js from flash",
    columns: ["binary", "wall ms", "Storage write ms", "selftest ms", "result", "memory"],
    rows: [],
    notes: [],
  };
  if (i.skipped) t.notes.push(i.skipped);
  else {
    t.rows.push([i.bin as string, num(i.wallMs, 0), num(i.baselineMs, 0), num(i.selftestMs, 0), i.verdict || "no verdict (exit " + i.exitCode + ")", i.memory || "-"]);
    t.notes.push("selftest ms = wall (write + load + run) − wall (write only): the interpreter on this host CPU; simulated PN532 time costs no wall time");
    for (const e of i.errors) t.notes.push("ERROR " + e);
  }
  return [t];
}
