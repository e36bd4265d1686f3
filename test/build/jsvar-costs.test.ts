// What a function costs in JsVars once its code is loaded from Storage (docs/architecture.md
// "Where the bytes and the JsVars go"): measured in espruino-esp32 (the ESP32 layout, 14-byte
// blocks) with process.memory(true) before and after load()ing 200 functions. The figures the
// docs give (about 4 per function with a short name, 1 per parameter, 1 more for a name of 5+
// characters) are what the pipeline can and cannot change: short names are the build's
// (build/mangle-props.mjs, build/unwrap.mjs), parameters and the number of functions are the
// source's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { espruinoBinary, espruinoSkipReason, silentStdin } from "../../host/espruino-dir";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const N = 200;

/** JsVars held after load()ing `code` from Storage, less the same with no code. */
function loadCost(code: string): number {
  const dir = mkdtempSync(join(tmpdir(), "tappos-jsvars-"));
  dirs.push(dir);
  const run = (body: string): number => {
    const script = `var S=require("Storage");S.write("a.js",${JSON.stringify(body + "\nprint('U '+process.memory(true).usage);")});\n` +
      "setTimeout(function(){print('B '+process.memory(true).usage);load(\"a.js\");},1);\n";
    writeFileSync(join(dir, "c.js"), script);
    rmSync(join(dir, "espruino.flash"), { force: true });
    const stdin = silentStdin();
    const r = spawnSync(espruinoBinary("espruino-esp32")!, ["c.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: 60000, killSignal: "SIGKILL", encoding: "utf8" });
    stdin.close();
    const m = /B (\d+)[\s\S]*U (\d+)/.exec(r.stdout ?? "");
    if (!m) throw new Error(`no figures:\n${(r.stdout ?? "").slice(-2000)}`);
    return Number(m[2]) - Number(m[1]);
  };
  return run(code) - run("");
}

const fns = (f: (i: number) => string): string => Array.from({ length: N }, (_, i) => f(i)).join("\n");

describe.skipIf(espruinoSkipReason("espruino-esp32") !== null)("JsVars of functions loaded from Storage (espruino-esp32)", () => {
  it("about 4 a function, 1 a parameter, 1 more for a name of 5+ characters; a method as a function", () => {
    const p0 = loadCost(fns((i) => `function f${i}(){return ${i}}`)) / N;
    const p2 = loadCost(fns((i) => `function f${i}(a,b){return a+b+${i}}`)) / N;
    const p4 = loadCost(fns((i) => `function f${i}(a,b,c,d){return a+b+c+d+${i}}`)) / N;
    const long = loadCost(fns((i) => `function fffff${i}(){return ${i}}`)) / N;
    const methods = loadCost(`class C{${fns((i) => `m${i}(a,b){return a+b+${i}}`)}}`) / N;
    console.log(`JsVars per function: 0 params ${p0}, 2 params ${p2}, 4 params ${p4}, 6+ char name ${long}, class method with 2 params ${methods}`);
    expect(p0).toBeGreaterThan(3.5);
    expect(p0).toBeLessThan(4.5);
    expect(p2 - p0).toBeCloseTo(2, 0);
    expect(p4 - p0).toBeCloseTo(4, 0);
    expect(long - p0).toBeCloseTo(1, 0);
    expect(methods).toBeCloseTo(p2, 0);
  }, 120000);
});
