/**
 * `npm run bench [-- --json] [--cases N] [--seed N] [--cpu-ms N] [--link-profile NAME]`:
 * the benchmark tables (docs/architecture.md "Commands"). Performance goals are measured here, never by
 * timed assertions in tests.
 *   1. kernel fuzz at scale (exit code 1 on any violation)
 *   2. simulated tap time per profile and per host link (the physical limit)
 *   3. host CPU cost with JIT and --jitless
 *   4. board bundle sizes
 *   5. the selftest bundle in the Espruino interpreter, when one is present; instructions per
 *      tap under callgrind, and where they go by source file and function (host/bench/js-profile.ts)
 *   6. JsVars while the till serves (host/bench/till-memory.ts), and the esp32 terminal's after
 *      boot and during a sale (host/bench/esp32-memory.ts)
 * Text tables go to stdout as each is ready (fuzz progress to stderr on a terminal);
 * `--json` prints one object with every table and the raw figures instead.
 */
import { pathToFileURL } from "node:url";
import { codedError, isCoded } from "../src/bytes/coded-error";
import { PROFILE_NAMES } from "../src/sim/profiles";
import { benchBundles, bundleTables } from "./bench/bundles";
import { benchCpu, cpuTables } from "./bench/cpu";
import { benchFuzz, fuzzTables } from "./bench/fuzz";
import { benchInterpreter, interpreterTables } from "./bench/interpreter";
import { benchInstructions, instructionTables } from "./bench/instructions";
import { benchJsProfile, jsProfileTables } from "./bench/js-profile";
import { formatTable, type BenchTable } from "./bench/table";
import { benchTaps, DEFAULT_LINK_PROFILE, tapTables } from "./bench/taps";
import { benchEsp32Memory, esp32MemoryTables } from "./bench/esp32-memory";
import { benchTillMemory, tillMemoryTables } from "./bench/till-memory";

export interface BenchArgs {
  json: boolean;
  cases: number;
  seed: number;
  cpuMs: number;
  linkProfile: string;
  help: boolean;
}

/** 200,000 cases: ~30 s of a ~40 s default run on the reference machine (2 vCPU, Node 20; 3,000–8,500 cases/s seen under varying load). */
export const DEFAULT_CASES = 200000;

const USAGE = `usage: npm run bench -- [--json] [--cases N] [--seed N] [--cpu-ms N] [--link-profile NAME]
  --cases N          kernel fuzz cases (default ${DEFAULT_CASES}; 0 skips the fuzz)
  --seed N           first fuzz seed (default 1; chunks of 10,000 cases use seed, seed+1, …)
  --cpu-ms N         wall time per CPU case and mode, ms (default 400)
  --link-profile P   profile of the per-link tap table (default ${DEFAULT_LINK_PROFILE})
  --json             one JSON object with all tables instead of text`;

/** Largest values the numeric options take: beyond them a typo, not a plan. */
const LIMITS: { [option: string]: [number, number] } = {
  "--cases": [0, 100000000],
  "--seed": [0, 0xffffffff],
  "--cpu-ms": [1, 600000],
};

function usageError(message: string): Error {
  return codedError("BENCH_USAGE", message);
}

function wholeNumber(option: string, v: string): number {
  const range = LIMITS[option];
  let ok = v.length > 0 && v.length <= 10;
  for (let i = 0; i < v.length; i++) ok = ok && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57;
  const n = ok ? parseInt(v, 10) : NaN;
  if (!ok || n < range[0] || n > range[1]) throw usageError(`${option} "${v}" is not a whole number ${range[0]}…${range[1]}`);
  return n;
}

/**
 * The options, all checked before anything runs (`--name value` or `--name=value`).
 * @throws BENCH_USAGE with a one-line message: unknown option, missing value, bad number,
 *   option given twice, unknown profile
 */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const a: BenchArgs = { json: false, cases: DEFAULT_CASES, seed: 1, cpuMs: 400, linkProfile: DEFAULT_LINK_PROFILE, help: false };
  const seen: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let k = argv[i];
    let inline: string | null = null;
    const eq = k.indexOf("=");
    if (k.startsWith("--") && eq > 0) {
      inline = k.substring(eq + 1);
      k = k.substring(0, eq);
    }
    if (seen.indexOf(k) >= 0) throw usageError(`${k} given twice`);
    seen.push(k);
    if (k === "--json" || k === "--help" || k === "-h") {
      if (inline !== null) throw usageError(`${k} takes no value`);
      if (k === "--json") a.json = true;
      else a.help = true;
      continue;
    }
    if (LIMITS[k] === undefined && k !== "--link-profile") throw usageError(`unknown option ${k}`);
    const v = inline ?? argv[++i];
    if (v === undefined || (inline === null && v.startsWith("--"))) throw usageError(`${k} needs a value`);
    if (k === "--cases") a.cases = wholeNumber(k, v);
    else if (k === "--seed") a.seed = wholeNumber(k, v);
    else if (k === "--cpu-ms") a.cpuMs = wholeNumber(k, v);
    else if (PROFILE_NAMES.indexOf(v) < 0) throw usageError(`--link-profile: unknown profile "${v}" (profiles: ${PROFILE_NAMES.join(", ")})`);
    else a.linkProfile = v;
  }
  return a;
}

export interface BenchReport {
  /** False when the fuzz found a violation or the interpreter selftest failed. */
  ok: boolean;
  failures: string[];
  node: string;
  args: { cases: number; seed: number; cpuMs: number; linkProfile: string };
  tables: BenchTable[];
  fuzz: Awaited<ReturnType<typeof benchFuzz>> | null;
  taps: Awaited<ReturnType<typeof benchTaps>>;
  cpu: Awaited<ReturnType<typeof benchCpu>>;
  bundles: Awaited<ReturnType<typeof benchBundles>>;
  interpreter: ReturnType<typeof benchInterpreter>;
  /** Interpreter instructions per tap (dist/bench.js under callgrind); no table when skipped. */
  instructions: ReturnType<typeof benchInstructions>;
  /** The same estimated per source file and function from V8 coverage (needs no interpreter). */
  jsProfile: Awaited<ReturnType<typeof benchJsProfile>>;
  /** JsVars of the esp32 terminal (bundle and parts from Storage) at boot and in a sale. */
  esp32Memory: Awaited<ReturnType<typeof benchEsp32Memory>>;
  /** The same for the espruino-wifi (bundle and parts as firmware modules, the ESP8266 simulated). */
  espruinoWifiMemory: Awaited<ReturnType<typeof benchEsp32Memory>>;
}

/** Runs the sections in order (fuzz, taps, cpu, bundles, interpreter, JS profile, till, esp32 and espruino-wifi memory); `show` gets each section's tables as soon as they exist. */
export function runBench(args: BenchArgs, show: (t: BenchTable[]) => void): Promise<BenchReport> {
  const tables: BenchTable[] = [];
  const emit = (t: BenchTable[]): void => {
    tables.push(...t);
    show(t);
  };
  const progress =
    !args.json && process.stderr.isTTY
      ? (done: number, total: number) => process.stderr.write(`\rkernel fuzz ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}` + (done >= total ? "\r\x1b[K" : ""))
      : undefined;
  const r = { tables } as BenchReport;
  r.node = process.version;
  r.args = { cases: args.cases, seed: args.seed, cpuMs: args.cpuMs, linkProfile: args.linkProfile };
  r.failures = [];
  const fuzz = args.cases > 0 ? benchFuzz({ cases: args.cases, seed: args.seed, onProgress: progress }) : Promise.resolve(null);
  return fuzz
    .then((f) => {
      r.fuzz = f;
      if (f) {
        emit(fuzzTables(f));
        if (f.violationCount > 0) r.failures.push(f.violationCount + " kernel fuzz violation(s)");
      }
      return benchTaps({ linkProfile: args.linkProfile });
    })
    .then((t) => {
      r.taps = t;
      emit(tapTables(t));
      return benchCpu({ budgetMs: args.cpuMs });
    })
    .then((c) => {
      r.cpu = c;
      emit(cpuTables(c));
      return benchBundles();
    })
    .then((b) => {
      r.bundles = b;
      emit(bundleTables(b));
      r.interpreter = benchInterpreter();
      emit(interpreterTables(r.interpreter));
      if (r.interpreter.verdict.startsWith("SELFTEST FAIL") || (!r.interpreter.skipped && !r.interpreter.verdict)) {
        r.failures.push("interpreter selftest: " + (r.interpreter.verdict || "no verdict"));
      }
      r.instructions = benchInstructions();
      if (!r.instructions.skipped) emit(instructionTables(r.instructions));
      for (const e of r.instructions.errors) r.failures.push("bench board: " + e);
      return benchJsProfile().catch((e: Error) => {
        r.failures.push("js profile: " + e.message);
        return { skipped: "js profile failed: " + e.message, runs: [] };
      });
    })
    .then((p) => {
      r.jsProfile = p;
      emit(jsProfileTables(p));
      return benchTillMemory();
    })
    .then((t) => {
      emit(tillMemoryTables(t));
      return benchEsp32Memory();
    })
    .then((m) => {
      r.esp32Memory = m;
      emit(esp32MemoryTables(m));
      return benchEsp32Memory("espruino-wifi");
    })
    .then((m) => {
      r.espruinoWifiMemory = m;
      emit(esp32MemoryTables(m));
      // A run that could not measure is a failure; a figure over its goal is shown as OVER.
      for (const x of [r.esp32Memory, m]) for (const e of x.errors) r.failures.push(x.board + " memory: " + e);
      r.ok = r.failures.length === 0;
      return r;
    });
}

function main(): void {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    if (!isCoded(e, "BENCH_USAGE")) throw e;
    // One line, no stack trace; --help has the rest.
    console.error("bench: " + e.message.substring(e.code.length + 2) + " (npm run bench -- --help lists the options)");
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const show = args.json ? () => undefined : (t: BenchTable[]) => console.log(t.map(formatTable).join("\n\n") + "\n");
  runBench(args, show).then(
    (r) => {
      if (args.json) console.log(JSON.stringify(r, null, 2));
      else console.log(r.ok ? "bench ok" : "bench FAILED: " + r.failures.join("; "));
      process.exitCode = r.ok ? 0 : 1;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
