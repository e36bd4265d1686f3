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
import { partStorageName } from "../../build/parts.mjs";
import { ROOT_PARTS } from "../../build/root-part.mjs";
import type { PortSpec } from "./port";

/** What the board's firmware says of itself. */
export interface FirmwareAnswer {
  version: string;
  /** The identity module's numbers, null when the firmware has no tappos. */
  id: { crc: number; bytes: number } | null;
  /** Where each text asked for lies in the board's flash (its CRC32 checked there), in the order asked; null: not found. */
  at: (number | null)[];
}

/** A text the board is asked to find in its flash: the bundle's, or a root part's (build/root-part.mjs). */
export interface FirmwareText {
  /** The module it is built in as: `tappos`, `tpp.card`. */
  module: string;
  /** As the firmware holds it (firmwareText). */
  text: Buffer;
  /** Its CRC32 and length. */
  id: BundleId;
}

/** Characters of the bundle's text the board searches its flash for (each hit then CRC-checked). */
const HEAD_CHARS = 64;

/**
 * The question for the board: its Espruino version, the identity module's numbers and, where
 * the firmware has tappos, the address in flash of each of `texts`: each place its first
 * characters are found, its CRC32 checked over its length (E.memoryArea: on an STM32 the flash
 * is read in place). Only asked of a firmware with the identity module: E.memoryArea has no
 * flash behind it elsewhere (the Linux interpreter).
 */
export function firmwareQuestion(spec: FirmwareSpec, texts: FirmwareText[]): string {
  const m = JSON.stringify(spec.idModule);
  const base = hex(spec.flash.base);
  const wanted = texts.map((t) => `[${JSON.stringify(t.text.subarray(0, HEAD_CHARS).toString("latin1"))},${t.id.bytes},${t.id.crc}]`);
  const find =
    `function(w){var m=E.memoryArea(${base},${spec.flash.bytes}),p=m.indexOf(w[0]);` +
    `while(p>=0){if(E.CRC32(E.memoryArea(${base}+p,w[1]))===w[2])return ${base}+p;p=m.indexOf(w[0],p+1);}return null;}`;
  return `var h=(process.env.MODULES||"").split(",").indexOf(${m})>=0;print("TPFW "+JSON.stringify({v:process.env.VERSION,id:h?require(${m}):null,at:h?[${wanted.join(",")}].map(${find}):[]}))`;
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
      const at = Array.isArray(v.at) ? v.at.map((a: unknown) => (typeof a === "number" && Number.isInteger(a) && a > 0 ? a : null)) : [];
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

/** A text found in the board's flash: its module, address, CRC32 and length. */
export interface Placed extends BundleId {
  module: string;
  at: number;
}

/**
 * The saved code: `tpAt`, where the root parts lie (src/hal/espruino/parts.ts
 * loadFirmwareRootPart checks each by its CRC32 when it loads it), then the bundle's text
 * (`placed` entry for spec.module) evaluated in place at the root scope when its CRC32 still
 * matches, else required as a module, with a line saying why. eval() from the saved code's top
 * level runs in the root scope (Espruino's jswrap_eval: the current scope), and each
 * function's code stays a reference into the flash (jsparse.c: a native string over the
 * source). The bundle not found: the module line alone.
 */
export function bootCode(spec: FirmwareSpec, placed: Placed[]): string {
  const parts = placed.filter((p) => p.module !== spec.module);
  const table = parts.length > 0 ? `var tpAt={${parts.map((p) => `${JSON.stringify(p.module)}:[${hex(p.at)},${p.bytes},${p.crc}]`).join(",")}};` : "";
  const b = placed.find((p) => p.module === spec.module);
  if (!b) return table + moduleBootLine(spec);
  const area = `E.memoryArea(${hex(b.at)},${b.bytes})`;
  return (
    table +
    `if(E.CRC32(${area})===${b.crc})eval(${area});` +
    `else{print("tappos: not at ${hex(b.at)} in this firmware: npm run flash again (running as a module meanwhile)");${moduleBootLine(spec).trim()}}\n`
  );
}

/** The texts the board is asked to find: the bundle's, then each root part's (build/root-part.mjs ROOT_PARTS). */
export function firmwareTexts(spec: FirmwareSpec, bundle: Buffer, parts: PartFile[]): FirmwareText[] {
  const text = (module: string, data: Buffer): FirmwareText => {
    const t = firmwareText(data);
    return { module, text: t, id: bundleId(t) };
  };
  const texts = [text(spec.module, bundle)];
  for (const p of parts) if (ROOT_PARTS.map(partStorageName).includes(p.storage)) texts.push(text(p.storage, p.data));
  return texts;
}

/**
 * Checks the board's firmware against `bundle` and its firmware `parts`, then (`beforeSave`:
 * the parts the board keeps in its Storage written) saves the code that runs it (bootCode);
 * returns the lines to print. `connect` gives the CLI's connection arguments.
 */
export async function flashFirmwareBoard(board: BoardInfo, spec: FirmwareSpec, port: PortSpec, args: BoardArgs, bundle: string, parts: PartFile[], connect: string[], beforeSave?: () => Promise<void>): Promise<string[]> {
  const code = readFileSync(bundle);
  const want = firmwareId(code, parts);
  const texts = firmwareTexts(spec, code, parts);
  const what = parts.length > 0 ? `${bundle} and its parts` : bundle;
  const q = await runEspruinoCli({ args: connect.concat(["-e", firmwareQuestion(spec, texts)]), timeoutMs: args.timeoutMs });
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
  if (beforeSave) await beforeSave();
  const placed: Placed[] = [];
  texts.forEach((t, i) => {
    const at = fw.at[i];
    if (typeof at === "number") placed.push({ module: t.module, at: at, crc: t.id.crc, bytes: t.id.bytes });
  });
  const tmp = mkdtempSync(join(tmpdir(), "tappos-flash-"));
  try {
    const file = join(tmp, "boot.js");
    writeFileSync(file, bootCode(spec, placed));
    const up = await runEspruinoCli({ args: connect.concat(["--config", "SAVE_ON_SEND=1", file]), timeoutMs: args.timeoutMs });
    if (!up.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `flash failed: ${up.failure}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const b = placed.find((p) => p.module === spec.module);
  const saved = b
    ? `saved code: the bundle's text evaluated in place at ${hex(b.at)} (${b.bytes} bytes), at the root scope`
    : `its bundle's text was not found in the board's flash: saved code: ${moduleBootLine(spec).trim()} (a module: about 700 JsVars more)`;
  const lines = [`the board's firmware (Espruino ${fw.version}) carries this tappos build (${want.bytes} bytes, CRC32 ${want.crc}); ${saved}`];
  for (const t of texts.slice(1)) {
    const p = placed.find((x) => x.module === t.module);
    lines.push(p ? `  ${t.module} at ${hex(p.at)}, run at the root scope when a sale needs it` : `  ${t.module} not found in the board's flash: run as a module when a sale needs it (about 200 JsVars more)`);
  }
  return lines;
}
