// Size and CPU pass: module-level numeric constants written where they are read. esbuild keeps
// `const MAX = 255` as a top-level `var` (minifySyntax, which would inline it, stays off:
// build.mjs), so each read was a walk of the root scope to the name, and each constant one more
// name in it for every later lookup to pass (build/root-order.mjs). A top-level variable whose
// initializer is a number literal and that nothing assigns is replaced by the literal at every
// read, and its declaration removed — only when that makes the bundle shorter (a long literal
// read often stays a name). Left alone: a read as `x.y` (`8.y` does not parse) and `{x}`.
// Reads before the declaration cannot exist: the source is TypeScript `const`, where they are
// an error.
import { analyze, parseBundle } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** @param {string} code an unwrapped bundle @returns {{ code: string, count: number, bytes: number }} */
export function inlineConstants(code) {
  const ast = parseBundle(code);
  const { references, scopeOf } = analyze(ast);
  const program = scopeOf.get(ast);
  const refs = new Map();
  const blocked = new Set();
  for (const r of references) {
    if (r.decl !== program) continue;
    const name = r.id.name;
    const p = r.parent;
    const write = (p.type === "AssignmentExpression" && r.key === "left") || p.type === "UpdateExpression" ||
      (p.type === "ForInStatement" || p.type === "ForOfStatement") && r.key === "left";
    if (write || (p.type === "MemberExpression" && r.key === "object") || (p.type === "Property" && p.shorthand)) blocked.add(name);
    if (!refs.has(name)) refs.set(name, []);
    refs.get(name).push(r.id);
  }
  const inline = new Map();
  const seen = new Set();
  for (const st of ast.body) {
    if (st.type !== "VariableDeclaration") continue;
    for (const d of st.declarations) {
      if (d.id.type !== "Identifier") continue;
      const name = d.id.name;
      // Declared twice (an early bare `var x`, build/root-order.mjs): not a constant here.
      if (seen.has(name)) { inline.delete(name); blocked.add(name); continue; }
      seen.add(name);
      if (blocked.has(name) || !d.init || d.init.type !== "Literal" || typeof d.init.value !== "number") continue;
      const text = code.slice(d.init.start, d.init.end);
      const reads = refs.get(name) ?? [];
      const saved = name.length + text.length + 2 + reads.length * (name.length - text.length);
      if (saved > 0) inline.set(name, text);
    }
  }
  if (inline.size === 0) return { code, count: 0, bytes: 0 };
  const edits = [];
  for (const [name, text] of inline) for (const id of refs.get(name) ?? []) edits.push({ start: id.start, end: id.end, text });
  const replaced = applyEdits(code, edits);
  // Then the declarations, in the code the reads were replaced in.
  const ast2 = parseBundle(replaced);
  const drop = [];
  for (const st of ast2.body) {
    if (st.type !== "VariableDeclaration") continue;
    const kept = st.declarations.filter((d) => !(d.id.type === "Identifier" && inline.has(d.id.name)));
    if (kept.length === st.declarations.length) continue;
    const semi = replaced[st.end - 1] === ";" ? ";" : "";
    const text = kept.length ? replaced.slice(st.start, st.declarations[0].start) + kept.map((d) => replaced.slice(d.start, d.end)).join(",") + semi : "";
    drop.push({ start: st.start, end: st.end, text });
  }
  const out = applyEdits(replaced, drop);
  return { code: out, count: inline.size, bytes: code.length - out.length };
}
