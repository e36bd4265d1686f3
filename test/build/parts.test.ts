// Board parts (build/parts.mjs): a part's one `tpPart("name", value)` becomes
// `module.exports=value`, which the final-bundle check allows in a part only; the esp32's
// parts build with it, each within the part budget, and a part run as a module gives what
// its board loads (src/hal/espruino/parts.ts; the boots in espruino-esp32 are in
// terminal-boards.test.ts).
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { buildBoard, checkBundle, formatProblem, formatTable } from "../../build.mjs";
import { FIRMWARE_BUDGETS, firmwareBudgetFor, PART_BUDGET, partBudgetFor, storagePartsOf } from "../../build/budgets.mjs";
import { exportPart, listParts, partStorageName } from "../../build/parts.mjs";
import { readConfig } from "../../src/app/config-store";
import { MemoryStore } from "../app/ports";
import { REPO } from "./helpers";

describe("exportPart", () => {
  it.each([
    ["the one marker call becomes module.exports", 'function a(){return 1}tpPart("till",a);', null, "function a(){return 1}module.exports=a;"],
    ["an expression value", 'tpPart("oled",function(b){return b});', null, "module.exports=function(b){return b};"],
  ])("%s", (_, code, problem, out) => {
    expect(exportPart(code, code.includes("till") ? "till" : "oled")).toEqual({ code: out, problem });
  });

  it.each([
    ["no marker", "var a=1;", /found 0 statement\(s\), 0 use\(s\)/],
    ["two markers", 'tpPart("x",1);tpPart("x",2);', /found 2 statement\(s\), 2 use\(s\)/],
    ["the marker used elsewhere", 'var f=tpPart;tpPart("x",1);', /found 1 statement\(s\), 2 use\(s\)/],
    ["a nested marker", 'function g(){tpPart("x",1)}', /found 0 statement\(s\), 1 use\(s\)/],
    ["another part's name", 'tpPart("y",1);', /first argument must be the part's file name "x"/],
    ["no value", 'tpPart("x");', /first argument must be the part's file name "x"/],
  ])("refuses %s", (_, code, why) => {
    const r = exportPart(code, "x");
    expect(r.problem).toMatch(why);
    expect(r.code).toBe(code);
  });
});

describe("checkBundle on a part", () => {
  it("allows the part's top-level module.exports=…, and only in a part", () => {
    expect(checkBundle("var a=1;module.exports=a;", { part: true, requireWrapper: false })).toEqual([]);
    expect(checkBundle("var a=1;module.exports=a;", { requireWrapper: false }).map((p) => p.message)).toEqual([expect.stringMatching(/^CommonJS module/)]);
  });

  it.each([
    ["nested", "function f(){module.exports=1}"],
    ["exports.x", "exports.x=1;"],
    ["module read", "var m=module;"],
  ])("refuses CommonJS %s even in a part", (_, code) => {
    expect(checkBundle(code, { part: true, requireWrapper: false }).map((p) => p.message)).toEqual([expect.stringMatching(/^CommonJS (module|exports)/)]);
  });

  it("allows require(name) with a computed name (a part from Storage), refuses require as a value", () => {
    expect(checkBundle('(function(){var n="tpp.x";return require(n)})();')).toEqual([]);
    expect(checkBundle("(function(){var r=require;return r})();").map((p) => p.message)).toEqual([expect.stringMatching(/^require used other than/)]);
  });
});

describe("the esp32's parts", () => {
  const built = buildBoard({ entry: "board/esp32/main.ts", write: false });

  it("build under every check, each within the part budget, with one module.exports (the card reader: one call of the root loader's hook, build/root-part.mjs)", async () => {
    const b = await built;
    expect(b.problems.map(formatProblem)).toEqual([]);
    expect(listParts(REPO, "esp32")).toEqual(["auth", "card", "conf", "hsu", "oled", "spi", "till"]);
    for (const p of b.parts ?? []) {
      expect(p.storage).toBe(partStorageName(p.name));
      expect(p.bytes).toBeLessThanOrEqual(partBudgetFor(p.name));
      expect(partBudgetFor(p.name)).toBe(p.name === "card" ? 45056 : PART_BUDGET);
      if (p.name === "card") {
        expect(p.code.split('tpReady("card",').length - 1).toBe(1);
        expect(p.code).not.toContain("module.exports");
      } else expect(p.code.split("module.exports=").length - 1).toBe(1);
      expect(p.code).not.toContain("tpPart");
    }
  });

  it("the config check part, run as a module, reports a missing tpconf as the source does", async () => {
    const b = await built;
    const conf = (b.parts ?? []).find((p) => p.name === "conf");
    const m = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
    runInNewContext(conf!.code, { module: m, Uint8Array, Object, Array, JSON, String, Number, Math, parseInt, isNaN, Error, print: () => {} });
    // Mangled property names: the same plan as the board's (build.mjs), so look them up there.
    const name = (n: string): string => b.mangled?.cache[n] ?? n;
    const check = m.exports;
    const read = check[name("read")] as (s: Record<string, () => undefined>) => Record<string, unknown>;
    const empty = read({ [name("read")]: () => undefined });
    expect(empty[name("config")]).toBeNull();
    expect(empty[name("problems")]).toEqual(readConfig(new MemoryStore()).problems);
  });
});

describe("the espruino-wifi's parts: built into its firmware", () => {
  it("the online side, the card reader and the config check; the bundle and the parts built in counted together against the firmware budget, not the config check (in Storage)", async () => {
    const b = await buildBoard({ entry: "board/espruino-wifi/main.ts", write: false });
    expect(b.problems.map(formatProblem)).toEqual([]);
    expect(listParts(REPO, "espruino-wifi")).toEqual(["auth", "card", "conf"]);
    expect((b.parts ?? []).map((p) => p.storage)).toEqual(["tpp.auth", "tpp.card", "tpp.conf"]);
    expect(storagePartsOf("espruino-wifi")).toEqual(["conf"]);
    const total = b.bytes + (b.parts ?? []).reduce((t, p) => t + (p.name === "conf" ? 0 : p.bytes), 0);
    expect(b.firmware).toEqual({ bytes: total, budget: firmwareBudgetFor("espruino-wifi") });
    expect(total).toBeLessThanOrEqual(FIRMWARE_BUDGETS["espruino-wifi"]);
    expect(formatTable([b])).toMatch(/^ {2}in firmware +[\d,]+ +[\d,]+ +[\d.]+% +ok$/m);
    // A board whose code runs from Storage has no firmware line.
    expect(firmwareBudgetFor("esp32")).toBeNull();
  }, 120000);
});
