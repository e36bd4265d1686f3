// host/ is a product (npm start, tap, bench) and must not depend on test/ (docs/architecture.md "Where
// code lives": test/ may use everything, nothing uses test/). What both need lives in host/
// (host/fuzz/: the seeded PRNG, mutators, EMV fixtures, the kernel fuzz).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../host/espruino-dir";

const TEST_DIR = resolve(PROJECT_ROOT, "test");

/** Module specifiers of `import … from`, `export … from`, `import("…")`, `require("…")` and bare `import "…"`. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'`]([^"'`]+)["'`]/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) out.push(m[1]);
  return out;
}

/** "file: specifier" for every import of `source` (at `file`) that lands inside test/. */
function testImports(file: string, source: string): string[] {
  return specifiers(source)
    .filter((s) => s.startsWith("."))
    .filter((s) => {
      const target = resolve(dirname(file), s);
      return target === TEST_DIR || target.startsWith(TEST_DIR + sep);
    })
    .map((s) => relative(PROJECT_ROOT, file) + ": " + s);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe("host/ does not import from test/", () => {
  it("no file under host/ imports a module under test/", () => {
    const files = sourceFiles(resolve(PROJECT_ROOT, "host"));
    expect(files.length).toBeGreaterThan(10);
    const bad = files.flatMap((f) => testImports(f, readFileSync(f, "utf8")));
    expect(bad).toEqual([]);
  });

  it("the check sees every import form (a file that does import test/ is caught)", () => {
    const f = resolve(PROJECT_ROOT, "host/bench/x.ts");
    const src = [
      'import { a } from "../../test/emv/a";',
      "import type { B } from '../../test/b';",
      'export { c } from "../../test/c";',
      'const d = await import("../../test/d");',
      'const e = require("../../test/e");',
      'import "../../test/f";',
      'import { ok } from "../../src/emv/tlv";',
      'import { fine } from "../fuzz/prng";',
      'import { testy } from "../../testdata/x";',
    ].join("\n");
    expect(testImports(f, src).map((s) => s.split(": ")[1])).toEqual([
      "../../test/emv/a",
      "../../test/b",
      "../../test/c",
      "../../test/d",
      "../../test/e",
      "../../test/f",
    ]);
  });
});

describe("one seeded PRNG", () => {
  // mulberry32's increment and the common LCG multipliers: a second generator would give
  // fuzz cases that do not replay with host/fuzz/prng.ts's seeds.
  const COPIES = [/0x6d2b79f5/i, /\b1103515245\b/, /\b1664525\b/, /\b6364136223846793005\b/];
  const HOME = resolve(PROJECT_ROOT, "host/fuzz/prng.ts");
  const SELF = resolve(PROJECT_ROOT, "test/build/host-imports.test.ts");

  it("host/fuzz/prng.ts is the only generator in src/, host/, test/, board/ and build/", () => {
    const files = ["src", "host", "test", "board", "build"].flatMap((d) => sourceFiles(resolve(PROJECT_ROOT, d)));
    const copies = files
      .filter((f) => f !== HOME && f !== SELF)
      .filter((f) => {
        const text = readFileSync(f, "utf8");
        return COPIES.some((re) => re.test(text));
      })
      .map((f) => relative(PROJECT_ROOT, f));
    expect(copies).toEqual([]);
    expect(COPIES.some((re) => re.test(readFileSync(HOME, "utf8")))).toBe(true);
  });
});
