/**
 * Where a tap's interpreter instructions go, by source function and by source file (issue 7).
 * callgrind sees only the interpreter's own C functions (lexing, name lookup, JsVar
 * allocation); this section names the JavaScript that makes them work. The Espruino
 * interpreter has no compiler: it lexes a function's body every time the function runs,
 * skipped branches included, and a loop body at every turn (docs/espruino-notes.md "CPU": ~1,000
 * x86 instructions per token, ~14,000 more per call). So the cost of a tap is close to
 * Σ over executed tokens × 1,000 + calls × 14,000, and V8 can count both: the bench board is
 * run in Node with precise block coverage (call and block counts), once with 0 taps and once
 * with N, and each token of a function is charged the largest count of the blocks around it
 * in that function (a skipped `if` is lexed as often as its enclosing block runs; a nested
 * function's text is skipped, hence lexed, each time its parent runs). Promise turns and
 * timers are not counted (~47,000 each).
 * Checked against callgrind (espruino-esp32-rel, 2026-12-07): the estimate came within 3–7 %
 * of the measured count for each kernel (93.8 vs 100.0 M, 154.8 vs 161.3 M, 219.4 vs 222.7 M),
 * and ~10 % under it after the round it guided (punctuation, which that round removed most,
 * costs less than the average token): it says where to look; callgrind measures a change.
 * The bundle profiled is the bench board built without identifier minification, property
 * mangling or hoisting (the same tokens as dist/bench.js, readable names, each function under
 * its module's `// path` comment) so rows name source functions and files.
 */
import { createHash } from "node:crypto";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import vm from "node:vm";
import { tokenizer } from "acorn";
import { REPO } from "./bundles";
import { num, type BenchTable } from "./table";

/** The estimate's constants (docs/espruino-notes.md "CPU"). */
export const PER_TOKEN = 1000;
export const PER_CALL = 14000;

export interface FunctionCost {
  /** `file: name` (file from esbuild's module comments, name from V8). */
  name: string;
  file: string;
  calls: number;
  tokens: number;
  /** Estimated x86 instructions per tap in espruino-esp32-rel. */
  instructions: number;
}

export interface ProfileRun {
  kernel: string;
  total: number;
  functions: FunctionCost[];
}

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}
export interface CoverageFunction {
  functionName: string;
  ranges: CoverageRange[];
}

/** Start offsets of the tokens of `code`. */
export function tokenStarts(code: string): number[] {
  const out: number[] = [];
  for (const t of tokenizer(code, { ecmaVersion: 2022 })) out.push(t.start);
  return out;
}

function firstTokenAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Token-executions of each function: per token of the function's text, the largest count of
 * that function's coverage ranges holding it. Keyed by `name@start`.
 */
export function tokenCosts(fns: CoverageFunction[], starts: number[]): Map<string, { calls: number; tokens: number; lexed: number; start: number }> {
  const out = new Map<string, { calls: number; tokens: number; lexed: number; start: number }>();
  for (const f of fns) {
    const root = f.ranges[0];
    let lexed = 0;
    let tokens = 0;
    for (let i = firstTokenAt(starts, root.startOffset); i < starts.length && starts[i] < root.endOffset; i++) {
      const p = starts[i];
      let c = root.count;
      for (const r of f.ranges) if (r.count > c && r.startOffset <= p && p < r.endOffset) c = r.count;
      lexed += c;
      tokens++;
    }
    out.set(f.functionName + "@" + root.startOffset, { calls: root.count, tokens, lexed, start: root.startOffset });
  }
  return out;
}

/** esbuild's `// path` comment before each module of an unminified bundle: the file at `offset`. */
function fileIndex(code: string): (offset: number) => string {
  const marks: { at: number; file: string }[] = [];
  const re = /^\s*\/\/ ((?:src|board|host)\/[\w./-]+\.ts)$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) marks.push({ at: m.index, file: m[1] });
  return (offset) => {
    let f = "(bundle)";
    for (const k of marks) {
      if (k.at > offset) break;
      f = k.file;
    }
    return f;
  };
}

/**
 * Espruino's globals the bench board uses, on Node (E.sum, E.mapInPlace, E.toUint8Array,
 * crypto.SHA256…): natives on a board, so defined here, outside the profiled bundle. A native
 * the bundle uses and this list lacks would run the bundle's JavaScript stand-in instead and
 * be charged as JavaScript.
 */
function espruinoGlobals(print: (s: string) => void): vm.Context {
  const timers = new Map<number, NodeJS.Timeout>();
  let next = 1;
  const E = {
    toUint8Array: (s: string | ArrayLike<number>) => (typeof s === "string" ? new Uint8Array(Buffer.from(s, "latin1")) : Uint8Array.from(s)),
    sum: (a: ArrayLike<number>) => {
      let t = 0;
      for (let i = 0; i < a.length; i++) t += a[i];
      return t;
    },
    getSizeOf: () => 0,
    // Natively on a board: here outside the profiled bundle, so not counted.
    mapInPlace: (from: Uint8Array, to: Uint8Array, map: ArrayLike<number>, bits: number) => {
      for (let i = 0; i < from.length; i++) {
        if (bits === 4) {
          to[2 * i] = map[from[i] >> 4];
          to[2 * i + 1] = map[from[i] & 15];
        } else to[i] = map[from[i]];
      }
    },
    toString: (b: ArrayBuffer | Uint8Array) => Buffer.from(b instanceof ArrayBuffer ? new Uint8Array(b) : b).toString("latin1"),
  };
  const crypto = {
    SHA256: (d: string) => {
      const b = createHash("sha256").update(Buffer.from(d, "latin1")).digest();
      return b.buffer.slice(b.byteOffset, b.byteOffset + 32);
    },
  };
  return vm.createContext({
    print: (s: unknown) => print(String(s)),
    atob: (s: string) => Buffer.from(s, "base64").toString("latin1"),
    btoa: (s: string) => Buffer.from(s, "latin1").toString("base64"),
    E,
    process: { memory: () => ({ free: 0, usage: 0, total: 0 }) },
    require: (m: string) => {
      if (m === "crypto") return crypto;
      throw new Error("require " + m);
    },
    setTimeout: (f: (...a: unknown[]) => void, _ms: number, ...a: unknown[]) => {
      const id = next++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          f(...a);
        }, 0),
      );
      return id;
    },
    clearTimeout: (id: number) => {
      const t = timers.get(id);
      if (t) clearTimeout(t);
      timers.delete(id);
    },
  });
}

/** Characters reserved for the bench globals before the bundle. */
const PREFIX = 80;

/** Runs `code` with the bench globals until its verdict line; resolves with the output. */
function runBundle(code: string, prefix: string, name: string): Promise<string[]> {
  const out: string[] = [];
  return new Promise((resolve, reject) => {
    const ctx = espruinoGlobals((s) => {
      out.push(s);
      if (s.startsWith("BENCH PASS")) resolve(out);
      else if (s.startsWith("BENCH FAIL")) reject(new Error(s));
    });
    vm.runInContext(prefix + "\n" + code, ctx, { filename: name });
    setTimeout(() => reject(new Error("no BENCH verdict: " + out.join(" | "))), 60000).unref();
  });
}

/** Characters before the bundle in each run: the bench's globals, padded so offsets match. */
export const COVERAGE_PREFIX = PREFIX;

/**
 * Runs the bench bundle `code` under V8's precise block coverage with 0 and with `taps` taps
 * of each kernel in `kernels`; calls `take(kernel, n, functions)` with each run's coverage.
 * Offsets in the coverage count from the script's start: PREFIX characters, then a newline.
 */
export async function benchCoverage(code: string, kernels: number[], taps: number, tag: string, take: (kernel: number, n: number, functions: CoverageFunction[]) => void): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  try {
    for (const k of kernels) {
      for (const n of [0, taps]) {
        await session.post("Profiler.takePreciseCoverage");
        const file = `tappos-${tag}-${k}-${n}.js`;
        await runBundle(code, `var BENCH_TAPS=${n};var BENCH_KERNEL=${k};var BENCH_LAYER="full";`.padEnd(PREFIX), file);
        const cov = await session.post("Profiler.takePreciseCoverage");
        const sc = cov.result.find((x) => x.url.endsWith(file));
        if (!sc) throw new Error("no coverage for " + file);
        take(k, n, sc.functions as CoverageFunction[]);
      }
    }
  } finally {
    await session.post("Profiler.stopPreciseCoverage");
    session.disconnect();
  }
}

/**
 * Profiles `taps` taps of each kernel of the bench bundle `code` (unminified build of
 * board/bench). Per function: instructions per tap, estimated as above.
 */
export async function profileKernels(code: string, kernels: number[], names: string[], taps: number): Promise<ProfileRun[]> {
  const script = " ".repeat(PREFIX) + "\n" + code;
  const starts = tokenStarts(script);
  const fileAt = fileIndex(script);
  const counts: { [k: number]: Map<string, { calls: number; tokens: number; lexed: number; start: number }>[] } = {};
  await benchCoverage(code, kernels, taps, "bench-profile", (k, n, functions) => {
    if (!counts[k]) counts[k] = [];
    counts[k].push(tokenCosts(functions, starts));
  });
  const runs: ProfileRun[] = [];
  for (const k of kernels) {
    const fns: FunctionCost[] = [];
    let total = 0;
    for (const [key, v] of counts[k][1]) {
      const z = counts[k][0].get(key);
      const calls = (v.calls - (z ? z.calls : 0)) / taps;
      const lexed = (v.lexed - (z ? z.lexed : 0)) / taps;
      if (calls <= 0 && lexed <= 0) continue;
      const instructions = lexed * PER_TOKEN + calls * PER_CALL;
      total += instructions;
      const fname = key.substring(0, key.lastIndexOf("@")) || "(anonymous)";
      fns.push({ name: fname, file: fileAt(v.start), calls, tokens: v.tokens, instructions });
    }
    fns.sort((a, b) => b.instructions - a.instructions);
    runs.push({ kernel: names[k], total, functions: fns });
  }
  return runs;
}

/** Builds board/bench unminified (same tokens, readable names) and profiles each kernel. */
export async function benchJsProfile(opts?: { taps?: number; kernels?: number[]; names?: string[] }): Promise<{ skipped: string | null; runs: ProfileRun[] }> {
  const build = (await import(join(REPO, "build.mjs"))) as {
    buildBoard(o: { entry: string; minify: boolean; mangleProps: boolean; hoist: boolean; write: boolean; budget: number }): Promise<{ code: string; problems: { message: string }[] }>;
  };
  const b = await build.buildBoard({ entry: "board/bench/main.ts", minify: false, mangleProps: false, hoist: false, write: false, budget: Infinity });
  if (!b.code) return { skipped: "js profile: bench build failed: " + b.problems.map((p) => p.message).join("; "), runs: [] };
  const names = opts?.names ?? ["UnionPay C-7", "Visa C-3", "Mastercard C-2"];
  return { skipped: null, runs: await profileKernels(b.code, opts?.kernels ?? [0, 1, 2], names, opts?.taps ?? 2) };
}

/** Per source file and the top functions, per kernel. */
export function jsProfileTables(p: { skipped: string | null; runs: ProfileRun[] }, top?: number): BenchTable[] {
  if (p.skipped || p.runs.length === 0) return [];
  const files: { [f: string]: number[] } = {};
  p.runs.forEach((r, i) => {
    for (const f of r.functions) {
      if (!files[f.file]) files[f.file] = p.runs.map(() => 0);
      files[f.file][i] += f.instructions;
    }
  });
  const byFile: BenchTable = {
    id: "js-profile-files",
    title: "Where a tap's instructions go, by source file (estimated, M per tap)",
    columns: ["file"].concat(p.runs.map((r) => r.kernel)),
    rows: Object.keys(files)
      .sort((a, b) => files[b].reduce((x, y) => x + y, 0) - files[a].reduce((x, y) => x + y, 0))
      .map((f) => [f as string | number].concat(files[f].map((x) => num(x / 1e6, 1))))
      .concat([["total"].concat(p.runs.map((r) => num(r.total / 1e6, 1)))]),
    notes: [
      "estimate = executed tokens × 1,000 + calls × 14,000 (the interpreter lexes a body at each call), from V8 block coverage of the bench board in Node; promise turns, timers (~47,000 each) and natives' own work not included; it charges every token alike, so it finds where to look and callgrind measures a change (2026-12-07: 3–7 % under callgrind at first, ~10 % under after the round it guided)",
    ],
  };
  const n = top ?? 25;
  const fnRows: (string | number)[][] = [];
  p.runs.forEach((r) => {
    for (const f of r.functions.slice(0, n)) fnRows.push([r.kernel, f.file + ": " + f.name, num(f.calls, 1), f.tokens, num(f.instructions / 1e6, 2)]);
  });
  const byFn: BenchTable = {
    id: "js-profile-functions",
    title: `The ${n} costliest functions per kernel (estimated, per tap)`,
    columns: ["kernel", "function", "calls", "tokens", "M instr."],
    rows: fnRows,
    notes: ["tokens: the function's text, nested functions included (lexed, to be skipped, each time it runs)"],
  };
  return [byFile, byFn];
}
