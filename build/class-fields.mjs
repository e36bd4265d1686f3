// Espruino 2v29 parses a class field only with an initializer: `class A { n; }` is
// "Got ';' expected '='" (measured). esbuild keeps TypeScript's declared fields
// (`x: number;`, parameter properties) as `x;` under useDefineForClassFields, so this pass
// writes `x=void 0`, which is the same define semantics spelled the way Espruino parses.
import { parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** @returns {{ code: string, count: number }} */
export function initializeBareFields(code) {
  const edits = [];
  walk(parseBundle(code), (n) => {
    if (n.type === "PropertyDefinition" && n.value === null && !n.computed) {
      edits.push({ start: n.key.end, end: n.key.end, text: "=void 0" });
    }
  });
  return { code: edits.length ? applyEdits(code, edits) : code, count: edits.length };
}
