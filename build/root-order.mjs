// CPU pass: the bundle's top-level names made in the order a tap reads them, most read first.
// The 2v29 interpreter finds a global by walking the root scope's names in the order they were
// made (jsvFindChildFromString, ~20 x86 instructions per name passed in espruino-esp32-rel),
// and the bundle makes ~250–350 function declarations first, then its module-level variables
// (constant tables, scratch buffers, the hex functions chosen at load), which the hottest loops
// read: a tap passed ~100,000–170,000 names this way (counted in an instrumented 2v29 build).
// Which names a tap reads, and how often, comes from build/root-order.json, made by
// build/root-order-profile.mjs from V8's block coverage of the bench board (checked in: the
// build never runs the bench). Names are keyed by source file and source name (esbuild's source
// map gives them for the minified names), so the list survives other changes; a name it does
// not know keeps its place after the known ones.
// The layout it writes (every statement of it calls nothing, build/hoist.mjs lets functions
// follow it): the prototype names (build/alias-globals.mjs PLACEMENT), then one `var` of the
// built-in aliases and of the module-level variables read at least HOT times per tap, by weight
// (`var $a_=Uint8Array,$X,mn,…`: a bare `var` makes the name where it stands; its own
// declaration further down assigns it as before), then the function declarations by weight.
import { ALIASED, isPlacement } from "./alias-globals.mjs";
import { analyze, parseBundle } from "./js-scope.mjs";

/** Reads per tap (the three bench kernels summed) from which a variable is declared early. */
export const HOT = 3;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Source map v3 `mappings` decoded: per generated line, its segments as
 * [column, source, sourceLine, sourceColumn, name?] (absolute values).
 */
export function decodeMappings(mappings) {
  const lines = [];
  let source = 0, sLine = 0, sCol = 0, name = 0;
  for (const text of mappings.split(";")) {
    const segs = [];
    let col = 0;
    for (const seg of text.split(",")) {
      if (!seg) continue;
      const v = [];
      let shift = 0, value = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          v.push(value & 1 ? -(value >>> 1) : value >>> 1);
          shift = 0;
          value = 0;
        }
      }
      col += v[0];
      if (v.length === 1) { segs.push([col]); continue; }
      source += v[1]; sLine += v[2]; sCol += v[3];
      if (v.length > 4) { name += v[4]; segs.push([col, source, sLine, sCol, name]); }
      else segs.push([col, source, sLine, sCol]);
    }
    lines.push(segs);
  }
  return lines;
}

/** The function esbuild wraps an iife bundle in, or null. */
function iifeFunction(ast) {
  const body = ast.body.filter((s) => !(s.type === "ExpressionStatement" && s.directive !== undefined));
  const e = body.length === 1 && body[0].type === "ExpressionStatement" ? body[0].expression : null;
  const fn = e && e.type === "CallExpression" ? e.callee : null;
  return fn && (fn.type === "ArrowFunctionExpression" || fn.type === "FunctionExpression") ? fn : null;
}

/**
 * The source of each top-level name of esbuild's iife output: name → `file:sourceName`
 * (file as the source map lists it, relative to the bundle's directory, `/`-separated).
 * @param {string} code esbuild's output (before the bundle passes)
 * @param {string} mapText its source map (`sourcemap: "external"`)
 * @param {(source: string) => string} [file] rewrites a source map path (default: as is)
 * @returns {Map<string, string>}
 */
export function sourceKeys(code, mapText, file = (s) => s) {
  const map = JSON.parse(mapText);
  const lines = decodeMappings(map.mappings);
  const ast = parseBundle(code);
  const fn = iifeFunction(ast);
  const out = new Map();
  if (!fn) return out;
  const { bindings, scopeOf } = analyze(ast);
  const top = scopeOf.get(fn);
  for (const b of bindings) {
    if (b.scope !== top) continue;
    const segs = lines[b.id.loc.start.line - 1] || [];
    const seg = segs.find((s) => s[0] === b.id.loc.start.column && s.length > 1);
    if (!seg) continue;
    const name = seg.length > 4 ? map.names[seg[4]] : b.id.name;
    out.set(b.id.name, file(map.sources[seg[1]].replace(/\\/g, "/")) + ":" + name);
  }
  return out;
}

/** Key of a built-in alias's weight: `global:Uint8Array`. */
export const globalKey = (name) => "global:" + name;

/**
 * Reorders the head of an unwrapped bundle (see the top of this file).
 * @param {string} code the bundle after build/alias-globals.mjs (PLACEMENT, the alias var, functions, the rest)
 * @param {(name: string) => string | undefined} keyOf a top-level name's key in `weights`
 * @param {Record<string, number>} weights reads per tap by key (build/root-order.json)
 * @returns {{ code: string, declared: number, functions: number }} declared: variables made
 *   early; functions: declarations with a weight
 */
export function orderRoot(code, keyOf, weights) {
  const ast = parseBundle(code);
  const body = ast.body;
  let i = 0;
  const head = [];
  if (i < body.length && isPlacement(body[i])) head.push(code.slice(body[i].start, body[i].end)), i++;
  let aliases = [];
  const isAliasVar = (st) => st.type === "VariableDeclaration" && st.kind === "var" && st.declarations.every((d) => d.id.type === "Identifier" && d.init && d.init.type === "Identifier" && ALIASED.includes(d.init.name));
  if (i < body.length && isAliasVar(body[i])) aliases = body[i++].declarations;
  const fns = [];
  while (i < body.length && body[i].type === "FunctionDeclaration") fns.push(body[i++]);
  const rest = body.slice(i);
  const weight = (name) => {
    const k = keyOf(name);
    return k !== undefined && Object.hasOwn(weights, k) ? weights[k] : 0;
  };
  // Module-level variables: declared by a `var` of the rest (esbuild makes every top-level
  // declaration a `var`); a class declaration or let/const cannot take a `var` before it.
  const vars = [];
  const seen = new Set();
  for (const st of rest) {
    if (st.type !== "VariableDeclaration" || st.kind !== "var") continue;
    for (const d of st.declarations) {
      if (d.id.type !== "Identifier" || seen.has(d.id.name)) continue;
      seen.add(d.id.name);
      if (weight(d.id.name) >= HOT) vars.push(d.id.name);
    }
  }
  const decl = aliases.map((d, n) => ({ text: code.slice(d.start, d.end), w: Object.hasOwn(weights, globalKey(d.init.name)) ? weights[globalKey(d.init.name)] : 0, n }));
  for (const v of vars) decl.push({ text: v, w: weight(v), n: decl.length });
  decl.sort((a, b) => b.w - a.w || a.n - b.n);
  if (decl.length) head.push("var " + decl.map((d) => d.text).join(",") + ";");
  const ordered = fns.map((f, n) => ({ f, w: weight(f.id.name), n })).sort((a, b) => b.w - a.w || a.n - b.n);
  const start = body.length ? body[0].start : 0;
  const restStart = rest.length ? rest[0].start : code.length;
  const out = code.slice(0, start) + head.join("\n") + "\n" + ordered.map((o) => code.slice(o.f.start, o.f.end)).join("") + (rest.length ? "\n" : "") + code.slice(restStart);
  return { code: out, declared: vars.length, functions: ordered.filter((o) => o.w > 0).length };
}
