// Board parts (docs/architecture.md "Parts: code loaded from Storage"): code a board keeps in
// its own Storage file and loads only when its config asks for it (the till, the OLED, the
// SPI and HSU links) or only while it boots (the config check, unloaded after). Each
// board/<board>/parts/<name>.ts is bundled on its own and ends with one `tpPart("<name>", x)`;
// this pass turns that call into `module.exports=x`, so that Espruino's require("tpp.<name>")
// runs the file from flash as a module and returns x (src/hal/espruino/parts.ts), and
// Modules.removeCached frees it again.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { analyze, parseBundle } from "./js-scope.mjs";
import { applyEdits } from "./rename.mjs";

/** Storage names of parts: PART_PREFIX + the part's file name (src/hal/espruino/parts.ts). */
export const PART_PREFIX = "tpp.";

/** The marker a part entry calls once: `tpPart("name", value)` (board/parts.d.ts). */
export const PART_MARKER = "tpPart";

/** A part's Storage file name. */
export function partStorageName(part) {
  return PART_PREFIX + part;
}

/** Part names of a board: board/<board>/parts/<name>.ts, sorted. */
export function listParts(root, board) {
  const dir = join(root, "board", board, "parts");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/**
 * The part's one top-level `tpPart("name", value)` call, checked: `{ call, value }`, or
 * `problem`, why the bundle is not a part (no marker, more than one, another name, or the
 * marker used other than as that statement). `references`: analyze(ast)'s.
 */
export function partCall(ast, references, name) {
  const uses = references.filter((r) => r.id.name === PART_MARKER && !r.decl);
  const calls = ast.body.filter((s) => s.type === "ExpressionStatement" && s.expression.type === "CallExpression" &&
    s.expression.callee.type === "Identifier" && s.expression.callee.name === PART_MARKER);
  if (calls.length !== 1 || uses.length !== 1) {
    return { problem: `a part must end with one top-level ${PART_MARKER}("${name}", value) and use ${PART_MARKER} nowhere else (found ${calls.length} statement(s), ${uses.length} use(s))` };
  }
  const call = calls[0].expression;
  const [tag, value] = call.arguments;
  if (call.arguments.length !== 2 || tag.type !== "Literal" || tag.value !== name) {
    return { problem: `${PART_MARKER}'s first argument must be the part's file name "${name}"` };
  }
  return { call, value, problem: null };
}

/**
 * Turns the part's one top-level `tpPart("name", value);` into `module.exports=value;`.
 * @returns {{ code: string, problem: string | null }} problem: as partCall's.
 */
export function exportPart(code, name) {
  const ast = parseBundle(code);
  const { call, value, problem } = partCall(ast, analyze(ast).references, name);
  if (problem) return { code, problem };
  return { code: applyEdits(code, [{ start: call.start, end: value.start, text: "module.exports=" }, { start: value.end, end: call.end, text: "" }]), problem: null };
}
