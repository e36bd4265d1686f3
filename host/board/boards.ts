/**
 * What the tools know of a board: its offline board description for the espruino CLI
 * (board/<name>/espruino-board.json: `{"info":{"builtin_modules":[…]}}`, so the CLI neither
 * downloads the board's JSON nor tries to download built-in modules), the JavaScript modules
 * it has on disk (board/<name>/modules/<Name>.js, which the CLI inlines offline through its
 * MODULES_CWD setting; none today: the Espruino WiFi runs tappos's own ESP8266 driver over the
 * built-in NetworkJS, not the downloadable EspruinoWiFi module), its bundle (dist/<name>.js),
 * its size budget (build/budgets.mjs) and whether it serves the till page from Storage (`TILL_PAGE_BOARDS`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { budgetFor, partBudgetFor, storagePartsOf } from "../../build/budgets.mjs";
import { listParts, partStorageName } from "../../build/parts.mjs";
import { requiredModules } from "../../build/check-bundle.mjs";
import { PROJECT_ROOT } from "../espruino-dir";
import { BoardToolError } from "./errors";

/** Boards a terminal firmware is flashed to. */
export const FLASHABLE_BOARDS = ["esp32", "espruino-wifi"];

/**
 * Boards whose firmware serves the till page (board/esp32 compose: GET / streams it from
 * Storage). The Espruino WiFi does not: its one 64 KB flash page holds the code, the config
 * and the terminal's files, with no room for a ~6 KB page.
 */
export const TILL_PAGE_BOARDS = ["esp32"];

/** The page's Storage file name (board/esp32/main.ts serves the same name). */
export const TILL_PAGE_FILE = "till.html.gz";

export interface BoardInfo {
  name: string;
  /** Absolute path of board/<name>/espruino-board.json. */
  boardJson: string;
  builtinModules: string[];
  /** Absolute path of board/<name>/ (the CLI's MODULES_CWD: it looks in its modules/ folder). */
  dir: string;
  /** Names of board/<name>/modules/*.js. */
  localModules: string[];
  /** Bytes, minified (build/budgets.mjs). */
  budget: number;
  /** dist/<name>.js */
  defaultBundle: string;
  /** dist/till.html.gz on a board that serves the till page, else null. */
  defaultPage: string | null;
  /** The board's parts (build/parts.mjs): board/<name>/parts/<part>.ts, built to dist/<name>/<part>.js. */
  parts: string[];
}

export function boardInfo(name: string, root: string = PROJECT_ROOT): BoardInfo {
  if (!FLASHABLE_BOARDS.includes(name)) {
    throw new BoardToolError("BOARD_UNKNOWN", `unknown board ${name}: one of ${FLASHABLE_BOARDS.join(", ")}`);
  }
  const boardJson = resolve(root, "board", name, "espruino-board.json");
  if (!existsSync(boardJson)) throw new BoardToolError("BOARD_UNKNOWN", `board ${name} has no ${boardJson}`);
  const parsed = JSON.parse(readFileSync(boardJson, "utf8")) as { info?: { builtin_modules?: unknown } };
  const mods = parsed.info?.builtin_modules;
  const builtinModules = Array.isArray(mods) ? mods.filter((m): m is string => typeof m === "string") : [];
  const dir = resolve(root, "board", name);
  const modDir = resolve(dir, "modules");
  const localModules = existsSync(modDir) ? readdirSync(modDir).filter((f) => f.endsWith(".js")).map((f) => f.slice(0, -3)) : [];
  return { name, boardJson, builtinModules, dir, localModules, budget: budgetFor(name), defaultBundle: resolve(root, "dist", `${name}.js`), defaultPage: TILL_PAGE_BOARDS.includes(name) ? resolve(root, "dist", TILL_PAGE_FILE) : null, parts: listParts(root, name) };
}

export interface BundleCheck {
  bytes: number;
  modules: string[];
}

/**
 * Refuses, before any upload, a bundle that is missing, over the board's budget, or that
 * requires a module the board has neither built in nor in board/<name>/modules/ (the CLI
 * would try to download it).
 */
export function checkBundle(board: BoardInfo, bundlePath: string): BundleCheck {
  if (!existsSync(bundlePath)) {
    throw new BoardToolError("BOARD_BUNDLE_MISSING", `bundle ${bundlePath} does not exist: run npm run build (or pass --bundle FILE)`);
  }
  const code = readFileSync(bundlePath, "utf8");
  const bytes = Buffer.byteLength(code);
  if (bytes > board.budget) {
    throw new BoardToolError("BOARD_OVER_BUDGET", `bundle ${bundlePath} is ${bytes} bytes, over the ${board.name} budget of ${board.budget} (build/budgets.mjs): nothing flashed`);
  }
  let modules: string[] = [];
  try {
    modules = requiredModules(code);
  } catch {
    modules = []; // not parseable as a finished bundle: the CLI and the board will say more
  }
  const missing = modules.filter((m) => !board.builtinModules.includes(m) && !board.localModules.includes(m));
  if (missing.length > 0) {
    throw new BoardToolError("BOARD_MODULE_MISSING", `bundle requires ${missing.join(", ")}, neither built into ${board.name} (${board.boardJson}) nor in ${resolve(board.dir, "modules")}/: nothing flashed`);
  }
  return { bytes, modules };
}

/** A part to write: its Storage name, the file and its bytes. */
export interface PartFile {
  storage: string;
  path: string;
  data: Buffer;
}

/**
 * `parts` split by where a firmware board keeps them (build/budgets.mjs STORAGE_PARTS): built
 * into its firmware, or written to its Storage by npm run flash. A board whose code runs from
 * Storage keeps them all there (`storage`).
 */
export function partsByPlace(board: BoardInfo, parts: PartFile[], firmware: boolean): { firmware: PartFile[]; storage: PartFile[] } {
  if (!firmware) return { firmware: [], storage: parts };
  const names = storagePartsOf(board.name).map(partStorageName);
  return { firmware: parts.filter((p) => !names.includes(p.storage)), storage: parts.filter((p) => names.includes(p.storage)) };
}

/**
 * The board's parts to write (none with --no-parts), from dist/<board>/ or `dir`, checked before
 * any upload: each exists and is within its part budget (build/budgets.mjs partBudgetFor).
 */
export function partsToWrite(board: BoardInfo, dir: string | null, noParts: boolean, root: string = PROJECT_ROOT): PartFile[] {
  if (noParts || board.parts.length === 0) return [];
  const from = dir !== null ? resolve(dir) : resolve(root, "dist", board.name);
  return board.parts.map((p) => {
    const path = resolve(from, `${p}.js`);
    if (!existsSync(path)) throw new BoardToolError("BOARD_PART_MISSING", `part ${path} does not exist: run npm run build (or pass --parts DIR, or --no-parts): nothing flashed`);
    const data = readFileSync(path);
    if (data.length > partBudgetFor(p)) throw new BoardToolError("BOARD_OVER_BUDGET", `part ${path} is ${data.length} bytes, over the part budget of ${partBudgetFor(p)} (build/budgets.mjs): nothing flashed`);
    return { storage: partStorageName(p), path, data };
  });
}
