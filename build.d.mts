import type { Problem } from "./build/check-source.mjs";
export type { Problem } from "./build/check-source.mjs";
export { checkBundle } from "./build/check-bundle.mjs";
export { checkSourceFiles, checkSourceText, formatProblem, listSourceFiles } from "./build/check-source.mjs";

export interface BoardResult {
  name: string;
  entry: string;
  outfile: string;
  /** No problem from the source check, esbuild, the bundle check or the budget. */
  ok: boolean;
  problems: Problem[];
  /** The final bundle ("" when the build stopped before bundling). */
  code: string;
  /** Minified bytes and gzip -9 bytes of `code`. */
  bytes: number;
  gzipBytes: number;
  budget: number;
  /** Built-in modules loaded with literal require("Name"). */
  modules: string[];
  /** Reserved names the rename pass replaced (and the require placeholder). */
  renamed: Record<string, { to: string; count: number }>;
  /** Function declarations moved up by the hoist pass. */
  hoisted: number;
  /** Bare class fields `x;` rewritten as `x=void 0`. */
  fieldsInitialized: number;
  /** Source files esbuild bundled, relative to root. */
  inputs: string[];
  /** Property names shortened (build/mangle-props.mjs) and the bytes saved; absent when none. */
  mangled?: { names: number; bytes: number; cache: Record<string, string> };
  /** Class methods no code of the board or its parts names, dropped (build/dead-methods.mjs); absent without mangling. */
  methodsDropped?: number;
  /** The board's parts (build/parts.mjs: board/<name>/parts/<part>.ts), built with the board's mangling plan. */
  parts?: PartResult[];
  /** A board whose code is built into its firmware (build/budgets.mjs FIRMWARE_BUDGETS): the bundle and its parts together. */
  firmware?: { bytes: number; budget: number };
  /** Each top-level name of the bundle → `file:sourceName` (esbuild's source map; build/root-order.mjs). */
  rootKeys: Map<string, string>;
  /** Function declarations ordered by reads and variables made early (build/root-order.mjs); absent without build/root-order.json. */
  rootOrdered?: { functions: number; declared: number };
  /** build/cold-params.mjs: parameters of functions no tap calls read from `arguments`. */
  coldParams?: { functions: number; params: number };
}

/** A board part: a Storage module (`storage`, e.g. tpp.till) the board loads when its config asks for it. */
export interface PartResult {
  name: string;
  storage: string;
  entry: string;
  /** dist/<board>/<part>.js */
  outfile: string;
  code: string;
  bytes: number;
  gzipBytes: number;
  budget: number;
  inputs: string[];
}

export interface BuildBoardOptions {
  /** board/<name>/main.ts, relative to root or absolute. */
  entry: string;
  /** Defaults to the entry's folder name. */
  name?: string;
  /** Defaults to <root>/dist/<name>.js. */
  outfile?: string;
  /** Minified bytes; defaults to build/budgets.mjs. */
  budget?: number;
  /** Decides zones (src/hal/espruino/, board/) and relative paths; defaults to this repo. */
  root?: string;
  /** Write (or, on failure, delete) the outfile; default true. */
  write?: boolean;
  minify?: boolean;
  /** Run the source check on every bundled file; default true. */
  checkSource?: boolean;
  /** Shorten the property names proved internal (build/mangle-props.mjs); default true. */
  mangleProps?: boolean;
  /** Leave function declarations where esbuild put them (host tools reading an unminified bundle); default true (hoisted). */
  hoist?: boolean;
  /** Order the top-level names by build/root-order.json (build/root-order.mjs); default true, never when minify is false. */
  rootOrder?: boolean;
  /** Build the board's parts (board/<name>/parts/*.ts); default true. */
  parts?: boolean;
}

export declare const SUPPORTED: Record<string, boolean>;
export declare function esbuildOptions(entry: string, options?: { minify?: boolean; plugins?: unknown[]; outfile?: string }): Record<string, unknown>;
export declare function buildBoard(options: BuildBoardOptions): Promise<BoardResult>;
export declare function listBoards(root?: string): string[];
export declare function buildAll(options?: { root?: string; write?: boolean; minify?: boolean }): Promise<{ ok: boolean; problems: Problem[]; boards: BoardResult[] }>;
export declare function formatTable(boards: BoardResult[]): string;
