// npm run bench's estimate of where a tap's interpreter instructions go (host/bench/js-profile.ts):
// the counting rule on hand-made coverage, on V8's own coverage of a tiny bundle, and the
// tables over the real bench board. Structure and arithmetic only, no timing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { benchJsProfile, jsProfileTables, PER_CALL, PER_TOKEN, profileKernels, tokenCosts, tokenStarts } from "../../host/bench/js-profile";
import { REPO } from "../../host/bench/bundles";
import { formatTable } from "../../host/bench/table";

describe("the counting rule", () => {
  it("a skipped branch is lexed as often as the body around it runs; a loop body at every turn", () => {
    const code = "function f(a){if(a){x();}for(;;){y();}}";
    const starts = tokenStarts(code);
    const ifBlock = code.indexOf("{x();}");
    const loopBody = code.indexOf("{y();}");
    const fns = [
      {
        functionName: "f",
        ranges: [
          { startOffset: 0, endOffset: code.length, count: 3 },
          { startOffset: ifBlock, endOffset: ifBlock + 6, count: 1 },
          { startOffset: loopBody, endOffset: loopBody + 6, count: 10 },
        ],
      },
    ];
    const c = tokenCosts(fns, starts).get("f@0");
    // Tokens: function f ( a ) { if ( a ) { x ( ) ; } for ( ; ; ) { y ( ) ; } } = 28;
    // the 6 tokens of the loop body at 10, the other 22 at 3 (the if block's count 1 < 3).
    expect(c).toEqual({ calls: 3, tokens: 28, lexed: 6 * 10 + 22 * 3, start: 0 });
  });
});

describe("on V8's coverage", () => {
  it("a function called twice per tap is charged twice its tokens and two calls", async () => {
    // A stand-in for the bench board: BENCH_TAPS taps, each calling h twice, then the verdict.
    const code = [
      "function h(v){return v+1;}",
      "var n=0;for(var i=0;i<BENCH_TAPS;i++){n=h(n);n=h(n);}",
      'print("BENCH PASS "+BENCH_TAPS+"/"+BENCH_TAPS);',
    ].join("\n");
    const runs = await profileKernels(code, [0], ["k"], 3);
    const h = runs[0].functions.find((f) => f.name === "h");
    // h: function h ( v ) { return v + 1 ; } = 12 tokens.
    expect(h).toMatchObject({ calls: 2, tokens: 12, instructions: 2 * (12 * PER_TOKEN + PER_CALL) });
    // The top-level loop that calls it is lexed at each turn too.
    expect(runs[0].total).toBeGreaterThan(h!.instructions);
  });

  it("a bundle that fails or never answers is an error, not a figure", async () => {
    await expect(profileKernels('print("BENCH FAIL replay out of step");', [0], ["k"], 1)).rejects.toThrow(/BENCH FAIL/);
  });
});

describe.skipIf(!existsSync(join(REPO, "board", "bench", "main.ts")))("over the bench board", () => {
  it("names source files and functions for every kernel", async () => {
    const p = await benchJsProfile({ taps: 1 });
    expect(p.skipped).toBeNull();
    expect(p.runs.map((r) => r.kernel)).toEqual(["UnionPay C-7", "Visa C-3", "Mastercard C-2"]);
    for (const r of p.runs) {
      expect(r.total).toBeGreaterThan(0);
      const files = new Set(r.functions.map((f) => f.file));
      // The layers a tap goes through, each with a share.
      for (const layer of ["src/pn532/", "src/nfc/", "src/emv/", "src/auth/"]) expect([...files].some((f) => f.startsWith(layer)), layer).toBe(true);
      for (const f of r.functions) expect(f.file === "(bundle)" || existsSync(join(REPO, f.file))).toBe(true);
      expect(r.functions.reduce((s, f) => s + f.instructions, 0)).toBeCloseTo(r.total, 0);
    }
    const tables = jsProfileTables(p, 5);
    expect(tables.map((t) => t.id)).toEqual(["js-profile-files", "js-profile-functions"]);
    expect(tables[1].rows).toHaveLength(15);
    for (const t of tables) for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
    expect(formatTable(tables[0])).toContain("src/pn532/link-i2c.ts");
  });
});
