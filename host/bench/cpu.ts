/**
 * Table 3: host CPU cost of the firmware's hot paths, Node with JIT and with --jitless. Each
 * mode runs in a fresh child process (cpu-child.ts bundled by host/run.mjs's bundler); with
 * `spawn: false` only this process is measured (JIT, for tests). The interpreter on a board is
 * slower still: docs/espruino-notes.md "CPU" puts a TLV parse at ~250× Node --jitless.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundleHostEntry } from "../run.mjs";
import { measureCpu, type CpuCase } from "./cpu-cases";
import { num, type BenchTable } from "./table";

export interface CpuOptions {
  /** Wall time per case and mode, ms (default 400). */
  budgetMs?: number;
  /** Measure in child processes, with and without --jitless (default true). */
  spawn?: boolean;
}

export interface CpuBench {
  budgetMs: number;
  /** Per mode: "jit" (always), "jitless" (when spawned). */
  jit: CpuCase[];
  jitless: CpuCase[] | null;
  /** "child processes" or "in-process". */
  where: string;
  notes: string[];
}

const CHILD = fileURLToPath(new URL("./cpu-child.ts", import.meta.url));

function runChild(bundle: string, flags: string[], budgetMs: number): CpuCase[] {
  const r = spawnSync(process.execPath, flags.concat([bundle, String(budgetMs)]), { encoding: "utf8", timeout: 600000 });
  if (r.status !== 0) throw new Error("cpu child " + flags.join(" ") + " failed: " + (r.stderr || r.error || r.status));
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return (JSON.parse(line) as { cases: CpuCase[] }).cases;
}

export function benchCpu(opts?: CpuOptions): Promise<CpuBench> {
  const budgetMs = opts?.budgetMs ?? 400;
  if (opts?.spawn === false) {
    return measureCpu(budgetMs).then((jit) => ({ budgetMs, jit, jitless: null, where: "in-process", notes: ["--jitless not measured (in-process run)"] }));
  }
  return bundleHostEntry(CHILD).then((bundle) => {
    const jit = runChild(bundle, [], budgetMs);
    const jitless = runChild(bundle, ["--jitless"], budgetMs);
    return { budgetMs, jit, jitless, where: "child processes", notes: [] };
  });
}

function us(n: number): string {
  return n >= 100 ? num(n, 0) : n >= 10 ? num(n, 1) : num(n, 2);
}

export function cpuTables(c: CpuBench): BenchTable[] {
  const rows = c.jit.map((j, i) => {
    const l = c.jitless ? c.jitless[i] : null;
    return [j.name, us(j.usPerOp), num(j.opsPerSec), l ? us(l.usPerOp) : "-", l ? num(l.opsPerSec) : "-", l ? num(l.usPerOp / j.usPerOp, 1) + "×" : "-"];
  });
  return [
    {
      id: "cpu",
      title: "Host CPU cost (Node " + process.version + ", " + c.where + ", " + num(c.budgetMs) + " ms per case)",
      columns: ["work", "JIT µs/op", "JIT ops/s", "jitless µs/op", "jitless ops/s", "jitless/JIT"],
      rows,
      notes: c.notes.concat([
        "kernel runs: runEntryPoint on a scripted in-memory channel (host/fuzz/emv-fixtures transcripts), no simulator, ONLINE_REQUEST each",
        "Espruino is slower again: docs/espruino-notes.md (CPU) measured a 317-byte TLV parse at ~250× Node --jitless (0.6–0.9 ms on fast x86, tens of ms on an ESP32)",
      ]),
    },
  ];
}
