/**
 * The board's till in the Espruino interpreter: test/board-entries/till-sim.ts (the terminal
 * on the PN532 simulator, its till API and src/hal/espruino/till-http.ts) bundled, written to
 * Storage with the gzipped page and started with load() (code run from flash, as a board runs
 * it), listening on a loopback port. `startTillSim` is shared with test/till/espruino-till.test.ts;
 * `benchTillMemory` is the bench's "till" table, in `espruino-esp32` (the ESP32 layout, 16,383
 * JsVars of 14 bytes): JsVars held before and after (process.memory(true): after a garbage
 * collection) and the peak while serving (process.memory(false), garbage included, sampled
 * every 2 ms in the interpreter) for the page, API calls and open event streams.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBoard } from "../../build.mjs";
import { storageFileScript } from "../board/storage-file";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT, silentStdin, type EspruinoBinary } from "../espruino-dir";
import { writeInRuns } from "../flash-run";
import { num, type BenchTable } from "./table";

export const TILL_SIM_ENTRY = join(PROJECT_ROOT, "test/board-entries/till-sim.ts");

/** Bundles the entry (as a board bundle: the Espruino passes, not the budget). */
export async function buildTillSim(): Promise<string> {
  const b = await buildBoard({ entry: TILL_SIM_ENTRY, name: "till-sim", write: false, budget: 1 << 20, checkSource: false });
  if (!b.ok) throw new Error("till-sim bundle: " + b.problems.map((p: { message: string }) => p.message).join("; "));
  return b.code;
}

/** A free loopback TCP port (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => done(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

export interface TillSim extends FlashRun {
  base: string;
  token: string;
}

export interface TillSimOptions {
  bin?: EspruinoBinary;
  /** The gzipped page written to Storage as till.html.gz (null: none). */
  page: Buffer | null;
  token: string;
  keepaliveMs?: number;
}

export interface FlashRun {
  /** What the interpreter printed so far. */
  output(): string;
  stop(): void;
}

/**
 * Writes `code` and `files` (binary, base64 chunks CRC-checked: host/board/storage-file.ts)
 * into a fresh interpreter's Storage, load()s the code (run from flash, as a board runs saved
 * code) and resolves once it has printed `ready` (rejects after 60 s or if it exits first).
 */
export async function startFromFlash(code: string, o: { bin: EspruinoBinary; files: { [name: string]: Buffer }; ready: string }): Promise<FlashRun> {
  const bin = espruinoBinary(o.bin);
  if (bin === null) throw new Error(espruinoSkipReason(o.bin) ?? "no interpreter");
  if (!/^[\x00-\x7f]*$/.test(code)) throw new Error("bundle is not ASCII");
  const dir = mkdtempSync(join(tmpdir(), "tappos-flash-run-"));
  // The files first, in runs of their own (host/flash-run.ts writeInRuns): the interpreter
  // holds a whole script in RAM while it runs, and the parts together no longer fit in one.
  const pieces: string[] = [];
  for (const name of Object.keys(o.files)) {
    const data = o.files[name];
    // Text (a board's parts) as plain string pieces: base64 would make the script a third larger.
    if (!data.some((b) => b > 0x7e || (b < 0x20 && b !== 0x0a))) {
      const text = data.toString("latin1");
      for (let i = 0; i < text.length; i += 2000) pieces.push(`S.write(${JSON.stringify(name)},${JSON.stringify(text.slice(i, i + 2000))},${i},${text.length});\n`);
    } else pieces.push(storageFileScript(name, data));
  }
  try {
    writeInRuns(bin, dir, pieces, 60000);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let script = 'var S=require("Storage");S.erase("app.js");\n';
  for (let i = 0; i < code.length; i += 2000) script += `S.write("app.js",${JSON.stringify(code.slice(i, i + 2000))},${i},${code.length});\n`;
  script += 'print("--app--");setTimeout(function(){load("app.js");},1);\n';
  writeFileSync(join(dir, "code.js"), script);
  const stdin = silentStdin();
  const child: ChildProcess = spawn(bin, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString("latin1")));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString("latin1")));
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    stdin.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const ready = await new Promise<boolean>((done) => {
    const t = setTimeout(() => done(false), 60000);
    const check = (): void => {
      if (out.includes(o.ready)) {
        clearTimeout(t);
        done(true);
      }
    };
    child.stdout?.on("data", check);
    child.on("exit", () => {
      clearTimeout(t);
      done(out.includes(o.ready));
    });
  });
  if (!ready) {
    stop();
    throw new Error(`no "${o.ready}" from the interpreter:\n` + out.slice(-3000));
  }
  return { output: () => out, stop };
}

/** Starts the interpreter with the till-sim bundle; resolves once it prints "TILL READY". */
export async function startTillSim(code: string, o: TillSimOptions): Promise<TillSim> {
  const port = await freePort();
  const files: { [name: string]: Buffer } = { tillsim: Buffer.from(`${port} ${o.token} ${o.keepaliveMs ?? 0}`) };
  if (o.page !== null) files["till.html.gz"] = o.page;
  const run = await startFromFlash(code, { bin: o.bin ?? "espruino", files, ready: "TILL READY" });
  return { base: `http://127.0.0.1:${port}`, token: o.token, output: run.output, stop: run.stop };
}

interface Mem {
  usage: number;
  peak: number;
  total: number;
}

export interface TillMemoryBench {
  skipped: string | null;
  bin: string;
  /** JsVars: idle before, peak while serving, after; per step. */
  steps: { name: string; before: number; peak: number; after: number }[];
  total: number;
  /** JsVars held per open event stream (after / streams open). */
  perStream: number;
  errors: string[];
}

const TOKEN = "bench-till-token-0123456789";

/** The bench's till section (espruino-esp32; skipped, with the reason, when it is missing). */
export async function benchTillMemory(bin: EspruinoBinary = "espruino-esp32"): Promise<TillMemoryBench> {
  const r: TillMemoryBench = { skipped: espruinoSkipReason(bin), bin, steps: [], total: 0, perStream: 0, errors: [] };
  if (r.skipped !== null) return r;
  const pagePath = join(PROJECT_ROOT, "dist/till.html.gz");
  const page = existsSync(pagePath) ? readFileSync(pagePath) : null;
  if (page === null) r.errors.push("dist/till.html.gz missing (npm run build): the page step is skipped");
  const sim = await startTillSim(await buildTillSim(), { bin, page, token: TOKEN });
  const auth = { Authorization: "Bearer " + TOKEN };
  const mem = async (): Promise<Mem> => (await (await fetch(sim.base + "/api/x-memory", { headers: auth })).json()) as Mem;
  const settle = (): Promise<void> => new Promise((d) => setTimeout(d, 300));
  try {
    const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
      await settle();
      const before = await mem();
      await run();
      await settle();
      const after = await mem();
      r.total = after.total;
      r.steps.push({ name, before: before.usage, peak: after.peak, after: after.usage });
    };
    if (page !== null) await step("GET / (the page, " + num(page.length) + " bytes gzip, from Storage)", async () => (await fetch(sim.base + "/")).arrayBuffer());
    await step("GET /api/status", async () => (await fetch(sim.base + "/api/status", { headers: auth })).text());
    await step("GET /api/results", async () => (await fetch(sim.base + "/api/results", { headers: auth })).text());
    await step("POST /api/sales, then the sale's tap on the simulator", async () => (await fetch(sim.base + "/api/sales", { method: "POST", headers: { ...auth, "Idempotency-Key": "bench-1" }, body: '{"amountMinor":1250}' })).text());
    await new Promise((d) => setTimeout(d, 3000)); // the sale ends (simulated time), the result is kept
    const readers: AbortController[] = [];
    await step("2 event streams open (GET /api/events, first event read)", async () => {
      for (let i = 0; i < 2; i++) {
        const ac = new AbortController();
        readers.push(ac);
        const res = await fetch(sim.base + "/api/events", { headers: auth, signal: ac.signal });
        await (res.body as ReadableStream<Uint8Array>).getReader().read();
      }
    });
    const s = r.steps[r.steps.length - 1];
    r.perStream = Math.round((s.after - s.before) / 2);
    for (const ac of readers) ac.abort();
  } catch (e) {
    r.errors.push((e as Error).message);
  } finally {
    if (/Uncaught|ASSERT|MEMORY/.test(sim.output())) r.errors.push("interpreter: " + (/(Uncaught.*|ASSERT.*|.*MEMORY.*)/.exec(sim.output()) ?? [""])[0]);
    sim.stop();
  }
  return r;
}

export function tillMemoryTables(r: TillMemoryBench): BenchTable[] {
  if (r.skipped !== null) return [];
  return [
    {
      id: "till-memory",
      title: `The board's till in ${r.bin} (JsVars of ${num(r.total)})`,
      columns: ["step", "held before", "peak while serving", "held after", "peak − before", "after − before"],
      rows: r.steps.map((s) => [s.name, s.before, s.peak, s.after, s.peak - s.before, s.after - s.before]),
      notes: [
        "test/board-entries/till-sim.ts from Storage (load()): the terminal on the PN532 simulator, the till API, src/hal/espruino/till-http.ts on a loopback port",
        `an open event stream holds ~${num(r.perStream)} JsVars; the board allows 2 (board/esp32/till.ts MAX_STREAMS)`,
        "held: process.memory(true) (after a garbage collection), 300 ms after the step; peak: process.memory(false) sampled every 2 ms (garbage included)",
        "the sale's peak is its tap (PN532 simulator, transcript phone, EMV kernel), not the till's",
      ].concat(r.errors.map((e) => "error: " + e)),
    },
  ];
}
