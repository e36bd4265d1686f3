/**
 * Where the Espruino 2v29 Linux interpreters are: the one place the repository names that
 * folder. `$ESPRUINO_DIR` (a folder holding `espruino`, `espruino-esp32`,
 * `espruino-esp32-rel`), else `../shared/espruino` beside the project's root. Tests and the
 * bench that need an interpreter ask here and skip, with the reason, only when it is missing.
 *
 * | binary | what |
 * |---|---|
 * | `espruino` | 64-bit stock LINUX build, asserts on: does the bundle run at all |
 * | `espruino-esp32` | 32-bit, 16,383 JsVars of 14 bytes (ESP32 layout), asserts on: memory |
 * | `espruino-esp32-rel` | the same as a release build: instructions per tap under callgrind |
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type EspruinoBinary = "espruino" | "espruino-esp32" | "espruino-esp32-rel";

/** The project's root (the folder holding package.json). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `$ESPRUINO_DIR`, else `../shared/espruino` beside the project's root (it may not exist). */
export function espruinoDir(): string {
  const env = process.env.ESPRUINO_DIR;
  return env !== undefined && env !== "" ? resolve(env) : resolve(PROJECT_ROOT, "../shared/espruino");
}

/** The path of one interpreter binary, or null when it is not there. */
export function espruinoBinary(name: EspruinoBinary): string | null {
  const p = resolve(espruinoDir(), name);
  return existsSync(p) ? p : null;
}

/** Why a test or bench section that needs `name` is skipped, or null when it can run. */
export function espruinoSkipReason(name: EspruinoBinary): string | null {
  return espruinoBinary(name) === null ? `${name} not found in ${espruinoDir()} (set $ESPRUINO_DIR)` : null;
}

/**
 * A stdin for an interpreter run that stays open and silent: the read end of a FIFO whose
 * file descriptor is opened read-write, so it never reaches end of file. With `</dev/null`
 * the Linux build now and then (1 run in 4, measured 2026-12-06) reads its console input in
 * a loop and prints the REPL's completion list without end (megabytes a second) instead of
 * exiting. Pass `fd` as the child's stdin and call `close()` once it has exited.
 */
export function silentStdin(): { fd: number; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "tappos-stdin-"));
  const fifo = join(dir, "stdin");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status !== 0) throw new Error("mkfifo failed: " + String(made.stderr));
  const fd = openSync(fifo, "r+");
  return {
    fd: fd,
    close: () => {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
