// The till page (issue 10): web/till.html with web/till.css and web/till.js inlined into one
// file, dist/till.html, and its gzip, dist/till.html.gz (what a board keeps in Storage and
// serves with Content-Encoding: gzip; the host serves either). Minified modestly: esbuild
// minifies the script and the style sheet, the markup loses its comments and the blank
// space between tags. The gzip must stay within PAGE_BUDGET_GZIP.
//
// `node build/till-page.mjs` builds and prints the sizes; `npm run build` runs it last.
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Bytes of dist/till.html.gz at most: one Storage file on a board, sent in a few TCP segments. */
export const PAGE_BUDGET_GZIP = 12 * 1024;

/** Browsers the page is written for: phones of the last years (fetch streaming, AbortController). */
const TARGET = ["chrome80", "safari13", "firefox78"];

/**
 * Inlines and minifies the page.
 * @param {{ root?: string, write?: boolean, budget?: number }} [options] write=false keeps it in memory
 * @returns {{ ok: boolean, problems: string[], html: string, gzip: Buffer, bytes: number, gzipBytes: number, budget: number, outfile: string }}
 */
export function buildTillPage(options = {}) {
  const root = resolve(options.root ?? ROOT);
  const budget = options.budget ?? PAGE_BUDGET_GZIP;
  const web = join(root, "web");
  const outfile = join(root, "dist", "till.html");
  const problems = [];
  const read = (name) => readFileSync(join(web, name), "utf8");
  let html = read("till.html");
  const css = esbuild.transformSync(read("till.css"), { loader: "css", minify: true, target: TARGET, logLevel: "silent" }).code.trim();
  const js = esbuild.transformSync(read("till.js"), { loader: "js", minify: true, target: TARGET, legalComments: "none", logLevel: "silent" }).code.trim();
  const link = '<link rel="stylesheet" href="till.css">';
  const script = '<script src="till.js"></script>';
  if (!html.includes(link)) problems.push(`web/till.html: no ${link}`);
  if (!html.includes(script)) problems.push(`web/till.html: no ${script}`);
  // The comment before <html> and the space between tags go; text inside elements stays.
  html = html.replace(/<!--[\s\S]*?-->/g, "").replace(/>\s+</g, "><").trim();
  // Function replacements: "$&" and "$'" in the code must not be read as patterns.
  html = html.replace(link, () => `<style>${css}</style>`).replace(script, () => `<script>${js.replace(/<\/script/gi, "<\\/script")}</script>`);
  if (/(src|href)="(https?:)?\/\//i.test(html)) problems.push("dist/till.html: refers to a resource outside the page");
  const gzip = gzipSync(html, { level: 9 });
  const result = { ok: false, problems, html, gzip, bytes: Buffer.byteLength(html), gzipBytes: gzip.length, budget, outfile };
  if (result.gzipBytes > budget) problems.push(`dist/till.html.gz: over budget: ${result.gzipBytes} bytes > ${budget} (build/till-page.mjs PAGE_BUDGET_GZIP)`);
  result.ok = problems.length === 0;
  if (options.write ?? true) {
    if (result.ok) {
      mkdirSync(dirname(outfile), { recursive: true });
      writeFileSync(outfile, html);
      writeFileSync(outfile + ".gz", gzip);
    } else {
      for (const f of [outfile, outfile + ".gz"]) if (existsSync(f)) rmSync(f);
    }
  }
  return result;
}

/** Builds, prints one size line (or the problems); returns whether it is within its budget. */
export function printTillPage(print = console.log) {
  const r = buildTillPage();
  for (const p of r.problems) console.error(p);
  const n = (x) => x.toLocaleString("en-US");
  print(`page dist/till.html ${n(r.bytes)} bytes, gzip ${n(r.gzipBytes)} / ${n(r.budget)} (${(100 * r.gzipBytes / r.budget).toFixed(1)}%) ${r.ok ? "ok" : "FAIL"}`);
  return r.ok;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = printTillPage() ? 0 : 1;
