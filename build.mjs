// `npm run build`: one bundle per board (board/<name>/main.ts → dist/<name>.js), in the
// subset Espruino 2v29 runs natively (docs/espruino-notes.md "How TypeScript gets there"):
//   1. source check (TypeScript syntax walk of src/ and board/, build/check-source.mjs)
//   2. esbuild: bundle, iife, es2015 with the `supported` map below, minify
//   3. passes over the bundle: rename Espruino-reserved names and the require placeholder
//      (build/rename.mjs), initialize bare class fields (build/class-fields.mjs), hoist
//      function declarations (build/hoist.mjs), unwrap the IIFE (build/unwrap.mjs); the CPU
//      passes: numeric constants inlined (build/inline-constants.mjs), built-ins aliased and
//      prototype names placed first (build/alias-globals.mjs), the root scope in the order a
//      tap reads it (build/root-order.mjs, build/root-order.json), block let/const made var
//      (build/block-vars.mjs), arrow parameters named after a variable in scope
//      (build/arrow-params.mjs); then the size pass (build/compact.mjs: const → let,
//      true/false → !0/!1, adjacent declarations merged; what esbuild's minifySyntax would
//      do, which stays off); the RAM passes: in a board bundle, the top-level functions only
//      the boot calls deleted after its top level (build/boot-only.mjs); then, over the board
//      and its parts together, class methods no code names dropped (build/dead-methods.mjs)
//   4. final-bundle check (acorn, build/check-bundle.mjs), then the size budget
// Any refusal prints file:line:col and the construct, and the build exits non-zero.
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { budgetFor, firmwareBudgetFor, partBudgetFor, storagePartsOf } from "./build/budgets.mjs";
import { checkBundle, requiredModules } from "./build/check-bundle.mjs";
import { checkSourceFiles, checkSourceText, formatProblem, listSourceFiles, ROOT } from "./build/check-source.mjs";
import { initializeBareFields } from "./build/class-fields.mjs";
import { blockArrowBodies } from "./build/arrow-bodies.mjs";
import { hoistFunctions } from "./build/hoist.mjs";
import { compact } from "./build/compact.mjs";
import { mayMeetGlobal, unwrapIife } from "./build/unwrap.mjs";
import { globalKey, HOT, orderRoot, sourceKeys } from "./build/root-order.mjs";
import { nameArrowParams } from "./build/arrow-params.mjs";
import { inlineConstants } from "./build/inline-constants.mjs";
import { blockVars } from "./build/block-vars.mjs";
import { aliasGlobals, placePrototypes } from "./build/alias-globals.mjs";
import { apduTextPlugin } from "./build/apdu-text.mjs";
import { REQUIRE_PLACEHOLDER, renameReserved } from "./build/rename.mjs";
import { benchRecordingPlugin } from "./build/bench-recording.mjs";
import { selfInstaller } from "./build/self-install.mjs";
import { internalPropertyNames, manglePlan } from "./build/mangle-props.mjs";
import { exportPart, listParts, partStorageName } from "./build/parts.mjs";
import { ROOT_PARTS, rootPart, topLevelNames } from "./build/root-part.mjs";
import { BOOT_PARTS, COLD_CALLS, coldParams, COLD_PARAM_BOARDS } from "./build/cold-params.mjs";
import { dropUnusedMethods } from "./build/dead-methods.mjs";
import { freeBootOnly } from "./build/boot-only.mjs";

/** Boards whose dist file installs the bundle into Storage and runs it from flash. */
export const SELF_INSTALLED = ["selftest", "bench"];
/** What each self-installed board's installer forwards across load() (build/self-install.mjs). */
const INSTALL_OPTIONS = { selftest: {}, bench: { forward: ["BENCH_TAPS", "BENCH_KERNEL", "BENCH_LAYER", "BENCH_PEAK"], label: "BENCH" } };

export { checkBundle, checkSourceFiles, checkSourceText, formatProblem, listSourceFiles };

/**
 * esbuild's feature switches. false = esbuild errors on the construct (Espruino lacks it);
 * for-of stays on (Espruino iterates arrays, typed arrays, strings; esbuild has no types);
 * class fields stay native (lowered, a subclass without constructor gets
 * `super(...arguments)`); `??` and `catch {}` are native on 2v29, so they are not lowered.
 */
export const SUPPORTED = {
  destructuring: false,
  "default-argument": false,
  "rest-argument": false,
  "array-spread": false,
  "async-await": false,
  "async-generator": false,
  generator: false,
  "for-await": false,
  "class-field": true,
  "class-static-field": true,
  "nullish-coalescing": true,
  "optional-catch-binding": true,
};

/** The esbuild options for one board bundle. */
export function esbuildOptions(entry, options = {}) {
  return {
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "neutral",
    format: "iife",
    target: "es2015",
    supported: SUPPORTED,
    minifyWhitespace: options.minify ?? true,
    minifyIdentifiers: options.minify ?? true,
    // Not minifySyntax: it turns `if (c) f(() => this.x)` into `c && f(() => this.x)`, and the
    // 2v29 parser asserts (jsparse.c jspeArrowFunction) on an arrow using `this` that it parses
    // without executing. check-bundle.mjs refuses the pattern.
    minifySyntax: false,
    legalComments: "none",
    drop: ["debugger"],
    mainFields: [],
    // esbuild would turn require("Storage") into its __require wrapper; a free placeholder
    // survives as a plain call, and the rename pass writes `require` back.
    define: { require: REQUIRE_PLACEHOLDER },
    // define semantics for fields, as in tsconfig.json (class-fields.mjs fixes bare `x;`).
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: false } },
    logLevel: "silent",
    metafile: true,
    // Transcripts (.apdu) ship as text inside the bundle (the selftest replays them).
    loader: { ".apdu": "text", ".json": "json" },
    plugins: (options.plugins ?? []).concat([apduTextPlugin]),
    // Property names proved internal (build/mangle-props.mjs), with the names chosen there.
    ...(options.mangle ? { mangleProps: options.mangle.regex, mangleCache: options.mangle.cache, mangleQuoted: false } : {}),
    // A source map (not written, no comment in the bundle) names each minified top-level name's
    // source (build/root-order.mjs).
    ...(options.outfile ? { outfile: options.outfile, sourcemap: "external", sourcesContent: false } : {}),
  };
}

/** Runs the source check on every file esbuild loads (once per path and build). */
function sourceCheckPlugin(root, problems, enabled) {
  return {
    name: "espruino-source-check",
    setup(build) {
      build.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (enabled) problems.push(...checkSourceText(args.path, text, { root }));
        return { contents: text, loader: /\.m?ts$/.test(args.path) ? "ts" : "js" };
      });
    },
  };
}

/** Reads per tap of each top-level name (build/root-order.json, made by build/root-order-profile.mjs), or null. */
function rootWeights(root) {
  const file = join(root, "build", "root-order.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).weights : null;
}

/**
 * The top-level functions a bench tap calls at most once (build/cold-profile.json, made by
 * build/cold-profile.mjs; build/cold-params.mjs COLD_CALLS), or null.
 */
function untappedFunctions(root) {
  const file = join(root, "build", "cold-profile.json");
  if (!existsSync(file)) return null;
  const calls = JSON.parse(readFileSync(file, "utf8")).calls;
  return new Set(Object.keys(calls).filter((k) => calls[k] <= COLD_CALLS));
}

const rel = (root, p) => {
  const r = relative(root, p);
  return r.startsWith("..") ? p : r;
};

/**
 * Builds one board bundle.
 * @param {{ entry: string, name?: string, outfile?: string, budget?: number, root?: string,
 *   write?: boolean, minify?: boolean, checkSource?: boolean, mangleProps?: boolean,
 *   hoist?: boolean, rootOrder?: boolean }} options
 *   entry: board/<name>/main.ts; name defaults to the entry's folder; outfile to
 *   <root>/dist/<name>.js; budget (minified bytes) to build/budgets.mjs; root (zones, paths)
 *   to this repository; write=false keeps the bundle in memory only; mangleProps=false keeps
 *   every property name (default: names proved internal are shortened, build/mangle-props.mjs);
 *   hoist=false leaves function declarations where esbuild put them, under their module's
 *   `// path` comment (for host tools reading an unminified bundle; Espruino needs them hoisted);
 *   rootOrder=false leaves the top-level names in esbuild's order (default: the order of
 *   build/root-order.json, build/root-order.mjs; never in an unminified build).
 * @returns {Promise<BoardResult>} never throws for a refused build: see `ok` and `problems`.
 *
 * @typedef {{ name: string, entry: string, outfile: string, ok: boolean,
 *   problems: import("./build/check-source.mjs").Problem[], code: string, bytes: number,
 *   gzipBytes: number, budget: number, modules: string[],
 *   renamed: Record<string, { to: string, count: number }>, hoisted: number,
 *   fieldsInitialized: number, inputs: string[] }} BoardResult
 */
export async function buildBoard(options) {
  const root = resolve(options.root ?? ROOT);
  const entry = resolve(root, options.entry);
  const name = options.name ?? basename(dirname(entry));
  const outfile = resolve(root, options.outfile ?? join("dist", `${name}.js`));
  const budget = options.budget ?? budgetFor(name);
  const result = {
    name, entry, outfile, ok: false, problems: [], code: "", bytes: 0, gzipBytes: 0, budget,
    modules: [], renamed: {}, hoisted: 0, fieldsInitialized: 0, inputs: [], rootKeys: new Map(),
  };
  const sourceProblems = [];
  const plugin = sourceCheckPlugin(root, sourceProblems, options.checkSource ?? true);
  // The bench board replays bus bytes recorded now from the simulator (host/bench/record-bus.ts).
  const plugins = name === "bench" ? [plugin, benchRecordingPlugin(root)] : [plugin];
  let built;
  try {
    built = await esbuild.build(esbuildOptions(entry, { minify: options.minify, plugins, outfile }));
  } catch (e) {
    result.problems.push(...sourceProblems);
    // esbuild's own refusal of a line the source check already explained is noise.
    const explained = new Set(sourceProblems.map((p) => `${p.file}:${p.line}`));
    for (const m of e.errors ?? [{ text: String(e) }]) {
      const l = m.location;
      const p = { file: l ? rel(root, resolve(root, l.file)) : rel(root, entry), line: l?.line ?? 1, column: (l?.column ?? 0) + 1, message: `esbuild: ${m.text}` };
      if (!explained.has(`${p.file}:${p.line}`)) result.problems.push(p);
    }
    return finish(result, options);
  }
  result.inputs = Object.keys(built.metafile.inputs).map((p) => rel(root, resolve(p))).sort();
  if (sourceProblems.length) {
    result.problems.push(...sourceProblems);
    return finish(result, options);
  }

  const jsOf = (b) => b.outputFiles.find((f) => f.path.endsWith(".js"));
  const mapOf = (b) => b.outputFiles.find((f) => f.path.endsWith(".map"));
  let code = jsOf(built).text;
  let map = mapOf(built).text;
  // The board's parts (build/parts.mjs), each bundled on its own; their property names are
  // mangled with the board's (one plan over all), since objects cross between them.
  const parts = [];
  for (const p of options.parts === false ? [] : listParts(root, name)) {
    const part = { name: p, storage: partStorageName(p), entry: join(root, "board", name, "parts", `${p}.ts`), outfile: join(dirname(outfile), name, `${p}.js`), code: "", bytes: 0, gzipBytes: 0, budget: partBudgetFor(p), inputs: [] };
    try {
      const b = await esbuild.build(esbuildOptions(part.entry, { minify: options.minify, plugins: [sourceCheckPlugin(root, sourceProblems, options.checkSource ?? true)], outfile: part.outfile }));
      part.code = jsOf(b).text;
      part.map = mapOf(b).text;
      part.inputs = Object.keys(b.metafile.inputs).map((q) => rel(root, resolve(q))).sort();
    } catch (e) {
      for (const m of e.errors ?? [{ text: String(e) }]) result.problems.push({ file: rel(root, part.entry), line: m.location?.line ?? 1, column: (m.location?.column ?? 0) + 1, message: `esbuild: ${m.text}` });
    }
    parts.push(part);
  }
  result.parts = parts;
  if (sourceProblems.length || result.problems.length) {
    result.problems.push(...sourceProblems);
    return finish(result, options);
  }
  // Property mangling: the names are decided on this unmangled bundle, then esbuild builds
  // again renaming only those (build/mangle-props.mjs says why each kept name is kept).
  if ((options.mangleProps ?? true) && existsSync(join(root, "src", "tsconfig.json"))) {
    const files = [...new Set(result.inputs.concat(...parts.map((p) => p.inputs)))].map((p) => resolve(root, p));
    const extra = files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f) && !/^(src|board)[\\/]/.test(relative(root, f)));
    const plan = manglePlan([code].concat(parts.map((p) => p.code)).join("\n"), internalPropertyNames(root, extra), name, files);
    if (plan.regex) {
      const plugins2 = name === "bench" ? [sourceCheckPlugin(root, [], false), benchRecordingPlugin(root)] : [sourceCheckPlugin(root, [], false)];
      try {
        const again = await esbuild.build(esbuildOptions(entry, { minify: options.minify, plugins: plugins2, mangle: plan, outfile }));
        code = jsOf(again).text;
        map = mapOf(again).text;
        for (const p of parts) {
          const pb = await esbuild.build(esbuildOptions(p.entry, { minify: options.minify, plugins: [sourceCheckPlugin(root, [], false)], mangle: plan, outfile: p.outfile }));
          p.code = jsOf(pb).text;
          p.map = mapOf(pb).text;
        }
      } catch (e) {
        // The sources changed between the two builds (another edit in progress).
        result.problems.push({ file: rel(root, entry), line: 1, column: 1, message: `esbuild (mangling pass): ${String(e.message ?? e).split("\n")[0]}` });
        return finish(result, options);
      }
      result.mangled = { names: Object.keys(plan.cache).length, bytes: plan.saved, cache: plan.cache };
    }
  }
  // Not in a readable build (minify: false): its `// path` comments stay where they are.
  const weights = options.rootOrder === false || options.minify === false ? null : rootWeights(root);
  const passed = espruinoPasses(code, map, outfile, root, weights, { hoist: options.hoist !== false, prototypes: true, coldParams: COLD_PARAM_BOARDS.includes(name) });
  code = passed.code;
  Object.assign(result, passed.stats);

  const rootNames = parts.some((p) => ROOT_PARTS.includes(p.name)) ? topLevelNames(code) : new Set();
  for (const p of parts) passPart(p, result, root, weights, rootNames, COLD_PARAM_BOARDS.includes(name) && !BOOT_PARTS.includes(p.name));
  // Methods no code of the board or its parts names (build/dead-methods.mjs), once every part is final.
  if (result.mangled) {
    const internal = new Set(Object.values(result.mangled.cache).filter((v) => typeof v === "string"));
    const dropped = dropUnusedMethods([code].concat(parts.map((p) => p.code)), internal);
    code = dropped.codes[0];
    parts.forEach((p, i) => { p.code = dropped.codes[i + 1]; });
    result.methodsDropped = dropped.names.length;
  }
  for (const p of parts) checkPart(p, result, root);

  result.code = code;
  result.bytes = Buffer.byteLength(code);
  result.gzipBytes = gzipSync(code, { level: 9 }).length;
  result.problems.push(...checkBundle(code, { file: rel(root, outfile) }));
  if (result.problems.length === 0) result.modules = requiredModules(code);
  if (result.bytes > budget) {
    result.problems.push({ file: rel(root, outfile), line: 1, column: 1, message: `over budget: ${result.bytes} bytes minified > ${budget} (build/budgets.mjs)` });
  }
  // A board whose code is built into its firmware: the bundle and its parts share its room there.
  const firmwareBudget = options.budget === undefined ? firmwareBudgetFor(name) : null;
  if (firmwareBudget !== null) {
    // Less the parts that live in the board's Storage (build/budgets.mjs STORAGE_PARTS).
    const inStorage = storagePartsOf(name);
    result.firmware = { bytes: result.bytes + parts.reduce((t, p) => t + (inStorage.includes(p.name) ? 0 : p.bytes), 0), budget: firmwareBudget };
    if (result.firmware.bytes > firmwareBudget) {
      result.problems.push({ file: rel(root, outfile), line: 1, column: 1, message: `over the firmware budget: the bundle and its firmware parts are ${result.firmware.bytes} bytes > ${firmwareBudget} (build/budgets.mjs FIRMWARE_BUDGETS)` });
    }
  }
  // The selftest and the bench are run as plain files (`espruino dist/selftest.js`): each
  // installs itself into Storage and runs from flash, as a board runs saved code
  // (build/self-install.mjs; a 74 KB bench ran out of memory at load as a plain file in the
  // 16,383-JsVar build). The checks and the budget above are on the bundle itself.
  if (SELF_INSTALLED.includes(name) && result.problems.length === 0) {
    result.code = selfInstaller(code, `${name}.js`, INSTALL_OPTIONS[name]);
    result.installerBytes = Buffer.byteLength(result.code);
  }
  return finish(result, options);
}

/**
 * The passes over a bundle (the header of this file), with what each did. `prototypes`: the
 * prototype names placed first (a board bundle, whose top level is the root scope; not a
 * part, whose top level is its module's scope and whose root already has them).
 * @returns {{ code: string, stats: object }} stats: the BoardResult fields the passes report
 */
function espruinoPasses(code, map, outfile, root, weights, opts) {
  const stats = {};
  // Top-level name → `file:sourceName`, for the root order (the passes below rename some).
  const keys = sourceKeys(code, map, (s) => rel(root, resolve(dirname(outfile), s)).replace(/\\/g, "/"));
  const renamed = renameReserved(code);
  code = renamed.code;
  stats.renamed = renamed.renamed;
  const fields = initializeBareFields(code);
  code = fields.code;
  stats.fieldsInitialized = fields.count;
  const arrows = blockArrowBodies(code);
  code = arrows.code;
  stats.arrowsBlocked = arrows.count;
  const hoisted = opts.hoist ? hoistFunctions(code) : { code, count: 0 };
  code = hoisted.code;
  stats.hoisted = hoisted.count;
  const unwrapped = unwrapIife(code);
  code = unwrapped.code;
  stats.topLevelPrefixed = unwrapped.count;
  const inlined = inlineConstants(code);
  code = inlined.code;
  stats.constantsInlined = inlined.count;
  const aliased = aliasGlobals(code, (n) => weights !== null && (weights[globalKey(n)] ?? 0) >= HOT);
  code = aliased.code;
  stats.aliased = aliased.names;
  if (opts.prototypes) code = placePrototypes(code).code;
  const finalKeys = new Map();
  for (const [n, k] of keys) {
    let f = Object.hasOwn(renamed.renamed, n) ? renamed.renamed[n].to : n;
    if (unwrapped.count && mayMeetGlobal(f)) f = unwrapped.prefix + f;
    finalKeys.set(f, k);
  }
  stats.rootKeys = finalKeys;
  if (weights) {
    const ordered = orderRoot(code, (n) => finalKeys.get(n), weights);
    code = ordered.code;
    stats.rootOrdered = { functions: ordered.functions, declared: ordered.declared };
  }
  const blocks = blockVars(code);
  code = blocks.code;
  stats.blockVars = blocks.count;
  const arrowParams = nameArrowParams(code);
  code = arrowParams.code;
  stats.arrowParamsRenamed = arrowParams.count;
  const compacted = compact(code);
  code = compacted.code;
  stats.compactedBytes = compacted.count;
  // A board bundle's root (not a part's module scope): functions only the boot calls, let go after it.
  const bootOnly = new Set();
  if (opts.prototypes) {
    const freed = freeBootOnly(code);
    code = freed.code;
    stats.bootOnlyFreed = freed.names.length;
    for (const n of freed.names) bootOnly.add(n);
  }
  // RAM: the parameters of the functions no tap calls (and that outlive the boot) read from
  // `arguments` (build/cold-params.mjs), in a terminal board's code.
  if (weights && opts.coldParams) {
    const cold = coldParams(code, (n) => (bootOnly.has(n) ? undefined : finalKeys.get(n)), weights, untappedFunctions(root));
    code = cold.code;
    stats.coldParams = { functions: cold.functions, params: cold.params };
  }
  return { code, stats };
}

/**
 * A part (build/parts.mjs): the board's passes with the same root order and aliases for its
 * own top level (its module's scope, walked before the root), then its `tpPart` call made
 * `module.exports=`, or, for a part run at the root (build/root-part.mjs ROOT_PARTS), its
 * top-level names made short globals of its own (none of `rootNames`, the board bundle's) and
 * the call the loader's hook; checkPart then, once the board's methods pass ran over it, the
 * final-bundle check and the part budget. Problems go to the board.
 */
function passPart(part, result, root, weights, rootNames, cold) {
  const code = espruinoPasses(part.code, part.map, part.outfile, root, weights, { hoist: true, prototypes: false, coldParams: cold }).code;
  const atRoot = ROOT_PARTS.includes(part.name);
  const exported = atRoot ? rootPart(code, part.name, rootNames) : exportPart(code, part.name);
  if (exported.problem) result.problems.push({ file: rel(root, part.entry), line: 1, column: 1, message: exported.problem });
  part.code = exported.code;
  part.atRoot = atRoot;
}

/** A finished part's size, final-bundle check and budget. */
function checkPart(part, result, root) {
  const file = rel(root, part.outfile);
  part.bytes = Buffer.byteLength(part.code);
  part.gzipBytes = gzipSync(part.code, { level: 9 }).length;
  result.problems.push(...checkBundle(part.code, { file, part: true }));
  if (part.bytes > part.budget) result.problems.push({ file, line: 1, column: 1, message: `over budget: ${part.bytes} bytes minified > ${part.budget} (build/budgets.mjs partBudgetFor)` });
}

function finish(result, options) {
  result.ok = result.problems.length === 0;
  const files = [{ outfile: result.outfile, code: result.code }].concat(result.parts ?? []);
  if (options.write ?? true) {
    for (const f of files) {
      if (result.ok) {
        mkdirSync(dirname(f.outfile), { recursive: true });
        writeFileSync(f.outfile, f.code);
      } else if (existsSync(f.outfile)) {
        rmSync(f.outfile); // never leave a stale bundle that could be flashed
      }
    }
  }
  return result;
}

/** Board names: every board/<name>/main.ts under `root`. */
export function listBoards(root = ROOT) {
  const dir = join(root, "board");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "main.ts")))
    .map((d) => d.name)
    .sort();
}

/**
 * Checks every source file under src/ and board/, then builds every board.
 * @returns {Promise<{ ok: boolean, problems: import("./build/check-source.mjs").Problem[], boards: BoardResult[] }>}
 */
export async function buildAll(options = {}) {
  const root = resolve(options.root ?? ROOT);
  const problems = checkSourceFiles(listSourceFiles(root), { root });
  if (problems.length) return { ok: false, problems, boards: [] };
  const boards = await Promise.all(listBoards(root).map((name) =>
    buildBoard({ entry: join("board", name, "main.ts"), root, write: options.write, minify: options.minify, checkSource: false })));
  for (const b of boards) problems.push(...b.problems);
  return { ok: problems.length === 0, problems, boards };
}

const n = (x) => x.toLocaleString("en-US");

/** The size table printed by `npm run build`. */
export function formatTable(boards) {
  const rows = [["board", "minified", "gzip", "budget", "used", ""]];
  for (const b of boards) {
    rows.push([b.name, n(b.bytes), n(b.gzipBytes), n(b.budget), `${(100 * b.bytes / b.budget).toFixed(1)}%`, b.ok ? "ok" : "FAIL"]);
    for (const p of b.parts ?? []) rows.push([`  part ${p.storage}`, n(p.bytes), n(p.gzipBytes), n(p.budget), `${(100 * p.bytes / p.budget).toFixed(1)}%`, b.ok ? "ok" : "FAIL"]);
    if (b.firmware) rows.push(["  in firmware", n(b.firmware.bytes), "", n(b.firmware.budget), `${(100 * b.firmware.bytes / b.firmware.budget).toFixed(1)}%`, b.ok ? "ok" : "FAIL"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd());
  for (const b of boards) {
    const notes = [];
    if (b.modules.length) notes.push(`requires ${b.modules.join(", ")}`);
    for (const [from, r] of Object.entries(b.renamed)) if (from !== REQUIRE_PLACEHOLDER) notes.push(`renamed ${from}→${r.to} ×${r.count}`);
    if (b.hoisted) notes.push(`hoisted ${b.hoisted} function(s)`);
    if (b.mangled) notes.push(`${b.mangled.names} internal property name(s) shortened (−${n(b.mangled.bytes)} B)`);
    if (b.topLevelPrefixed) notes.push(`unwrapped, ${b.topLevelPrefixed} top-level name(s) $-prefixed`);
    if (b.aliased && b.aliased.length) notes.push(`${b.aliased.length} built-in(s) read through early aliases`);
    if (b.rootOrdered) notes.push(`root order: ${b.rootOrdered.functions} function(s) by reads, ${b.rootOrdered.declared} variable(s) made early`);
    if (b.coldParams) notes.push(`${b.coldParams.params} parameter(s) of ${b.coldParams.functions} function(s) no tap calls read from arguments`);
    if (b.blockVars) notes.push(`${b.blockVars} block let/const declaration(s) made var`);
    if (b.constantsInlined) notes.push(`${b.constantsInlined} numeric constant(s) inlined`);
    if (b.methodsDropped) notes.push(`${b.methodsDropped} method(s) no code calls dropped`);
    if (b.bootOnlyFreed) notes.push(`${b.bootOnlyFreed} function(s) only the boot calls let go after it`);
    if (b.arrowParamsRenamed) notes.push(`${b.arrowParamsRenamed} arrow parameter(s) named after a variable in scope`);
    if (b.arrowsBlocked) notes.push(`${b.arrowsBlocked} arrow bod(ies) made blocks`);
    if (b.fieldsInitialized) notes.push(`initialized ${b.fieldsInitialized} bare field(s)`);
    if (notes.length) lines.push(`  ${b.name}: ${notes.join("; ")}`);
  }
  return lines.join("\n");
}

async function main() {
  const started = process.hrtime.bigint();
  const { ok, problems, boards } = await buildAll();
  for (const p of problems) console.error(formatProblem(p));
  if (boards.length) console.log(formatTable(boards));
  else if (ok) console.log("no boards (board/<name>/main.ts)");
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(ok ? `build ok in ${ms.toFixed(0)} ms` : `build FAILED: ${problems.length} problem(s)`);
  process.exitCode = ok ? 0 : 1;
  if (!(await import("./build/till-page.mjs")).printTillPage()) process.exitCode = 1; // web/ → dist/till.html(.gz)
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
