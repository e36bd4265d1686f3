// src/ and board/ type-check against types/espruino-core.d.ts (noLib), so what Espruino
// lacks is a type error before it is a build refusal. Compiled with src/tsconfig.json's own
// options on a fixture file.
import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import ts from "typescript";
import { REPO, makeFixture, removeTempDirs } from "./helpers";

afterAll(removeTempDirs);

function srcCompilerOptions(): ts.CompilerOptions {
  const configPath = join(REPO, "src/tsconfig.json");
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, join(REPO, "src")).options;
}

/** Type errors of one fixture file, as "line: message". */
function typeErrors(source: string): string[] {
  const file = join(makeFixture({ "fixture.ts": source }), "fixture.ts");
  const roots = [file, join(REPO, "types/espruino-core.d.ts"), join(REPO, "types/espruino-globals.d.ts")];
  const program = ts.createProgram(roots, { ...srcCompilerOptions(), noEmit: true });
  expect(program.getGlobalDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "))).toEqual([]);
  const sf = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) =>
    `${sf.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

describe("the Espruino type library (types/espruino-core.d.ts)", () => {
  it("uses noLib, as src/tsconfig.json says", () => {
    expect(srcCompilerOptions().noLib).toBe(true);
  });

  it("rejects what Espruino lacks", () => {
    const errors = typeErrors([
      "export const m = new Map<string, number>();",
      "export const a = Array.from([1, 2]);",
      "export const b = Number.isInteger(3);",
      "export const o = Object.freeze({ x: 1 });",
      "export const l = 'abc'.lastIndexOf('c');",
      "export const f = (p: Promise<void>) => p.finally(() => undefined);",
    ].join("\n"));
    expect(errors.map((e) => Number(e.split(":")[0]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(errors[0]).toMatch(/Map/);
    expect(errors[1]).toMatch(/from/);
    expect(errors[2]).toMatch(/isInteger/);
  });

  it("accepts what Espruino has: find, includes, padStart, Object.assign, for-of over typed arrays", () => {
    expect(typeErrors([
      "export const f = [1, 2, 3].find((x) => x > 1);",
      "export const i = [1, 2].includes(2) && 'abc'.includes('b');",
      "export const p = '7'.padStart(3, '0');",
      "export const o = Object.assign({ a: 1 }, { b: 2 });",
      "export function sum(u: Uint8Array): number { let s = 0; for (const b of u) s += b; return s; }",
      "export const n = (x?: number) => x ?? 0;",
    ].join("\n"))).toEqual([]);
  });
});
