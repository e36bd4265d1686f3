// The source check (build/check-source.mjs) over TypeScript text: each row is one construct
// Espruino 2v29 cannot run (or that esbuild would silently rewrite into one), written in a
// file under a fake root so the zone rules (src/ vs src/hal/espruino/ vs board/) apply.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { checkSourceText, formatProblem, LAYERS, layerOf } from "../../build/check-source.mjs";

const ROOT = "/fixture";
const check = (rel: string, text: string) => checkSourceText(join(ROOT, rel), text, { root: ROOT }).map(formatProblem);

const refused: [string, string, RegExp][] = [
  ["destructuring (variable)", "const o = { a: 1 };\nconst { a } = o;\nexport const x = a;", /destructuring/],
  ["destructuring (array)", "export function f(p: number[]) { const [a, b] = p; return a + b; }", /destructuring/],
  ["destructuring (parameter)", "export function f({ a }: { a: number }) { return a; }", /destructuring/],
  ["destructuring (for-of head)", "export function f(p: number[][]) { let s = 0; for (const [a] of p) s += a; return s; }", /destructuring/],
  ["destructuring (assignment)", "let a = 0; let b = 0;\nexport function swap() { [a, b] = [b, a]; }", /destructuring assignment/],
  ["** operator", "export const x = (n: number) => n ** 2;", /`\*\*`/],
  ["**= operator", "export function f(n: number) { n **= 2; return n; }", /`\*\*`/],
  ["object spread", "export const f = (o: object) => ({ ...o, b: 1 });", /object spread/],
  ["array spread", "export const f = (a: number[]) => [...a, 1];", /spread/],
  ["call spread", "export const f = (a: number[]) => Math.max(...a);", /spread/],
  ["rest parameter", "export function f(...a: number[]) { return a.length; }", /rest parameter/],
  ["default parameter", "export function f(a = 1) { return a; }", /default parameter/],
  ["optional chaining", "export const f = (o?: { a: number }) => o?.a;", /optional chaining/],
  ["??= operator", "export function f(o: { a?: number }) { o.a ??= 1; }", /logical assignment/],
  ["||= operator", "export function f(o: { a: number }) { o.a ||= 1; }", /logical assignment/],
  ["label", "export function f() { outer: for (;;) { break outer; } }", /label/],
  ["computed property", "const k = 'a';\nexport const o = { [k]: 1 };", /computed property/],
  ["computed method name", "const k = 'a';\nexport class A { [k]() { return 1; } }", /computed property/],
  ["tagged template", "const t = (s: TemplateStringsArray) => s[0];\nexport const x = t`a`;", /tagged template/],
  ["new.target", "export function F() { return new.target; }", /new\.target/],
  ["#private", "export class A { #n = 1; get() { return this.#n; } }", /#private/],
  ["class extends Error", "export class MyError extends Error {}", /extends Error/],
  ["super inside an arrow", "class A { m() { return 1; } }\nexport class B extends A { m() { const f = () => super.m(); return f(); } }", /super.*arrow/],
  ["async function", "export async function f() { return 1; }", /async function/],
  ["await", "export function f(p: Promise<number>) { return (async () => await p)(); }", /await/],
  ["generator", "export function* g() { yield 1; }", /generator/],
  ["RegExp literal", "export const ok = (s: string) => /^[0-9]+$/.test(s);", /RegExp literal/],
  ["new RegExp", "export const r = new RegExp('a');", /RegExp/],
  ["import * as S from Storage", 'import * as S from "Storage";\nexport const f = () => S;', /built-in module "Storage".*src\/app\/bad\.ts|src\/app\/bad\.ts.*built-in module "Storage"/],
  ["import of http", 'import http from "http";\nexport const f = () => http;', /built-in module "http"/],
  ["import of a package", 'import { x } from "left-pad";\nexport const f = () => x;', /package "left-pad"/],
  ["import from host/", 'import { x } from "../../host/thing";\nexport const f = () => x;', /outside src\/ and board\//],
  ["new Map()", "export const m = new Map<string, number>();", /Map does not exist on Espruino/],
  ["new Set()", "export const s = new Set<number>();", /Set does not exist/],
  ["Symbol", "export const s = Symbol('x');", /Symbol does not exist/],
  ["Array.from", "export const a = Array.from([1]);", /Array\.from does not exist/],
  ["Number.isInteger", "export const b = Number.isInteger(1);", /Number\.isInteger does not exist/],
  ["Object.freeze", "export const o = Object.freeze({});", /Object\.freeze does not exist/],
  ["Math.trunc", "export const n = Math.trunc(1.5);", /Math\.trunc does not exist/],
  [".finally()", "export const f = (p: Promise<void>) => p.finally(() => 0);", /\.finally\(\) does not exist/],
  [".lastIndexOf()", "export const f = (s: string) => s.lastIndexOf('a');", /\.lastIndexOf\(\) does not exist/],
  [".indexOf() of a 2+ character string", "export const f = (s: string) => s.indexOf('+IPD,') === 0;", /indexOf\(\) with a string of 2\+ characters/],
  [".indexOf() of a concatenated string", "export const f = (s: string, t: string) => s.indexOf(' ' + t + ' ');", /indexOf\(\) with a string of 2\+ characters/],
  [".includes() of a 2+ character string", "export const f = (s: string) => s.includes('bc');", /includes\(\) with a string of 2\+ characters/],
  ["RangeError", "export const e = () => new RangeError('x');", /RangeError does not exist/],
  ["closure over for (let …)", "export function f() { const fs: (() => number)[] = [];\n  for (let i = 0; i < 3; i++) fs.push(() => i);\n  return fs; }", /closure captures loop variable "i"/],
  ["closure over for (const … of …)", "export function f(a: number[]) { const fs: (() => number)[] = [];\n  for (const x of a) { fs.push(function () { return x; }); }\n  return fs; }", /closure captures loop variable "x"/],
  ["closure over for (const … in …)", "export function f(o: object) { const fs: (() => string)[] = [];\n  for (const k in o) fs.push(() => k);\n  return fs; }", /closure captures loop variable "k"/],
  ["arguments in an arrow", "export function f() { return () => arguments.length; }", /arguments.*arrow/],
  ["class member named delete", "export class Store { delete(name: string) { return name; } }", /class member named "delete"/],
  ["class field named of", "export class A { of = 1; }", /class member named "of"/],
  ["class getter named default", "export class A { get default() { return 1; } }", /class member named "default"/],
  ["class member named by a string", "export class A { 'x-y'() { return 1; } }", /string literal/],
  ["object getter named new", "export const o = { get new() { return 1; } };", /object getter\/setter named "new"/],
  ["binding named of", "export function f() { const of = 1; return of; }", /binding named "of"/],
  ["array hole", "export const a = [1, , 3];", /array hole/],
  ["case after default", "export function f(n: number) { switch (n) { default: return 0; case 1: return 1; } }", /case.*after.*default/],
  ["BigInt literal", "export const n = 10n;", /BigInt/],
  ["dynamic import", "export const f = () => import('./x');", /dynamic import/],
  ["class field initialized with []", "export class Q { items: number[] = []; }", /class field items initialized with \[\]: Espruino evaluates a field initializer once/],
  ["class field initialized with {}", "export class Q { seen: { [k: string]: number } = {}; }", /class field seen initialized with \{\}/],
  ["class field initialized with new", "export class Q { buf = new Uint8Array(4); }", /class field buf initialized with new Uint8Array\(4\)/],
  ["class field initialized with a call", "const mk = () => [0];\nexport class Q { v = mk(); }", /class field v initialized with mk\(\)/],
  ["class field initialized with an arrow", "export class Q { n = 1; get = () => this.n; }", /class field get initialized with/],
  ["rest parameter in a declare function", "declare function p(...a: unknown[]): void;\nexport const f = () => p(1);", /rest parameter/],
];

describe("source check refuses", () => {
  for (const [what, text, message] of refused) {
    it(what, () => {
      const problems = check("src/app/bad.ts", text);
      expect(problems.some((p) => message.test(p)), problems.join("\n") || "(no problem reported)").toBe(true);
      expect(problems.every((p) => /^src\/app\/bad\.ts:\d+:\d+: /.test(p))).toBe(true);
    });
  }
  it("reports the line and column of the construct", () => {
    expect(check("src/app/bad.ts", "export const a = 1;\nexport const b = (n: number) =>  n ** 2;")).toEqual([
      "src/app/bad.ts:2:36: `**`: esbuild rewrites it to Math.pow, which is inexact on Espruino; multiply or shift instead",
    ]);
  });
});

describe("source check zones", () => {
  const espruino = 'export function rnd() { return E.hwRand(); }\nexport function store() { return require("Storage").list(); }\nexport const t = () => setTimeout(() => print(Date.now()), 1);';
  it("refuses Espruino globals, timers and Date in portable src/", () => {
    const problems = check("src/emv/x.ts", espruino);
    for (const name of ["E", "require", "setTimeout", "print", "Date"]) {
      expect(problems.some((p) => p.includes(` ${name} `) || p.includes(`global ${name} `)), `${name}\n${problems.join("\n")}`).toBe(true);
    }
  });
  it("refuses them in src/sim/ too (it gets the injected Clock)", () => {
    expect(check("src/sim/x.ts", "export const n = () => Date.now();")).toHaveLength(1);
  });
  it("accepts them in src/hal/espruino/ and board/", () => {
    expect(check("src/hal/espruino/x.ts", espruino)).toEqual([]);
    expect(check("board/esp32/main.ts", espruino)).toEqual([]);
  });
  it("accepts a local binding that shadows a global name", () => {
    expect(check("src/emv/x.ts", "export function f(E: number, print: (s: string) => void) { print(String(E)); }")).toEqual([]);
  });
  it("refuses require() of a computed name even in src/hal/espruino/", () => {
    expect(check("src/hal/espruino/x.ts", "export const m = (n: string) => require(n as 'Storage');").join("\n")).toMatch(/one string literal/);
  });
  it("refuses importing src/hal/espruino/ from portable src/", () => {
    expect(check("src/emv/x.ts", 'import { f } from "../hal/espruino/clock";\nexport const g = f;').join("\n")).toMatch(/src\/hal\/espruino/);
  });
});

describe("source check layer order (docs/architecture.md)", () => {
  it("the order is bytes, hal, apdu, device drivers, nfc, emv, auth, app, sim, board", () => {
    expect(LAYERS).toEqual([["bytes"], ["hal"], ["apdu"], ["pn532", "display"], ["nfc"], ["emv"], ["auth"], ["app"], ["sim"], ["board"]]);
    expect(["src/bytes/hex.ts", "src/hal/espruino/clock.ts", "src/emv/kernels/c3.ts", "board/esp32/main.ts", "host/tap.ts", "src/core/x.ts", "src/x.ts"].map(layerOf))
      .toEqual(["bytes", "hal", "emv", "board", null, "", ""]);
  });
  it("an upward import (src/bytes importing src/emv) is refused, naming both files and layers", () => {
    expect(check("src/bytes/hex.ts", 'import { parseTlv } from "../emv/tlv";\nexport const f = parseTlv;')).toEqual([
      "src/bytes/hex.ts:1:1: upward import: src/bytes/hex.ts (layer bytes) imports src/emv/tlv (layer emv), a later layer; " +
        "a layer imports only itself and the layers before it: bytes → hal → apdu → pn532 | display → nfc → emv → auth → app → sim → board",
    ]);
  });
  it("type-only imports and re-exports count too", () => {
    expect(check("src/apdu/x.ts", 'import type { Pn532 } from "../pn532/driver";\nexport let p: Pn532 | null = null;').join("\n")).toMatch(/src\/apdu\/x\.ts \(layer apdu\) imports src\/pn532\/driver \(layer pn532\)/);
    expect(check("src/hal/x.ts", 'export { Outcome } from "../emv/outcome";').join("\n")).toMatch(/\(layer hal\) imports src\/emv\/outcome \(layer emv\)/);
  });
  it("device drivers sit beside each other: neither imports the other", () => {
    expect(check("src/display/x.ts", 'import { Pn532 } from "../pn532/driver";\nexport const d = Pn532;').join("\n")).toMatch(/\(layer pn532\), a layer beside it/);
  });
  it("app may not import sim; src/ may not import board/", () => {
    expect(check("src/app/x.ts", 'import { createCard } from "../sim/card-engine";\nexport const c = createCard;').join("\n")).toMatch(/\(layer app\) imports src\/sim\/card-engine \(layer sim\)/);
    expect(check("src/sim/x.ts", 'import { m } from "../../board/esp32/pins";\nexport const c = m;').join("\n")).toMatch(/import of board code from src\//);
  });
  it("downward and same-layer imports pass; sim may import every src/ layer; board imports sim", () => {
    const all = ["bytes/hex", "hal/types", "apdu/command", "pn532/driver", "nfc/poller", "emv/tlv", "auth/message", "app/terminal-config", "sim/card-engine"];
    expect(check("src/sim/x.ts", all.map((m, i) => `import * as m${i} from "../${m}";`).join("\n") + "\nexport const n = 1;")).toEqual([]);
    expect(check("src/emv/kernels/x.ts", 'import { a } from "../tlv";\nimport { b } from "../../apdu/command";\nexport const c = [a, b];')).toEqual([]);
    expect(check("board/esp32/main.ts", 'import { s } from "../../src/sim/selftest";\nimport { c } from "../../src/hal/espruino/clock";\nprint(s, c);')).toEqual([]);
  });
  it("a folder under src/ that is not a layer is refused", () => {
    expect(check("src/core/x.ts", "export const n = 1;")).toEqual([
      "src/core/x.ts:1:1: src/core/ is not a layer: put src/ code in one of bytes → hal → apdu → pn532 | display → nfc → emv → auth → app → sim → board " +
        "(or add the folder to LAYERS in build/check-source.mjs and to docs/architecture.md)",
    ]);
  });
});

describe("source check accepts the native subset", () => {
  it("classes, arrows, let/const, templates, for-of, ??, class fields, const enum", () => {
    const text = `
      import { codedError } from "../bytes/coded-error";
      export const enum Ins { Select = 0xa4 }
      interface Shape { at: number }
      export class Queue<T> {
        private items: T[];
        static readonly max = 8;
        constructor(public readonly name: string) { this.items = []; }
        get size(): number { return this.items.length; }
        push(item: T): void { if (this.items.length >= Queue.max) throw codedError("Q_FULL", "full"); this.items.push(item); }
      }
      export class Loud extends Queue<number> { loud = true; }
      export function sum(list: readonly number[], bias?: number): number {
        let s = bias ?? 0;
        for (const x of list) s += x;
        for (let i = 0; i < list.length; i++) { const j = i; setLater(() => j); }
        const o: Shape = { at: 1 };
        return s + o.at + Ins.Select;
      }
      function setLater(f: () => number): number { return f(); }
      export const label = (n: number) => \`n=\${n}\`;
      export const methods = { delete(k: string) { return k; }, of: 1 };
      export const found = [1, 2].find((x) => x > 1) !== undefined && "ab".padStart(3).includes("a");
      try { sum([]); } catch { /* optional catch binding */ }
    `;
    expect(check("src/app/good.ts", text)).toEqual([]);
  });
  it("class fields initialized with the same value for every instance are fine; static fields too", () => {
    const text = "const EMPTY = new Uint8Array(0);\nconst enum K { A = 1 }\nexport class Q {\n  n = 0; s = 'x'; t = `y`; b = true; z = null; u = undefined; v = void 0; m = -1;\n" +
      "  e = EMPTY; k = K.A; w = 2 * 1024; c = 1 > 0 ? 'a' : 'b';\n  static list: number[] = [];\n  items: number[];\n  constructor() { this.items = []; }\n}";
    expect(check("src/app/good.ts", text)).toEqual([]);
  });
  it("a closure in the body reading a const copy of the loop variable is fine", () => {
    const text = "export function f(a: number[]) { const fs: (() => number)[] = [];\n" +
      "  for (let i = 0; i < 3; i++) { const j = i; fs.push(() => j); }\n" +
      "  for (const x of a) { const y = x; fs.push(() => y); }\n  return fs; }";
    expect(check("src/app/good.ts", text)).toEqual([]);
  });
  it("a closure that declares its own variable of the same name is fine", () => {
    const text = "export function f() { const fs: ((i: number) => number)[] = [];\n  for (let i = 0; i < 3; i++) fs.push((i) => i + 1);\n  return fs; }";
    expect(check("src/app/good.ts", text)).toEqual([]);
  });
  it("type-only syntax is ignored (rest in a function type, computed Symbol key in an interface)", () => {
    const text = "export type F = (...a: number[]) => void;\nexport interface I { [Symbol.iterator](): Iterator<number>; m(...a: string[]): void }";
    expect(check("src/app/good.ts", text)).toEqual([]);
  });
});
