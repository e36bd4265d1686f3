/**
 * Board parts (docs/architecture.md "Parts: code loaded from Storage"): code a board keeps in
 * a Storage file of its own, `tpp.<name>` (build/parts.mjs, written by `npm run flash`), and
 * loads when its config asks for it. Espruino's require() finds a module in Storage by its
 * file name and runs it from flash (no copy of its text in RAM); the part's
 * `module.exports` is what it makes. Modules.removeCached lets it go again: once nothing
 * else holds its functions, its JsVars are freed (the config check after boot).
 */
import { codedError } from "../../bytes/coded-error";

/** Storage names of parts (build/parts.mjs PART_PREFIX). */
const PREFIX = "tpp.";

/**
 * What part `name` exports (typed by the board: board/esp32/compose.ts PartTypes);
 * BOARD_PART_MISSING when its file is not in Storage.
 */
export function loadPart<T>(name: string): T {
  const file = PREFIX + name;
  if (require("Storage").read(file) === undefined) {
    throw codedError("BOARD_PART_MISSING", file + " is not in Storage: npm run flash writes it", { part: file });
  }
  return (require as unknown as (n: string) => unknown)(file) as T;
}

/**
 * What part `name` built into the firmware exports (a board whose code is in its firmware:
 * board/<board>/firmware.json, npm run firmware): Espruino's require() looks in Storage first,
 * then at the modules built into the firmware, and evaluates either from flash the same way
 * (src/jswrap_modules.c in Espruino 2v29). BOARD_PART_MISSING when it is in neither.
 */
export function loadFirmwarePart<T>(name: string): T {
  const file = PREFIX + name;
  if (((process.env.MODULES as string | undefined) || "").split(",").indexOf(file) < 0 && require("Storage").read(file) === undefined) {
    throw codedError("BOARD_PART_MISSING", file + " is not built into the firmware: npm run firmware builds it in", { part: file });
  }
  return (require as unknown as (n: string) => unknown)(file) as T;
}

/** Frees part `name` once nothing else holds what it made. */
export function unloadPart(name: string): void {
  Modules.removeCached(PREFIX + name);
}
