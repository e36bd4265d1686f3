/**
 * The till page's build (build/till-page.mjs): web/ inlined into one file, nothing from
 * outside the page, the gzip within its budget, and an over-budget page refused and not
 * left in dist/.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildTillPage, PAGE_BUDGET_GZIP } from "../../build/till-page.mjs";
import { PROJECT_ROOT } from "../../host/espruino-dir";

const root = mkdtempSync(join(tmpdir(), "tappos-till-page-build-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("build/till-page.mjs", () => {
  it("inlines the style sheet and the script: one file, no resource from elsewhere, within budget", () => {
    const r = buildTillPage({ write: false });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.html).toMatch(/^<!doctype html>/);
    expect(r.html).toContain("<style>");
    expect(r.html).toContain("<script>");
    expect(r.html).not.toMatch(/<link\b/);
    expect(r.html).not.toMatch(/<script src/);
    expect(r.html).not.toMatch(/https?:\/\//); // nothing loaded from the internet
    expect(r.html).not.toContain("<!--");
    expect(r.bytes).toBe(Buffer.byteLength(r.html));
    expect(gunzipSync(r.gzip).toString("utf8")).toBe(r.html);
    expect(r.gzipBytes).toBe(r.gzip.length);
    expect(r.gzipBytes).toBeLessThanOrEqual(PAGE_BUDGET_GZIP);
    // Minified: smaller than its sources.
    const sources = ["till.html", "till.css", "till.js"].map((f) => readFileSync(join(PROJECT_ROOT, "web", f)).length).reduce((a, b) => a + b);
    expect(r.bytes).toBeLessThan(sources);
  });

  it("writes dist/till.html and its gzip; over budget it fails and removes them", () => {
    cpSync(join(PROJECT_ROOT, "web"), join(root, "web"), { recursive: true });
    const ok = buildTillPage({ root });
    expect(ok.ok).toBe(true);
    expect(readFileSync(join(root, "dist", "till.html"), "utf8")).toBe(ok.html);
    expect(readFileSync(join(root, "dist", "till.html.gz")).equals(ok.gzip)).toBe(true);

    const over = buildTillPage({ root, budget: 100 });
    expect(over.ok).toBe(false);
    expect(over.problems.join("\n")).toMatch(/over budget: [0-9]+ bytes > 100/);
    expect(existsSync(join(root, "dist", "till.html"))).toBe(false);
    expect(existsSync(join(root, "dist", "till.html.gz"))).toBe(false);
  });

  it("refuses a page that loads something from elsewhere", () => {
    const dir = join(root, "ext");
    mkdirSync(join(dir, "web"), { recursive: true });
    cpSync(join(PROJECT_ROOT, "web"), join(dir, "web"), { recursive: true });
    const html = readFileSync(join(dir, "web", "till.html"), "utf8").replace("</head>", '<script src="https://cdn.example/x.js"></script></head>');
    writeFileSync(join(dir, "web", "till.html"), html);
    const r = buildTillPage({ root: dir, write: false });
    expect(r.ok).toBe(false);
    expect(r.problems.join("\n")).toMatch(/outside the page/);
  });
});
