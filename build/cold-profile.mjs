// Makes build/cold-profile.json, the calls per tap of each top-level function of the bench
// board, for build/cold-params.mjs: `node host/run.mjs build/cold-profile.mjs [--write]` (prints
// the functions no tap calls; --write saves the file). Run it again when the tap path changes;
// the build only reads the file, and a test checks it against a fresh profile.
// How: board/bench as the build makes it (minified, without a root order) runs in Node under
// V8's precise coverage (host/bench/js-profile.ts benchCoverage), with 0 taps and with TAPS taps
// of each kernel; a function's calls per tap are its invocations, taps minus none, per tap, the
// most over the kernels. A function V8 never compiled was never called: 0. Keys are
// `file:sourceName` (the build's source map), for the functions of src/ only.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildBoard } from "../build.mjs";
import { installedBundle } from "./self-install.mjs";
import { parseBundle } from "./js-scope.mjs";
import { benchCoverage, COVERAGE_PREFIX } from "../host/bench/js-profile.ts";
import { REPO } from "../host/bench/bundles.ts";

const TAPS = 2;
const KERNELS = [0, 1, 2];

/** Calls per tap by key (the most over the bench's three kernels), for each top-level function of src/. */
export async function profileCalls() {
  const b = await buildBoard({ entry: "board/bench/main.ts", write: false, rootOrder: false });
  if (!b.ok) throw new Error("bench build failed: " + b.problems.map((p) => p.message).join("; "));
  const code = installedBundle(b.code) ?? b.code;
  const fns = parseBundle(code).body.filter((st) => st.type === "FunctionDeclaration" && st.id && /^src\//.test(b.rootKeys.get(st.id.name) ?? ""));
  const counts = {};
  await benchCoverage(code, KERNELS, TAPS, "cold-profile", (k, n, functions) => {
    const at = new Map(functions.map((f) => [f.ranges[0].startOffset, f.ranges[0].count]));
    (counts[k] ??= []).push(fns.map((f) => at.get(COVERAGE_PREFIX + 1 + f.start) ?? 0));
  });
  const calls = {};
  fns.forEach((f, i) => {
    let most = 0;
    for (const k of KERNELS) most = Math.max(most, (counts[k][1][i] - counts[k][0][i]) / TAPS);
    calls[b.rootKeys.get(f.id.name)] = Math.round(most * 10) / 10;
  });
  return Object.fromEntries(Object.entries(calls).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
}

export function coldProfileJson(calls) {
  return JSON.stringify({
    about: "Calls per tap of the bench's top-level functions of src/ (the most over its three kernels), for build/cold-params.mjs. Made by `node host/run.mjs build/cold-profile.mjs --write`.",
    taps: TAPS,
    calls,
  }, null, 1) + "\n";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const calls = await profileCalls();
  if (process.argv.includes("--write")) {
    writeFileSync(join(REPO, "build", "cold-profile.json"), coldProfileJson(calls));
    console.log(`build/cold-profile.json: ${Object.keys(calls).length} functions`);
  } else {
    for (const [k, v] of Object.entries(calls)) if (v === 0) console.log(k);
  }
}
