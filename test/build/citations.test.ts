// The repository stands alone: its code and docs cite its own docs (docs/architecture.md,
// docs/espruino-notes.md), never notes kept outside it. The one name of a folder outside the
// repository is the interpreters' default folder, in host/espruino-dir.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers";

const OUTSIDE = /\b(DESIGN|STYLE|ESPRUINO)\.md\b|\.\.\/shared\b/;
const ALLOWED = new Set(["host/espruino-dir.ts"]);
const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".tappos", ".tmp"]);

function files(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) files(join(dir, e.name), out);
    } else if (/\.(ts|mts|mjs|js|json|md|apdu)$|^run$/.test(e.name)) {
      out.push(relative(REPO, join(dir, e.name)).split(sep).join("/"));
    }
  }
  return out;
}

describe("citations", () => {
  it("no file cites notes outside the repository", () => {
    const found: string[] = [];
    for (const f of files(REPO, [])) {
      if (ALLOWED.has(f)) continue;
      const lines = readFileSync(join(REPO, f), "utf8").split("\n");
      lines.forEach((l, i) => {
        if (OUTSIDE.test(l)) found.push(`${f}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it("the docs it cites exist", () => {
    for (const d of ["docs/architecture.md", "docs/espruino-notes.md"]) expect(readFileSync(join(REPO, d), "utf8").length).toBeGreaterThan(1000);
  });
});
