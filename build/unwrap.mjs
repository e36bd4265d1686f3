// Loading cost: the 2v29 interpreter keeps a copy of every function's text, so a bundle
// wrapped in one IIFE is held three times while it loads (the file, the wrapper's body, the
// inner functions): a 72 KB selftest ran out of memory on the 16,383-JsVar build, and ran
// with ~8,000 JsVars to spare unwrapped (measured). This pass removes esbuild's IIFE wrapper
// and keeps what the wrapper was for — top-level names that cannot overwrite Espruino
// globals (E, LED1, D2, print…) — by prefixing top-level bindings with `$`, which no
// Espruino global uses. Only the names that could meet one get it: a name of at most three
// characters starting with a lower-case letter is no Espruino global but `url` (every such
// name was tried with `typeof` in both 2v29 Linux builds; `g` is the display of the boards that
// have one), while the pins and objects (E, D2, A0, LED1, SPI, Pin…) start upper-case and the
// functions (print, load, save, reset…) are longer. The unprefixed names save ~700 bytes on
// esp32.
import { analyze, parseBundle } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

export const TOP_PREFIX = "$";

/** Lower-case Espruino globals of at most three characters (see above). */
const SHORT_LOWER_GLOBALS = new Set(["url", "g"]);

/**
 * Whether a top-level name could be an Espruino global (and so must be `$`-prefixed). `_` with
 * one or two letters or digits after a letter is none either (all 3,276 such names tried with
 * `typeof` in both 2v29 Linux builds): the names of a part run at the root (build/root-part.mjs).
 */
export function mayMeetGlobal(name) {
  if (/^_[A-Za-z][A-Za-z0-9]?$/.test(name)) return false;
  return !/^[a-z][A-Za-z0-9_$]{0,2}$/.test(name) || SHORT_LOWER_GLOBALS.has(name);
}

function iifeOf(ast) {
  const body = ast.body.filter((s) => !(s.type === "ExpressionStatement" && s.directive !== undefined));
  const st = body.length === 1 ? body[0] : null;
  const call = st && st.type === "ExpressionStatement" ? st.expression : null;
  const fn = call && call.type === "CallExpression" && call.arguments.length === 0 ? call.callee : null;
  if (!fn || (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression")) return null;
  if (fn.params.length || fn.body.type !== "BlockStatement") return null;
  return fn;
}

/** @returns {{ code: string, count: number, prefix: string }} count: top-level names prefixed (with `prefix`); 0 and the code unchanged when there is no IIFE. */
export function unwrapIife(code) {
  const ast = parseBundle(code);
  const fn = iifeOf(ast);
  if (!fn) return { code, count: 0, prefix: TOP_PREFIX };
  const { scopeOf, bindings, references } = analyze(ast);
  const scope = scopeOf.get(fn);
  const taken = new Set();
  for (const b of bindings) taken.add(b.id.name);
  for (const r of references) taken.add(r.id.name);
  const top = bindings.filter((b) => b.scope === scope && mayMeetGlobal(b.id.name)).map((b) => b.id.name);
  // The shortest `$…` prefix under which no renamed name meets a name already in the bundle
  // (esbuild's minifier uses `$` too); no collision also means no inner name shadows one.
  let prefix = TOP_PREFIX;
  while (top.some((n) => taken.has(prefix + n))) prefix += "_";
  const names = new Set();
  const edits = [];
  const edit = (id, parent, key) => {
    const to = prefix + id.name;
    const shorthand = parent && parent.type === "Property" && parent.shorthand && key === "value";
    edits.push({ start: id.start, end: id.end, text: shorthand ? `${id.name}:${to}` : to });
    names.add(id.name);
  };
  for (const b of bindings) if (b.scope === scope && mayMeetGlobal(b.id.name)) edit(b.id, null, null);
  for (const r of references) if (r.decl === scope && mayMeetGlobal(r.id.name)) edit(r.id, r.parent, r.key);
  const renamed = applyEdits(code, edits);
  const again = iifeOf(parseBundle(renamed));
  if (!again) throw new Error("unwrap: wrapper lost");
  return { code: renamed.slice(again.body.start + 1, again.body.end - 1), count: names.size, prefix };
}
