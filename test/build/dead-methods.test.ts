// build/dead-methods.mjs: class methods that no code of a board (its bundle and its parts)
// names, dropped; what is kept and why, and the code still runs the same in V8.
import { describe, expect, it } from "vitest";
import { dropUnusedMethods } from "../../build/dead-methods.mjs";

describe("dropUnusedMethods", () => {
  const board = [
    "class A{constructor(){this.v=1}aa(){return 1}bb(){return 2}cc(){return 3}dd(){return 4}static ee(){return 5}get ff(){return 6}gg(){return 7}hh(){return 8}keep(){return 9}}",
    "class B extends A{ii(){return super.cc()}}",
    'var o={jj:function(){return 0}};out=[new B().aa(),new B().ii(),new A()["dd"](),A.ee(),new A().ff,o.jj(),new A().keep()].join();',
  ].join("\n");
  const part = "module.exports=function(a){return a.gg()};";
  const internal = new Set(["aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh", "ii", "jj", "v"]);

  it("drops a method named nowhere else, in the bundle or a part; keeps the named, static, getters and external names", () => {
    const r = dropUnusedMethods([board, part], internal);
    expect(r.names.sort()).toEqual(["bb", "hh"]);
    expect(r.codes[0]).not.toContain("bb(){");
    expect(r.codes[0]).not.toContain("hh(){");
    for (const kept of ["aa(){", "cc(){", "dd(){", "static ee(){", "get ff(){", "gg(){", "keep(){", "ii(){"]) expect(r.codes[0]).toContain(kept);
    expect(r.codes[1]).toBe(part);
  });

  it("the code runs as before", () => {
    const run = (code: string): string => new Function("var out;" + code + ";return out;")() as string;
    const r = dropUnusedMethods([board], internal);
    expect(run(r.codes[0])).toBe(run(board));
    expect(run(board)).toBe("1,3,4,5,6,0,9");
  });

  it("a name written as a string or a property key anywhere keeps the method", () => {
    const r = dropUnusedMethods(['class C{pp(){}qq(){}rr(){}}var k="pp",o={qq:1};', "var x={rr(){}};"], new Set(["pp", "qq", "rr"]));
    expect(r.names).toEqual([]);
  });
});
