// CPU pass: `let`/`const` inside a function's nested blocks written `var` where that means the
// same. The 2v29 interpreter gives a block that declares a `let` its own scope object each time
// the block runs (jsparse.c jspeStatementVar: jsvNewObject + jspeiAddScope, removed at the
// block's end), so a loop body declaring one allocated a scope per turn, and every name read
// inside walked it first; a `var` lives in the function's scope, made once per call (a `let`
// at the top of a function body already does: blockCount is 0 there). Measured on the bench
// (espruino-esp32-rel, 1 tap): −0.5 / −0.8 / −0.8 M per tap with every such declaration
// converted, loop bodies most.
// A declaration is converted only when nothing can tell: its names are declared nowhere else in
// the function but by such declarations in blocks that do not nest (sibling loops reusing `i`)
// or by a catch parameter outside their blocks (no parameter, inner function or enclosing
// block's `let` of that name), no code of the
// function (nested functions included) reads a name of that spelling from outside it, and no
// nested function captures them (a block run again — a loop body — gives each closure its own
// binding). A declarator without initializer gets `=void 0`, since a `let` starts
// undefined each time its block runs and a `var` keeps the last value.
import { analyze, parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

const within = (inner, outer) => outer.start <= inner.start && inner.end <= outer.end;

/** @returns {{ code: string, count: number }} count: declarations converted */
export function blockVars(code) {
  const ast = parseBundle(code);
  const { bindings, references } = analyze(ast);
  const fnOf = (s) => { while (s && !s.fn) s = s.parent; return s; };
  const refsByName = new Map();
  for (const r of references) {
    if (!refsByName.has(r.id.name)) refsByName.set(r.id.name, []);
    refsByName.get(r.id.name).push(r);
  }
  const fnBodies = new Set();
  walk(ast, (n) => {
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") && n.body.type === "BlockStatement") fnBodies.add(n.body);
  });
  const edits = [];
  let count = 0;
  // Declarations in a nested block (or a loop head, a switch) of some function.
  const decls = [];
  walk(ast, (n, parent, key) => {
    if (n.type !== "VariableDeclaration" || n.kind === "var" || !parent) return;
    if (parent.type === "Program" || fnBodies.has(parent)) return; // already in the function's (or root) scope
    const ids = n.declarations.map((d) => d.id);
    if (!ids.every((id) => id.type === "Identifier")) return;
    decls.push({ decl: n, parent, key, ids });
  });
  const bindingScope = new Map(bindings.map((b) => [b.id, b.scope]));
  // Each candidate name on its own: no read of that spelling from outside the function, no
  // closure over it.
  const candidate = new Set();
  for (const { ids } of decls) {
    const scope = bindingScope.get(ids[0]);
    const fn = fnOf(scope);
    if (!fn || fn.kind !== "function") continue;
    for (const id of ids) {
      const good = (refsByName.get(id.name) ?? []).every((r) => {
        if (!within(r.id, fn.node)) return true;
        // A read of that spelling from outside the function would meet the new `var`.
        if (!r.decl || !within(r.decl.node, fn.node)) return false;
        // A closure over it: each run of the block must keep its own binding.
        return !(r.decl === scope && fnOf(r.scope) !== fn);
      });
      if (good) candidate.add(id);
    }
  }
  // Every binding of that name in the function must be such a candidate (sibling blocks may
  // each declare it: one `var` then serves them in turn), none inside another's block.
  const sameName = new Map();
  for (const b of bindings) {
    const key = b.id.name;
    const f = fnOf(b.scope);
    if (!sameName.has(f)) sameName.set(f, new Map());
    const m = sameName.get(f);
    if (!m.has(key)) m.set(key, []);
    m.get(key).push(b);
  }
  const convertible = (id) => {
    if (!candidate.has(id)) return false;
    const all = sameName.get(fnOf(bindingScope.get(id))).get(id.name);
    // A catch parameter of that name has a scope of its own in 2v29 too (jsparse.c
    // jspeStatementTry): it shadows the `var` inside its clause only, as it shadowed the `let`.
    if (!all.every((b) => candidate.has(b.id) || b.scope.kind === "catch")) return false;
    for (const a of all) for (const b of all) if (a !== b && within(a.scope.node, b.scope.node)) return false;
    return true;
  };
  for (const { decl, parent, key, ids } of decls) {
    if (!ids.every(convertible)) continue;
    edits.push({ start: decl.start, end: decl.start + decl.kind.length, text: "var" });
    // `for (let x of …)` assigns x each turn; elsewhere a bare declarator is reset to undefined.
    const inForInOf = (parent.type === "ForInStatement" || parent.type === "ForOfStatement") && key === "left";
    if (!inForInOf) for (const d of decl.declarations) if (d.init === null) edits.push({ start: d.id.end, end: d.id.end, text: "=void 0" });
    count++;
  }
  return { code: edits.length ? applyEdits(code, edits) : code, count };
}
