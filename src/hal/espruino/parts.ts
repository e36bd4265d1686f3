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
  inStorage(file);
  return (require as unknown as (n: string) => unknown)(file) as T;
}

/** Part `file`'s text in Storage (a string over the flash); BOARD_PART_MISSING when it is not there. */
function inStorage(file: string): string {
  const text = require("Storage").read(file);
  if (text === undefined) throw codedError("BOARD_PART_MISSING", file + " is not in Storage: npm run flash writes it", { part: file });
  return text;
}

/**
 * What part `name` built into the firmware exports (a board whose code is in its firmware:
 * board/<board>/firmware.json, npm run firmware): Espruino's require() looks in Storage first,
 * then at the modules built into the firmware, and evaluates either from flash the same way
 * (src/jswrap_modules.c in Espruino 2v29). BOARD_PART_MISSING when it is in neither.
 */
export function loadFirmwarePart<T>(name: string): T {
  const file = PREFIX + name;
  firmwareHas(file);
  return (require as unknown as (n: string) => unknown)(file) as T;
}

/** BOARD_PART_MISSING unless `file` is built into the firmware or in Storage (build/budgets.mjs STORAGE_PARTS: written by npm run flash). */
function firmwareHas(file: string): void {
  if (((process.env.MODULES as string | undefined) || "").split(",").indexOf(file) < 0 && require("Storage").read(file) === undefined) {
    throw codedError("BOARD_PART_MISSING", file + " is neither built into the firmware nor in Storage: npm run firmware builds it in, npm run flash writes it", { part: file });
  }
}

/** Frees part `name` once nothing else holds what it made. */
export function unloadPart(name: string): void {
  Modules.removeCached(PREFIX + name);
}

/** What a part run at the root scope hands back: what it makes, and what lets it go again. */
export type RootReady<T> = (value: T, unload: () => void) => void;

/**
 * Runs a root part (build/root-part.mjs: its top-level names short globals of its own, its last
 * statement `tpReady(name, value, unload)`): from `text`, a string over flash, by a timer whose
 * callback is that string, which Espruino evaluates at the root scope (2v29 jsinteractive.c:
 * a string callback, jspEvaluateVar with no scope), so that its functions keep no module scope,
 * one JsVar each fewer; `ready` gets the value once its top level has run (the next turn of the
 * event loop), or `failed` is called when it ran without handing it over (an exception, out of
 * memory: the interpreter prints it). `text` null: required as a module instead (the same
 * code: `tpReady` is called as it is evaluated), at once; what it throws is thrown. While
 * loaded, global `tpp.<name>` holds its unloader. One root part loads at a time (the hook is one
 * global; the card reader is the only one, lazy-reader.ts).
 */
export function runRootPart<T>(name: string, text: string | null, ready: RootReady<T>, failed: () => void): void {
  const g = global as unknown as { [key: string]: unknown };
  const file = PREFIX + name;
  const hook = function (n: string, value: T, del: () => void) {
    delete g["tpReady"];
    g[file] = del;
    ready(value, unloader(g, file, del));
  };
  g["tpReady"] = hook;
  if (text !== null) {
    setTimeout(text, 0);
    // Runs after the part's timer, however long its top level took: the hook still set means
    // the part never called it.
    setTimeout(function () {
      if (g["tpReady"] !== hook) return;
      delete g["tpReady"];
      failed();
    }, 1);
    return;
  }
  try {
    (require as unknown as (n: string) => unknown)(file);
  } finally {
    if (g["tpReady"] === hook) delete g["tpReady"];
  }
  // Nothing needs the module's (empty) exports: what the part made is held by `ready`'s side.
  Modules.removeCached(file);
}

/**
 * The unloader a loaded root part is handed with: made here, not in runRootPart, so that what it
 * keeps alive for the whole sale is these three, not runRootPart's scope (the part's text, the
 * hook, the callbacks).
 */
function unloader(g: { [key: string]: unknown }, file: string, del: () => void): () => void {
  return function () {
    if (g[file] !== del) return;
    delete g[file];
    del();
  };
}

/** A root part from Storage (the esp32), run at the root; BOARD_PART_MISSING when its file is not there. */
export function loadRootPart<T>(name: string, ready: RootReady<T>, failed: () => void): void {
  runRootPart(name, inStorage(PREFIX + name), ready, failed);
}

/**
 * A root part built into the firmware (the Espruino WiFi): its text where `npm run flash` found
 * it in the flash (global `tpAt`, set by the saved code: `{"tpp.<name>": [address, length,
 * CRC32]}`, host/board/flash-firmware.ts), checked by its CRC32 and run at the root; not found
 * or moved: the module (loadFirmwarePart's checks), at once.
 */
export function loadFirmwareRootPart<T>(name: string, ready: RootReady<T>, failed: () => void): void {
  const file = PREFIX + name;
  const table = (global as unknown as { [key: string]: { [file: string]: number[] } | undefined })["tpAt"];
  const at = table ? table[file] : undefined;
  if (at) {
    const text = E.memoryArea(at[0], at[1]);
    if (E.CRC32(text) === at[2]) return runRootPart(name, text, ready, failed);
  }
  firmwareHas(file);
  runRootPart(name, null, ready, failed);
}
