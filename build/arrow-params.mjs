// CPU pass: arrow function parameters named after a variable the enclosing function already
// has. The 2v29 parser reads `o=>…` (and `(o,s)=>…`) as an expression first: it looks each
// parameter up as a variable (jsparse.c jspeFactor → jspGetNamedVariable) before it sees
// `=>`. esbuild gives a parameter a name no enclosing scope uses, so every arrow a function
// makes walked the function's scopes and then the whole root scope (~350 names in the bench),
// and searched the built-ins, to find nothing (~45 times per Mastercard tap, counted in an
// instrumented 2v29 build). Renamed to a parameter of the enclosing function (or one of its
// variables declared before the arrow) that the arrow never mentions, the lookup stops in the
// function's own scope; the arrow's parameter shadows that name inside the arrow only, where
// nothing reads it. Same length, so the bundle keeps its size.
import { analyze, parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** @returns {{ code: string, count: number }} count: parameters renamed */
export function nameArrowParams(code) {
  const ast = parseBundle(code);
  const { scopeOf, bindings, references } = analyze(ast);
  // Declarations by scope, with where they stand.
  const declared = new Map();
  for (const b of bindings) {
    if (!declared.has(b.scope)) declared.set(b.scope, []);
    declared.get(b.scope).push(b.id);
  }
  const refsOf = new Map();
  for (const r of references) {
    if (!r.decl) continue;
    if (!refsOf.has(r.decl)) refsOf.set(r.decl, []);
    refsOf.get(r.decl).push(r);
  }
  // Top-level names of the statements that run nothing (aliases, early variables, function
  // declarations: build/root-order.mjs), in order.
  const loaded = [];
  for (const st of ast.body) {
    if (st.type === "FunctionDeclaration") loaded.push(st.id.name);
    else if (st.type === "VariableDeclaration" && st.declarations.every((d) => d.init === null || d.init.type === "Identifier")) {
      for (const d of st.declarations) if (d.id.type === "Identifier") loaded.push(d.id.name);
    } else if (st.type !== "ExpressionStatement" || loaded.length) break; // the placement statement comes first
  }
  const edits = [];
  let count = 0;
  // Arrows renamed, outermost first: an arrow inside one keeps its names (its text may read
  // the outer parameter under its new name).
  const renamedArrows = [];
  walk(ast, (node) => {
    if (node.type !== "ArrowFunctionExpression" || node.params.length === 0) return;
    if (renamedArrows.some((a) => a.start <= node.start && node.end <= a.end)) return;
    if (!node.params.every((p) => p.type === "Identifier")) return;
    const own = scopeOf.get(node);
    // The scopes the lookup walks first: up to and including the enclosing function's.
    const chain = [];
    let fn = null;
    for (let s = own.parent; s; s = s.parent) {
      if (s.kind === "program") break;
      chain.push(s);
      if (s.fn && !fn) fn = s;
    }
    if (!fn || fn.kind !== "function") return; // made at load, or in a field initializer
    const isParamOf = (id, s) => s.node.params && s.node.params.includes(id);
    // Names that exist when the arrow is made: the parameters of the functions around it, and
    // variables declared (textually) before the arrow, nearest scope first. (A name that does
    // not exist yet only loses the gain: the parameter takes the name's text, not its value.)
    const ready = [];
    for (const s of chain) for (const id of declared.get(s) ?? []) if (isParamOf(id, s) || id.end <= node.start) ready.push(id.name);
    // Then the bundle's top-level names made at load before anything runs, in the order the
    // root scope holds them: found after the function's scopes, still far before the end.
    ready.push(...loaded);
    // Every name the arrow's text mentions (variables, keys, members): none may be shadowed.
    const used = new Set();
    walk(node, (n) => { if (n.type === "Identifier") used.add(n.name); });
    const known = (name) => { for (let s = own.parent; s; s = s.parent) if (s.names.has(name)) return true; return false; };
    for (const p of node.params) {
      if (known(p.name)) continue; // the lookup finds it already
      const refs = (refsOf.get(own) ?? []).filter((r) => r.id.name === p.name);
      if (refs.some((r) => r.parent && r.parent.type === "Property" && r.parent.shorthand)) continue;
      const to = ready.find((n) => !used.has(n) && n.length === p.name.length);
      if (!to) continue;
      used.add(to);
      edits.push({ start: p.start, end: p.end, text: to });
      for (const r of refs) edits.push({ start: r.id.start, end: r.id.end, text: to });
      count++;
      if (renamedArrows[renamedArrows.length - 1] !== node) renamedArrows.push(node);
    }
  });
  return { code: edits.length ? applyEdits(code, edits) : code, count };
}
