// RAM pass: class methods that no code of a board calls, dropped. A class's prototype holds
// every method as a function from flash, ~5-7 JsVars each from the moment the class is
// defined (at boot, for the boot bundle's classes), whether or not anything calls it; a
// driver or an API written for every board carries methods a given board never uses (the
// PN532 driver's setParameters, setTimings, powerDown, … on the esp32). A method is dropped
// only when its name is one of the board's mangled internal names (build/mangle-props.mjs:
// nothing outside the board and its parts can know it, and it is never built from a string)
// and no code of the board's bundle or of any of its parts names it anywhere else: as a
// member (`x.m`, `x["m"]`, `super.m`), a property key or class field, or a string literal.
// Constructors, getters, setters and static methods are left as they are.
import { parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/**
 * @param {string[]} codes a board's finished bundle and its parts' code (one program)
 * @param {Set<string>} internal the mangled property names (the values of the mangle plan)
 * @returns {{ codes: string[], names: string[] }} the codes without those methods; the names dropped
 */
export function dropUnusedMethods(codes, internal) {
  const asts = codes.map((c) => parseBundle(c));
  const used = new Set();
  const defs = asts.map(() => []);
  asts.forEach((ast, i) => {
    walk(ast, (n) => {
      if (n.type === "MethodDefinition" && n.kind === "method" && !n.static && !n.computed && n.key.type === "Identifier") {
        defs[i].push(n);
        return undefined;
      }
      if (n.type === "MemberExpression" && !n.computed && n.property.type === "Identifier") used.add(n.property.name);
      if ((n.type === "Property" || n.type === "PropertyDefinition" || n.type === "MethodDefinition") && !n.computed) {
        if (n.key.type === "Identifier") used.add(n.key.name);
        else if (n.key.type === "Literal") used.add(String(n.key.value));
      }
      if (n.type === "Literal" && typeof n.value === "string") used.add(n.value);
      return undefined;
    });
  });
  const names = [];
  const out = codes.map((code, i) => {
    const edits = [];
    for (const m of defs[i]) {
      const name = m.key.name;
      if (!internal.has(name) || used.has(name)) continue;
      edits.push({ start: m.start, end: m.end, text: "" });
      names.push(name);
    }
    return edits.length ? applyEdits(code, edits) : code;
  });
  return { codes: out, names };
}
