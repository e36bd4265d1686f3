/**
 * The firmware build's pure parts (host/board/firmware-run.ts runs them): a board's
 * board/<name>/firmware.json, the Espruino board file derived from Espruino's own
 * (boards/<BOARD>.py of an espruino/Espruino checkout) and the size line of its build.
 *
 * Espruino builds a JavaScript module into its firmware when the board file's makefile lines
 * name it (`JSMODULESOURCES+=name:path`, scripts/build_jswrapper.py): `require(name)` then
 * evaluates it from the firmware's flash (src/jswrap_modules.c: a native string, not copied
 * into RAM), as Storage code runs; a board's parts (build/parts.mjs) become modules of their
 * own, `tpp.<part>`, found by require() when Storage has no file of that name. The identity module (`idModule`) says
 * which bundle and parts the firmware carries, so that `npm run flash` can check it without
 * running the terminal.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { crc32 } from "node:zlib";
import { BoardToolError } from "./errors";

export interface FirmwareSpec {
  /** Espruino's board name (boards/<name>.py). */
  espruinoBoard: string;
  /** The module the bundle becomes: `.bootcde` is `require("<module>");`. */
  module: string;
  /** A module of two numbers: the bundle's CRC32 and length. */
  idModule: string;
  /** Libraries (the board file's 'libraries' list) a terminal does not use. */
  dropLibraries: string[];
  /** Makefile lines to leave out, by what they contain (another network chip, Espruino's own JS modules). */
  dropMakefile: string[];
  /** ESPR_NO_… defines: interpreter features the terminal does not use. */
  defines: string[];
  /**
   * Where the firmware's code lies in the chip's memory-mapped flash (the Espruino WiFi: 384 KB
   * at 0x08020000, after the bootloader and the Storage page): where `npm run flash`
   * looks for the bundle's text, so that the saved code evaluates it there at the root scope.
   */
  flash: { base: number; bytes: number };
}

/** board/<name>/firmware.json, or null for a board whose code runs from Storage. */
export function readFirmwareSpec(boardDir: string): FirmwareSpec | null {
  const path = resolve(boardDir, "firmware.json");
  if (!existsSync(path)) return null;
  const v = JSON.parse(readFileSync(path, "utf8")) as Partial<FirmwareSpec>;
  const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === "string");
  const f = v.flash;
  const flashOk = typeof f === "object" && f !== null && Number.isInteger(f.base) && Number.isInteger(f.bytes) && f.base > 0 && f.bytes > 0 && f.base + f.bytes <= 0x80000000;
  if (typeof v.espruinoBoard !== "string" || typeof v.module !== "string" || typeof v.idModule !== "string" || !strings(v.dropLibraries) || !strings(v.dropMakefile) || !strings(v.defines) || !flashOk) {
    throw new BoardToolError("BOARD_UNKNOWN", `${path}: espruinoBoard, module, idModule, dropLibraries, dropMakefile, defines and flash {base, bytes} are required`);
  }
  return { espruinoBoard: v.espruinoBoard, module: v.module, idModule: v.idModule, dropLibraries: v.dropLibraries, dropMakefile: v.dropMakefile, defines: v.defines, flash: { base: f.base, bytes: f.bytes } };
}

/** The name of the derived board (boards/<name>.py in the checkout). */
export function tapposBoardName(spec: FirmwareSpec): string {
  return spec.espruinoBoard + "_TAPPOS";
}

/** What the bundle is: its CRC32 (unsigned) and length in bytes. */
export interface BundleId {
  crc: number;
  bytes: number;
}

export function bundleId(code: Buffer): BundleId {
  return { crc: crc32(code) >>> 0, bytes: code.length };
}

/**
 * A module's text as the firmware holds it: Espruino's build reads the file as Latin-1 and
 * strips its leading and trailing whitespace (scripts/build_jswrapper.py, Python's str.strip()).
 */
export function firmwareText(code: Buffer): Buffer {
  const ws = (b: number): boolean => (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x20) || b === 0x85 || b === 0xa0;
  let start = 0;
  let end = code.length;
  while (start < end && ws(code[start])) start++;
  while (end > start && ws(code[end - 1])) end--;
  return code.subarray(start, end);
}

/** What a firmware carries: the bundle and then each part (in the board's part order), as one. */
export function firmwareId(bundle: Buffer, parts: { data: Buffer }[]): BundleId {
  return bundleId(Buffer.concat([bundle].concat(parts.map((p) => p.data))));
}

/** The identity module's source: `require("tapposid")` on the board gives `{crc, bytes}`. */
export function idModuleSource(id: BundleId): string {
  return `exports.crc=${id.crc};exports.bytes=${id.bytes};\n`;
}

/**
 * Espruino's board file with the libraries and makefile lines of `spec` taken out, its
 * defines added, `modules` (name → path relative to the checkout) built in and `_tappos` in
 * the binary's name. Each library must stand on a line of its own and each makefile line must
 * exist: a board file Espruino has changed is refused rather than half edited.
 */
export function tapposBoardFile(source: string, spec: FirmwareSpec, modules: { name: string; path: string }[]): string {
  let lines = source.split("\n");
  for (const lib of spec.dropLibraries) {
    // A line of the 'libraries' list holds one library or several ('CRYPTO','SHA256','SHA512',).
    const i = lines.findIndex((l) => /^\s*('[A-Z0-9_]+',?\s*)+(#.*)?$/.test(l) && l.includes(`'${lib}'`));
    if (i < 0) throw new BoardToolError("BOARD_FIRMWARE_SOURCE", `boards/${spec.espruinoBoard}.py has no library '${lib}' in its list: this Espruino version's board file differs from what board/*/firmware.json expects`);
    const rest = lines[i].replace(new RegExp(`'${lib}',?`), "");
    if (/^\s*(#.*)?$/.test(rest)) lines.splice(i, 1);
    else lines[i] = rest;
  }
  for (const m of spec.dropMakefile) {
    const kept = lines.filter((l) => !l.includes(m));
    if (kept.length === lines.length) throw new BoardToolError("BOARD_FIRMWARE_SOURCE", `boards/${spec.espruinoBoard}.py has no makefile line with ${m}: this Espruino version's board file differs from what board/*/firmware.json expects`);
    lines = kept;
  }
  const mk = lines.findIndex((l) => /^\s*'makefile'\s*:\s*\[\s*$/.test(l));
  if (mk < 0) throw new BoardToolError("BOARD_FIRMWARE_SOURCE", `boards/${spec.espruinoBoard}.py has no 'makefile' : [ line`);
  const added: string[] = [];
  if (spec.defines.length > 0) added.push(`     'DEFINES+=${spec.defines.map((d) => "-D" + d).join(" ")}', # tappos: features the terminal does not use`);
  for (const m of modules) {
    if (/\s/.test(m.path)) throw new BoardToolError("BOARD_USAGE", `module path ${m.path} has a space: make cannot take it`);
    added.push(`     'JSMODULESOURCES+=${m.name}:${m.path}', # tappos`);
  }
  lines.splice(mk + 1, 0, ...added);
  const out = lines.join("\n");
  const named = out.replace(/('binary_name'\s*:\s*'[^']*?)\.bin'/, "$1_tappos.bin'");
  if (named === out) throw new BoardToolError("BOARD_FIRMWARE_SOURCE", `boards/${spec.espruinoBoard}.py has no 'binary_name' : '….bin'`);
  return `# Derived from boards/${spec.espruinoBoard}.py by tappos (npm run firmware): do not edit.\n` + named;
}

/** The build's size check (Espruino's scripts/check_size.sh): the binary, its size and the room for it. */
export interface SizeCheck {
  ok: boolean;
  file: string;
  size: number;
  max: number;
}

export function parseSizeCheck(log: string): SizeCheck | null {
  const file = /Checking size of (\S+\.bin)/.exec(log);
  const m = /(PASS|FAIL) - size of (\d+) is (?:under|over) (\d+) bytes/.exec(log);
  if (!file || !m) return null;
  return { ok: m[1] === "PASS", file: file[1], size: Number(m[2]), max: Number(m[3]) };
}
