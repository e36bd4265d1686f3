// build/boot-only.mjs: top-level functions that only the boot calls, deleted once the bundle's
// top level has run. Which are freed and which kept, the same results in V8, and in Espruino
// the names gone while what they made still runs.
import { afterAll, describe, expect, it } from "vitest";
import { freeBootOnly } from "../../build/boot-only.mjs";
import { espruinoSkipReason, removeTempDirs, runInEspruinoFromFlash, titled } from "./helpers";

afterAll(removeTempDirs);

const NO_ESP32 = espruinoSkipReason("espruino-esp32");

describe("freeBootOnly", () => {
  const src = [
    "function maker(n){return function(){return n+helper2()}}", // its closure calls helper2 later: helper2 kept
    "function helper2(){return 2}",
    "function start(){var f=maker(1);return {f:f,g:inner()}}", // called from top level only
    "function inner(){return deep()}", // only from start's body
    "function deep(){return 4}",
    "function later(){return 5}", // called inside a callback: kept
    "function asValue(){return 6}", // passed as a value: kept
    "function fromMethod(){return 7}", // called from a class method: kept
    "function Made(){this.v=8}", // used with new: kept
    "class K{m(){return fromMethod()}}",
    "var t=start();var cb=function(){return later()};var v=asValue;var o=new Made();",
    "out=[t.f(),t.g,cb(),v(),new K().m(),o.v].join();",
  ].join("\n");

  it("frees what runs only from top-level code or from the direct body of a freed function", () => {
    const r = freeBootOnly(src);
    expect(r.names).toEqual(["deep", "inner", "maker", "start"]);
    expect(r.code.startsWith(src)).toBe(true);
    expect(r.code.slice(src.length)).toBe("\ndelete deep;delete inner;delete maker;delete start;\n");
  });

  it("means the same in V8 (the top level's results), the names gone after it", () => {
    const run = (code: string): string => new Function("var out;" + code + ";return out+'|'+typeof start+typeof maker+typeof helper2;")() as string;
    expect(run(src)).toBe("3,4,5,6,7,8|functionfunctionfunction");
    // new Function's declarations are locals, where delete does nothing: only the results compare.
    expect(run(freeBootOnly(src).code).split("|")[0]).toBe("3,4,5,6,7,8");
  });

  it("leaves a bundle without such functions as it was", () => {
    const code = "function f(){return 1}setTimeout(function(){f()},0);";
    expect(freeBootOnly(code)).toEqual({ code, names: [] });
  });

  it.skipIf(NO_ESP32)(titled("in Espruino run from flash: the freed names are gone (delete removes a root function), their closures still run", NO_ESP32), () => {
    const code = freeBootOnly(src.replace("out=", "var out=")).code;
    const out = runInEspruinoFromFlash(
      code + 'setTimeout(function(){print(out+"|"+typeof start+typeof maker+typeof inner+typeof deep+"|"+typeof helper2+"|"+t.f());},1);\n',
    );
    expect(out).toContain("3,4,5,6,7,8|undefinedundefinedundefinedundefined|function|3");
  });
});
