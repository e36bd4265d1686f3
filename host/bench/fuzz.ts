/**
 * Table 1: the kernel fuzz at benchmark scale. host/fuzz/kernel-fuzz.ts drives the entry point
 * and the three kernels (C-3 Visa, C-7 UnionPay, C-2 Mastercard) with mutated card answers and
 * checks every case's Outcome; `npm test` runs a few thousand cases, the bench hundreds of
 * thousands. Run in chunks of `chunk` cases, chunk i with seed `seed + i`, so a violation
 * "seed/case" reproduces with runKernelFuzz(seed, case + 1) and memory stays flat.
 */
import { runKernelFuzz, type FuzzCounts } from "../fuzz/kernel-fuzz";
import { num, type BenchTable } from "./table";

export interface FuzzOptions {
  cases: number;
  /** First chunk's seed (default 1). */
  seed?: number;
  /** Cases per chunk (default 10,000). */
  chunk?: number;
  /** Called after each chunk with the cases done so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface FuzzBench {
  seed: number;
  chunk: number;
  cases: number;
  apdus: number;
  byType: { [type: string]: number };
  byReason: { [reason: string]: number };
  violationCount: number;
  /** The first violations, "seed/case: what". */
  violations: string[];
  wallMs: number;
  casesPerSecond: number;
}

function add(into: { [k: string]: number }, from: { [k: string]: number }): void {
  for (const k of Object.keys(from)) into[k] = (into[k] ?? 0) + from[k];
}

/** Runs `cases` fuzz cases; resolves with the merged counts and the wall-clock rate. */
export function benchFuzz(opts: FuzzOptions): Promise<FuzzBench> {
  const seed = opts.seed ?? 1;
  const chunk = Math.max(1, opts.chunk ?? 10000);
  const r: FuzzBench = { seed, chunk, cases: 0, apdus: 0, byType: {}, byReason: {}, violationCount: 0, violations: [], wallMs: 0, casesPerSecond: 0 };
  const t0 = performance.now();
  const merge = (c: FuzzCounts): void => {
    r.cases += c.cases;
    r.apdus += c.apdus;
    add(r.byType, c.byType);
    add(r.byReason, c.byReason);
    r.violationCount += c.violationCount;
    for (const v of c.violations) if (r.violations.length < 20) r.violations.push(v);
  };
  const next = (i: number): Promise<void> => {
    const n = Math.min(chunk, opts.cases - i * chunk);
    if (n <= 0) return Promise.resolve();
    return runKernelFuzz(seed + i, n).then((c) => {
      merge(c);
      if (opts.onProgress) opts.onProgress(r.cases, opts.cases);
      return next(i + 1);
    });
  };
  return next(0).then(() => {
    r.wallMs = performance.now() - t0;
    r.casesPerSecond = r.wallMs > 0 ? (r.cases * 1000) / r.wallMs : 0;
    return r;
  });
}

function byCount(m: { [k: string]: number }): [string, number][] {
  return Object.keys(m)
    .map((k): [string, number] => [k, m[k]])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function pct(n: number, total: number): string {
  return total > 0 ? num((100 * n) / total, 1) + " %" : "-";
}

export function fuzzTables(f: FuzzBench): BenchTable[] {
  const summary: BenchTable = {
    id: "fuzz",
    title: "Kernel fuzz: entry point + C-3 / C-7 / C-2 under mutated card answers",
    columns: ["cases", "APDUs", "violations", "wall s", "cases/s"],
    rows: [[f.cases, f.apdus, f.violationCount, num(f.wallMs / 1000, 1), Math.round(f.casesPerSecond)]],
    notes: [
      `seeds ${f.seed}…${f.seed + Math.max(0, Math.ceil(f.cases / f.chunk) - 1)}, ${num(f.chunk)} cases per seed; a violation "seed/case" reproduces with runKernelFuzz(seed, case + 1)`,
      "violation = no defined Outcome with a reason, a rejection past the entry point, a hang (more commands than answers + 1),",
      "  Select Next leaking out, Try Again without Start B, a data record without Online Request / without the kernel's mandatory tags,",
      "  a malformed command, or a crash: an uncoded exception or unmapped error code that the entry point turned into an Outcome",
      "  (EMV_INTERNAL, detail code UNCODED); each violation lists the mutated answers",
    ].concat(f.violations.map((v) => "VIOLATION " + v)),
  };
  const types: BenchTable = {
    id: "fuzz-types",
    title: "Kernel fuzz: outcomes by type",
    columns: ["outcome", "cases", "share"],
    rows: byCount(f.byType).map((e) => [e[0], e[1], pct(e[1], f.cases)]),
    notes: [],
  };
  const reasons: BenchTable = {
    id: "fuzz-reasons",
    title: "Kernel fuzz: outcomes by reason",
    columns: ["reason", "cases", "share"],
    rows: byCount(f.byReason).map((e) => [e[0], e[1], pct(e[1], f.cases)]),
    notes: [],
  };
  return [summary, types, reasons];
}
