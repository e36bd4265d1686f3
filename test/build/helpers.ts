/** Test helpers for the build: fixture trees, running a bundle in Node's vm or in Espruino. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { espruinoBinary, espruinoSkipReason, silentStdin, type EspruinoBinary } from "../../host/espruino-dir";

export { espruinoSkipReason };

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const made: string[] = [];

/** Temp dir registered for removeTempDirs(). */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every temp dir this module made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Writes `files` (path → text) into a fresh temp dir and returns it (the fixture's root). */
export function makeFixture(files: Record<string, string>): string {
  const root = tempDir("tappos-build-");
  for (const [path, text] of Object.entries(files)) {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

/** Runs a bundle in a fresh V8 context with Espruino's `print` (and an optional `require`). */
export function runInVm(code: string, globals: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  const print = (...a: unknown[]) => { out.push(a.map(String).join(" ")); };
  vm.runInNewContext(code, { print, ...globals }, { timeout: 5000 });
  return out;
}

/**
 * Runs a script file in an Espruino 2v29 interpreter from host/espruino-dir.ts (the caller
 * skips, with espruinoSkipReason(bin), when it is missing). cwd is a fresh temp dir, where
 * the interpreter keeps its flash; stdin is /dev/null (the Linux build reads stdin as REPL
 * input); on timeout it gets SIGKILL (it ignores SIGTERM).
 */
function spawnEspruino(script: string, bin: EspruinoBinary): string {
  const path = espruinoBinary(bin);
  if (!path) throw new Error(espruinoSkipReason(bin) ?? bin + " not found");
  const dir = tempDir("tappos-espruino-");
  writeFileSync(join(dir, "code.js"), script);
  const stdin = silentStdin();
  const r = spawnSync(path, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: 60000, killSignal: "SIGKILL", encoding: "utf8" });
  stdin.close();
  const out = ((r.stdout ?? "") + (r.stderr ?? "")).replace(/\r/g, "");
  if (r.error) throw new Error(`${bin}: ${r.error.message}\n${out}`);
  return out;
}

const BANNER_END = "espruino.com/Donate";
const stripPrompt = (text: string) => text.trim().replace(/\n?>$/, "").trim();

/** Runs `code` in a fresh vm context whose global `out` the code appends to; returns `out`. */
export function runForOut(code: string): string {
  const ctx = vm.createContext({ out: "" });
  vm.runInContext(code, ctx);
  return ctx.out as string;
}

/**
 * Runs a script in the Espruino interpreter as a plain file (`espruino code.js`: the code
 * held in RAM); returns what it printed. Default binary: the 64-bit `espruino`, asserts on.
 */
export function runInEspruino(code: string, bin: EspruinoBinary = "espruino"): string {
  const text = spawnEspruino(code, bin);
  const i = text.indexOf(BANNER_END);
  return stripPrompt(i >= 0 ? text.slice(i + BANNER_END.length) : text);
}

/**
 * Runs a bundle the way a board runs saved code: written to Storage (flash) in chunks, then
 * `load()`ed, so function bodies execute from flash instead of a RAM copy. Default binary:
 * `espruino-esp32` (16,383 JsVars of 14 bytes, as an ESP32). Returns what the bundle printed.
 */
export function runInEspruinoFromFlash(code: string, bin: EspruinoBinary = "espruino-esp32"): string {
  if (!/^[\x00-\x7f]*$/.test(code)) throw new Error("bundle is not ASCII");
  const chunk = 2000;
  let script = 'var S=require("Storage");S.erase("app.js");\n';
  for (let i = 0; i < code.length; i += chunk) {
    script += `S.write("app.js",${JSON.stringify(code.slice(i, i + chunk))},${i},${code.length});\n`;
  }
  script += 'print("--app--");setTimeout(function(){load("app.js");},1);\n';
  const text = spawnEspruino(script, bin);
  const i = text.indexOf("--app--");
  if (i < 0) throw new Error("could not write the bundle to Storage:\n" + text);
  const rest = text.slice(i);
  const j = rest.lastIndexOf(BANNER_END);
  return stripPrompt(j >= 0 ? rest.slice(j + BANNER_END.length) : rest);
}

/**
 * A test title that carries its skip reason: `it.skipIf(reason)(titled("…", reason), …)`
 * shows why the check did not run (never drop a check silently inside a passing test).
 */
export function titled(title: string, reason: string | null): string {
  return reason ? `${title} [skipped: ${reason}]` : title;
}

/** A board's parts as Storage files (build/parts.mjs): `tpp.<part>` → its code. */
export function partFiles(b: { parts?: { storage: string; code: string }[] }): Record<string, string> {
  const files: Record<string, string> = {};
  for (const p of b.parts ?? []) files[p.storage] = p.code;
  return files;
}
