// A small ESTree walker and scope analysis for the bundle passes (rename, check). Enough for
// esbuild's output: var/let/const/function/class/catch/for-head scopes; no `with`, no eval.
import * as acorn from "acorn";

/** Parses a bundle; class fields need ES2022 syntax (the check refuses what Espruino lacks). */
export function parseBundle(code) {
  return acorn.parse(code, { ecmaVersion: 2022, sourceType: "script", locations: true, allowHashBang: false });
}

/** Child nodes of an ESTree node, with the key they hang from. */
export function childrenOf(node) {
  const out = [];
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const v = node[key];
    if (!v || typeof v !== "object") continue;
    if (Array.isArray(v)) { for (const c of v) if (c && typeof c.type === "string") out.push([c, key]); }
    else if (typeof v.type === "string") out.push([v, key]);
  }
  return out;
}

/** Depth-first walk; `enter(node, parent, key)` returning false skips the node's children. */
export function walk(node, enter, parent = null, key = null) {
  if (enter(node, parent, key) === false) return;
  for (const [c, k] of childrenOf(node)) walk(c, enter, node, k);
}

/** Identifier positions that are names, not variables: property keys, member names, labels. */
export function isNonVariableName(parent, key) {
  if (!parent) return false;
  switch (parent.type) {
    case "MemberExpression": return key === "property" && !parent.computed;
    case "Property": case "MethodDefinition": case "PropertyDefinition": return key === "key" && !parent.computed;
    case "LabeledStatement": case "BreakStatement": case "ContinueStatement": return key === "label";
    case "MetaProperty": return true;
    case "ImportSpecifier": case "ExportSpecifier": case "ImportDefaultSpecifier": case "ImportNamespaceSpecifier": return true;
  }
  return false;
}

/**
 * @typedef {{ node: object, kind: string, parent: Scope|null, names: Set<string>, fn: boolean }} Scope
 * kind: program | function | field | block | loop (a for head with let/const) | catch | class | switch
 */

/**
 * Scope analysis. Returns the bindings (declaring identifiers), the references (every other
 * variable identifier, with the scope it appears in and the scope that declares it, or null
 * for a global) and the scope each scope-creating node opens.
 */
export function analyze(ast) {
  const scopeOf = new Map();
  const bindingIds = new Set();
  const bindings = [];
  let cur = null;

  const open = (node, kind) => {
    const s = { node, kind, parent: cur, names: new Set(), fn: kind === "program" || kind === "function" || kind === "field" };
    scopeOf.set(node, s);
    cur = s;
    return s;
  };
  const close = (s) => { cur = s.parent; };
  const fnScope = (s) => { while (!s.fn) s = s.parent; return s; };
  const declare = (id, scope) => { scope.names.add(id.name); bindingIds.add(id); bindings.push({ id, scope }); };
  const declarePattern = (p, scope) => {
    if (!p) return;
    switch (p.type) {
      case "Identifier": declare(p, scope); break;
      case "ObjectPattern": for (const q of p.properties) { if (q.type === "RestElement") declarePattern(q.argument, scope); else { if (q.computed) visit(q.key, q, "key"); declarePattern(q.value, scope); } } break;
      case "ArrayPattern": for (const e of p.elements) declarePattern(e, scope); break;
      case "RestElement": declarePattern(p.argument, scope); break;
      case "AssignmentPattern": declarePattern(p.left, scope); visit(p.right, p, "right"); break;
      default: visit(p, null, null); // a member expression target in an assignment pattern
    }
  };
  const visitAll = (node) => { for (const [c, k] of childrenOf(node)) visit(c, node, k); };
  const enterFunction = (node) => {
    const s = open(node, "function");
    if (node.type === "FunctionExpression" && node.id) declare(node.id, s);
    for (const p of node.params) declarePattern(p, s);
    if (node.body.type === "BlockStatement") { scopeOf.set(node.body, s); for (const st of node.body.body) visit(st, node.body, "body"); }
    else visit(node.body, node, "body");
    close(s);
  };
  const enterClass = (node) => {
    if (node.superClass) visit(node.superClass, node, "superClass");
    const s = open(node, "class");
    if (node.id && node.type === "ClassDeclaration") s.names.add(node.id.name);
    else if (node.id) declare(node.id, s);
    visit(node.body, node, "body");
    close(s);
  };

  function visit(node, parent, key) {
    switch (node.type) {
      case "Program": { const s = open(node, "program"); visitAll(node); close(s); return; }
      case "FunctionDeclaration": if (node.id) declare(node.id, cur); enterFunction(node); return;
      case "FunctionExpression": case "ArrowFunctionExpression": enterFunction(node); return;
      case "ClassDeclaration": if (node.id) declare(node.id, cur); enterClass(node); return;
      case "ClassExpression": enterClass(node); return;
      case "BlockStatement": case "StaticBlock": { const s = open(node, node.type === "StaticBlock" ? "function" : "block"); visitAll(node); close(s); return; }
      case "ForStatement": case "ForInStatement": case "ForOfStatement": {
        const head = node.type === "ForStatement" ? node.init : node.left;
        if (head && head.type === "VariableDeclaration" && head.kind !== "var") { const s = open(node, "loop"); visitAll(node); close(s); }
        else visitAll(node);
        return;
      }
      case "CatchClause": { const s = open(node, "catch"); declarePattern(node.param, s); visit(node.body, node, "body"); close(s); return; }
      case "SwitchStatement": { visit(node.discriminant, node, "discriminant"); const s = open(node, "switch"); for (const c of node.cases) visit(c, node, "cases"); close(s); return; }
      case "VariableDeclaration":
        for (const d of node.declarations) { declarePattern(d.id, node.kind === "var" ? fnScope(cur) : cur); if (d.init) visit(d.init, d, "init"); }
        return;
      case "PropertyDefinition": case "MethodDefinition":
        if (node.computed) visit(node.key, node, "key");
        if (node.value) {
          if (node.type === "PropertyDefinition") { const s = open(node, "field"); visit(node.value, node, "value"); close(s); }
          else visit(node.value, node, "value");
        }
        return;
    }
    visitAll(node);
  }
  visit(ast, null, null);

  // Pass 2: resolve every variable reference against the scopes built above.
  const references = [];
  walkScoped(ast, scopeOf, (node, parent, key, scope) => {
    if (node.type === "Identifier" && !bindingIds.has(node) && !isNonVariableName(parent, key)) {
      let d = scope;
      while (d && !d.names.has(node.name)) d = d.parent;
      references.push({ id: node, parent, key, scope, decl: d });
    }
  });
  return { scopeOf, bindings, bindingIds, references };
}

/** Walks with the innermost scope of each node (a class's superClass sits outside the class). */
function walkScoped(ast, scopeOf, fn) {
  const go = (node, parent, key, scope) => {
    const own = scopeOf.get(node);
    const inner = own ?? scope;
    fn(node, parent, key, inner);
    for (const [c, k] of childrenOf(node)) {
      if ((node.type === "ClassDeclaration" || node.type === "ClassExpression") && k === "superClass") go(c, node, k, scope);
      else if (node.type === "PropertyDefinition" && k === "key") go(c, node, k, scope);
      else go(c, node, k, inner);
    }
  };
  go(ast, null, null, null);
}
