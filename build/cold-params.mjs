// RAM pass: a function's parameters made locals read from `arguments`, for the functions a
// sale calls a few times at most: top-level functions, and the outermost functions of
// top-level classes, objects and variables, off the tap's path. The 2v29 interpreter keeps each
// parameter's name as a child of the function, one JsVar per parameter for as long as the
// function exists (200 functions of three parameters: 1,441 JsVars loaded from flash, 841 as
// `var a=arguments[0],…`, measured in espruino-esp32); a local exists only while a call runs.
// The price is paid per call (the `arguments` array, the declaration lexed again: about twice
// the cost of calling a trivial function) and in flash (~12 bytes a parameter), so:
// - never in the source files of the tap's path or the ESP8266 driver (`COLD_EXCLUDED`), nor a
//   name build/root-order.json saw a bench tap read; but, in the files the bench's taps run as a
//   board's (`PROFILED`), a top-level function build/cold-profile.json saw a tap call at most
//   once (`COLD_CALLS`);
// - not the functions the boot alone calls (build/boot-only.mjs deletes them after it), nor
//   the parts only the boot loads (`BOOT_PARTS`): their parameters are gone after it anyway;
// - nothing inside a converted function: in 2v29 a function nested in one that reads
//   `arguments` gets that one's `arguments` (docs/espruino-notes.md "Code at the root scope");
// - not a function with a parameter that is not a plain name or that declares a function of a
//   parameter's name, getters and setters, arrows (theirs is empty on Espruino), nor code that
//   reads `arguments` anywhere (below).
// `function f(a,b){…}` becomes `function f(){var c=arguments,a=c[0],b=c[1];…}` (one parameter:
// `var a=arguments[0];`), after the body's leading function declarations (build/hoist.mjs puts
// them first: Espruino does not hoist).
import { parseBundle, walk } from "./js-scope.mjs";
import { applyEdits, freshName } from "./rename.mjs";

/** The terminal boards whose code gets the pass (not the selftest, the bench or test entries: their figures are the taps'). */
export const COLD_PARAM_BOARDS = ["esp32", "espruino-wifi"];

/** Parts freed once the boot is over (the config check): their parameters cost nothing after it. */
export const BOOT_PARTS = ["conf"];

/**
 * Source files whose functions may run many times in a sale: the tap's path (PN532, link, NFC,
 * APDU, EMV, bytes, the card reader) and the ESP8266 driver (per AT line while the terminal talks
 * to the acquirer). The weights (build/root-order.json) only say what the bench's taps read most;
 * a function they miss there is not thereby cold on a board, so these are never converted.
 */
export const COLD_EXCLUDED = [/^src\/(pn532|nfc|apdu|emv|bytes)\//, /^src\/app\/(card|lazy)-reader\.ts:/, /^src\/hal\/espruino\/(esp8266-[^/]*|buses|clock)\.ts:/];

/**
 * Source files the bench's taps run as a board's do (Entry Point and the kernels, over an APDU
 * channel): there a top-level function build/cold-profile.json saw a tap call at most
 * COLD_CALLS times (error paths, Select Next, the once-per-sale set-up of the card part, the
 * slow paths of odd cards, the steps a kernel runs once) is converted though its file is on the
 * tap's path (issue 9: ~230 JsVars fewer while the card part is loaded). What a tap runs on a
 * board beside them (PN532, link, NFC, APDU stack) the bench's path does not run alike:
 * COLD_EXCLUDED holds there whatever the profile says.
 */
export const PROFILED = [/^src\/emv\//];

/**
 * Calls per tap up to which a PROFILED function is converted: one `arguments` array a call,
 * ~18k instructions for one parameter, ~34k for three (espruino-esp32-rel, callgrind,
 * 2026-12-07), so the ≤ 15 functions called once a tap cost at most ~0.5 M of its 38–88 M.
 */
export const COLD_CALLS = 1;

/**
 * @param {string} code a bundle or part whose top level is unwrapped
 * @param {(name: string) => string | undefined} keyOf a top-level name's `file:sourceName` key
 * @param {Record<string, number>} weights reads per tap by key (build/root-order.json)
 * @param {Set<string> | null} [untapped] keys of the functions a bench tap calls at most COLD_CALLS times (build/cold-profile.json)
 * @returns {{ code: string, functions: number, params: number }}
 */
export function coldParams(code, keyOf, weights, untapped = null) {
  const ast = parseBundle(code);
  // Code that reads `arguments` already is left whole: in Espruino a callee's arguments.length
  // can differ once a caller passes a local holding undefined where it passed a parameter
  // (measured: f(a,b) with b undefined gives 2 from a parameter, 1 from `var b=arguments[1]`).
  // src/ and board/ never read `arguments`.
  let reads = false;
  walk(ast, (n) => {
    if (n.type === "Identifier" && n.name === "arguments") reads = true;
  });
  if (reads) return { code, functions: 0, params: 0 };
  const edits = [];
  let functions = 0;
  let params = 0;
  /** Makes `fn` (a function declaration or expression, not an arrow) read its parameters from `arguments`. */
  const convert = (fn) => {
    if (fn.params.length === 0 || !fn.params.every((p) => p.type === "Identifier")) return false;
    const body = fn.body.body;
    let i = 0;
    while (i < body.length && body[i].type === "FunctionDeclaration") i++;
    if (body.slice(0, i).some((d) => fn.params.some((p) => p.name === d.id.name))) return false;
    const names = new Set(fn.params.map((p) => p.name));
    walk(fn.body, (n) => {
      if (n.type === "Identifier") names.add(n.name);
    });
    const ps = fn.params.map((p) => p.name);
    let decl;
    if (ps.length === 1) decl = `var ${ps[0]}=arguments[0];`;
    else {
      const a = freshName(names);
      decl = `var ${a}=arguments,${ps.map((p, k) => `${p}=${a}[${k}]`).join(",")};`;
    }
    const at = i < body.length ? body[i].start : fn.body.end - 1;
    edits.push({ start: fn.params[0].start, end: fn.params[fn.params.length - 1].end, text: "" });
    edits.push({ start: at, end: at, text: decl });
    functions++;
    params += ps.length;
    return true;
  };
  /**
   * The outermost functions in `node` (itself included; methods, functions in objects and in
   * arrows), not arrows, getters or setters; nothing inside a function it converted: in 2v29 a
   * function nested in one that reads `arguments` gets that one's `arguments`, not its own
   * (measured: docs/espruino-notes.md "Code at the root scope").
   */
  const convertAll = (node) => {
    walk(node, (n) => {
      if ((n.type === "MethodDefinition" || n.type === "Property") && (n.kind === "get" || n.kind === "set")) return false;
      if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression") return convert(n) ? false : undefined;
      return undefined;
    });
  };
  // The top level's statements by the name they declare: a function, a class, a variable's initial value.
  const cold = (name) => {
    const key = keyOf(name);
    return key !== undefined && !((weights[key] ?? 0) > 0) && !COLD_EXCLUDED.some((re) => re.test(key));
  };
  const untappedFunction = (name) => {
    const key = keyOf(name);
    return untapped !== null && key !== undefined && untapped.has(key) && PROFILED.some((re) => re.test(key));
  };
  for (const st of ast.body) {
    if ((st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") && st.id && cold(st.id.name)) convertAll(st);
    else if (st.type === "FunctionDeclaration" && st.id && untappedFunction(st.id.name)) convertAll(st);
    else if (st.type === "VariableDeclaration") {
      for (const d of st.declarations) if (d.init && d.id.type === "Identifier" && cold(d.id.name)) convertAll(d.init);
    }
  }
  return { code: applyEdits(code, edits), functions, params };
}
