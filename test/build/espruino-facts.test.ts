// The interpreter facts docs/espruino-notes.md relies on, re-measured in the real Espruino
// 2v29 interpreters (host/espruino-dir.ts) on every run: if an interpreter update changes one,
// this test says which, and the notes (and the build's checks) must follow.
import { afterAll, describe, expect, it } from "vitest";
import { espruinoSkipReason, removeTempDirs, runInEspruino, titled } from "./helpers";
import type { EspruinoBinary } from "../../host/espruino-dir";

afterAll(removeTempDirs);

/** [name, expression evaluated with eval(), what String() of it is, or "throws …" + message start]. */
const FACTS: [string, string, string][] = [
  // Syntax the build refuses (SyntaxError or wrong meaning at run time).
  ["no hoisting of function declarations", "(function(){ try { return g(); } catch (e) { return 'ReferenceError'; } function g(){ return 'hoisted'; } })()", "ReferenceError"],
  ["for (let …) closures share one binding", "(function(){ var fs=[]; for (let i=0;i<3;i++) fs.push(function(){return i;}); return fs.map(function(f){return f();}).join(','); })()", "3,3,3"],
  ["spread", "Math.max(...[1,2])", "throws Got '.' expected EOF"],
  ["default parameter", "(function(a=1){return a;})()", "throws Got '=' expected ','"],
  ["** operator", "2**3", "throws Got '*' expected EOF"],
  ["optional chaining", "({a:1})?.a", "throws Got '.' expected EOF"],
  ["`of` as a variable name", "(function(){ var of = 1; return of; })()", "throws Got of expected EOF"],
  // Syntax that works natively.
  ["?? operator", "null ?? 5", "5"],
  ["arrow functions", "[1,2].map(x => x*2).join(',')", "2,4"],
  ["class fields", "(function(){ class A { x = 3; } return new A().x; })()", "3"],
  ["template literals", "`a${1+1}`", "a2"],
  // Built-ins missing.
  ["Map", "typeof Map", "undefined"],
  ["Set", "typeof Set", "undefined"],
  ["Symbol", "typeof Symbol", "undefined"],
  ["Array.from", "typeof Array.from", "undefined"],
  ["Number.isInteger", "typeof Number.isInteger", "undefined"],
  ["Object.freeze", "typeof Object.freeze", "undefined"],
  ["Math.trunc", "typeof Math.trunc", "undefined"],
  ["Promise#finally", "typeof Promise.resolve().finally", "undefined"],
  ["RangeError", "typeof RangeError", "undefined"],
  ["Array#lastIndexOf", "typeof [].lastIndexOf", "undefined"],
  // String search past the end (src/bytes/find.ts): a tail that is a prefix of the needle matches.
  ["String#indexOf matches a needle running past the end", "'ab'.indexOf('bc') + ',' + ' 56 57 '.indexOf(' 82 ') + ',' + 'abcdef'.indexOf('efg')", "1,6,4"],
  ["String#includes the same", "'ab'.includes('bc')", "true"],
  ["String#startsWith (with a position) is right", "'x,CLOS'.startsWith(',CLOSED', 1) + ',' + 'x,CLOSED'.startsWith(',CLOSED', 1) + ',' + 'busy'.startsWith('busy ')", "false,true,false"],
  ["String#lastIndexOf exists", "typeof 'abc'.lastIndexOf", "function"],
  ["String#codePointAt", "typeof 'a'.codePointAt", "undefined"],
  ["Array#at, #flat", "typeof [].at + ' ' + typeof [].flat", "undefined undefined"],
  ["ArrayBuffer#slice", "typeof new ArrayBuffer(2).slice", "undefined"],
  ["built-in methods not readable from the prototype", "typeof Array.prototype.slice", "undefined"],
  // Built-ins read through a variable, as build/alias-globals.mjs makes the bundles do.
  [
    "built-ins work read into variables",
    "(function(){ var a=[Uint8Array,Promise,Math,String,Error,parseInt,isFinite,JSON,Object,E,Array,Number,setTimeout,clearTimeout,btoa,atob,TypeError,DataView,Date,isNaN]; " +
      "return [new a[0]([1,2]).length, a[1].resolve(1) instanceof Promise, a[2].floor(1.5), a[3].fromCharCode(65), new a[4]('m').message, a[5]('12',10), a[6](3), a[7].stringify({a:1}), a[8].keys({x:1}).join(), " +
      "a[9].sum([1,2]), typeof a[9].mapInPlace, a[10].isArray([]), a[11]('5'), typeof a[12], typeof a[13], a[14]('a'), a[15]('YQ=='), new a[16]('t').message, new a[17](new ArrayBuffer(2)).getUint8(0), typeof new a[18]().getTime(), a[19](NaN)].join('|'); })()",
    '2|true|1|A|m|12|true|{"a":1}|x|3|function|true|5|function|function|YQ==|a|t|0|number|true',
  ],
  // Built-ins present.
  ["padStart, find, includes, replaceAll, fromEntries", "'7'.padStart(3,'0') + [1,2,3].find(function(x){return x>1;}) + [1,2].includes(2) + 'a-b'.replaceAll('-','') + typeof Object.fromEntries", "0072trueabfunction"],
  // Traps.
  ["two equal Uint8Arrays compare ==", "new Uint8Array([1,2]) == new Uint8Array([1,2])", "true"],
  ["Uint8Array#slice returns a plain Array", "Array.isArray(new Uint8Array([1,2,3]).slice(1))", "true"],
  ["Uint8Array#filter returns a plain Array", "Array.isArray(new Uint8Array([1,2]).filter(function(){return true;}))", "true"],
  ["u8[-1] throws", "new Uint8Array(2)[-1]", "throws Field or method \"-1\" does not already exist"],
  ["u8.foo reads undefined", "new Uint8Array(2).foo", "undefined"],
  ["set() past the end truncates", "(function(){ var u=new Uint8Array(2); u.set([1,2,3],0); return u.length + ':' + u[1]; })()", "2:2"],
  ["subarray end past the length is not clamped", "new Uint8Array([1,2,3,4]).subarray(0,2).subarray(0,4).length", "4"],
  ["DataView reads out of bounds return 0", "new DataView(new ArrayBuffer(2)).getUint8(5)", "0"],
  ["Math.pow is inexact", "Math.pow(2,31) === 2147483648", "false"],
  ["RegExp {n} quantifier never matches", "/^[0-9A-F]{2}$/.test('AB')", "false"],
  ["Error#name is undefined", "typeof new Error('x').name", "undefined"],
  ["TypeError is not instanceof Error", "new TypeError('x') instanceof Error", "false"],
  ["class extends Error loses the message", "(function(){ class X extends Error {} return typeof new X('m').message; })()", "undefined"],
  ["a class field initializer runs once: instances share its array", "(function(){ var calls = 0; function mk(){ calls++; return []; } class A { x = mk(); } var a = new A(), b = new A(); a.x.push(1); return calls + ' ' + (a.x === b.x) + ' ' + b.x.length; })()", "1 true 1"],
  ["static members are not inherited", "(function(){ class A { static f(){return 1;} } class B extends A {} return typeof B.f; })()", "undefined"],
  ["clearTimeout(undefined) throws", "clearTimeout(undefined)", "throws clearTimeout(undefined) not allowed"],
  ["JSON.stringify writes typed arrays as arrays", "JSON.stringify(new Uint8Array([1,2]))", "[1,2]"],
  ["JSON.parse wraps integers above 2^64", "JSON.parse('18446744073709551617')", "1"],
  ["assigning array.length throws", "(function(){var a=[1,2,3]; a.length=1; return a.length;})()", "throws Assignment to a constant"],
  ["a class expression's own name is not bound in its body", "(function(){ var X = class t { m(){ return typeof t; } }; return new X().m(); })()", "undefined"],
  ["Graphics vertical_byte puts the top pixel in bit 7 unless msb:false", "(function(){ var g=Graphics.createArrayBuffer(8,8,1,{vertical_byte:true}); g.setPixel(0,0,1); var h=Graphics.createArrayBuffer(8,8,1,{vertical_byte:true,msb:false}); h.setPixel(0,0,1); return new Uint8Array(g.buffer)[0] + ' ' + new Uint8Array(h.buffer)[0]; })()", "128 1"],
];

function script(): string {
  let s = "function probe(name, src) { var r; try { r = String(eval(src)); } catch (e) { r = 'throws ' + (e && e.message ? e.message.split('\\n')[0] : String(e)); } print('FACT ' + name + ' = ' + r); }\n";
  for (const f of FACTS) s += `probe(${JSON.stringify(f[0])}, ${JSON.stringify(f[1])});\n`;
  return s;
}

function measured(bin: EspruinoBinary): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (const line of runInEspruino(script(), bin).split("\n")) {
    const m = /^FACT (.*?) = (.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

for (const bin of ["espruino", "espruino-esp32"] as EspruinoBinary[]) {
  const reason = espruinoSkipReason(bin);
  describe.skipIf(reason)(titled(`interpreter facts in ${bin}`, reason), () => {
    it("every documented fact holds", () => {
      const got = measured(bin);
      const wrong = FACTS.filter((f) => !(got[f[0]] === f[2] || (f[2].startsWith("throws ") && (got[f[0]] ?? "").startsWith(f[2]))))
        .map((f) => `${f[0]}: expected ${f[2]}, got ${got[f[0]]}`);
      expect(wrong).toEqual([]);
    });
  });
}

// A fact that kills the interpreter cannot share the probe script: its own run.
for (const bin of ["espruino", "espruino-esp32"] as EspruinoBinary[]) {
  const reason = espruinoSkipReason(bin);
  describe.skipIf(reason)(titled(`interpreter assertion in ${bin}`, reason), () => {
    it(".then() on a promise whose executor drops resolve asserts (docs/espruino-notes.md)", () => {
      const out = runInEspruino('var p = new Promise(function(){}); p.then(function(){ print("never"); }); print("after then");\n', bin);
      expect(out).toContain("ASSERT(v->flags == JSV_UNUSED)");
    });
  });
}
