// Property mangling (build/mangle-props.mjs) keeps every name that leaves or enters the
// bundle. Two proofs:
//   1. the names of the formats themselves (config.example.json's keys, the Storage records,
//      the acquirer's request and answer, Espruino members the code uses, the console till's
//      globals) are never in a board's rename table;
//   2. the same scenario (test/board-entries/records.ts: two sales through the whole
//      composition and TerminalAuth, a reversal, a restart on the same Storage, the config
//      read back) prints the same lines — every Storage write, every request body and
//      signature, every result — on Node from the TypeScript source and in both Espruino
//      interpreters from the mangled bundle loaded from Storage.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard, esbuildOptions, formatProblem } from "../../build.mjs";
import { internalPropertyNames, manglePlan } from "../../build/mangle-props.mjs";
import { nodeSha256 } from "../../host/auth/node-hal";
import { espruinoBinary, espruinoSkipReason, silentStdin } from "../../host/espruino-dir";
import { runRecords } from "../board-entries/records";
import { REPO } from "./helpers";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const EXAMPLE = readFileSync(join(REPO, "config.example.json"), "utf8");

function keysDeep(v: unknown, out: Set<string>): Set<string> {
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v as object)) {
      if (!Array.isArray(v)) out.add(k);
      keysDeep(x, out);
    }
  }
  return out;
}

/** The rename table of one board (its bundle and its parts), as build.mjs computes it. */
async function planOf(board: string): Promise<Record<string, string>> {
  const b = await buildBoard({ entry: `board/${board}/main.ts`, write: false });
  expect(b.problems.map(formatProblem)).toEqual([]);
  return b.mangled?.cache ?? {};
}

// Names of the formats that leave or enter the bundle (docs/acquirer-api.md, docs/online.md,
// src/app/persistence.ts, src/auth/reversal-queue.ts) and Espruino's members used by the hal.
const WIRE = [
  "terminalId", "merchantId", "stan", "clientTransactionId", "amountMinor", "currency", "country", "time", "reason",
  "responseCode", "authCode", "approved", "reversed", "arpc", "message", "error", "field", "outcome", "maskedPan",
  "statusCode", "headers", "getSizeOf", "memory", "usage", "free", "sale", "cancel", "status", "last",
];
// Members of Espruino's Graphics, I2C and Wifi that the esp32 board uses.
const ESP32 = ["createArrayBuffer", "vertical_byte", "msb", "drawString", "setFont", "getWidth", "flip", "writeTo", "readFrom", "setup", "connect", "setSNTP"];

describe("property mangling keeps the names that leave the bundle", () => {
  it.each(["esp32", "espruino-wifi"])("%s: no config key, record or wire field, Espruino member or till global is renamed", async (board) => {
    const plan = await planOf(board);
    expect(Object.keys(plan).length).toBeGreaterThan(100); // it does rename
    const kept = [...keysDeep(JSON.parse(EXAMPLE), new Set()), ...WIRE, ...(board === "esp32" ? ESP32 : [])];
    expect(kept.filter((k) => k in plan)).toEqual([]);
    // No generated name is a keyword, an Espruino token or a name the bundle keeps.
    const values = Object.values(plan);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(["of", "in", "do", "if", "on", "let", "new", "for", "try", "var", "get", "set"]).not.toContain(v);
  }, 120000);
});

/** What the scenario prints on Node, from the TypeScript source. */
function onNode(): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    runRecords({ print: (l) => lines.push(l), sha: nodeSha256, defer: (fn) => setImmediate(fn), configText: EXAMPLE, done: () => resolve(lines) });
  });
}

/** Runs `code` from Storage (load(), as a board runs saved code); the lines up to RECORDS END. */
function inInterpreter(binary: "espruino" | "espruino-esp32", code: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "tappos-records-"));
  dirs.push(dir);
  let script = `var S=require("Storage");\nS.write("tpconf",${JSON.stringify(EXAMPLE)});\n`;
  for (let i = 0; i < code.length; i += 2000) script += `S.write("app.js",${JSON.stringify(code.slice(i, i + 2000))},${i},${code.length});\n`;
  script += 'print("--app--");setTimeout(function(){load("app.js");},1);\n';
  writeFileSync(join(dir, "code.js"), script);
  const stdin = silentStdin();
  const r = spawnSync(espruinoBinary(binary)!, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: 120000, killSignal: "SIGKILL", encoding: "utf8", maxBuffer: 32 * 1024 * 1024 });
  stdin.close();
  const out = ((r.stdout ?? "") + (r.stderr ?? "")).replace(/\r/g, "");
  const i = out.indexOf("--app--");
  if (r.error || i < 0) throw new Error(`${String(r.error)}:\n${out.slice(-3000)}`);
  // The REPL's prompt and banner are not the scenario's.
  const lines = out.slice(i).split("\n").slice(1).map((l) => l.replace(/^>\x1b\[J/, "")).filter((l) => l.startsWith("W ") || l.startsWith("E ") || /^[a-zA-Z]/.test(l) && !/^(Espruino is|only by|http:\/\/espruino)/.test(l));
  const end = lines.indexOf("RECORDS END");
  if (end < 0) throw new Error(`no RECORDS END:\n${out.slice(-4000)}`);
  return lines.slice(0, end + 1);
}

/**
 * DE 55's data objects in tag order: V8's Object.keys puts integer-like keys ("82", "95")
 * first, Espruino keeps insertion order; the set of TLVs is what must agree.
 */
function sortedTlvs(hex: string): string {
  const out: string[] = [];
  for (let i = 0; i < hex.length; ) {
    let t = hex.substring(i, i + 2);
    if ((parseInt(t, 16) & 0x1f) === 0x1f) t = hex.substring(i, i + 4);
    let j = i + t.length;
    let len = parseInt(hex.substring(j, j + 2), 16);
    j += 2;
    if (len === 0x81) { len = parseInt(hex.substring(j, j + 2), 16); j += 2; }
    out.push(hex.substring(i, j + len * 2));
    i = j + len * 2;
  }
  return out.sort().join("");
}

/**
 * What differs between the interpreter and V8 and is not the build's: fractional simulated
 * times print with more digits (and so the result ids made from them in base 36). The same
 * with and without mangling (the second test below), so it hides no renamed field. The
 * request's iccData is compared as a set of TLVs (sortedTlvs): it once came out empty in the
 * interpreter, whose String#indexOf finds a needle running past the end (src/bytes/find.ts).
 */
function normalise(lines: string[]): string[] {
  return lines.map((l) => l.replace(/"iccData":"([0-9A-F]*)"/g, (_m, hex: string) => `"iccData":"${sortedTlvs(hex)}"`).replace(/("time":\d+)\.\d+/g, "$1").replace(/"id":"[^"]*"/g, '"id":"…"').replace(/X-Tappos-Signature=\S+/g, "X-Tappos-Signature=…"));
}

describe("records round trip: Node source vs the mangled bundle in the interpreter", () => {
  const built = buildBoard({ entry: "test/board-entries/records-main.ts", name: "records", write: false, budget: 200 * 1024, checkSource: false });
  const plain = buildBoard({ entry: "test/board-entries/records-main.ts", name: "records", write: false, budget: 400 * 1024, checkSource: false, mangleProps: false });

  it("the bundle builds, with property names renamed", async () => {
    const b = await built;
    expect(b.problems.map(formatProblem)).toEqual([]);
    expect(b.mangled?.names ?? 0).toBeGreaterThan(100);
  }, 120000);

  it("Node prints the whole scenario: two requests, a reversal sent twice, records, the config", async () => {
    const lines = await onNode();
    expect(lines.at(-1)).toBe("RECORDS END");
    expect(lines.filter((l) => l.startsWith("HTTP POST http://127.0.0.1:8080/v1/authorizations "))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("HTTP POST http://127.0.0.1:8080/v1/reversals "))).toHaveLength(2); // after the timeout, again after the restart
    expect(lines.some((l) => l.startsWith("W tplast {"))).toBe(true);
    expect(lines.some((l) => l.startsWith("W tprv"))).toBe(true);
    expect(lines.find((l) => l.startsWith("restart boot "))).toContain('"recovered":{"terminalId":"TPOS0001"');
    expect(lines.find((l) => l.startsWith("config "))).toContain('"problems":[]');
    expect(lines.join("\n")).not.toContain("RECORDS FAIL");
  }, 60000);

  for (const binary of ["espruino", "espruino-esp32"] as const) {
    const skip = espruinoSkipReason(binary);
    it.skipIf(skip !== null)(`${binary}: the mangled bundle prints what the unmangled one does, byte for byte`, async () => {
      const m = inInterpreter(binary, (await built).code);
      expect(m.at(-1)).toBe("RECORDS END");
      expect(m).toEqual(inInterpreter(binary, (await plain).code));
    }, 240000);

    it.skipIf(skip !== null)(`${binary}: the same records and bodies as Node (interpreter number printing aside)`, async () => {
      const m = inInterpreter(binary, (await built).code);
      expect(normalise(m)).toEqual(normalise(await onNode()));
    }, 240000);
  }
});
