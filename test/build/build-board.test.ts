// buildBoard() end to end on fixture trees in the temp dir: source check, esbuild, the
// bundle passes, the bundle check and the budget. Each guard is shown to bite, and the
// output of accepted fixtures is run (Node vm always; the Espruino interpreter when present).
import { afterAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as acorn from "acorn";
import vm from "node:vm";
import { buildAll, buildBoard, formatProblem, formatTable } from "../../build.mjs";
import { espruinoSkipReason, makeFixture, runInEspruino, runInVm, removeTempDirs, titled } from "./helpers";

const MAIN = "board/t/main.ts";
const build = (files: Record<string, string>, budget?: number) => {
  const root = makeFixture(files);
  return buildBoard({ entry: MAIN, root, write: false, budget }).then((r) => ({ ...r, root, text: r.problems.map(formatProblem).join("\n") }));
};
/** Why the runs in the real interpreter (the 64-bit `espruino`) are skipped, or null. */
const NO_ESPRUINO = espruinoSkipReason("espruino");

/** Fixtures whose bundles run in Node's vm (always) and in the Espruino interpreter. */
const LOOPS = {
  "src/app/loops.ts": "export function f(a: number[]): (() => number)[] {\n  const fs: (() => number)[] = [];\n" +
    "  for (let i = 0; i < 3; i++) { const j = i; fs.push(() => j); }\n" +
    "  for (const x of a) { const y = x; fs.push(() => y); }\n  return fs;\n}\n",
  [MAIN]: 'import { f } from "../../src/app/loops";\nprint(f([7, 8]).map((g) => g()).join(","));\n',
};
const HOIST = {
  "src/app/later.ts": "export const base = compute();\nfunction compute(): number { return 40; }\nexport function later(): number { return base + 1; }\n",
  [MAIN]: 'import { later } from "../../src/app/later";\nprint(String(first()));\nfunction first(): number { return later() + 1; }\n',
};
let manyFns = "";
for (let i = 0; i < 400; i++) manyFns += `function fn${i}(x: number): number { return x + ${i}; }\n`;
manyFns += `export const all = [${Array.from({ length: 400 }, (_, i) => "fn" + i).join(", ")}];\n`;
const MANY = {
  "src/app/many.ts": manyFns,
  [MAIN]: 'import { all } from "../../src/app/many";\nlet t = 0;\nfor (let i = 0; i < all.length; i++) t += all[i](1);\nprint(String(t));\n',
};
const MANY_SUM = String(400 + (399 * 400) / 2);
const FIELDS = {
  "src/app/q.ts": "export class Base { n: number; constructor(n: number, public tag: string) { this.n = n; } }\n" +
    "export class Sub extends Base { extra = 2; }\n",
  [MAIN]: 'import { Sub } from "../../src/app/q";\nconst s = new Sub(1, "t");\nprint(s.n, s.tag, s.extra);\n',
};

/** Start offsets of every node of `type` (and matching `pred`) in a program. */
function positions(code: string, pred: (n: any) => boolean): number[] {
  const out: number[] = [];
  const visit = (n: any) => {
    if (!n || typeof n.type !== "string") return;
    if (pred(n)) out.push(n.start);
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === "object") visit(v);
    }
  };
  visit(acorn.parse(code, { ecmaVersion: 2022 }));
  return out;
}

afterAll(removeTempDirs);

describe("buildBoard refuses, naming the file", () => {
  const cases: [string, string, RegExp][] = [
    ["destructuring", "export function f(o: { a: number }) { const { a } = o; return a; }", /^src\/app\/bad\.ts:1:\d+: destructuring/m],
    ["**", "export function f(n: number) { return n ** 2; }", /^src\/app\/bad\.ts:1:\d+: `\*\*`/m],
    ["object spread", "export function f(o: object) { return { ...o, b: 1 }; }", /^src\/app\/bad\.ts:1:\d+: object spread/m],
    ["new Map()", "export function f() { return new Map<string, number>(); }", /^src\/app\/bad\.ts:1:\d+: Map does not exist on Espruino/m],
    ["an Espruino global outside src/hal/espruino/", "export function f() { return E.hwRand(); }", /^src\/app\/bad\.ts:1:\d+: Espruino global E /m],
    ["setTimeout outside src/hal/espruino/", "export function f(g: () => void) { return setTimeout(g, 5); }", /^src\/app\/bad\.ts:1:\d+: setTimeout .*injected Clock/m],
  ];
  for (const [what, source, message] of cases) {
    it(what, async () => {
      const r = await build({ "src/app/bad.ts": source, [MAIN]: 'import { f } from "../../src/app/bad";\nprint(String(f));\n' });
      expect(r.ok).toBe(false);
      expect(r.text).toMatch(message);
    });
  }

  it('import * as S from "Storage", even in src/hal/espruino/', async () => {
    const r = await build({
      "src/hal/espruino/store.ts": 'import * as S from "Storage";\nexport function names() { return S.list(); }\n',
      [MAIN]: 'import { names } from "../../src/hal/espruino/store";\nprint(names());\n',
    });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^src\/hal\/espruino\/store\.ts:1:1: import of Espruino built-in module "Storage"/m);
  });

  it("a closure over a for (let …) variable, and over a for (const … of …) variable", async () => {
    const r = await build({
      "src/app/loops.ts": "export function f(a: number[]) {\n  const fs: (() => number)[] = [];\n" +
        "  for (let i = 0; i < 3; i++) fs.push(() => i);\n  for (const x of a) fs.push(() => x);\n  return fs;\n}\n",
      [MAIN]: 'import { f } from "../../src/app/loops";\nprint(f([1]).length);\n',
    });
    expect(r.text).toMatch(/^src\/app\/loops\.ts:3:\d+: closure captures loop variable "i"/m);
    expect(r.text).toMatch(/^src\/app\/loops\.ts:4:\d+: closure captures loop variable "x"/m);
  });

  it("an upward import: src/bytes importing src/emv fails the build, naming both files and layers", async () => {
    const r = await build({
      "src/emv/tag.ts": "export const TAG_PAN = 0x5a;\n",
      "src/bytes/bad.ts": 'import { TAG_PAN } from "../emv/tag";\nexport function f() { return TAG_PAN; }\n',
      [MAIN]: 'import { f } from "../../src/bytes/bad";\nprint(String(f()));\n',
    });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/^src\/bytes\/bad\.ts:1:1: upward import: src\/bytes\/bad\.ts \(layer bytes\) imports src\/emv\/tag \(layer emv\)/m);
    const all = await buildAll({ root: r.root, write: false });
    expect(all.ok).toBe(false);
    expect(all.problems.map(formatProblem).join("\n")).toMatch(/^src\/bytes\/bad\.ts:1:1: upward import/m);
  });

  it("a source file no board imports (buildAll walks all of src/ and board/)", async () => {
    const root = makeFixture({ "src/app/unused.ts": "export const v = [1, 2] as const;\nexport const [a] = v;\n", [MAIN]: 'print("x");\n' });
    const r = await buildAll({ root, write: false });
    expect(r.ok).toBe(false);
    expect(r.problems.map(formatProblem).join("\n")).toMatch(/^src\/app\/unused\.ts:2:\d+: destructuring/m);
  });
});

describe("buildBoard output runs", () => {
  it("a copy of the loop variable in a const is accepted and each closure sees its own value", async () => {
    const r = await build(LOOPS);
    expect(r.text).toBe("");
    expect(runInVm(r.code)).toEqual(["0,1,2,7,8"]);
  });

  it("a call before the function's declaration runs (the hoist pass moves declarations up)", async () => {
    const r = await build(HOIST);
    expect(r.text).toBe("");
    expect(r.hoisted).toBeGreaterThanOrEqual(2);
    // Every function declaration now precedes every call at the top level of the IIFE.
    const fns = positions(r.code, (n) => n.type === "FunctionDeclaration");
    const firstCall = Math.min(...positions(r.code, (n) => n.type === "CallExpression" && n.callee.type === "Identifier" && n.callee.name !== "print"));
    expect(Math.max(...fns)).toBeLessThan(firstCall);
    expect(runInVm(r.code)).toEqual(["42"]);
  });

  it("a minified name `of` (400 functions in one scope) is renamed away", async () => {
    const r = await build(MANY);
    expect(r.text).toBe("");
    expect(r.renamed.of?.count ?? 0).toBeGreaterThan(0); // esbuild did produce `of`
    const ofs = positions(r.code, (n) => n.type === "Identifier" && n.name === "of");
    expect(ofs).toEqual([]);
    expect(runInVm(r.code)).toEqual([MANY_SUM]);
  });

  it('require("Storage") in src/hal/espruino/ stays a literal require("Storage")', async () => {
    const r = await build({
      "src/hal/espruino/store.ts": 'export function names(): string[] { return require("Storage").list(); }\n',
      [MAIN]: 'import { names } from "../../src/hal/espruino/store";\nprint(names().join(","));\n',
    });
    expect(r.text).toBe("");
    expect(r.code).toContain('require("Storage")');
    expect(r.code).not.toMatch(/__require|__toESM|__commonJS|typeof require|Proxy/);
    expect(r.modules).toEqual(["Storage"]);
    const fakeRequire = (name: string) => (name === "Storage" ? { list: () => ["a", "b"] } : null);
    expect(runInVm(r.code, { require: fakeRequire })).toEqual(["a,b"]);
  });

  it("const enum members are inlined across files", async () => {
    const r = await build({
      "src/app/ins.ts": "export const enum Ins { Select = 0xa4, ReadRecord = 0xb2 }\n",
      [MAIN]: 'import { Ins } from "../../src/app/ins";\nprint(Ins.Select, Ins.ReadRecord);\n',
    });
    expect(r.text).toBe("");
    expect(r.code).not.toMatch(/Select|ReadRecord/);
    expect(runInVm(r.code)).toEqual(["164 178"]);
  });

  it("declared fields and parameter properties become x=void 0; subclass fields stay native", async () => {
    const r = await build(FIELDS);
    expect(r.text).toBe("");
    expect(r.fieldsInitialized).toBe(2);
    expect(r.code).not.toContain("...arguments");
    expect(runInVm(r.code)).toEqual(["1 t 2"]);
  });

  it("top-level names that could be Espruino globals are $-prefixed once unwrapped, the short lower-case ones kept", async () => {
    const r = await build({ [MAIN]: "const E = 5;\nfunction print2(x: number) { print(String(x)); }\nprint2(E);\n" });
    expect(r.text).toBe("");
    const out: string[] = [];
    const context: Record<string, unknown> = { print: (s: string) => out.push(s) };
    vm.runInNewContext(r.code, context);
    expect(out).toEqual(["5"]);
    // Only print (given) and short lower-case names (no Espruino global but url, g) are unprefixed.
    expect(Object.keys(context).filter((k) => !k.startsWith("$") && !/^[a-z][A-Za-z0-9_$]{0,2}$/.test(k))).toEqual(["print"]);
    expect(Object.keys(context).filter((k) => k === "E" || k === "url" || k === "g")).toEqual([]);
    expect(r.code.startsWith("(()=>")).toBe(false); // unwrapped: loading costs one copy less (build/unwrap.mjs)
  });
});

describe.skipIf(NO_ESPRUINO)(titled("buildBoard output runs in the Espruino interpreter (64-bit espruino)", NO_ESPRUINO), () => {
  const runs: [string, Record<string, string>, RegExp][] = [
    ["closures over a const copy of the loop variable", LOOPS, /^0,1,2,7,8$/],
    ["a call before the function's declaration", HOIST, /^42$/],
    ["400 functions in one scope, no identifier `of`", MANY, new RegExp("^" + MANY_SUM + "$")],
    ["declared fields, parameter properties and a subclass field", FIELDS, /^1 t 2$/],
  ];
  for (const [what, files, expected] of runs) {
    it(what, async () => {
      const r = await build(files);
      expect(r.text).toBe("");
      expect(runInEspruino(r.code)).toMatch(expected);
    });
  }
});

describe("budget", () => {
  const files = { "src/app/k.ts": "export const k = 'x'.repeat(3);\n", [MAIN]: 'import { k } from "../../src/app/k";\nprint(k);\n' };

  it("fails an over-budget bundle and does not write it", async () => {
    const root = makeFixture(files);
    const r = await buildBoard({ entry: MAIN, root, budget: 20 });
    expect(r.ok).toBe(false);
    expect(r.problems.map(formatProblem).join("\n")).toMatch(/^dist\/t\.js:1:1: over budget: \d+ bytes minified > 20/m);
    expect(existsSync(join(root, "dist/t.js"))).toBe(false);
  });

  it("writes the bundle within budget, and buildAll prints the size table", async () => {
    const root = makeFixture(files);
    const all = await buildAll({ root });
    expect(all.ok).toBe(true);
    expect(existsSync(join(root, "dist/t.js"))).toBe(true);
    const b = all.boards[0];
    expect(b.bytes).toBe(Buffer.byteLength(b.code));
    expect(b.gzipBytes).toBeGreaterThan(0);
    expect(b.budget).toBe(48 * 1024);
    const [head, row] = formatTable(all.boards).split("\n");
    expect(head).toMatch(/^board\s+minified\s+gzip\s+budget\s+used$/);
    expect(row).toMatch(/^t\s+\d+\s+\d+\s+49,152\s+[\d.]+%\s+ok$/);
  });
});
