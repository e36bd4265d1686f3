// A part evaluated at the root scope (docs/architecture.md "Parts"): Espruino runs a module's
// top level in a scope of its own, and every function defined there keeps a link to it, one
// JsVar each (~200 for the card reader); a function defined at the root keeps none. A root part
// is run by `setTimeout(text, 0)` (src/hal/espruino/parts.ts loadRootPart: a string callback
// is evaluated at the root, from flash, its functions' code left there), so its top-level names
// become globals. This pass renames each to a short name of its own, `_` and one or two
// letters or digits (no Espruino global or keyword starts with `_` and a letter; none of the
// board bundle's top-level names is taken), and turns the part's one
// `tpPart("<name>", value)` into `tpReady("<name>", value, unload)`: the loader's hook, given
// the value and a function that deletes every global the part made.
import { analyze, parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";
import { partCall } from "./parts.mjs";
import { isEspruinoGlobal } from "./espruino-rules.mjs";

/** Parts whose top level runs at the root (the others are modules: build/parts.mjs exportPart). */
export const ROOT_PARTS = ["card"];

/** The global the loader sets for a root part to call once its top level has run. */
export const READY_HOOK = "tpReady";

const FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const REST = FIRST + "0123456789";

/** The root names of `code` (a board bundle's top-level bindings). */
export function topLevelNames(code) {
  const ast = parseBundle(code);
  const { scopeOf, bindings } = analyze(ast);
  const program = scopeOf.get(ast);
  return new Set(bindings.filter((b) => b.scope === program).map((b) => b.id.name));
}

/**
 * @param {string} code the part after the board's passes (its top level unwrapped)
 * @param {string} name the part's file name
 * @param {Set<string>} taken the board bundle's top-level names
 * @returns {{ code: string, names: string[], problem: string | null }} names: the globals it makes
 */
export function rootPart(code, name, taken) {
  const ast = parseBundle(code);
  const { scopeOf, bindings, references } = analyze(ast);
  const program = scopeOf.get(ast);
  const { call, value, problem } = partCall(ast, references, name);
  if (problem) return { code, names: [], problem };
  for (const s of ast.body) {
    if (s.type === "VariableDeclaration" && s.kind !== "var") return { code, names: [], problem: `a root part's top level declares with var, function or class only (found ${s.kind})` };
  }
  // Every identifier of the part, so that no new name meets one it uses inside.
  const used = new Set(taken);
  walk(ast, (n) => { if (n.type === "Identifier") used.add(n.name); });
  const top = [...new Set(bindings.filter((b) => b.scope === program).map((b) => b.id.name))];
  const to = new Map();
  let i = 0;
  const next = () => {
    for (;;) {
      const k = i++;
      const n = k < FIRST.length ? "_" + FIRST[k] : "_" + FIRST[Math.floor((k - FIRST.length) / REST.length) % FIRST.length] + REST[(k - FIRST.length) % REST.length];
      if (k >= FIRST.length * (REST.length + 1)) throw new Error("root part: no short name left");
      if (!used.has(n) && !isEspruinoGlobal(n)) return n;
    }
  };
  for (const n of top) to.set(n, next());
  const edits = [];
  const edit = (id, parent, key) => {
    const shorthand = parent && parent.type === "Property" && parent.shorthand && key === "value";
    edits.push({ start: id.start, end: id.end, text: shorthand ? `${id.name}:${to.get(id.name)}` : to.get(id.name) });
  };
  for (const b of bindings) if (b.scope === program) edit(b.id, null, null);
  for (const r of references) if (r.decl === program) edit(r.id, r.parent, r.key);
  const names = top.map((n) => to.get(n));
  // The call's value keeps its own edits (applied with the rest): only the callee and the end change.
  edits.push({ start: call.start, end: value.start, text: `${READY_HOOK}(${JSON.stringify(name)},` });
  // The unloader: the names' tails, two characters each (a one-letter tail padded with a space),
  // read off one string: a third of `delete _a;` each, and no array of them in RAM.
  const tails = names.map((n) => n.slice(1).padEnd(2, " ")).join("");
  edits.push({ start: value.end, end: call.end, text: `,function(){for(var s=${JSON.stringify(tails)},i=0;i<s.length;i+=2)delete global["_"+s.substr(i,2).trim()]})` });
  return { code: applyEdits(code, edits), names, problem: null };
}
