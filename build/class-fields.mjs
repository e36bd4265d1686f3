// Espruino 2v29 parses a class field only with an initializer: `class A { n; }` is
// "Got ';' expected '='" (measured). esbuild keeps TypeScript's declared fields
// (`x: number;`, parameter properties) as `x;` under useDefineForClassFields, so this pass
// writes `x=void 0`, which is the same define semantics spelled the way Espruino parses.
// A bare field that the constructor assigns in a statement of its own body (`this.x=…;`, as
// every parameter property is) is dropped instead: it saves bytes (~1.9 KB on esp32) and a
// property write per instance; reads before that assignment still give undefined. So is a
// bare field whose name appears nowhere but in bare field declarations (no identifier, no string): with
// property mangling, esbuild renames `this.inner` of a parameter property but leaves its field
// declaration as `inner;`, a property no code reads or writes.
import { parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** Names the constructor assigns as `this.name = …` statements directly in its body. */
function assignedInConstructor(classBody) {
  const names = new Set();
  const ctor = classBody.body.find((m) => m.type === "MethodDefinition" && m.kind === "constructor");
  if (!ctor) return names;
  for (const st of ctor.value.body.body) {
    const e = st.type === "ExpressionStatement" ? st.expression : null;
    const l = e && e.type === "AssignmentExpression" && e.operator === "=" ? e.left : null;
    if (l && l.type === "MemberExpression" && !l.computed && l.object.type === "ThisExpression" && l.property.type === "Identifier") {
      names.add(l.property.name);
    }
  }
  return names;
}

/** @returns {{ code: string, count: number }} count = bare fields initialized or dropped */
export function initializeBareFields(code) {
  const edits = [];
  const ast = parseBundle(code);
  // How often each name appears as an identifier (variables, properties, keys) or a string.
  const uses = new Map();
  const bareKeys = new Map();
  walk(ast, (n) => {
    const name = n.type === "Identifier" ? n.name : n.type === "Literal" && typeof n.value === "string" ? n.value : null;
    if (name !== null) uses.set(name, (uses.get(name) || 0) + 1);
    if (n.type === "PropertyDefinition" && n.value === null && !n.computed && !n.static && n.key.type === "Identifier") bareKeys.set(n.key.name, (bareKeys.get(n.key.name) || 0) + 1);
  });
  walk(ast, (n) => {
    if (n.type !== "ClassBody") return;
    const assigned = assignedInConstructor(n);
    for (const f of n.body) {
      if (f.type !== "PropertyDefinition" || f.value !== null || f.computed) continue;
      // Only in bare field declarations (of this class or others): nothing reads or writes it.
      const unused = f.key.type === "Identifier" && uses.get(f.key.name) === bareKeys.get(f.key.name);
      if (!f.static && f.key.type === "Identifier" && (assigned.has(f.key.name) || unused)) edits.push({ start: f.start, end: f.end, text: "" });
      else edits.push({ start: f.key.end, end: f.key.end, text: "=void 0" });
    }
  });
  return { code: edits.length ? applyEdits(code, edits) : code, count: edits.length };
}
