/**
 * Interpreter section of `npm run bench` (issue 7): what one tap costs the release ESP32-layout
 * interpreter (espruino-esp32-rel), in x86 instructions counted by callgrind — the budget is
 * ≤ 20 M per tap for the whole firmware path (docs/architecture.md "Boards and budgets"). dist/bench.js is run as a
 * board runs saved code: written to Storage (a fresh temp dir holds the interpreter's flash)
 * and started with load(), `var BENCH_TAPS=N; var BENCH_KERNEL=k; var BENCH_LAYER="…";`
 * prepended. Per tap = (summary(N taps) − summary(0 taps)) / N, so load and Storage writes
 * cancel out. Layers come from the bundle's variants that stop at one layer
 * (board/bench/layers.ts); "irq" is the full tap with the link on P70_IRQ. Memory comes from espruino-esp32 (asserts on, 16,383 JsVars): JsVars
 * used after load (GC'd) and the peak of process.memory(false) after each APDU.
 * Run from Storage, the Linux interpreter reads its "flash" from a file: every jshFlashRead
 * is an fopen/fseek/fread/fclose, ~30 % of a tap's count, where an ESP32 reads memory-mapped
 * flash. The figures exclude that function's inclusive cost (callgrind_annotate --inclusive)
 * and give the raw count beside them.
 * Skipped, with its reason, when valgrind, the interpreters or dist/bench.js are missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { espruinoBinary, espruinoSkipReason, silentStdin } from "../espruino-dir";
import { partStorageName } from "../../build/parts.mjs";
import { ROOT_PARTS } from "../../build/root-part.mjs";
import { installedBundle } from "../../build/self-install.mjs";
import { REPO } from "./bundles";
import { num, type BenchTable } from "./table";

export const VALGRIND = "/usr/bin/valgrind";
/** The kernels of board/bench, in BENCH_KERNEL order. */
export const KERNEL_NAMES = ["UnionPay C-7", "Visa C-3", "Mastercard C-2"];
/** Variants of board/bench/layers.ts, "full" first, then "irq" (the full tap with the link on P70_IRQ). */
export const LAYERS = ["full", "irq", "driver", "channel", "emv", "tlv", "record"];

export interface KernelInstructions {
  name: string;
  /** Instructions per tap of each variant run, by layer name, Linux flash emulation excluded. */
  perTap: { [layer: string]: number };
  /** The same, callgrind's raw total (jshFlashRead's file I/O included). */
  rawPerTap: { [layer: string]: number };
}

export interface InstructionsBench {
  skipped: string | null;
  taps: number;
  bundleBytes: number;
  /** The esp32 runs its taps in the part tpp.card, loaded when a sale polls: that load, per sale. */
  cardPart: PartLoad | null;
  kernels: KernelInstructions[];
  /** Instructions to load the bundle from Storage with 0 taps, Storage writes excluded. */
  loadInstructions: number;
  /** JsVars used after load (process.memory() with GC) and the peak after any APDU, espruino-esp32. */
  idleJsVars: number;
  peakJsVars: number;
  totalJsVars: number;
  /** JsVars of the recorded bytes (bench data held in RAM, counted in idle and peak). */
  recordingJsVars: number;
  /** Peak after an APDU once garbage is collected (process.memory(true)). */
  livePeakJsVars: number;
  errors: string[];
}

/** A script writing `code` to Storage file b.js in chunks and, if `run`, load()ing it. */
export function storageScript(code: string, run: boolean): string {
  const chunk = 2000;
  const lines = ['var S=require("Storage");S.erase("b.js");'];
  for (let i = 0; i < code.length; i += chunk) lines.push(`S.write("b.js",${JSON.stringify(code.slice(i, i + chunk))},${i},${code.length});`);
  lines.push(run ? 'setTimeout(function(){load("b.js");},1);' : 'print("--stored--");');
  return lines.join("\n") + "\n";
}

/** Inclusive Ir of the Linux flash emulation (jshFlashRead) in a callgrind file, 0 when absent. */
function flashReadIr(cg: string): number {
  const r = spawnSync("callgrind_annotate", ["--inclusive=yes", "--threshold=100", cg], { encoding: "utf8", maxBuffer: 64 << 20 });
  const m = /^\s*([\d,]+)\s+\([^)]*\)\s+\S*jshardware\.c:jshFlashRead\b/m.exec(r.stdout ?? "");
  return m ? Number(m[1].replace(/,/g, "")) : 0;
}

/** Runs `script` in a fresh dir, under callgrind when `callgrind`; returns output, Ir summary and Ir without jshFlashRead. */
function run(bin: string, script: string, callgrind: boolean, timeoutMs: number): { out: string; ir: number; net: number } {
  const dir = mkdtempSync(join(tmpdir(), "tappos-instr-"));
  try {
    writeFileSync(join(dir, "code.js"), script);
    const cg = join(dir, "cg.out");
    const args = callgrind ? ["--tool=callgrind", "--callgrind-out-file=" + cg, bin, "code.js"] : ["code.js"];
    const stdin = silentStdin();
    const r = spawnSync(callgrind ? VALGRIND : bin, args, { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8" });
    stdin.close();
    const out = ((r.stdout ?? "") + (r.stderr ?? "")).replace(/\r/g, "");
    let ir = NaN;
    let net = NaN;
    if (callgrind && existsSync(cg)) {
      const m = /^summary:\s*(\d+)/m.exec(readFileSync(cg, "utf8"));
      if (m) ir = Number(m[1]);
      net = ir - flashReadIr(cg);
    }
    return { out, ir, net };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the runner writes before the bundle: Espruino's pretokenise flag, set before any
 * function is defined, as a board's boot code should (measured: −3.6 % instructions per tap,
 * no JsVar more; the bundle itself cannot start with it, build/check-bundle.mjs wants its
 * function declarations first), then the bench's globals.
 */
export const PRETOKENISE = "E.setFlags({pretokenise:1});";

function prefix(taps: number, kernel: number, layer: string, peak: boolean): string {
  return PRETOKENISE + `var BENCH_TAPS=${taps};var BENCH_KERNEL=${kernel};var BENCH_LAYER=${JSON.stringify(layer)};` + (peak ? "var BENCH_PEAK=1;" : "");
}

/** The bench board's verdict line, or "" (with the first error line). */
function verdict(out: string): string {
  const lines = out.split("\n").map((l) => l.replace(/^>+/, "").trim());
  const v = lines.find((l) => l.startsWith("BENCH PASS") || l.startsWith("BENCH FAIL"));
  return v ?? (lines.find((l) => /Uncaught|ERROR|OUT OF MEMORY/.test(l)) || "no BENCH verdict");
}

/** Loading a board part as its board does (src/hal/espruino/parts.ts: a root part evaluated at the root scope from Storage, another required as a Storage module). */
export interface PartLoad {
  storage: string;
  bytes: number;
  /** Interpreter instructions of one load (espruino-esp32-rel, net of jshFlashRead). */
  instructions: number;
  /** JsVars held while it is loaded (espruino-esp32, after a GC). */
  jsVars: number;
}

/** The cost of loading part `file` (dist/<board>/<part>.js) as Storage module `storage`; null without the interpreters. */
export function partLoadInstructions(file: string, storage: string, timeoutMs = 120000): PartLoad | null {
  const rel = espruinoBinary("espruino-esp32-rel");
  const esp = espruinoBinary("espruino-esp32");
  if (!rel || !esp || !existsSync(VALGRIND) || !existsSync(file)) return null;
  const code = readFileSync(file, "utf8");
  const name = JSON.stringify(storage);
  let write = 'var S=require("Storage");';
  for (let i = 0; i < code.length; i += 2000) write += `S.write(${name},${JSON.stringify(code.slice(i, i + 2000))},${i},${code.length});\n`;
  // A root part (build/root-part.mjs) is evaluated at the root scope from flash, as a timer's
  // string callback runs it (src/hal/espruino/parts.ts runRootPart); another part is a module.
  const atRoot = ROOT_PARTS.map(partStorageName).includes(storage);
  const hook = "var m;function tpReady(n,v,u){m=v;}\n";
  const load = atRoot ? `setTimeout(S.read(${name}),0);` : `m=require(${name});`;
  const timed = (doLoad: boolean): number => run(rel, write + hook + `setTimeout(function(){${doLoad ? load : ""}setTimeout(function(){print("PART");},1);},1);\n`, true, timeoutMs).net;
  const mem = run(esp, write + hook + `setTimeout(function(){process.memory(true);var u=process.memory().usage;${load}setTimeout(function(){process.memory(true);print("PART JSVARS "+(process.memory().usage-u));},1);},1);\n`, false, timeoutMs).out;
  const j = /PART JSVARS (\d+)/.exec(mem);
  return { storage, bytes: Buffer.byteLength(code), instructions: timed(true) - timed(false), jsVars: j ? Number(j[1]) : NaN };
}

/**
 * @param opts.taps taps per measured run (default 2); opts.layers: also the layer variants
 *   (default true); opts.kernels: indexes into KERNEL_NAMES (default all).
 */
export function benchInstructions(opts?: { taps?: number; layers?: boolean; kernels?: number[]; bundle?: string; timeoutMs?: number }): InstructionsBench {
  const taps = opts?.taps ?? 2;
  const r: InstructionsBench = { skipped: null, taps, bundleBytes: 0, cardPart: null, kernels: [], loadInstructions: 0, idleJsVars: 0, peakJsVars: 0, totalJsVars: 0, recordingJsVars: 0, livePeakJsVars: 0, errors: [] };
  const bundle = opts?.bundle ?? join(REPO, "dist", "bench.js");
  const rel = espruinoBinary("espruino-esp32-rel");
  const esp = espruinoBinary("espruino-esp32");
  if (!existsSync(VALGRIND)) r.skipped = "instructions: " + VALGRIND + " not found, skipped";
  else if (!rel || !esp) r.skipped = "instructions: " + (espruinoSkipReason("espruino-esp32-rel") ?? espruinoSkipReason("espruino-esp32")) + ", skipped";
  else if (!existsSync(bundle)) r.skipped = "instructions: " + bundle + " not built (npm run build), skipped";
  if (r.skipped || !rel || !esp) return r;
  // dist/bench.js installs itself into Storage (build/self-install.mjs): the bundle it carries
  // is written to Storage here, after this runner's globals.
  const file = readFileSync(bundle, "utf8");
  const code = installedBundle(file) ?? file;
  r.bundleBytes = Buffer.byteLength(code);
  const timeoutMs = opts?.timeoutMs ?? 600000;
  const measure = (kernel: number, layer: string, n: number): { ir: number; net: number } => {
    const x = run(rel, storageScript(prefix(n, kernel, layer, false) + code, true), true, timeoutMs);
    const v = verdict(x.out);
    if (!v.startsWith("BENCH PASS")) r.errors.push(`${KERNEL_NAMES[kernel]} ${layer} ×${n}: ${v}`);
    return x;
  };
  const storeOnly = run(rel, storageScript(prefix(0, 0, "full", false) + code, false), true, timeoutMs);
  // Polling and P70_IRQ always: the two ways the link waits for the PN532 (board/bench/main.ts).
  const layers = opts?.layers === false ? ["full", "irq"] : LAYERS;
  for (const k of opts?.kernels ?? [0, 1, 2]) {
    const ki: KernelInstructions = { name: KERNEL_NAMES[k], perTap: {}, rawPerTap: {} };
    // With 0 taps the variants do the same work (load, decode this kernel's recording): one
    // zero-tap run per kernel serves every layer but "irq", which decodes its own scripts.
    const zero = measure(k, "full", 0);
    const zeroIrq = layers.indexOf("irq") >= 0 ? measure(k, "irq", 0) : zero;
    if (k === 0) r.loadInstructions = zero.net - storeOnly.net;
    for (const layer of layers) {
      const many = measure(k, layer, taps);
      const z = layer === "irq" ? zeroIrq : zero;
      ki.perTap[layer] = (many.net - z.net) / taps;
      ki.rawPerTap[layer] = (many.ir - z.ir) / taps;
    }
    r.kernels.push(ki);
  }
  // Memory as on an ESP32: one tap of each kernel with peak sampling.
  const m = run(esp, storageScript(prefix(1, -1, "full", true) + code, true), false, timeoutMs).out;
  const load = /BENCH load .*recording (\d+) memory .*usage (\d+) total (\d+)/.exec(m);
  if (load) {
    r.recordingJsVars = Number(load[1]);
    r.idleJsVars = Number(load[2]);
    r.totalJsVars = Number(load[3]);
  }
  for (const p of m.matchAll(/ peak (\d+) live (\d+)/g)) {
    r.peakJsVars = Math.max(r.peakJsVars, Number(p[1]));
    r.livePeakJsVars = Math.max(r.livePeakJsVars, Number(p[2]));
  }
  const v = verdict(m);
  if (!v.startsWith("BENCH PASS")) r.errors.push("espruino-esp32 memory run: " + v);
  r.cardPart = partLoadInstructions(join(REPO, "dist", "esp32", "card.js"), "tpp.card", timeoutMs);
  return r;
}

const M = (n: number): string => (Number.isFinite(n) ? num(n / 1e6, 1) + " M" : "-");

export function instructionTables(r: InstructionsBench): BenchTable[] {
  const t: BenchTable = {
    id: "instructions",
    title: "Interpreter instructions per tap (espruino-esp32-rel, callgrind; budget 20 M)",
    columns: ["kernel", "whole path", "with P70_IRQ", "raw", "link+driver", "ISO-DEP+decorators", "TLV/DOL", "data record", "entry point+kernel", "budget"],
    rows: [],
    notes: [],
  };
  for (const k of r.kernels) {
    const p = k.perTap;
    const has = (l: string): boolean => p[l] !== undefined;
    t.rows.push([
      k.name,
      M(p.full),
      has("irq") ? M(p.irq) : "-",
      M(k.rawPerTap.full),
      has("driver") ? M(p.driver) : "-",
      has("channel") ? M(p.channel - p.driver) : "-",
      has("tlv") ? M(p.tlv) : "-",
      has("record") ? M(p.record - p.tlv) : "-",
      has("emv") ? M(p.emv - p.record) : "-",
      p.full <= 20e6 ? "ok" : "OVER",
    ]);
  }
  t.notes.push(`per tap = (callgrind total with ${r.taps} taps − with 0 taps) / ${r.taps}, dist/bench.js (${num(r.bundleBytes)} bytes) run from Storage with load(); every figure but "raw" excludes jshFlashRead (the Linux build's flash is a file: fopen/fseek/fread per read; an ESP32 maps flash into memory)`);
  t.notes.push('whole path: the I2C link polling the status byte (UM0701-02 §6.2.4), as the layers; with P70_IRQ: the same tap with the link waiting for the IRQ line, its recorded edges replayed (BENCH_LAYER "irq"): no empty polls');
  t.notes.push("layers from variants that stop at one layer (board/bench/layers.ts): link+driver = driver calls over the replayed bus; ISO-DEP+decorators = channel − driver; TLV/DOL = terminal data + every answer walked + PDOL/CDOL1; data record = record − tlv; entry point+kernel = emv − record");
  t.notes.push(`load: ${M(r.loadInstructions)} instructions (0 taps, Storage writes excluded); JsVars (espruino-esp32, ${num(r.totalJsVars)}): ${num(r.idleJsVars)} idle after load, peak after an APDU ${num(r.peakJsVars)} as they are (cyclic garbage of promises and closures waits for a GC) and ${num(r.livePeakJsVars)} after a GC; all count ${num(r.recordingJsVars)} of recorded bus bytes (bench data)`);
  const c = r.cardPart;
  if (c) t.notes.push(`esp32: the tap runs in its part ${c.storage} (dist/esp32/card.js, ${num(c.bytes)} bytes: everything above but the PN532 link and driver), loaded from Storage when a sale polls and let go at idle: ${M(c.instructions)} instructions per sale before the first poll, ${num(c.jsVars)} JsVars held while loaded (docs/architecture.md "Parts")`);
  for (const e of r.errors) t.notes.push("ERROR " + e);
  return [t];
}
