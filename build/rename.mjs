// The rename pass over the final bundle. esbuild's minifier cannot reserve a name and does
// call variables `of` in large scopes (seen from ~400 functions in one scope), which
// Espruino's lexer reserves (docs/espruino-notes.md "Syntax"). Every binding named by an Espruino-only reserved
// word, and every reference to it, gets one fresh name that occurs nowhere in the bundle —
// a consistent renaming to an unused name keeps every scope's resolution unchanged.
// The same pass turns the placeholder for `require` back into literal `require("Name")`.
import { ESPRUINO_RESERVED, RENAME_BINDINGS, isEspruinoGlobal } from "./espruino-rules.mjs";
import { analyze, parseBundle, walk } from "./js-scope.mjs";

/** What build.mjs defines `require` as, so that esbuild sees a plain call and no require(). */
export const REQUIRE_PLACEHOLDER = "__ESPRUINO_REQUIRE__";

const JS_RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
  "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import",
  "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true",
  "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements",
  "interface", "package", "private", "protected", "public", "await", "async", "of", "get",
  "set", "undefined", "arguments", "eval", "NaN", "Infinity",
]);

const FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
const REST = FIRST + "0123456789";

/** Shortest identifier not in `taken` and not reserved anywhere. */
export function freshName(taken) {
  const ok = (n) => !taken.has(n) && !JS_RESERVED.has(n) && !ESPRUINO_RESERVED.has(n) && !isEspruinoGlobal(n);
  for (const a of FIRST) if (ok(a)) return a;
  for (const a of FIRST) for (const b of REST) if (ok(a + b)) return a + b;
  for (const a of FIRST) for (const b of REST) for (const c of REST) if (ok(a + b + c)) return a + b + c;
  throw new Error("no fresh identifier left");
}

/**
 * Renames bound identifiers named `of`/`let`/`static`/`undefined` to fresh names and the
 * free placeholder for `require` back to `require`.
 * @returns {{ code: string, renamed: Record<string, { to: string, count: number }> }}
 */
export function renameReserved(code, options = {}) {
  const reserved = new Set(options.reserved ?? RENAME_BINDINGS);
  const replaceFree = options.replaceFree ?? { [REQUIRE_PLACEHOLDER]: "require" };
  const ast = parseBundle(code);
  const { bindings, references } = analyze(ast);
  const taken = new Set();
  walk(ast, (n) => { if (n.type === "Identifier" || n.type === "PrivateIdentifier") taken.add(n.name); });
  const fresh = new Map();
  const renamed = {};
  const target = (name) => {
    if (!fresh.has(name)) {
      const to = freshName(taken);
      taken.add(to);
      fresh.set(name, to);
      renamed[name] = { to, count: 0 };
    }
    renamed[name].count++;
    return fresh.get(name);
  };
  const edits = new Map();
  const edit = (id, parent, key, to) => {
    const shorthand = parent && parent.type === "Property" && parent.shorthand && key === "value";
    edits.set(id.start, { start: id.start, end: id.end, text: shorthand ? `${id.name}:${to}` : to });
  };
  for (const b of bindings) if (reserved.has(b.id.name)) edit(b.id, null, null, target(b.id.name));
  for (const r of references) {
    const name = r.id.name;
    if (r.decl && reserved.has(name)) edit(r.id, r.parent, r.key, target(name));
    else if (!r.decl && Object.hasOwn(replaceFree, name)) {
      edit(r.id, r.parent, r.key, replaceFree[name]);
      renamed[name] = { to: replaceFree[name], count: (renamed[name]?.count ?? 0) + 1 };
    }
  }
  return { code: applyEdits(code, [...edits.values()]), renamed };
}

/** Applies non-overlapping `{start, end, text}` edits. */
export function applyEdits(code, edits) {
  const sorted = edits.slice().sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += code.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + code.slice(at);
}
