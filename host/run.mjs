#!/usr/bin/env node
// `node host/run.mjs <entry.ts> [args…]`: runs a host TypeScript program on Node 20, which
// cannot run .ts itself. Bundles the entry with esbuild (platform node, ESM, npm packages
// left as imports, inline source map) into node_modules/.cache/tappos/ and imports it, with
// process.argv rewritten to [node, <entry.ts>, args…] so `process.argv.slice(2)` is the
// user's arguments. In every bundled source file `import.meta.url` / `.dirname` /
// `.filename` keep naming that file (not the cache), so data paths stay relative to it.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const CACHE_DIR = join(ROOT, "node_modules", ".cache", "tappos");

/** Replaces import.meta.url/dirname/filename by the source file's own values. */
const importMetaPlugin = {
  name: "tappos-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.(m?ts|m?js)$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const text = readFileSync(args.path, "utf8");
      const loader = /\.m?ts$/.test(args.path) ? "ts" : "js";
      if (!text.includes("import.meta")) return { contents: text, loader };
      const values = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const contents = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k) => JSON.stringify(values[k]));
      return { contents, loader };
    });
  },
};

/**
 * Bundles a host entry into the cache and returns the bundle's path.
 * @param {string} entry path to a .ts (or .js) file
 * @param {{ outDir?: string }} [options]
 */
export async function bundleHostEntry(entry, options = {}) {
  const abs = resolve(entry);
  const outDir = options.outDir ?? CACHE_DIR;
  const tag = createHash("sha1").update(abs).digest("hex").slice(0, 8);
  const outfile = join(outDir, `${basename(abs, extname(abs))}-${tag}.mjs`);
  const result = await esbuild.build({
    entryPoints: [abs],
    outfile,
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    loader: { ".apdu": "text" },
    logLevel: "error",
    plugins: [importMetaPlugin],
  });
  mkdirSync(outDir, { recursive: true });
  // Write then rename: runs of the same entry in parallel never import a half-written file.
  const tmp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, outfile);
  return outfile;
}

/** Bundles `entry`, sets process.argv to [node, entry, …args] and imports the bundle. */
export async function runHostEntry(entry, args) {
  const outfile = await bundleHostEntry(entry);
  process.argv = [process.argv[0], resolve(entry), ...args];
  process.setSourceMapsEnabled(true);
  return import(pathToFileURL(outfile).href);
}

async function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error("usage: node host/run.mjs <entry.ts> [args…]");
    process.exitCode = 2;
    return;
  }
  try {
    await runHostEntry(entry, args);
  } catch (e) {
    // esbuild has already printed its own errors (logLevel "error").
    if (!(e && Array.isArray(e.errors))) console.error(e);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
