// The final-bundle passes and check on hand-written bundles: the acorn check
// (build/check-bundle.mjs), the rename pass (build/rename.mjs), the hoist pass
// (build/hoist.mjs), the bare-field pass (build/class-fields.mjs) and the size pass
// (build/compact.mjs).
import { afterAll, describe, expect, it } from "vitest";
import * as acorn from "acorn";
import { checkBundle } from "../../build/check-bundle.mjs";
import { formatProblem } from "../../build/check-source.mjs";
import { initializeBareFields } from "../../build/class-fields.mjs";
import { compact } from "../../build/compact.mjs";
import { hoistFunctions } from "../../build/hoist.mjs";
import { renameReserved } from "../../build/rename.mjs";
import { espruinoSkipReason, runInEspruino, runInVm, removeTempDirs, titled } from "./helpers";

/** Why the runs in the real interpreter (the 64-bit `espruino`) are skipped, or null. */
const NO_ESPRUINO = espruinoSkipReason("espruino");

const iife = (body: string) => `(()=>{${body}})();`;
const problems = (code: string) => checkBundle(code, { file: "dist/t.js" }).map(formatProblem);

/** Every identifier name in a program that is a variable (not a property key or member name). */
function variableNames(code: string): string[] {
  const names: string[] = [];
  const ast = acorn.parse(code, { ecmaVersion: 2022 }) as unknown as acorn.Node;
  const visit = (node: any, parent: any, key: string | null) => {
    if (!node || typeof node.type !== "string") return;
    const isName = (parent?.type === "MemberExpression" && key === "property" && !parent.computed) ||
      ((parent?.type === "Property" || parent?.type === "MethodDefinition" || parent?.type === "PropertyDefinition") && key === "key" && !parent.computed);
    if (node.type === "Identifier" && !isName) names.push(node.name);
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (Array.isArray(v)) v.forEach((c) => visit(c, node, k));
      else if (v && typeof v === "object" && typeof v.type === "string") visit(v, node, k);
    }
  };
  visit(ast, null, null);
  return names;
}

const refused: [string, string, RegExp][] = [
  ["destructuring", iife("var o={a:1};let{a:b}=o;print(b)"), /destructuring pattern/],
  ["spread", iife("print(...[1])"), /spread/],
  ["default value", iife("function f(a=1){return a}print(f())"), /default value/],
  ["rest", iife("function f(...a){return a}print(f())"), /rest element/],
  ["async", iife("async function f(){}f()"), /async/],
  ["generator", iife("function*g(){yield 1}g()"), /generator/],
  ["label", iife("a:for(;;)break a"), /label/],
  ["computed key", iife("var k='a';print({[k]:1})"), /computed property/],
  ["computed method", iife("var k='a';class A{[k](){}}"), /computed class member/],
  ["class member named by a reserved word", iife("class A{delete(){}}new A"), /class member named "delete"/],
  ["class member named by a string", iife("class A{'x'(){}}new A"), /literal/],
  ["bare class field", iife("class A{x}new A"), /without initializer/],
  ["named class expression", iife("var X=class t{m(){return new t}};new X().m()"), /named class expression "t"/],
  ["tagged template", iife("var t=s=>s;t`a`"), /tagged template/],
  ["new.target", iife("function F(){return new.target}F()"), /new\.target/],
  ["#private", iife("class A{#x=1}new A"), /#private/],
  ["class extends Error", iife("class E1 extends Error{}new E1"), /class extends Error/],
  ["super in an arrow", iife("class A{m(){}}class B extends A{m(){return(()=>super.m())()}}"), /super inside an arrow/],
  ["RegExp with {n}", iife("print(/^[0-9A-F]{2}$/.test('AB'))"), /RegExp with a \{n,m\} quantifier/],
  ["RegExp with a lazy quantifier", iife("print(/a+?/.test('a'))"), /lazy quantifier/],
  ["RegExp with (?:", iife("print(/(?:a)/.test('a'))"), /\(\?: group/],
  ["RegExp with a lookahead", iife("print(/a(?=b)/.test('ab'))"), /lookaround/],
  ["Map", iife("var m=new Map;print(m)"), /Map does not exist/],
  ["Set", iife("print(new Set)"), /Set does not exist/],
  ["WeakMap", iife("print(new WeakMap)"), /WeakMap does not exist/],
  ["Symbol", iife("print(Symbol.iterator)"), /Symbol does not exist/],
  ["Proxy", iife("print(typeof Proxy)"), /Proxy does not exist/],
  ["Reflect", iife("print(Reflect.ownKeys({}))"), /Reflect does not exist/],
  ["BigInt", iife("print(BigInt(1))"), /BigInt does not exist/],
  ["Array.from", iife("print(Array.from([1]))"), /Array\.from does not exist/],
  ["Number.isInteger", iife("print(Number.isInteger(1))"), /Number\.isInteger does not exist/],
  ["Object.freeze", iife("print(Object.freeze({}))"), /Object\.freeze does not exist/],
  [".finally()", iife("Promise.resolve().finally(()=>0)"), /\.finally\(\) does not exist/],
  ["closure over for (let …)", iife("var f=[];for(let i=0;i<3;i++)f.push(()=>i);print(f)"), /closure captures the loop variable i/],
  ["closure over for (const … of …)", iife("var f=[];for(const x of[1,2])f.push(function(){return x});print(f)"), /closure captures the loop variable x/],
  ["closure over for (const … in …)", iife("var f=[];for(const k in{a:1})f.push(()=>k);print(f)"), /closure captures the loop variable k/],
  ["binding named of", iife("var of=1;print(of)"), /binding named "of"/],
  ["binding named undefined", iife("function f(undefined){return undefined}f()"), /binding named "undefined"/],
  ["__require wrapper", iife("var r=typeof require!='undefined'?require:null;r('Storage')"), /require used other than/],
  ["esbuild helper by name", iife("var __toESM=m=>m;__toESM(1)"), /esbuild helper __toESM/],
  ["CommonJS wrapper", iife("module.exports={}"), /CommonJS module/],
  ["array hole", iife("print([1,,3])"), /array hole/],
  ["case after default", iife("switch(1){default:break;case 1:break}"), /case after default/],
  ["function after a statement (not hoisted)", iife("f();function f(){}"), /declared after other statements/],
  ["no IIFE wrapper and an unprefixed top-level name", "var LED1=1;print(LED1);", /top-level name LED1 could overwrite an Espruino global/],
  ["no IIFE wrapper and an unprefixed long lower-case name", "var load=1;print(load);", /top-level name load could overwrite an Espruino global/],
  ["no IIFE wrapper and the global url", "var url=1;print(url);", /top-level name url could overwrite an Espruino global/],
  ["arguments in an arrow", iife("function f(){return(()=>arguments[0])()}f(1)"), /arguments inside an arrow/],
];

afterAll(removeTempDirs);

describe("bundle check refuses", () => {
  for (const [what, code, message] of refused) {
    it(what, () => {
      const found = problems(code);
      expect(found.some((p) => message.test(p)), found.join("\n") || "(no problem reported)").toBe(true);
      expect(found.every((p) => /^dist\/t\.js:1:\d+: /.test(p))).toBe(true);
    });
  }
});

describe("bundle check accepts", () => {
  it("the native subset", () => {
    const code = iife(
      "function h(a){return a??0}class A{x=1;static y=2;get z(){return this.x}m(){return h(this.x)}}" +
      "class B extends A{q=3;m(){return super.m()+1}}var f=[];for(let i=0;i<3;i++){let j=i;f.push(()=>j)}" +
      "for(const c of'ab')print(c);var o={of:1,delete(){return 2}};print(o.of,`t${f.length}`,new B().m());" +
      "try{h()}catch{}var s=require(\"Storage\");print(/^ab$/.test('ab'),Object.keys(o).length,s)");
    expect(problems(code)).toEqual([]);
  });
  it("a plain RegExp without the failing features", () => {
    expect(problems(iife("print(/^[0-9A-F]+$/i.test('a'))"))).toEqual([]);
  });
});

describe("rename pass", () => {
  const source = iife(
    "function g(of){var r={of};return r.of+of}" +
    "function k(){let of=5;return[of,(()=>of)()]}var of=1;print(of,g(2),k().join(','),{of:7}.of)");

  it("renames every variable named of, scope by scope, and nothing else", () => {
    const out = renameReserved(source);
    expect(variableNames(out.code)).not.toContain("of");
    expect(out.renamed.of.count).toBe(8);
    expect(out.code).toContain("{of:7}.of"); // property key and member name untouched
    expect(runInVm(out.code)).toEqual(runInVm(source));
    expect(problems(out.code)).toEqual([]);
    expect(problems(source).some((p) => /binding named "of"/.test(p))).toBe(true);
  });

  it("picks a name that occurs nowhere in the bundle", () => {
    const taken = iife("var a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,_,$;var of=1;print(of)");
    const out = renameReserved(taken);
    const to = out.renamed.of.to;
    expect(to.length).toBeGreaterThan(0);
    expect(variableNames(taken)).not.toContain(to);
    expect(runInVm(out.code)).toEqual(["1"]);
  });

  it("writes the require placeholder back as a literal require(\"Name\")", () => {
    const out = renameReserved(iife('var s=__ESPRUINO_REQUIRE__("Storage");print(s.list())'));
    expect(out.code).toContain('require("Storage")');
    expect(out.code).not.toContain("__ESPRUINO_REQUIRE__");
  });

  it.skipIf(NO_ESPRUINO)(titled("Espruino runs the renamed bundle and rejects the original", NO_ESPRUINO), () => {
    expect(runInEspruino(source)).toMatch(/SyntaxError|Got of/);
    expect(runInVm(source)).toEqual(["1 4 5,5 7"]);
    expect(runInEspruino(renameReserved(source).code)).toBe("1 4 5,5 7");
  });
});

describe("hoist pass", () => {
  const source = iife("print(f(1));function f(a){return g(a)+1;function g(b){return b*2}}if(1){print(q());function q(){return 7}}");

  it("moves function declarations above the first statement of their scope", () => {
    const out = hoistFunctions(source);
    expect(out.count).toBe(3);
    expect(out.code.indexOf("function f")).toBeLessThan(out.code.indexOf("print(f(1))"));
    expect(out.code.indexOf("function g")).toBeLessThan(out.code.indexOf("return g(a)"));
    expect(out.code.indexOf("function q")).toBeLessThan(out.code.indexOf("print(q())"));
    expect(runInVm(out.code)).toEqual(["3", "7"]);
    expect(problems(out.code)).toEqual([]);
  });

  it("leaves code without misplaced declarations untouched", () => {
    const code = iife("function f(){return 1}print(f())");
    expect(hoistFunctions(code)).toEqual({ code, count: 0 });
  });

  it.skipIf(NO_ESPRUINO)(titled("Espruino fails on the original and runs the hoisted bundle", NO_ESPRUINO), () => {
    expect(runInEspruino(source)).toMatch(/ReferenceError/);
    expect(runInEspruino(hoistFunctions(source).code)).toMatch(/^3\n7/);
  });
});

describe("bare class field pass", () => {
  const source = iife("class A{x;static y;constructor(){this.x=1}}class B extends A{z}print(new A().x,A.y,'z'in new B)");
  it("writes z=void 0, keeping define semantics; drops x, which the constructor assigns", () => {
    const out = initializeBareFields(source);
    expect(out.count).toBe(3);
    expect(out.code).toContain("static y=void 0");
    expect(out.code).toContain("{z=void 0}");
    expect(out.code).toContain("class A{static y=void 0;constructor(){this.x=1}}");
    expect(runInVm(out.code)).toEqual(runInVm(source));
    expect(problems(out.code)).toEqual([]);
  });
  it("drops a bare field named nowhere else (a parameter property whose uses property mangling renamed)", () => {
    const body = "class C{inner;constructor(a){this.ar=a}get(){return this.ar}}class D{inner;q;constructor(){this.ar=2}}";
    const src = iife(body + "print(new C(1).get(),new D().ar,'q'in new D)");
    const out = initializeBareFields(src);
    expect(out.code).toContain("class C{constructor(a)");
    expect(out.code).toContain("class D{q=void 0;constructor()");
    expect(runInVm(out.code)).toEqual(runInVm(src));
    // Named anywhere else (here by a string), it stays, initialized.
    const named = initializeBareFields(iife(body + "print('inner'in new C(1))")).code;
    expect(named).toContain("class C{inner=void 0;constructor(a)");
    expect(named).toContain("class D{inner=void 0;constructor()");
  });
  it.skipIf(NO_ESPRUINO)(titled("Espruino parses the result (and not the original)", NO_ESPRUINO), () => {
    expect(runInEspruino(source)).toMatch(/SyntaxError/);
    expect(runInEspruino(initializeBareFields(source).code)).toMatch(/^1 undefined true/);
  });
});

describe("compact pass", () => {
  const source = iife("const a=1;const b=a+1;let c=[];for(const x of [1,2]){const y=x*b;c.push(y)}" +
    "switch(a){case 1:const d=true;let e=false;print(d,!e,(true).toString())}print(a,b,c.join(' '),typeof false)");
  it("writes let for const, !0/!1 for booleans, and merges adjacent declarations", () => {
    const out = compact(source);
    expect(out.code).not.toMatch(/\bconst\b/);
    expect(out.code).toContain("let a=1,b=a+1,c=[];");
    expect(out.code).toContain("let d=!0,e=!1;");
    expect(out.count).toBe(source.length - out.code.length);
    expect(runInVm(out.code)).toEqual(runInVm(source));
    expect(problems(out.code)).toEqual([]);
  });
  it.skipIf(NO_ESPRUINO)(titled("Espruino runs the result as the original", NO_ESPRUINO), () => {
    expect(runInEspruino(compact(source).code)).toBe(runInEspruino(source));
  });
});
