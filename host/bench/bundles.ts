/**
 * Table 4: the board bundles as built (`dist/*.js`): minified and gzip bytes against the
 * budget of build/budgets.mjs. Builds every board first (build.mjs buildAll) when dist/ holds
 * no bundle.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildAll } from "../../build.mjs";
import { budgetFor } from "../../build/budgets.mjs";
import { num, type BenchTable } from "./table";

export const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

export interface BundleFigure {
  file: string;
  bytes: number;
  gzipBytes: number;
  budget: number;
}

export interface BundleBench {
  dir: string;
  /** True when this run built the bundles because dist/ had none. */
  built: boolean;
  /** Problems of that build, as text. */
  problems: string[];
  bundles: BundleFigure[];
}

function listBundles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort();
}

export function benchBundles(opts?: { root?: string }): Promise<BundleBench> {
  const root = opts?.root ?? REPO;
  const dir = join(root, "dist");
  const missing = listBundles(dir).length === 0;
  const build = missing
    ? buildAll({ root, write: true }).then((r) => r.problems.map((p) => p.file + ":" + p.line + ": " + p.message))
    : Promise.resolve([] as string[]);
  return build.then((problems) => ({
    dir,
    built: missing,
    problems,
    bundles: listBundles(dir).map((f) => {
      const code = readFileSync(join(dir, f));
      return { file: "dist/" + f, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, budget: budgetFor(basename(f, ".js")) };
    }),
  }));
}

export function bundleTables(b: BundleBench): BenchTable[] {
  const notes: string[] = [];
  if (b.built) notes.push("dist/ had no bundle: built now (build.mjs buildAll)");
  for (const p of b.problems) notes.push("BUILD " + p);
  if (b.bundles.length === 0) notes.push("no bundle in " + b.dir);
  return [
    {
      id: "bundles",
      title: "Board bundles (minified, as flashed)",
      columns: ["bundle", "bytes", "gzip -9", "budget", "used"],
      rows: b.bundles.map((x) => [x.file, x.bytes, x.gzipBytes, x.budget, num((100 * x.bytes) / x.budget, 1) + " %"]),
      notes,
    },
  ];
}
