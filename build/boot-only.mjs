// RAM pass: top-level functions that only the boot calls, let go once the bundle's top level
// has run. A function declared at the root is a root name holding a function from flash
// (~5-7 JsVars with its parameters) for as long as the board runs, even when nothing can call
// it again: the makers the boot composes the terminal with (startBoard, composeTerminal, the
// Espruino adapters' constructors…), whose closures outlive them but which are never called
// again. Such a function is deleted (`delete name`, which removes a root name in Espruino
// 2v29) by a statement appended to the bundle, after its last top-level statement.
//
// "Only the boot calls it": every reference to the name is the callee of a call (never a
// value that could be kept and called later) that sits either in top-level code (not inside
// any function) or directly in the body of another such function (not inside a function or
// class nested in it, which may run later). Such calls can run only while the top level runs,
// synchronously, before the appended statement. Parts are left alone (their top level is a
// module function's scope, where delete does not remove a name).
import { analyze, parseBundle } from "./js-scope.mjs";

/** @param {string} code an unwrapped board bundle @returns {{ code: string, names: string[] }} */
export function freeBootOnly(code) {
  const ast = parseBundle(code);
  const { references, scopeOf } = analyze(ast);
  const program = scopeOf.get(ast);
  const decls = new Map();
  for (const st of ast.body) if (st.type === "FunctionDeclaration" && st.id) decls.set(st.id.name, st);
  const refs = new Map();
  for (const r of references) {
    if (r.decl !== program || !decls.has(r.id.name)) continue;
    if (!refs.has(r.id.name)) refs.set(r.id.name, []);
    refs.get(r.id.name).push(r);
  }
  // The function a reference runs in: the program, a root function declaration, or other (null).
  const runsIn = (r) => {
    let s = r.scope;
    while (!s.fn) s = s.parent;
    if (s === program) return ast;
    return s.kind === "function" && s.node.type === "FunctionDeclaration" && ast.body.includes(s.node) ? s.node : null;
  };
  const boot = new Set([...decls.keys()].filter((n) => refs.has(n)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of [...boot]) {
      const ok = refs.get(n).every((r) => {
        if (!(r.parent.type === "CallExpression" && r.key === "callee")) return false;
        const f = runsIn(r);
        return f === ast || (f !== null && boot.has(f.id.name));
      });
      if (!ok) {
        boot.delete(n);
        changed = true;
      }
    }
  }
  const names = [...boot].sort();
  if (!names.length) return { code, names };
  const end = code.endsWith("\n") ? "" : "\n";
  return { code: code + end + names.map((n) => `delete ${n};`).join("") + "\n", names };
}
