// build/cold-params.mjs: the parameters of top-level functions no tap calls become locals read
// from `arguments` (one JsVar less per parameter while the function exists), never on the tap's
// path or in the ESP8266 driver, never where it would change what the function does; the
// converted code answers as before, in Node and in the Espruino interpreter.
import { describe, expect, it } from "vitest";
import { buildBoard, formatProblem } from "../../build.mjs";
import { COLD_CALLS, coldParams, COLD_PARAM_BOARDS, PROFILED } from "../../build/cold-params.mjs";
import { profileCalls } from "../../build/cold-profile.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";
import { runInEspruino, runInVm, titled } from "./helpers";

const KEYS: Record<string, string> = {
  two: "src/app/persistence.ts:two",
  one: "src/auth/time.ts:one",
  hot: "src/app/terminal-machine.ts:hot",
  tap: "src/emv/kernel.ts:tap",
  modem: "src/hal/espruino/esp8266-at.ts:modem",
  shadow: "src/app/console-till.ts:shadow",
  nested: "src/app/console-till.ts:nested",
  Klass: "src/app/ui/indicators.ts:Klass",
  wrap: "src/app/persistence.ts:wrap",
};
const WEIGHTS = { "src/app/terminal-machine.ts:hot": 4 };
const CODE =
  "function two(a,b){function inner(){return a*b}return inner()+a}" +
  "function one(x){return x+1}" +
  "function hot(a){return a}" +
  "function tap(a){return a}" +
  "function modem(a){return a}" +
  "function shadow(a){function a(){}return a}" +
  "function nested(a,b){var f=function(c){return c};return f(a)+(b===undefined?0:b)}" +
  "function anon(a){return a}" +
  "var Klass=class{constructor(a,b){this.s=a+b}m(x){return this.s*x}get g(){return this.s}set h(v){this.s=v}};" +
  "var wrap=()=>({f:function(p,q){return function(r){return p+q+r}}});";
const CALLS = 'var k=new Klass(2,3);k.h=k.g+1;print(two(3,4),one(1),hot(2),tap(3),modem(4),typeof shadow(1),nested(1,2),nested(1),anon(7),k.m(2),wrap().f(1,2)(3));';

describe("coldParams", () => {
  const r = coldParams(CODE, (n: string) => KEYS[n], WEIGHTS);

  it("converts the cold functions off the tap's path, after their leading function declarations", () => {
    expect(r.functions).toBe(6);
    expect(r.params).toBe(10);
    expect(r.code).toContain("function two(){function inner(){return a*b}var c=arguments,a=c[0],b=c[1];return inner()+a}");
    expect(r.code).toContain("function one(){var x=arguments[0];return x+1}");
    expect(r.code).toContain("function nested(){var d=arguments,a=d[0],b=d[1];var f=function(c){return c}");
  });

  it("converts methods and functions in objects or arrows, not getters or setters, and nothing inside a function it converted (2v29 gives that one's arguments to a nested function)", () => {
    expect(r.code).toContain("var Klass=class{constructor(){var c=arguments,a=c[0],b=c[1];this.s=a+b}m(){var x=arguments[0];return this.s*x}get g(){return this.s}set h(v){this.s=v}};");
    expect(r.code).toContain("var wrap=()=>({f:function(){var a=arguments,p=a[0],q=a[1];return function(r){return p+q+r}}});");
  });

  it("leaves a tap's functions, the hot, the ESP8266 driver's, one shadowing a parameter, and names without a key", () => {
    for (const f of ["function hot(a)", "function tap(a)", "function modem(a)", "function shadow(a)", "function anon(a)"]) expect(r.code).toContain(f);
  });

  it("leaves code that reads `arguments` anywhere whole (a callee's arguments.length can differ on Espruino)", () => {
    const code = CODE + "function count(){return arguments.length}";
    expect(coldParams(code, (n: string) => KEYS[n], WEIGHTS)).toEqual({ code, functions: 0, params: 0 });
  });

  it("answers as before (Node)", () => {
    expect(runInVm(r.code + CALLS)).toEqual(runInVm(CODE + CALLS));
  });

  it.skipIf(espruinoSkipReason("espruino") !== null)(titled("answers as before in Espruino", espruinoSkipReason("espruino")), () => {
    expect(runInEspruino(r.code + CALLS)).toBe(runInEspruino(CODE + CALLS));
  });

  it.skipIf(espruinoSkipReason("espruino-esp32") !== null)(titled("why nothing nested in a converted function is converted: in 2v29 a function nested in one that reads arguments gets that one's arguments", espruinoSkipReason("espruino-esp32")), () => {
    const code =
      "function outer(){var a=arguments,n=a[2];global.hook=function(){var b=arguments;n(typeof b[1]);};setTimeout('hook(\"x\",function(q){return q},1)',0);}" +
      'outer("card","text",function(t){print("inner got "+t);});';
    expect(runInEspruino(code, "espruino-esp32")).toContain("inner got string"); // its own arguments[1] is a function
  });

  it("is a terminal board's pass: esp32 and espruino-wifi get it (not their config check part), the selftest and the bench do not", async () => {
    expect(COLD_PARAM_BOARDS).toEqual(["esp32", "espruino-wifi"]);
    const [wifi, self] = await Promise.all([
      buildBoard({ entry: "board/espruino-wifi/main.ts", write: false }),
      buildBoard({ entry: "board/selftest/main.ts", write: false }),
    ]);
    expect(wifi.problems.map(formatProblem)).toEqual([]);
    expect(wifi.coldParams?.params).toBeGreaterThan(50);
    expect(self.coldParams).toBeUndefined();
    const conf = (wifi.parts ?? []).find((p) => p.name === "conf");
    expect(conf?.code).not.toContain("=arguments");
  }, 120000);
});

describe("coldParams on the tap's path, by build/cold-profile.json", () => {
  const keys: Record<string, string> = {
    badAfl: "src/emv/kernel.ts:badAfl",
    collect: "src/emv/kernel.ts:collect",
    frame: "src/pn532/frame.ts:frame",
    Cursor: "src/emv/tlv-cursor.ts:Cursor",
  };
  const code = "function badAfl(m,o){throw m+o}function collect(a,b){return a+b}function frame(a){return a}var Cursor=class{next(a){return a}};";
  // What build.mjs reads from the file: the keys a bench tap calls at most COLD_CALLS times.
  const untapped = new Set(["src/emv/kernel.ts:badAfl", "src/pn532/frame.ts:frame", "src/emv/tlv-cursor.ts:Cursor"]);

  it("converts a top-level function of src/emv the profile names, not one it does not, not a file outside PROFILED (PN532: the bench's path differs from a board's), not a class", () => {
    expect(PROFILED.map(String)).toEqual(["/^src\\/emv\\//"]);
    const r = coldParams(code, (n: string) => keys[n], {}, untapped);
    expect(r).toEqual({ code: code.replace("function badAfl(m,o){", "function badAfl(){var a=arguments,m=a[0],o=a[1];"), functions: 1, params: 2 });
    expect(coldParams(code, (n: string) => keys[n], {}, null).functions).toBe(0);
  });

  it("the file agrees with a fresh profile of the bench: the same src/emv functions called at most once a tap, none gone", async () => {
    const file = JSON.parse(readFileSync(join(PROJECT_ROOT, "build/cold-profile.json"), "utf8")) as { calls: Record<string, number> };
    const fresh = await profileCalls();
    const cold = (calls: Record<string, number>): string[] => Object.keys(calls).filter((k) => PROFILED.some((re) => re.test(k)) && calls[k] <= COLD_CALLS).sort();
    expect(cold(file.calls)).toEqual(cold(fresh));
    // Enough to matter: the error paths, Select Next, the card part's set-up (issue 9).
    expect(cold(fresh).length).toBeGreaterThan(60);
    expect(fresh["src/emv/kernel.ts:badAfl"]).toBe(0);
    // A function every record runs stays.
    expect(fresh["src/emv/kernel.ts:collect"]).toBeGreaterThan(COLD_CALLS);
  }, 180000);
});

