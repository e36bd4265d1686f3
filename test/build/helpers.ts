/** Test helpers for the build: fixture trees, running a bundle in Node's vm or in Espruino. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

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
 * The Espruino 2v29 Linux build (ESP32-sized, 16383 JsVars) if present: $ESPRUINO_BIN or
 * ../espruino/espruino-esp32like next to the repository. Tests that need it are skipped
 * without it; the vm and structural assertions run everywhere.
 */
export function espruinoBin(): string | null {
  const candidates = [process.env.ESPRUINO_BIN, resolve(REPO, "../espruino/espruino-esp32like"), resolve(REPO, "../espruino/espruino-linux64")];
  for (const c of candidates) if (c && existsSync(c)) return c;
  return null;
}

/** Runs a script file in the Espruino interpreter (cwd: a fresh temp dir, where it keeps its flash). */
function spawnEspruino(script: string): string {
  const bin = espruinoBin();
  if (!bin) throw new Error("no Espruino binary");
  const dir = tempDir("tappos-espruino-");
  writeFileSync(join(dir, "code.js"), script);
  const r = spawnSync(bin, ["code.js"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: 60000, encoding: "utf8" });
  return (r.stdout + r.stderr).replace(/\r/g, "");
}

const BANNER_END = "espruino.com/Donate";
const stripPrompt = (text: string) => text.trim().replace(/\n?>$/, "").trim();

/** Runs a script in the Espruino interpreter, loaded as a RAM string; returns what it printed. */
export function runInEspruino(code: string): string {
  const text = spawnEspruino(code);
  const i = text.indexOf(BANNER_END);
  return stripPrompt(i >= 0 ? text.slice(i + BANNER_END.length) : text);
}

/**
 * Runs a bundle the way a board runs saved code: written to Storage (flash) in chunks, then
 * `load()`ed, so function bodies execute from flash instead of a RAM copy. A 64 KB bundle
 * loaded as a RAM string runs out of JsVars on the ESP32-sized build; from flash it fits.
 * Returns what the bundle printed.
 */
export function runInEspruinoFromFlash(code: string): string {
  if (!/^[\x00-\x7f]*$/.test(code)) throw new Error("bundle is not ASCII");
  const chunk = 2000;
  let script = 'var S=require("Storage");S.erase("app.js");\n';
  for (let i = 0; i < code.length; i += chunk) {
    script += `S.write("app.js",${JSON.stringify(code.slice(i, i + chunk))},${i},${code.length});\n`;
  }
  script += 'print("--app--");setTimeout(function(){load("app.js");},1);\n';
  const text = spawnEspruino(script);
  const i = text.indexOf("--app--");
  if (i < 0) throw new Error("could not write the bundle to Storage:\n" + text);
  const rest = text.slice(i);
  const j = rest.lastIndexOf(BANNER_END);
  return stripPrompt(j >= 0 ? rest.slice(j + BANNER_END.length) : rest);
}
