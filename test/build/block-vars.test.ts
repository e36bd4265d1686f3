// build/block-vars.mjs: `let`/`const` in a function's nested blocks written `var` where nothing
// can tell (2v29 makes a scope object each time such a block runs). What is converted, what is
// left alone, and the same results in V8 and in Espruino.
import { afterAll, describe, expect, it } from "vitest";
import { blockVars } from "../../build/block-vars.mjs";
import { checkBundle } from "../../build/check-bundle.mjs";
import { espruinoSkipReason, removeTempDirs, runForOut, runInEspruino, titled } from "./helpers";

afterAll(removeTempDirs);

const NO_ESPRUINO = espruinoSkipReason("espruino");

const run = runForOut;

const cases: [string, string, string][] = [
  // [what, source, converted (or the same)]
  ["a loop body's let", "function a(t){let n=0;for(let i=0;i<t.length;i++){let e=t[i]*2;n+=e}return n}",
    "function a(t){let n=0;for(var i=0;i<t.length;i++){var e=t[i]*2;n+=e}return n}"],
  ["a bare let is reset each turn", "function b(t){let n=[];for(let i=0;i<t.length;i++){let e;if(t[i])e=i;n.push(e)}return n.join()}",
    "function b(t){let n=[];for(var i=0;i<t.length;i++){var e=void 0;if(t[i])e=i;n.push(e)}return n.join()}"],
  ["a closure over it keeps its binding", "function c(t){let n=[];for(let i=0;i<t.length;i++){let e=t[i];n.push(()=>e)}return n.map(f=>f()).join()}",
    "function c(t){let n=[];for(var i=0;i<t.length;i++){let e=t[i];n.push(()=>e)}return n.map(f=>f()).join()}"],
  ["sibling blocks share one var; nested ones do not", "function d(t){let n=0;for(let i=0;i<2;i++)n+=i;for(let i=0;i<3;i++){n+=i}if(t){let r=1;{let r=2;n+=r}n+=r}return n}",
    "function d(t){let n=0;for(var i=0;i<2;i++)n+=i;for(var i=0;i<3;i++){n+=i}if(t){let r=1;{let r=2;n+=r}n+=r}return n}"],
  ["a name the function (a closure in it) reads from outside stays a let", "function e(t){if(t){let g=2;t+=g}return t+(()=>typeof g)()}",
    "function e(t){if(t){let g=2;t+=g}return t+(()=>typeof g)()}"],
  ["a catch parameter beside it is fine, one around it is not", "function k(t){try{if(t){let e=t+1;t=e}}catch(e){t=-1}try{throw 1}catch(r){if(t){let r=5;t+=r}t+=r}return t}",
    "function k(t){try{if(t){var e=t+1;t=e}}catch(e){t=-1}try{throw 1}catch(r){if(t){let r=5;t+=r}t+=r}return t}"],
  ["for-of keeps a bare declarator bare", "function m(t){let n=0;for(const x of t){n+=x}return n}",
    "function m(t){let n=0;for(var x of t){n+=x}return n}"],
  ["the top of a function and the top level stay as they are", "function p(t){let n=t+z;return n}let z=1;for(let q=0;q<1;q++)z+=q;",
    "function p(t){let n=t+z;return n}let z=1;for(let q=0;q<1;q++)z+=q;"],
];

describe("blockVars", () => {
  for (const [what, src, want] of cases) {
    it(what, () => {
      expect(blockVars(src).code).toBe(want);
    });
  }

  const all = cases.map((c) => c[1]).join("\n") +
    "\nout=[a([1,2]),b([0,1,0]),c([4,5]),d(1),e(1),k(1),m([1,2]),p(1)].join(';');";

  it("means the same in V8, and the bundle check accepts it", () => {
    expect(run(all)).toBe("6;,1,;4,5;7;3undefined;8;3;2");
    expect(run(blockVars(all).code)).toBe(run(all));
    expect(checkBundle(blockVars(all).code, { file: "x.js", requireWrapper: false })).toEqual([]);
  });

  it.skipIf(NO_ESPRUINO)(titled("runs the same in Espruino", NO_ESPRUINO), () => {
    expect(runInEspruino(blockVars(all).code + "\nprint(out);")).toBe("6;,1,;4,5;7;3undefined;8;3;2");
  });
});
