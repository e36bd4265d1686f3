/**
 * `npm run flash` on a board whose code is built into its firmware (board/<name>/firmware.json,
 * `npm run firmware`): the board is asked which tappos build its firmware carries (the identity
 * module: CRC32 and length of the bundle and its parts) and where, in its memory-mapped flash,
 * the bundle's text lies; that is checked against the build here (dist/<board>.js and
 * dist/<board>/*.js), and only then is the saved code (`.bootcde`) set: one line that checks the
 * text at that address (its CRC32) and evaluates it there, at the root scope, as `load()` runs
 * saved code (`bootCode`). A module's top level (`require("tappos")`) costs each of its functions
 * one JsVar more (docs/architecture.md "The Espruino WiFi: tappos inside the firmware"): that is
 * only the fallback, when the text is not found or has moved (another firmware flashed since).
 * A board without tappos in its firmware, or with another build of it, gets nothing: one line
 * says what to flash first.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BoardArgs } from "./args";
import type { BoardInfo } from "./boards";
import { runEspruinoCli, type CliResult } from "./cli";
import { BoardToolError } from "./errors";
import { bundleId, firmwareId, firmwareText, type BundleId, type FirmwareSpec } from "./firmware-board";
import type { PartFile } from "./boards";
import type { PortSpec } from "./port";

/** What the board's firmware says of itself. */
export interface FirmwareAnswer {
  version: string;
  /** The identity module's numbers, null when the firmware has no tappos. */
  id: { crc: number; bytes: number } | null;
  /** The address of the bundle's text in the board's flash (its CRC32 checked there), or null. */
  at: number | null;
}

/** Characters of the bundle's text the board searches its flash for (each hit then CRC-checked). */
const HEAD_CHARS = 64;

/**
 * The question for the board: its Espruino version, the identity module's numbers and, where
 * the firmware has tappos, the address in flash of the bundle's text (`text`: the text as the
 * firmware holds it, firmwareText): each place its first characters are found, its CRC32
 * checked over its length (E.memoryArea: on an STM32 the flash is read in place). Only asked of
 * a firmware with the identity module: E.memoryArea has no flash behind it elsewhere (the
 * Linux interpreter).
 */
export function firmwareQuestion(spec: FirmwareSpec, text: Buffer): string {
  const m = JSON.stringify(spec.idModule);
  const id = bundleId(text);
  const head = JSON.stringify(text.subarray(0, HEAD_CHARS).toString("latin1"));
  const base = hex(spec.flash.base);
  const find =
    `function(){var m=E.memoryArea(${base},${spec.flash.bytes}),p=m.indexOf(${head});` +
    `while(p>=0){if(E.CRC32(E.memoryArea(${base}+p,${id.bytes}))===${id.crc})return ${base}+p;p=m.indexOf(${head},p+1);}return null;}`;
  return `var h=(process.env.MODULES||"").split(",").indexOf(${m})>=0;print("TPFW "+JSON.stringify({v:process.env.VERSION,id:h?require(${m}):null,at:h?(${find})():null}))`;
}

function hex(n: number): string {
  return "0x" + n.toString(16).padStart(8, "0");
}

export function parseFirmwareAnswer(r: CliResult): FirmwareAnswer | null {
  for (const l of r.boardLines) {
    const m = /TPFW (\{.*\})/.exec(l);
    if (!m) continue;
    try {
      const v = JSON.parse(m[1]) as { v?: unknown; id?: { crc?: unknown; bytes?: unknown } | null; at?: unknown };
      const id = v.id && typeof v.id.crc === "number" && typeof v.id.bytes === "number" ? { crc: v.id.crc, bytes: v.id.bytes } : null;
      const at = typeof v.at === "number" && Number.isInteger(v.at) && v.at > 0 ? v.at : null;
      return { version: typeof v.v === "string" ? v.v : "?", id, at };
    } catch {
      return null;
    }
  }
  return null;
}

/** Saved code that runs the bundle as a module (its functions each hold the module's scope). */
export function moduleBootLine(spec: FirmwareSpec): string {
  return `require(${JSON.stringify(spec.module)});\n`;
}

/**
 * The saved code: the bundle's text at `at` (`text`: its CRC32 and length) evaluated in place
 * at the root scope when it is still there, else as a module, with a line saying why. eval()
 * from the saved code's top level runs in the root scope (Espruino's jswrap_eval: the current
 * scope), and each function's code stays a reference into the flash (jsparse.c: a native
 * string over the source). `at` null: the module line alone.
 */
export function bootCode(spec: FirmwareSpec, at: number | null, text: BundleId): string {
  if (at === null) return moduleBootLine(spec);
  const area = `E.memoryArea(${hex(at)},${text.bytes})`;
  return (
    `if(E.CRC32(${area})===${text.crc})eval(${area});` +
    `else{print("tappos: not at ${hex(at)} in this firmware: npm run flash again (running as a module meanwhile)");${moduleBootLine(spec).trim()}}\n`
  );
}

/**
 * Checks the board's firmware against `bundle` and saves the boot line; returns the lines to
 * print. `connect` gives the CLI's connection arguments.
 */
export async function flashFirmwareBoard(board: BoardInfo, spec: FirmwareSpec, port: PortSpec, args: BoardArgs, bundle: string, parts: PartFile[], connect: string[]): Promise<string[]> {
  const code = readFileSync(bundle);
  const want = firmwareId(code, parts);
  const text = firmwareText(code);
  const what = parts.length > 0 ? `${bundle} and its parts` : bundle;
  const q = await runEspruinoCli({ args: connect.concat(["-e", firmwareQuestion(spec, text)]), timeoutMs: args.timeoutMs });
  if (!q.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `asking the board for its firmware failed: ${q.failure}`);
  const fw = parseFirmwareAnswer(q);
  if (fw === null) throw new BoardToolError("BOARD_UPLOAD_FAILED", `the board did not say which firmware it runs (no TPFW line): nothing flashed`);
  const how = `npm run firmware -- --board ${board.name} --espruino DIR, then flash dist/${board.name}-firmware.bin (README "The Espruino WiFi's firmware")`;
  if (fw.id === null) {
    throw new BoardToolError("BOARD_FIRMWARE_MISSING", `the board's firmware (Espruino ${fw.version}) has no tappos built in: ${how}: nothing flashed`);
  }
  if (fw.id.crc !== want.crc || fw.id.bytes !== want.bytes) {
    throw new BoardToolError(
      "BOARD_FIRMWARE_MISMATCH",
      `the board's firmware carries another tappos build (${fw.id.bytes} bytes, CRC32 ${fw.id.crc}; ${what}: ${want.bytes} bytes, CRC32 ${want.crc}): ${how}: nothing flashed`,
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), "tappos-flash-"));
  try {
    const file = join(tmp, "boot.js");
    writeFileSync(file, bootCode(spec, fw.at, bundleId(text)));
    const up = await runEspruinoCli({ args: connect.concat(["--config", "SAVE_ON_SEND=1", file]), timeoutMs: args.timeoutMs });
    if (!up.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `flash failed: ${up.failure}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const how2 =
    fw.at !== null
      ? `saved code: the bundle's text evaluated in place at ${hex(fw.at)} (${text.length} bytes), at the root scope`
      : `its bundle's text was not found in the board's flash: saved code: ${moduleBootLine(spec).trim()} (a module: about 700 JsVars more)`;
  return [`the board's firmware (Espruino ${fw.version}) carries this tappos build (${want.bytes} bytes, CRC32 ${want.crc}); ${how2}`];
}
