// Espruino 2v29 parses a class field only with an initializer: `class A { n; }` is
// "Got ';' expected '='" (measured). esbuild keeps TypeScript's declared fields
// (`x: number;`, parameter properties) as `x;` under useDefineForClassFields, so this pass
// writes `x=void 0`, which is the same define semantics spelled the way Espruino parses.
// A bare field that the constructor assigns in a statement of its own body (`this.x=…;`, as
// every parameter property is) is dropped instead: it saves bytes (~1.9 KB on esp32) and a
// property write per instance; reads before that assignment still give undefined.
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
  walk(parseBundle(code), (n) => {
    if (n.type !== "ClassBody") return;
    const assigned = assignedInConstructor(n);
    for (const f of n.body) {
      if (f.type !== "PropertyDefinition" || f.value !== null || f.computed) continue;
      if (!f.static && f.key.type === "Identifier" && assigned.has(f.key.name)) edits.push({ start: f.start, end: f.end, text: "" });
      else edits.push({ start: f.key.end, end: f.key.end, text: "=void 0" });
    }
  });
  return { code: edits.length ? applyEdits(code, edits) : code, count: edits.length };
}
