// A part run at the root scope (build/root-part.mjs): its top-level names become short globals
// of its own (`_` and a letter or two, none of the board bundle's), its `tpPart` call the
// loader's hook with an unloader that deletes every one of them; the loaders of
// src/hal/espruino/parts.ts run it from Storage or from the firmware's flash at the root, or
// as a module when its text is not where the saved code says, in espruino-esp32.
import { describe, expect, it } from "vitest";
import { buildBoard, checkBundle, formatProblem } from "../../build.mjs";
import { rootPart, topLevelNames } from "../../build/root-part.mjs";
import { espruinoBinary, espruinoSkipReason } from "../../host/espruino-dir";
import { runFromFlash } from "../../host/flash-run";
import { runInEspruino, titled } from "./helpers";

const PART = 'function f(n){return n*t+g(n)}function g(n){return n}var t=3,_a=1;class K{m(){return f(1)}}tpPart("x",{hello:function(n){return f(n)+new K().m()}});';

describe("rootPart", () => {
  it("renames the top level to _a, _b… (none taken, none the part uses), the marker call the hook with an unloader", () => {
    const r = rootPart(PART, "x", new Set(["_b"]));
    expect(r.problem).toBeNull();
    // f, g, t, _a, K: _a is used inside the part and _b by the board: skipped.
    expect(r.names).toEqual(["_c", "_d", "_e", "_f", "_g"]);
    expect(r.code).toContain("function _c(n){return n*_e+_d(n)}function _d(n){return n}var _e=3,_f=1;class _g{m(){return _c(1)}}");
    expect(r.code).toContain('tpReady("x",{hello:function(n){return _c(n)+new _g().m()}},function(){for(var s="c d e f g ",i=0;i<s.length;i+=2)delete global["_"+s.substr(i,2).trim()]});');
    // What the final-bundle check asks of a bundle's top level: no name an Espruino global could have.
    expect(checkBundle(r.code, { part: true }).map((p) => p.message)).toEqual([]);
  });

  it.skipIf(espruinoSkipReason("espruino") !== null)(titled("runs at the root in Espruino: the hook gets the value, the unloader deletes each global it made", espruinoSkipReason("espruino")), () => {
    const r = rootPart(PART, "x", new Set());
    const out = runInEspruino(
      "var got;function tpReady(n,v,u){got=[n,v,u];}\n" + r.code +
        '\nprint(got[0]+" "+got[1].hello(2)+" "+typeof _c+typeof _e);got[2]();print(typeof _c+" "+typeof _e+" "+typeof _g);',
    );
    expect(out.split("\n").filter((l) => l.length > 0)).toEqual(["x 12 functionnumber", "undefined undefined undefined"]);
  });

  it.each([
    ["no marker", "var a=1;", /found 0 statement\(s\)/],
    ["another part's name", 'tpPart("y",1);', /the part's file name "x"/],
    ["a top-level let", 'let a=1;tpPart("x",a);', /var, function or class only \(found let\)/],
  ])("refuses %s", (_, code, why) => {
    expect(rootPart(code, "x", new Set()).problem).toMatch(why);
  });

  it("topLevelNames: a bundle's root bindings only", () => {
    expect([...topLevelNames("var a=1;function b(c){var d}class E{}")].sort()).toEqual(["E", "a", "b"]);
  });
});

const NO_ESP32 = espruinoSkipReason("espruino-esp32");

describe("the loaders in the interpreter (src/hal/espruino/parts.ts)", () => {
  it.skipIf(NO_ESP32)(titled("from Storage and from flash at the root; moved: as a module; missing: BOARD_PART_MISSING; a top level that throws: failed", NO_ESP32), async () => {
    const probe = await buildBoard({ entry: "test/board-entries/root-part-probe.ts", name: "root-part-probe", write: false, budget: 1 << 20, checkSource: false, parts: false, mangleProps: false });
    expect(probe.problems.map(formatProblem)).toEqual([]);
    const part = rootPart(PART, "x", topLevelNames(probe.code));
    const out = runFromFlash(espruinoBinary("espruino-esp32")!, probe.code, { "tpp.x": part.code, "tpp.bad": 'var _a=1;throw new Error("broken part");' });
    const line = (label: string): string => out.split("\n").map((l) => l.replace(/^>?(\x1b\[J)?/, "")).find((l) => l.startsWith(label + " ")) ?? "";
    // hello(2): f(2) + K.m() = 8 + 4. At the root: its globals there while loaded (and its
    // unloader, global "tpp.x"), none after.
    const names = part.names.join(",");
    expect(line("STORAGE")).toBe(`STORAGE 12 [${names} hook] after []`);
    expect(line("FLASH")).toBe(`FLASH 12 [${names} hook] after []`);
    // As a module: no globals, the same value.
    expect(line("MOVED")).toBe("MOVED 12 [ hook] after []");
    expect(line("MISSING")).toBe("MISSING BOARD_PART_MISSING: tpp.nope is neither built into the firmware nor in Storage: npm run firmware builds it in, npm run flash writes it");
    // Its top level threw (the interpreter prints it): failed, the hook gone, nothing handed over.
    expect(out).toContain("broken part");
    expect(line("BROKEN")).toBe("BROKEN failed, hook undefined");
    expect(out).toContain("PROBE DONE");
  }, 60000);
});
