// build/arrow-params.mjs: an arrow's parameters take the name of a variable already in scope
// (so the 2v29 parser's lookup of each parameter stops early) without changing what any name
// in the arrow means: what is renamed, what is left alone, and the same results in V8 and in
// Espruino.
import { afterAll, describe, expect, it } from "vitest";
import { nameArrowParams } from "../../build/arrow-params.mjs";
import { checkBundle } from "../../build/check-bundle.mjs";
import { espruinoSkipReason, removeTempDirs, runForOut, runInEspruino, titled } from "./helpers";

afterAll(removeTempDirs);

const NO_ESPRUINO = espruinoSkipReason("espruino");

const run = runForOut;

describe("nameArrowParams", () => {
  const src = [
    // o: unknown to every scope → t (a parameter of f the arrow never mentions).
    "function f(t,n){return [1,2].map(o=>o*n)}",
    // The arrow reads t and n: its parameter takes the next name in scope (r, declared before it).
    "function g(t,n){let r=3;return [1,2].map(o=>o+t+n)}",
    // Every name of h is read inside: the first top-level name made at load (f) is free.
    "function h(t){return [1].map(o=>o+t)}",
    // A shorthand property would change its key: left alone.
    "function k(t){return [1].map(o=>({o}))[0].o}",
    // Already a name in scope: the lookup finds it; left alone.
    "function m(t,o){return [o].map(o=>o+1)}",
    // Two parameters: two names.
    "function p(t,n,e){return [[1,2]].map((o,i)=>o[0]+o[1]+i)}",
    "out=[f(1,2),g(1,2),h(5),k(1),m(0,1),p()].join(';');",
  ].join("\n");

  it("renames only unknown parameters, to names in scope the arrow never reads", () => {
    const r = nameArrowParams(src);
    expect(r.code).toContain("function f(t,n){return [1,2].map(t=>t*n)}");
    expect(r.code).toContain("function g(t,n){let r=3;return [1,2].map(r=>r+t+n)}");
    expect(r.code).toContain("function h(t){return [1].map(f=>f+t)}");
    expect(r.code).toContain("function k(t){return [1].map(o=>({o}))[0].o}");
    expect(r.code).toContain("function m(t,o){return [o].map(o=>o+1)}");
    expect(r.code).toContain("function p(t,n,e){return [[1,2]].map((t,n)=>t[0]+t[1]+n)}");
    expect(r.count).toBe(5);
    expect(r.code.length).toBe(src.length);
  });

  it("means the same in V8, and the bundle check accepts it", () => {
    expect(run(src)).toBe("2,4;4,5;6;1;2;3");
    expect(run(nameArrowParams(src).code)).toBe(run(src));
    expect(checkBundle(nameArrowParams(src).code, { file: "x.js", requireWrapper: false })).toEqual([]);
  });

  it("leaves arrows made at load, and arrows inside a renamed arrow, alone", () => {
    const code = "function f(t){return [1].map(o=>[2].map(s=>s+o+t))}var a=[1].map(o=>o+1);";
    const r = nameArrowParams(code);
    expect(r.code).toBe("function f(t){return [1].map(f=>[2].map(s=>s+f+t))}var a=[1].map(o=>o+1);");
    expect(run(r.code + "out=f(1).join()+a")).toBe(run(code + "out=f(1).join()+a"));
  });

  it.skipIf(NO_ESPRUINO)(titled("runs the same in Espruino", NO_ESPRUINO), () => {
    const r = nameArrowParams(src);
    expect(runInEspruino(r.code + "\nprint(out);")).toBe("2,4;4,5;6;1;2;3");
  });
});
