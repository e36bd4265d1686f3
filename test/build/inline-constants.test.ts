// build/inline-constants.mjs: module-level numeric constants written where they are read, when
// that shortens the bundle. What is inlined, what is left alone, and the same results in V8
// and in Espruino.
import { afterAll, describe, expect, it } from "vitest";
import { inlineConstants } from "../../build/inline-constants.mjs";
import { checkBundle } from "../../build/check-bundle.mjs";
import { espruinoSkipReason, removeTempDirs, runForOut, runInEspruino, titled } from "./helpers";

afterAll(removeTempDirs);

const NO_ESPRUINO = espruinoSkipReason("espruino");

const run = runForOut;

describe("inlineConstants", () => {
  const src = [
    "function f(t){return t>MAX?MAX:t+RATE}",
    "function g(){return SEEN++}",
    "function h(){return [N.toString(16),{K}.K,LONG+LONG+LONG+LONG,N]}",
    "var MAX=255,RATE=.5,SEEN=0,N=26,K=3,LONG=9007199254740991,S=\"s\";",
    "var ONLY=7;",
    "out=[f(300),f(1),g(),g(),h().join(),ONLY,S].join(';');",
  ].join("\n");

  it("inlines numbers nothing assigns, read neither as x.y nor as {x}, when the bundle gets shorter", () => {
    const r = inlineConstants(src);
    expect(r.code).toContain("function f(t){return t>255?255:t+.5}");
    expect(r.code).toContain("function g(){return SEEN++}"); // assigned
    expect(r.code).toContain("[N.toString(16),{K}.K,LONG+LONG+LONG+LONG,N]"); // x.y, {x}, long and read often
    expect(r.code).toContain('var SEEN=0,N=26,K=3,LONG=9007199254740991,S="s";');
    expect(r.code).not.toContain("ONLY");
    expect(r).toMatchObject({ count: 3 });
    expect(r.bytes).toBe(src.length - r.code.length);
    expect(r.bytes).toBeGreaterThan(0);
  });

  it("means the same in V8, and the bundle check accepts it", () => {
    expect(run(src)).toMatch(/^255;1\.5;0;1;1a,3,\d+,26;7;s$/);
    expect(run(inlineConstants(src).code)).toBe(run(src));
    expect(checkBundle(inlineConstants(src).code, { file: "x.js", requireWrapper: false })).toEqual([]);
  });

  it("leaves a name declared twice alone", () => {
    const code = "var X;function f(){return X}var X=5;out=f();";
    expect(inlineConstants(code).code).toBe(code);
  });

  it.skipIf(NO_ESPRUINO)(titled("runs the same in Espruino", NO_ESPRUINO), () => {
    const code = inlineConstants(src).code.replace(",LONG+LONG+LONG+LONG", "");
    expect(runInEspruino(code + "\nprint(out);")).toBe("255;1.5;0;1;1a,3,26;7;s");
  });
});
