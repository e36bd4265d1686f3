// Size pass: `true`/`false` become `!0`/`!1`, `const` becomes `let`, and adjacent declarations of one statement list merge
// (`let a=1;let b=2;` → `let a=1,b=2;`). esbuild does both only with minifySyntax, which stays
// off (build.mjs: it makes `c && f(() => this.x)`, an assertion in 2v29). The bundle is
// type-checked TypeScript, so no `const` is ever reassigned; in Espruino 2v29 `let` and `const`
// have the same block scope (and the same one loop binding, docs/espruino-notes.md "Syntax").
import { parseBundle, walk } from "./js-scope.mjs";

/** @param {string} code @returns {{ code: string, count: number }} count = bytes saved */
export function compact(code) {
  const ast = parseBundle(code);
  const edits = []; // [start, end, text]
  const visit = (node, parent, key) => {
    if (node.type === "Literal" && typeof node.value === "boolean" && !(parent && parent.type === "MemberExpression" && key === "object")) {
      edits.push([node.start, node.end, node.value ? "!0" : "!1", node]);
    }
    if (node.type === "VariableDeclaration" && node.kind === "const") edits.push([node.start, node.start + 5, "let", node]);
    const list = node.type === "Program" || node.type === "BlockStatement" || node.type === "StaticBlock" ? node.body : node.type === "SwitchCase" ? node.consequent : null;
    if (!list) return;
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1];
      const next = list[i];
      if (prev.type !== "VariableDeclaration" || next.type !== "VariableDeclaration") continue;
      const kind = (k) => (k === "const" ? "let" : k);
      if (kind(prev.kind) !== kind(next.kind)) continue;
      if (code[prev.end - 1] !== ";" || prev.end !== next.start) continue;
      const word = next.kind + " ";
      if (code.slice(next.start, next.start + word.length) !== word) continue;
      edits.push([prev.end - 1, next.start + word.length, ",", next]);
    }
  };
  walk(ast, visit);
  // A merged declaration drops its own keyword edit (the merge removes that keyword).
  const merged = new Set(edits.filter((e) => e[2] === ",").map((e) => e[3]));
  const kept = edits.filter((e) => !(e[2] === "let" && merged.has(e[3])));
  kept.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end, text] of kept) {
    if (start < at) throw new Error("compact-declarations: overlapping edits at " + start);
    out += code.slice(at, start) + text;
    at = end;
  }
  out += code.slice(at);
  return { code: out, count: code.length - out.length };
}
