/**
 * Runs code in a 2v29 Linux interpreter as a board runs its saved code: written to Storage and
 * `load()`ed, with other Storage files beside it (a board's parts, its config, a transcript).
 * Each interpreter run holds its whole script in RAM, so the files are written by earlier runs
 * of at most ~48 KB of script each (the Linux builds keep their flash in `espruino.flash` in
 * the working directory, from one run to the next); the last run writes the code and loads it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentStdin } from "./espruino-dir";

/** Script bytes per interpreter run that only writes files. */
const RUN_BYTES = 48 * 1024;

function writes(name: string, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 2000) out.push(`S.write(${JSON.stringify(name)},${JSON.stringify(text.slice(i, i + 2000))},${i},${text.length});\n`);
  return out;
}

function spawn(bin: string, dir: string, script: string, timeoutMs: number): { out: string; error: Error | undefined } {
  writeFileSync(join(dir, "code.js"), script);
  const stdin = silentStdin();
  // A large buffer: once, under a loaded machine, the default 1 MB overflowed (ENOBUFS).
  const r = spawnSync(bin, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL", encoding: "utf8", maxBuffer: 32 * 1024 * 1024 });
  stdin.close();
  return { out: ((r.stdout ?? "") + (r.stderr ?? "")).replace(/\r/g, ""), error: r.error };
}

/**
 * Runs the Storage writes `pieces` (statements over `S`, Storage) in `bin` in the folder `dir`,
 * in runs of at most RUN_BYTES of script each: the Linux builds keep their flash in
 * `espruino.flash` there, from one run to the next. Throws when a run fails.
 */
export function writeInRuns(bin: string, dir: string, pieces: string[], timeoutMs: number): void {
  const head = 'var S=require("Storage");\n';
  let script = head;
  const flush = (): void => {
    if (script === head) return;
    const r = spawn(bin, dir, script + 'print("--written--");\n', timeoutMs);
    if (r.error || r.out.indexOf("--written--") < 0) throw new Error(`writing Storage failed (${String(r.error)}):\n${r.out.slice(-3000)}`);
    script = head;
  };
  for (const w of pieces) {
    if (script.length + w.length > RUN_BYTES) flush();
    script += w;
  }
  flush();
}

/**
 * Writes `files` (ASCII text) and `app` (as Storage file app.js) and load()s app.js in `bin`;
 * returns what the loaded code printed (from the line "--app--" on). Throws, with both ends of
 * the output, when a run fails or times out.
 */
export function runFromFlash(bin: string, app: string, files: Record<string, string>, timeoutMs = 60000): string {
  const dir = mkdtempSync(join(tmpdir(), "tappos-flash-run-"));
  try {
    const head = 'var S=require("Storage");\n';
    const pieces: string[] = [];
    for (const name of Object.keys(files)) pieces.push(...writes(name, files[name]));
    writeInRuns(bin, dir, pieces, timeoutMs);
    const script = head + writes("app.js", app).join("") + 'print("--app--");setTimeout(function(){load("app.js");},1);\n';
    const r = spawn(bin, dir, script, timeoutMs);
    const i = r.out.indexOf("--app--");
    if (r.error || i < 0) throw new Error(`${String(r.error)}; ${r.out.length} characters printed:\n${r.out.slice(0, 3000)}\n…\n${r.out.slice(-3000)}`);
    return r.out.slice(i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
