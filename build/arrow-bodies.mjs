// Espruino 2v29 loses `this` in an expression-bodied arrow when a nested function or arrow
// follows the `this` in its body (`() => this.v + f(() => 1)` reads `this` as the global
// object), and it parses an expression body without running it when the arrow is defined,
// so an inner arrow using `this` there trips a parser assertion (jsparse.c
// jspeArrowFunction). A block body is scanned, not parsed, and has neither problem: this
// pass rewrites every expression-bodied arrow that uses `this` (itself or in nested arrows)
// to `=>{return …}`. Measured with 2v29's Linux build.
import { childrenOf, parseBundle, walk } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** True when `fn` (an arrow) uses `this` itself or through nested arrows. */
export function usesThis(fn) {
  let found = false;
  const visit = (n) => {
    if (found) return;
    if (n.type === "ThisExpression") { found = true; return; }
    if (n !== fn && (n.type === "FunctionExpression" || n.type === "FunctionDeclaration")) return;
    for (const [c] of childrenOf(n)) visit(c);
  };
  visit(fn);
  return found;
}

/** @returns {{ code: string, count: number }} */
export function blockArrowBodies(code) {
  const edits = [];
  walk(parseBundle(code), (n) => {
    if (n.type !== "ArrowFunctionExpression" || n.body.type === "BlockStatement" || !usesThis(n)) return;
    // Params are plain identifiers (the checks refuse defaults and patterns): the first `=>`
    // after the start is the arrow's own; parentheses around the body stay inside the return.
    const at = code.indexOf("=>", n.start) + 2;
    edits.push({ start: at, end: at, text: "{return " });
    edits.push({ start: n.end, end: n.end, text: "}" });
  });
  return { code: edits.length ? applyEdits(code, edits) : code, count: edits.length / 2 };
}
