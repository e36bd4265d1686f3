// Espruino does not hoist: `f(); function f(){}` is a ReferenceError, in functions too
// (docs/espruino-notes.md "Syntax"; measured on 2v29). esbuild keeps source order, so this pass moves every
// function declaration that follows another statement to the top of its own statement list
// (after directives), keeping their relative order. Declarations run nothing, so moving
// them up changes nothing in V8 and makes them defined before any use in Espruino.
import { ALIASED, isPlacement } from "./alias-globals.mjs";
import { parseBundle, walk } from "./js-scope.mjs";

/**
 * `var a=Uint8Array,b,c=Promise…;`: each declarator a name given a built-in of ALIASED, or a
 * bare name (made early in the root scope, build/root-order.mjs).
 */
function isBuiltinAliases(st) {
  return st.type === "VariableDeclaration" && st.kind === "var" && st.declarations.every((d) => d.id.type === "Identifier" && (d.init === null || (d.init.type === "Identifier" && ALIASED.includes(d.init.name))));
}

/** Function declarations that some non-function statement precedes in the same list. */
export function misplacedFunctions(ast) {
  const found = [];
  walk(ast, (n) => {
    const list = n.type === "Program" || n.type === "BlockStatement" || n.type === "StaticBlock" ? n.body : n.type === "SwitchCase" ? n.consequent : null;
    if (!list) return;
    let i = 0;
    while (i < list.length && list[i].type === "ExpressionStatement" && list[i].directive !== undefined) i++;
    // The aliases of built-ins and the reads that place built-ins in the root scope
    // (build/alias-globals.mjs) call nothing: functions may follow them.
    if (n.type === "Program") while (i < list.length && (isBuiltinAliases(list[i]) || isPlacement(list[i]))) i++;
    while (i < list.length && list[i].type === "FunctionDeclaration") i++;
    if (i >= list.length) return;
    const moved = list.slice(i + 1).filter((s) => s.type === "FunctionDeclaration");
    if (moved.length) found.push({ before: list[i], moved });
  });
  return found;
}

/** @returns {{ code: string, count: number }} */
export function hoistFunctions(code) {
  const groups = misplacedFunctions(parseBundle(code));
  if (groups.length === 0) return { code, count: 0 };
  const inserts = new Map();
  const deletes = new Map();
  for (const g of groups) {
    inserts.set(g.before.start, g.moved);
    for (const f of g.moved) deletes.set(f.start, f);
  }
  const points = [...new Set([...inserts.keys(), ...deletes.keys()])].sort((a, b) => a - b);

  const render = (start, end) => {
    let out = "";
    let at = start;
    for (const p of points) {
      if (p < start || p < at) continue;
      if (p >= end) break;
      if (inserts.has(p)) {
        out += code.slice(at, p);
        at = p;
        for (const f of inserts.get(p)) out += render(f.start, f.end);
      }
      const d = deletes.get(p);
      if (d && p !== start) {
        out += code.slice(at, p);
        at = d.end;
      }
    }
    return out + code.slice(at, end);
  };
  return { code: render(0, code.length), count: deletes.size };
}
