// Makes build/root-order.json, the reads per tap of each top-level name that build/root-order.mjs
// orders the root scope by: `node host/run.mjs build/root-order-profile.mjs [--write]` (prints
// the list; --write saves it). Run it again when the tap path changes; the build only reads the
// file (a name the file does not know keeps its place after the known ones).
// How: board/bench as the build makes it (minified, without a root order) runs in Node under
// V8's precise block coverage (the Espruino globals it needs stood in for by
// host/bench/js-profile.ts), with 0 taps and with TAPS taps of each kernel; every reference to a
// top-level name, or to a built-in through its alias, counts as many reads as the innermost
// covered block around it ran, taps minus none, per tap, summed over the kernels. Keys are
// `file:sourceName` (the build's source map), `global:Name` for a built-in's alias. Checked
// against an instrumented 2v29 interpreter (root-scope lookups logged, 2026-12-07): the same
// names on top, in nearly the same order.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBoard } from "../build.mjs";
import { installedBundle } from "./self-install.mjs";
import { ALIASED } from "./alias-globals.mjs";
import { analyze, parseBundle } from "./js-scope.mjs";
import { globalKey } from "./root-order.mjs";
import { benchCoverage, COVERAGE_PREFIX } from "../host/bench/js-profile.ts";
import { REPO } from "../host/bench/bundles.ts";

const TAPS = 2;
const KERNELS = [0, 1, 2];

/** The innermost covered range around each offset: a sorted list and a lookup. */
function countAt(functions) {
  const ranges = [];
  for (const f of functions) for (const r of f.ranges) ranges.push(r);
  // Smallest first: the first range holding an offset is the innermost.
  ranges.sort((a, b) => (a.endOffset - a.startOffset) - (b.endOffset - b.startOffset));
  return (p) => {
    for (const r of ranges) if (r.startOffset <= p && p < r.endOffset) return r.count;
    return 0;
  };
}

/** Reads per tap by key, summed over the kernels. */
export async function profileRootReads() {
  const b = await buildBoard({ entry: "board/bench/main.ts", write: false, rootOrder: false });
  if (!b.ok) throw new Error("bench build failed: " + b.problems.map((p) => p.message).join("; "));
  const code = installedBundle(b.code) ?? b.code;
  const ast = parseBundle(code);
  const { references, scopeOf } = analyze(ast);
  const program = scopeOf.get(ast);
  // Top-level aliases of built-ins: `$a_` → Uint8Array.
  const alias = new Map();
  for (const st of ast.body) {
    if (st.type !== "VariableDeclaration") continue;
    for (const d of st.declarations) if (d.init && d.init.type === "Identifier" && ALIASED.includes(d.init.name) && d.id.type === "Identifier") alias.set(d.id.name, d.init.name);
  }
  // A built-in read without an alias (build/alias-globals.mjs aliases it only when read twice or
  // more in the text, or when this list says it is read often).
  const keyOfRef = (r) => {
    if (r.decl === null) return ALIASED.includes(r.id.name) ? globalKey(r.id.name) : undefined;
    if (r.decl !== program) return undefined;
    return alias.has(r.id.name) ? globalKey(alias.get(r.id.name)) : b.rootKeys.get(r.id.name);
  };
  const refs = references.filter((r) => keyOfRef(r) !== undefined);
  const weights = new Map();
  const counts = {};
  await benchCoverage(code, KERNELS, TAPS, "root-order", (k, n, functions) => {
    const at = countAt(functions);
    (counts[k] ??= []).push(refs.map((r) => at(COVERAGE_PREFIX + 1 + r.id.start)));
  });
  for (const k of KERNELS) {
    refs.forEach((r, i) => {
      const per = (counts[k][1][i] - counts[k][0][i]) / TAPS;
      const key = keyOfRef(r);
      if (per > 0) weights.set(key, (weights.get(key) ?? 0) + per);
    });
  }
  return [...weights].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
}

const list = await profileRootReads();
const weights = {};
for (const [k, w] of list) weights[k] = Math.round(w * 10) / 10;
const json = JSON.stringify({
  about: "Reads per tap of the bundle's top-level names (the three bench kernels summed), for build/root-order.mjs. Made by `node host/run.mjs build/root-order-profile.mjs --write`.",
  taps: TAPS,
  weights,
}, null, 1) + "\n";
if (process.argv.includes("--write")) {
  writeFileSync(join(REPO, "build", "root-order.json"), json);
  console.log(`build/root-order.json: ${list.length} names`);
} else {
  for (const [k, w] of list) console.log(w.toFixed(1).padStart(8), k);
}
