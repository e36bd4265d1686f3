// build/root-order.mjs: the bundle's top-level names made in the order a tap reads them
// (build/root-order.json). The source map names each minified name's source; the reordered
// bundle means the same in V8 and in Espruino, passes the bundle check, and puts the hot
// names first in Espruino's root scope; the checked-in list still names the bench's code.
import * as esbuild from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { checkBundle } from "../../build/check-bundle.mjs";
import { misplacedFunctions } from "../../build/hoist.mjs";
import { decodeMappings, globalKey, HOT, orderRoot, sourceKeys } from "../../build/root-order.mjs";
import { parse } from "acorn";
import { espruinoSkipReason, makeFixture, REPO, removeTempDirs, runInEspruino, runInVm, titled } from "./helpers";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

afterAll(removeTempDirs);

const parseBundle = (code: string) => parse(code, { ecmaVersion: 2022, sourceType: "script" });

const NO_ESPRUINO = espruinoSkipReason("espruino");

describe("sourceKeys", () => {
  it("names each minified top-level name by its source file and name", async () => {
    const r = await esbuild.build({
      stdin: { contents: "const HEX_DIGITS='0123';export function hexOf(b:number){return HEX_DIGITS[b]}\nlet counter=0;export function bump(){counter++;return hexOf(counter)}", loader: "ts", sourcefile: "src/x.ts" },
      bundle: true, format: "iife", minify: true, write: false, sourcemap: "external", sourcesContent: false, outfile: "out.js",
    });
    const js = r.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
    const map = r.outputFiles.find((f) => f.path.endsWith(".map"))!.text;
    const keys = sourceKeys(js, map);
    expect([...keys.values()].sort()).toEqual(["src/x.ts:HEX_DIGITS", "src/x.ts:bump", "src/x.ts:counter", "src/x.ts:hexOf"]);
    for (const [name, key] of keys) expect(name.length).toBeLessThan(key.length - 8); // minified
  });

  it("decodes VLQ segments, negative deltas and names", () => {
    // "AAAA": column 0 of source 0, line 0, column 0; "SAAEA": column +9, name +0; ";" next line;
    // "CACD": column 1, source 0, line +1, column -1.
    expect(decodeMappings("AAAA,SAAEA;CACD")).toEqual([[[0, 0, 0, 0], [9, 0, 0, 2, 0]], [[1, 0, 1, 1]]]);
  });
});

describe("orderRoot", () => {
  // An unwrapped bundle as build.mjs has it before compact(): placement, aliases, functions, the rest.
  const code = [
    "Object,typeof ArrayBufferView,Array,Function;",
    "var $a_=Uint8Array,$b_=Math;",
    "function cold(){return $b_.max(1,2)}function hot(x){return T[x]+K}function warm(){return hot(1)}",
    'var T="abc",K=1,C=cold(),M;for(var i=0;i<2;i++)M=warm();out=[C,M,hot(2),new $a_(2).length].join();',
  ].join("\n");
  const weights = { "f:hot": 100, "f:T": 90, "f:K": 2, "f:warm": 10, [globalKey("Uint8Array")]: 50, [globalKey("Math")]: 1 };
  const keyOf = (n: string) => "f:" + n;

  it("declares the hot variables early, with the aliases by weight, then the functions by weight", () => {
    const r = orderRoot(code, keyOf, weights);
    const lines = r.code.split("\n");
    expect(lines[0]).toBe("Object,typeof ArrayBufferView,Array,Function;");
    // K is read less than HOT times per tap: it stays where it is declared.
    expect(HOT).toBeGreaterThan(2);
    expect(lines[1]).toBe("var T,$a_=Uint8Array,$b_=Math;");
    expect(lines[2]).toBe("function hot(x){return T[x]+K}function warm(){return hot(1)}function cold(){return $b_.max(1,2)}");
    expect(r).toMatchObject({ declared: 1, functions: 2 });
  });

  it("means the same in V8, and the bundle check and the hoist rule accept it", () => {
    const r = orderRoot(code, keyOf, weights);
    const run = (c: string) => {
      const ctx = vm.createContext({ out: "" });
      vm.runInContext(c, ctx);
      return ctx.out as string;
    };
    expect(run(r.code)).toBe("2,b1,c1,2");
    expect(run(r.code)).toBe(run(code));
    expect(misplacedFunctions(parseBundle(r.code))).toEqual([]);
    expect(checkBundle(r.code, { file: "x.js", requireWrapper: false })).toEqual([]);
  });

  it("leaves a bundle without weights as it was, but for the layout", () => {
    const r = orderRoot(code, keyOf, {});
    expect(r.code).toBe(code);
    expect(r).toMatchObject({ declared: 0, functions: 0 });
  });

  it.skipIf(NO_ESPRUINO)(titled("in Espruino it runs the same and the hot names come first in the root scope", NO_ESPRUINO), () => {
    const r = orderRoot(code, keyOf, weights);
    const show = ';print(out);var k=Object.keys(global);print(["T","hot","warm","cold","C"].map(function(n){return k.indexOf(n);}).join());';
    const [out, order] = runInEspruino(r.code + show).split("\n").slice(-2);
    expect(out).toBe("2,b1,c1,2");
    const pos = order.split(",").map(Number);
    expect(pos.every((p) => p >= 0)).toBe(true);
    expect(pos).toEqual([...pos].sort((a, b) => a - b));
  });
});

describe("buildBoard with build/root-order.json", () => {
  const files = {
    "src/app/hex.ts": 'export const DIGITS = "0123456789ABCDEF";\nexport function hexOf(b: number): string { return DIGITS[b >> 4] + DIGITS[b & 15]; }\n',
    "src/app/cold.ts": "export const LIMITS = [1, 2, 3];\nexport function setup(): number { return LIMITS.length; }\nexport function teardown(): number { return 0; }\n",
    "board/t/main.ts": 'import { hexOf } from "../../src/app/hex";\nimport { setup, teardown } from "../../src/app/cold";\nlet s = "";\nfor (let i = 0; i < 3; i++) s += hexOf(i * 77);\nprint(s, setup(), teardown());\n',
    "build/root-order.json": JSON.stringify({ weights: { "src/app/hex.ts:DIGITS": 50, "src/app/hex.ts:hexOf": 40 } }),
  };

  it("finds the names through the source map and orders them; without the list the order is esbuild's", async () => {
    const root = makeFixture(files);
    const on = await buildBoard({ entry: "board/t/main.ts", root, write: false });
    const off = await buildBoard({ entry: "board/t/main.ts", root, write: false, rootOrder: false });
    expect(on.problems).toEqual([]);
    expect(off.problems).toEqual([]);
    const name = (r: typeof on, key: string) => [...r.rootKeys].find((e) => e[1] === key)![0];
    const digits = name(on, "src/app/hex.ts:DIGITS");
    const hexOf = name(on, "src/app/hex.ts:hexOf");
    const body = parseBundle(on.code).body as { type: string; id?: { name: string }; declarations?: { id: { name: string } }[] }[];
    expect(body[1].declarations!.map((d) => d.id.name)).toContain(digits);
    expect(body.find((s) => s.type === "FunctionDeclaration")!.id!.name).toBe(hexOf);
    expect(on.rootOrdered).toEqual({ functions: 1, declared: 1 });
    expect(off.rootOrdered).toBeUndefined();
    expect(runInVm(on.code)).toEqual(runInVm(off.code));
    expect(runInVm(on.code)).toEqual(["004D9A 3 0"]);
  });
});

describe("build/root-order.json", () => {
  it("still names the bench's code: the keys carrying 90 % of its weight are top-level names of the bench bundle", async () => {
    const b = await buildBoard({ entry: "board/bench/main.ts", root: REPO, write: false });
    expect(b.problems).toEqual([]);
    const known = new Set(b.rootKeys.values());
    const weights = JSON.parse(readFileSync(join(REPO, "build", "root-order.json"), "utf8")).weights as Record<string, number>;
    let total = 0;
    let found = 0;
    const missing: string[] = [];
    for (const [k, w] of Object.entries(weights)) {
      total += w;
      if (k.startsWith("global:") || known.has(k)) found += w;
      else missing.push(k);
    }
    // Regenerate with `node host/run.mjs build/root-order-profile.mjs --write` when this fails.
    expect({ share: found / total >= 0.9, missing }).toMatchObject({ share: true });
    expect(b.rootOrdered!.declared).toBeGreaterThan(10);
  });
});
