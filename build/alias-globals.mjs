// CPU pass: Espruino's built-ins (Uint8Array, Promise, Math, E…) read through top-level
// aliases made first in the bundle. The 2v29 interpreter looks a global name up by walking
// the root scope's variables in the order they were made, and a built-in is none of them:
// every `new Uint8Array` or `Promise.resolve` walked all ~500 top-level names of the bundle
// (~66 instructions each, ~18,000–21,000 a reference, measured in espruino-esp32-rel) before
// the interpreter found the built-in. `var $a=Uint8Array,…` as the bundle's first statement
// puts each at the head of that list: measured on the bench board (64-bit release build,
// callgrind, 1 tap), UnionPay 47.1 → 44.5 M, Mastercard 108.3 → 102.4 M. Ordering the
// bundle's own top-level names by how often the text references them gained nothing (tried);
// by how often a tap reads them, it does (build/root-order.mjs).
// Only names referenced at least twice, or read often in a tap (build/root-order.json), from ALIASED (each checked through a variable in both
// 2v29 Linux builds: test/build/espruino-facts.test.ts); `require` stays as written (the
// espruino CLI and build/check-bundle.mjs read `require("…")` calls). The aliases are shorter
// than the names, so the bundle shrinks too (esp32: −1.4 KB).
import { analyze, parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** Built-ins read through an alias. */
export const ALIASED = ["Uint8Array", "Promise", "Math", "String", "Error", "parseInt", "isFinite", "JSON", "Object", "E", "Array", "Number", "setTimeout", "clearTimeout", "btoa", "atob", "TypeError", "DataView", "Date", "isNaN"];

/**
 * Built-in objects whose names the interpreter looks up in the root scope for every property
 * it does not find on a value itself (jsparse.c jspeiFindChildFromStringInParents): a method
 * of a typed array walks the root for `Uint8Array`, then `ArrayBufferView`, then `Object`; of
 * an array `Array` then `Object`; of a function `Function`; of a string `String`, of a number
 * `Number`. Each name enters the root scope when first read, so without this they sat after
 * every top-level name of the bundle (~260 names walked per typed-array method call in the
 * bench). Most looked up first (counted per tap in an instrumented 2v29: docs/espruino-notes.md
 * "Where the interpreter looks names up"). `typeof`: V8 has no ArrayBufferView.
 */
export const PLACED = ["Object", "Uint8Array", "ArrayBufferView", "Array", "Function", "String", "Number"];

/** The statement that reads PLACED first: `Object,typeof ArrayBufferView,Array,Function;`. */
export const PLACEMENT = PLACED.map((n) => (n === "ArrayBufferView" ? "typeof " + n : n)).join(",") + ";";

/** Whether `st` is the PLACEMENT statement (or one of its names, read as placePrototypes writes them). */
export function isPlacement(st) {
  if (st.type !== "ExpressionStatement") return false;
  const list = st.expression.type === "SequenceExpression" ? st.expression.expressions : [st.expression];
  return list.every((e) => {
    const id = e.type === "UnaryExpression" && e.operator === "typeof" ? e.argument : e;
    return id.type === "Identifier" && PLACED.includes(id.name);
  });
}

/**
 * Puts PLACEMENT first in the bundle (unwrapped: its top level is the root scope), before the
 * aliases: measured on the bench board (espruino-esp32-rel, 1 tap) UnionPay 52.8 → 50.8 M,
 * Visa 80.7 → 77.4 M, Mastercard 114.8 → 110.1 M (Object, ArrayBufferView, Array, Function);
 * Uint8Array, String and Number added later: −0.1 / −0.1 / −0.2 M.
 * @returns {{ code: string, bytes: number }}
 */
export function placePrototypes(code) {
  return { code: PLACEMENT + "\n" + code, bytes: PLACEMENT.length + 1 };
}

/** Alias names: `$` and one or two characters, none already an identifier of the bundle. */
function nameMaker(used) {
  const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const all = [];
  for (const c of chars) all.push("$" + c + "_");
  for (const c of chars) for (const d of "0123456789") all.push("$" + c + d + "_");
  let i = 0;
  return () => {
    while (i < all.length && used.has(all[i])) i++;
    if (i >= all.length) throw new Error("alias-globals: no free alias name");
    return all[i++];
  };
}

/**
 * @param {string} code the bundle (unwrapped: top-level names are the root scope's)
 * @param {(name: string) => boolean} [often] whether a tap reads the built-in often
 *   (build/root-order.json): then it is aliased even when the text names it once
 *   (setTimeout in the bench's data exchange: ~38 reads per tap, each a walk of every
 *   top-level name)
 * @returns {{ code: string, count: number, names: string[] }} count: references rewritten;
 *   names: the built-ins aliased, most referenced first
 */
export function aliasGlobals(code, often = () => false) {
  const ast = parseBundle(code);
  const { references } = analyze(ast);
  const used = new Set();
  walk(ast, (n) => {
    if (n.type === "Identifier") used.add(n.name);
  });
  const refs = new Map();
  for (const r of references) {
    if (r.decl || !ALIASED.includes(r.id.name)) continue;
    if (!refs.has(r.id.name)) refs.set(r.id.name, []);
    refs.get(r.id.name).push(r.id);
  }
  const names = [...refs.keys()].filter((n) => refs.get(n).length >= 2 || often(n)).sort((a, b) => refs.get(b).length - refs.get(a).length);
  if (names.length === 0) return { code, count: 0, names: [] };
  const next = nameMaker(used);
  const alias = new Map(names.map((n) => [n, next()]));
  const edits = [];
  const shorthand = new Set();
  for (const r of references) if (r.parent && r.parent.type === "Property" && r.parent.shorthand) shorthand.add(r.id);
  // `{ E }` keeps its key: `{ E: $a_ }`.
  for (const n of names) for (const id of refs.get(n)) edits.push({ start: id.start, end: id.end, text: (shorthand.has(id) ? n + ":" : "") + alias.get(n) });
  const head = "var " + names.map((n) => alias.get(n) + "=" + n).join(",") + ";\n";
  return { code: head + applyEdits(code, edits), count: edits.length, names };
}
