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

/** Frees part `name` once nothing else holds what it made. */
export function unloadPart(name: string): void {
  Modules.removeCached(PREFIX + name);
}
