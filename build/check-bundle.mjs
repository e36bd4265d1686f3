// The final-bundle check: parses what will be sent to the board (after the rename, field and
// hoist passes) and refuses every construct Espruino 2v29 cannot run, whatever produced it —
// the source, or esbuild's lowering and helpers. docs/espruino-notes.md "The final-bundle check".
import {
  ERROR_CLASSES, ESBUILD_HELPER, ESPRUINO_RESERVED, MISSING_GLOBALS, MISSING_METHODS,
  MISSING_STATICS, badRegExp,
} from "./espruino-rules.mjs";
import { analyze, childrenOf, parseBundle } from "./js-scope.mjs";
import { misplacedFunctions } from "./hoist.mjs";
import { usesThis } from "./arrow-bodies.mjs";
import { mayMeetGlobal } from "./unwrap.mjs";

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

const LAZY_EDGES = new Set([
  "LogicalExpression.right", "ConditionalExpression.consequent", "ConditionalExpression.alternate",
  "IfStatement.consequent", "IfStatement.alternate", "SwitchCase.consequent", "ForStatement.body",
  "ForInStatement.body", "ForOfStatement.body", "WhileStatement.body", "DoWhileStatement.body",
]);

/**
 * Arrow functions that use `this` and sit where the 2v29 interpreter parses code without
 * executing it: it then calls jsvObjectSetChild on a null function (jsparse.c
 * jspeArrowFunction), which asserts in a default (non-RELEASE) build. A `{…}` block between
 * the arrow and the skipped branch is skipped lexically instead, and is safe; so is a
 * `function` body. Measured with 2v29's Linux build.
 */
export function lazyThisArrows(ast) {
  const out = [];
  const path = [];
  const visit = (node, parent, key) => {
    if (node.type === "ArrowFunctionExpression" && usesThis(node)) {
      if (parent && LAZY_EDGES.has(parent.type + "." + key)) out.push(node);
      else for (let i = path.length - 1; i >= 0; i--) {
        const step = path[i];
        const n = step.node;
        // An enclosing arrow reached without a block in between has an expression body, which
        // the interpreter parses without running when it defines that arrow.
        if (n.type === "ArrowFunctionExpression") { out.push(node); break; }
        if (n.type === "BlockStatement" || n.type === "FunctionExpression" || n.type === "FunctionDeclaration") break;
        if (step.parent && LAZY_EDGES.has(step.parent.type + "." + step.key)) { out.push(node); break; }
      }
    }
    path.push({ node, parent, key });
    for (const [c, k] of childrenOf(node)) visit(c, node, k);
    path.pop();
  };
  visit(ast, null, null);
  return out;
}

/**
 * Checks a final bundle.
 * @param {string} code
 * @param {{ file?: string, requireWrapper?: boolean, part?: boolean }} [options] file: name shown in problems;
 *   part: a board part (build/parts.mjs), whose top-level `module.exports=…;` is allowed;
 *   requireWrapper (default true): the program must be one IIFE, so minified top-level names
 *   cannot overwrite Espruino globals (E, LED1, print…).
 * @returns {import("./check-source.mjs").Problem[]}
 */
export function checkBundle(code, options = {}) {
  const file = options.file ?? "<bundle>";
  const problems = [];
  const seen = new Set();
  const report = (node, message) => {
    const key = node.start + message;
    if (seen.has(key)) return;
    seen.add(key);
    const from = Math.max(0, node.start - 25);
    const near = code.slice(from, Math.min(code.length, node.end + 25, from + 80)).replace(/\s+/g, " ");
    problems.push({ file, line: node.loc.start.line, column: node.loc.start.column + 1, message: `${message} — near \`${near}\`` });
  };

  let ast;
  try {
    ast = parseBundle(code);
  } catch (e) {
    const loc = e.loc ?? { line: 1, column: 0 };
    return [{ file, line: loc.line, column: loc.column + 1, message: `does not parse: ${e.message}` }];
  }

  if (options.requireWrapper !== false) {
    const body = ast.body.filter((s) => !(s.type === "ExpressionStatement" && s.directive !== undefined));
    const iife = body.length === 1 && body[0].type === "ExpressionStatement" && body[0].expression.type === "CallExpression" &&
      FUNCTIONS.has(body[0].expression.callee.type);
    if (!iife) {
      // Or unwrapped by build/unwrap.mjs: every top-level binding then starts with `$` or is a
      // short lower-case name that no Espruino global has (mayMeetGlobal).
      const { bindings: top, scopeOf: scopes } = analyze(ast);
      const program = scopes.get(ast);
      for (const b of top) {
        if (b.scope === program && !b.id.name.startsWith("$") && mayMeetGlobal(b.id.name)) report(b.id, `top-level name ${b.id.name} could overwrite an Espruino global (wrap the bundle in an IIFE or prefix it with $)`);
      }
    }
  }

  const { bindings, references } = analyze(ast);

  // Syntax, with the enclosing function stack for `super` / `arguments` in arrows.
  const fnStack = [];
  const visit = (node, parent, key) => {
    check(node, parent, key);
    const isFn = FUNCTIONS.has(node.type);
    if (isFn) fnStack.push(node);
    for (const [c, k] of childrenOf(node)) visit(c, node, k);
    if (isFn) fnStack.pop();
  };
  const inArrow = () => fnStack.length > 0 && fnStack[fnStack.length - 1].type === "ArrowFunctionExpression";

  function checkMemberKey(node, what) {
    if (node.computed) { report(node, `computed ${what} name`); return; }
    const k = node.key;
    if (k.type === "PrivateIdentifier") report(k, "#private member");
    else if (k.type !== "Identifier") report(k, `${what} named by a literal (Espruino accepts only identifiers there)`);
    else if (ESPRUINO_RESERVED.has(k.name)) report(k, `${what} named "${k.name}", a reserved word in Espruino`);
  }

  function check(node, parent, key) {
    switch (node.type) {
      case "ObjectPattern": case "ArrayPattern": report(node, "destructuring pattern"); break;
      case "AssignmentPattern": report(node, "default value (parameter or destructuring)"); break;
      case "RestElement": report(node, "rest element"); break;
      case "SpreadElement": report(node, "spread"); break;
      case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
        if (node.async) report(node, "async function");
        if (node.generator) report(node, "generator function");
        break;
      case "AwaitExpression": report(node, "await"); break;
      case "YieldExpression": report(node, "yield"); break;
      case "ForOfStatement": if (node.await) report(node, "for await"); break;
      case "LabeledStatement": report(node, "label"); break;
      case "WithStatement": report(node, "with statement"); break;
      case "TaggedTemplateExpression": report(node, "tagged template"); break;
      case "MetaProperty": report(node, `${node.meta.name}.${node.property.name}`); break;
      case "PrivateIdentifier": report(node, "#private member"); break;
      case "StaticBlock": report(node, "class static block"); break;
      case "ChainExpression": report(node, "optional chaining ?."); break;
      case "ImportExpression": report(node, "dynamic import()"); break;
      case "Super": if (inArrow()) report(node, "super inside an arrow function"); break;
      case "MethodDefinition": if (node.kind !== "constructor") checkMemberKey(node, "class member"); break;
      case "PropertyDefinition":
        checkMemberKey(node, "class field");
        if (node.value === null) report(node, "class field without initializer (Espruino needs `x=…`)");
        break;
      case "Property":
        if (node.computed) report(node, "computed property name");
        else if (node.kind === "get" || node.kind === "set") checkMemberKey(node, "object getter/setter");
        break;
      case "ClassDeclaration": case "ClassExpression":
        if (node.superClass && node.superClass.type === "Identifier" && ERROR_CLASSES.has(node.superClass.name)) report(node.superClass, `class extends ${node.superClass.name}`);
        // 2v29 does not bind a class expression's own name inside its body (`var X = class t
        // { m() { return new t(); } }` throws "t is not defined"): use a declaration.
        if (node.type === "ClassExpression" && node.id) report(node.id, `named class expression "${node.id.name}" (its name is not bound in Espruino)`);
        break;
      case "BinaryExpression": if (node.operator === "**") report(node, "** operator"); break;
      case "AssignmentExpression": if (["**=", "??=", "||=", "&&="].includes(node.operator)) report(node, `${node.operator} operator`); break;
      case "Literal":
        if (node.bigint !== undefined) report(node, "BigInt literal");
        if (node.regex) { const why = badRegExp(node.regex.pattern, node.regex.flags); if (why) report(node, `RegExp with ${why} (silently fails on Espruino)`); }
        break;
      case "ArrayExpression": if (node.elements.some((e) => e === null)) report(node, "array hole"); break;
      case "SwitchStatement": {
        const d = node.cases.findIndex((c) => c.test === null);
        if (d >= 0 && d < node.cases.length - 1) report(node.cases[d + 1], "case after default");
        break;
      }
      case "MemberExpression":
        if (!node.computed && node.property.type === "Identifier") {
          const name = node.property.name;
          const obj = node.object;
          if (obj.type === "Identifier" && Object.hasOwn(MISSING_STATICS, obj.name) && MISSING_STATICS[obj.name].includes(name)) report(node, `${obj.name}.${name} does not exist on Espruino`);
          else if (MISSING_METHODS.has(name) && parent && parent.type === "CallExpression" && key === "callee") report(node.property, `.${name}() does not exist on Espruino`);
        }
        break;
      case "Identifier":
        if (ESBUILD_HELPER.test(node.name)) report(node, `esbuild helper ${node.name}`);
        if (node.name === "arguments" && inArrow()) report(node, "arguments inside an arrow function (empty on Espruino)");
        break;
    }
  }
  visit(ast, null, null);

  for (const b of bindings) {
    if (ESPRUINO_RESERVED.has(b.id.name)) report(b.id, `binding named "${b.id.name}", a reserved word in Espruino`);
    if (b.id.name === "require") report(b.id, "a binding named require hides Espruino's require()");
  }
  for (const r of references) {
    const name = r.id.name;
    if (r.decl) {
      if (r.decl.kind === "loop") {
        for (let s = r.scope; s && s !== r.decl; s = s.parent) {
          if (s.fn) { report(r.id, `closure captures the loop variable ${name} of a for (let/const …) loop (one shared binding on Espruino)`); break; }
        }
      }
      continue;
    }
    if (MISSING_GLOBALS.has(name)) report(r.id, `${name} does not exist on Espruino`);
    else if (name === "of" || name === "let" || name === "static") report(r.id, `identifier "${name}", a reserved word in Espruino`);
    else if (name === "module" && options.part && isPartExport(r, ast)) continue;
    else if (name === "module" || name === "exports") report(r.id, `CommonJS ${name} (an esbuild wrapper)`);
    else if (name === "require") {
      const call = r.parent && r.parent.type === "CallExpression" && r.key === "callee" ? r.parent : null;
      const literal = call && call.arguments.length === 1 && call.arguments[0].type === "Literal" && typeof call.arguments[0].value === "string";
      // require(name) with a computed name: a board part from Storage (src/hal/espruino/parts.ts).
      if (!call || call.arguments.length !== 1) report(r.id, "require used other than as require(\"Name\") (esbuild's __require wrapper tests Proxy)");
    }
  }
  for (const a of lazyThisArrows(ast)) report(a, "arrow function using `this` where Espruino parses it without running it (in a `&&`/`||`/`??` operand, a `?:` branch, an if/loop/case body without braces, or the expression body of another arrow): the 2v29 parser asserts on it; use a block `{…}` or a `function`/method");

  for (const g of misplacedFunctions(ast)) for (const f of g.moved) report(f, `function ${f.id.name} declared after other statements (Espruino does not hoist)`);

  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return problems;
}

/** `module` in a part's one top-level `module.exports=…;` (build/parts.mjs exportPart). */
function isPartExport(r, ast) {
  const m = r.parent;
  if (!m || m.type !== "MemberExpression" || m.computed || m.property.name !== "exports") return false;
  return ast.body.some((s) => s.type === "ExpressionStatement" && s.expression.type === "AssignmentExpression" && s.expression.left === m);
}

/** The module names a bundle loads with literal require("Name") calls, sorted. */
export function requiredModules(code) {
  const names = new Set();
  const { references } = analyze(parseBundle(code));
  for (const r of references) {
    if (r.id.name !== "require" || r.decl || !r.parent || r.parent.type !== "CallExpression" || r.key !== "callee") continue;
    const a = r.parent.arguments[0];
    if (a && a.type === "Literal" && typeof a.value === "string") names.add(a.value);
  }
  return [...names].sort();
}
