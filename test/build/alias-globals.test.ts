// build/alias-globals.mjs: built-ins read through aliases made first in the bundle (the 2v29
// interpreter walks every top-level name before it finds a built-in). What is rewritten, what
// is left alone, and that the rewritten code means the same.
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { aliasGlobals, PLACEMENT, placePrototypes } from "../../build/alias-globals.mjs";
import { checkBundle } from "../../build/check-bundle.mjs";
import { misplacedFunctions } from "../../build/hoist.mjs";
import { parse } from "acorn";
import { espruinoSkipReason, removeTempDirs, runInEspruino, titled } from "./helpers";

afterAll(removeTempDirs);

const parseBundle = (code: string) => parse(code, { ecmaVersion: 2022, sourceType: "script" });


function run(code: string): unknown {
  const ctx = vm.createContext({ E: { sum: (a: number[]) => a.reduce((x, y) => x + y, 0) }, out: null as unknown });
  vm.runInContext(code, ctx);
  return ctx.out;
}

describe("aliasGlobals", () => {
  const src = [
    "function f(n){return new Uint8Array(n).length+Math.floor(1.5)}",
    "function g(Uint8Array){return Uint8Array+1}", // a parameter of that name: not the built-in
    "function h(o){return o.Math+E.sum([1,2])+({E}).E.sum([3])}", // a property name, a shorthand
    "var once=JSON.stringify(1);", // referenced once: left as it is
    "out=[f(3),g(1),h({Math:10}),Math.max(1,2),new Uint8Array(2).length,E.sum([4]),once].join();",
  ].join("\n");

  it("puts one var of aliases first, most referenced first, and rewrites only references to the built-in", () => {
    const r = aliasGlobals(src);
    // E 3 references, Uint8Array and Math 2 each (o.Math is a property name).
    expect(r.names).toEqual(["E", "Uint8Array", "Math"]);
    const head = r.code.split("\n")[0];
    expect(head).toBe("var $a_=E,$b_=Uint8Array,$c_=Math;");
    expect(r.code).toContain("function g(Uint8Array){return Uint8Array+1}");
    expect(r.code).toContain("o.Math+$a_.sum([1,2])+({E:$a_}).E.sum([3])");
    expect(r.code).toContain("JSON.stringify(1)");
    expect(r.count).toBe(7);
  });

  it("means the same in V8", () => {
    expect(run(aliasGlobals(src).code)).toBe(run(src));
    expect(run(src)).toBe("4,2,16,2,2,4,1");
  });

  it("never aliases require, and leaves code without repeated built-ins alone", () => {
    const code = 'var s=require("Storage"),t=require("Wifi");function f(){return Promise.resolve(1)}';
    expect(aliasGlobals(code)).toEqual({ code, count: 0, names: [] });
  });

  it("picks alias names the bundle does not use", () => {
    const r = aliasGlobals("var $a_=1,$b_=2;function f(){return [Math.max($a_,$b_),Math.min(1,2)]}");
    expect(r.code.split("\n")[0]).toBe("var $c_=Math;");
  });

  it("the aliases may precede the hoisted functions: the bundle check accepts them", () => {
    const code = aliasGlobals("function f(){return Math.max(1,2)+Math.min(3,4)}f();").code;
    expect(misplacedFunctions(parseBundle(code))).toEqual([]);
    expect(checkBundle(code, { file: "x.js" })).toEqual([]);
    // Anything else before a function still is refused.
    expect(misplacedFunctions(parseBundle("var a=f();function f(){return 1}"))).toHaveLength(1);
  });
});

describe("placePrototypes", () => {
  const skip = espruinoSkipReason("espruino");
  // The root scope's names in the order they were made (Object.keys(global) lists them first,
  // then the built-ins it enumerates, such as the pins D0…).
  const order = 'var k=Object.keys(global);print(["Object","ArrayBufferView","Array","Function","later"].map(function(n){return k.indexOf(n);}).join());';

  it("reads the prototype names first; V8 runs it (no ArrayBufferView there) and the bundle check accepts it", () => {
    const code = placePrototypes(aliasGlobals("function f(){return Math.max(1,2)+Math.min(3,4)}out=f();").code).code;
    expect(code.startsWith(PLACEMENT + "\nvar $a_=Math;")).toBe(true);
    expect(misplacedFunctions(parseBundle(code))).toEqual([]);
    expect(checkBundle(code, { file: "x.js" })).toEqual([]);
    expect(run(code)).toBe(5);
  });

  it.skipIf(skip)(titled("in Espruino the names enter the root scope in that order, before the bundle's own", skip), () => {
    const pos = runInEspruino(placePrototypes("var later=new Uint8Array(2).subarray(1);[1].concat([2]);(function(){}).bind(0);" + order).code).split(",").map(Number);
    expect(pos.every((p) => p >= 0)).toBe(true);
    expect(pos).toEqual([...pos].sort((a, b) => a - b));
    // Without it, a typed array's method adds ArrayBufferView (and Array, Function) after `later`.
    const [, abv, arr, fn, later] = runInEspruino("var later=new Uint8Array(2).subarray(1);[1].concat([2]);(function(){}).bind(0);" + order).split(",").map(Number);
    expect(Math.min(abv, arr, fn)).toBeGreaterThan(later);
  });
});
