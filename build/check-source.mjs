// The source check: walks the TypeScript syntax of src/ and board/ (no type checking) and
// refuses what Espruino 2v29 cannot run or what esbuild would silently rewrite into
// something it cannot run (`**` → Math.pow, `?.`, object spread helpers…), and enforces the
// layer order of src/ (LAYERS). docs/espruino-notes.md "How TypeScript gets there".
import ts from "typescript";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BUILTIN_MODULES, CLOCK_GLOBALS, ERROR_CLASSES, ESPRUINO_RESERVED, MISSING_GLOBALS,
  MISSING_METHODS, MISSING_STATICS, isEspruinoGlobal,
} from "./espruino-rules.mjs";

const SK = ts.SyntaxKind;
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** @typedef {{ file: string, line: number, column: number, message: string }} Problem */

/** `file:line:col: message`. */
export function formatProblem(p) {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}

const posix = (p) => p.split(sep).join("/");

/**
 * "espruino" for src/hal/espruino/ and board/ (may use Espruino globals and timers),
 * "src" for the rest of src/, "other" outside both.
 */
export function zoneOf(relPath) {
  if (relPath.startsWith("src/hal/espruino/") || relPath.startsWith("board/")) return "espruino";
  if (relPath.startsWith("src/")) return "src";
  return "other";
}

/**
 * The layer order (docs/architecture.md "Layers"): a file may import only its own layer and
 * the layers before it. Device drivers (pn532, display) share a rank: beside each other, so
 * neither imports the other. `sim` may import every src/ layer; board/ is on top (host/ and
 * test/ are not bundled and not checked here). Every folder under src/ must be listed.
 */
export const LAYERS = [["bytes"], ["hal"], ["apdu"], ["pn532", "display"], ["nfc"], ["emv"], ["auth"], ["app"], ["sim"], ["board"]];
const LAYER_RANK = new Map(LAYERS.flatMap((names, rank) => names.map((n) => [n, rank])));
const LAYER_ORDER = LAYERS.map((names) => names.join(" | ")).join(" → ");

/**
 * The layer of a path relative to the root: "board" for board/, the first folder under src/
 * ("bytes", "emv", …; src/hal/espruino/ is "hal"), "" for a src/ folder that is not a layer
 * (or a file directly in src/), null outside src/ and board/.
 */
export function layerOf(relPath) {
  if (relPath.startsWith("board/")) return "board";
  if (!relPath.startsWith("src/")) return null;
  const rest = relPath.slice(4);
  const slash = rest.indexOf("/");
  const name = slash < 0 ? "" : rest.slice(0, slash);
  return LAYER_RANK.has(name) ? name : "";
}

/** Every .ts/.js file (not .d.ts) under `root`/src and `root`/board, sorted. */
export function listSourceFiles(root = ROOT) {
  const out = [];
  const walk = (dir) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js|mjs)$/.test(e.name) && !e.name.endsWith(".d.ts")) out.push(p);
    }
  };
  walk(join(root, "src"));
  walk(join(root, "board"));
  return out.sort();
}

/** Checks files read from disk. @returns {Problem[]} */
export function checkSourceFiles(files, options = {}) {
  const problems = [];
  for (const f of files) problems.push(...checkSourceText(f, readFileSync(f, "utf8"), options));
  return problems;
}

const FUNCTION_KINDS = new Set([
  SK.FunctionDeclaration, SK.FunctionExpression, SK.ArrowFunction, SK.MethodDeclaration,
  SK.Constructor, SK.GetAccessor, SK.SetAccessor, SK.ClassStaticBlockDeclaration,
]);
const isFunctionLike = (n) => FUNCTION_KINDS.has(n.kind);

const DECLARATION_PARENTS = new Set([
  SK.VariableDeclaration, SK.Parameter, SK.FunctionDeclaration, SK.FunctionExpression,
  SK.ClassDeclaration, SK.ClassExpression, SK.EnumDeclaration, SK.ImportClause,
  SK.NamespaceImport, SK.ImportEqualsDeclaration, SK.ModuleDeclaration,
]);

/** True when `id` names a declared binding (variable, parameter, function, class, import…). */
function isDeclarationName(id) {
  const p = id.parent;
  if (DECLARATION_PARENTS.has(p.kind)) return p.name === id;
  if (p.kind === SK.BindingElement) return p.name === id;
  if (p.kind === SK.ImportSpecifier) return p.name === id;
  return false;
}

const NAME_PARENTS = new Set([
  SK.PropertyAssignment, SK.PropertyDeclaration, SK.MethodDeclaration, SK.GetAccessor,
  SK.SetAccessor, SK.PropertySignature, SK.MethodSignature, SK.EnumMember,
]);

/** True when `id` reads a variable (not a property name, declaration, label or type). */
function isReference(id) {
  const p = id.parent;
  if (!p) return false;
  if (isDeclarationName(id)) return false;
  if (p.kind === SK.PropertyAccessExpression) return p.expression === id;
  if (NAME_PARENTS.has(p.kind)) return p.name !== id;
  if (p.kind === SK.BindingElement) return p.propertyName !== id && p.name !== id;
  switch (p.kind) {
    case SK.ImportSpecifier: case SK.ExportSpecifier: case SK.LabeledStatement:
    case SK.BreakStatement: case SK.ContinueStatement: case SK.MetaProperty:
    case SK.QualifiedName: case SK.TypeParameter: case SK.NamespaceExport:
    case SK.InterfaceDeclaration: case SK.TypeAliasDeclaration:
      return false;
  }
  return true;
}

/** Type-only syntax, erased by esbuild: not checked. */
function isTypeOnly(node) {
  switch (node.kind) {
    case SK.InterfaceDeclaration: case SK.TypeAliasDeclaration: return true;
    case SK.ExpressionWithTypeArguments: {
      const clause = node.parent;
      return !(clause.token === SK.ExtendsKeyword && ts.isClassLike(clause.parent));
    }
  }
  return ts.isTypeNode(node);
}

function bindingNames(name, out) {
  if (ts.isIdentifier(name)) out.add(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
  return out;
}

const isLexical = (list) => (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;

/** Names declared by `node`'s own scope (approximate: a function's names include its blocks'). */
function localNames(node) {
  const out = new Set();
  const addStatement = (s) => {
    if (ts.isVariableStatement(s) && isLexical(s.declarationList)) for (const d of s.declarationList.declarations) bindingNames(d.name, out);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) out.add(s.name.text);
  };
  if (isFunctionLike(node)) {
    if (node.parameters) for (const p of node.parameters) bindingNames(p.name, out);
    if (ts.isFunctionExpression(node) && node.name) out.add(node.name.text);
    const collect = (n) => {
      if (n !== node && isFunctionLike(n)) { if (ts.isFunctionDeclaration(n) && n.name) out.add(n.name.text); return; }
      if (ts.isVariableDeclaration(n)) bindingNames(n.name, out);
      else if (ts.isClassDeclaration(n) && n.name) out.add(n.name.text);
      ts.forEachChild(n, collect);
    };
    if (node.body) collect(node.body);
  } else if (ts.isBlock(node) || ts.isSourceFile(node)) {
    node.statements.forEach(addStatement);
  } else if (ts.isCaseBlock(node)) {
    for (const c of node.clauses) c.statements.forEach(addStatement);
  } else if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) &&
    node.initializer && ts.isVariableDeclarationList(node.initializer) && isLexical(node.initializer)) {
    for (const d of node.initializer.declarations) bindingNames(d.name, out);
  } else if (ts.isCatchClause(node) && node.variableDeclaration) {
    bindingNames(node.variableDeclaration.name, out);
  }
  return out;
}

/**
 * Checks one file's text. `options.root` decides the zone (default: this repository).
 * @returns {Problem[]}
 */
export function checkSourceText(fileName, text, options = {}) {
  const root = options.root ?? ROOT;
  const rel = posix(relative(root, fileName));
  const display = rel.startsWith("..") ? fileName : rel;
  const zone = zoneOf(rel);
  const kind = /\.m?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const problems = [];
  const seen = new Set();
  const report = (node, message) => {
    const pos = node.getStart(sf);
    const key = pos + message;
    if (seen.has(key)) return;
    seen.add(key);
    const lc = sf.getLineAndCharacterOfPosition(pos);
    problems.push({ file: display, line: lc.line + 1, column: lc.character + 1, message });
  };
  for (const d of sf.parseDiagnostics ?? []) {
    const lc = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    problems.push({ file: display, line: lc.line + 1, column: lc.character + 1, message: "syntax error: " + ts.flattenDiagnosticMessageText(d.messageText, " ") });
  }

  const declared = new Set();
  const collect = (n) => {
    if (ts.isIdentifier(n) && isDeclarationName(n)) declared.add(n.text);
    ts.forEachChild(n, collect);
  };
  collect(sf);
  const isFree = (id) => ts.isIdentifier(id) && !declared.has(id.text);
  if (layerOf(rel) === "") {
    const folder = rel.split("/").length > 2 ? rel.split("/").slice(0, 2).join("/") + "/" : rel;
    problems.push({ file: display, line: 1, column: 1, message: `${folder} is not a layer: put src/ code in one of ${LAYER_ORDER} (or add the folder to LAYERS in build/check-source.mjs and to docs/architecture.md)` });
  }
  const outside = "outside src/hal/espruino/ and board/";

  function checkSpecifier(node, spec) {
    if (!spec.startsWith(".")) {
      if (BUILTIN_MODULES.has(spec)) report(node, `import of Espruino built-in module "${spec}": never import built-in modules (esbuild wraps them in __toESM/__require); call require("${spec}") in src/hal/espruino/`);
      else report(node, `import of package "${spec}": src/ and board/ import only from src/`);
      return;
    }
    const target = posix(relative(root, resolve(dirname(fileName), spec)));
    if (!target.startsWith("src/") && !target.startsWith("board/")) report(node, `import from outside src/ and board/: "${spec}"`);
    else if (zone === "src" && target.startsWith("board/")) report(node, `import of board code from src/: "${spec}"`);
    else if (zone === "src" && target.startsWith("src/hal/espruino/")) report(node, `import of src/hal/espruino/ from portable src/ code: "${spec}" (only board/ composes Espruino adapters)`);
    else checkLayers(node, target);
  }

  /** An import from a later layer (or a beside one) is refused, naming both files and layers. */
  function checkLayers(node, target) {
    const from = layerOf(rel);
    const to = layerOf(target);
    if (!from || !to || from === to) return;
    if (LAYER_RANK.get(to) < LAYER_RANK.get(from)) return;
    const how = LAYER_RANK.get(to) === LAYER_RANK.get(from) ? "a layer beside it" : "a later layer";
    report(node, `upward import: ${rel} (layer ${from}) imports ${target} (layer ${to}), ${how}; a layer imports only itself and the layers before it: ${LAYER_ORDER}`);
  }

  function checkMemberName(member, what) {
    const name = member.name;
    if (!name || ts.isPrivateIdentifier(name) || ts.isComputedPropertyName(name)) return;
    if (ts.isIdentifier(name)) {
      if (ESPRUINO_RESERVED.has(name.text)) report(name, `${what} named "${name.text}": a reserved word in Espruino, which then fails to parse the class`);
    } else {
      report(name, `${what} named by a ${ts.isStringLiteral(name) ? "string" : "number"} literal: Espruino accepts only identifiers there`);
    }
  }

  function checkLoopClosures(loop) {
    const names = localNames(loop);
    if (names.size === 0) return;
    const head = ts.isForStatement(loop) ? "for (let …;;)" : ts.isForOfStatement(loop) ? "for (const … of …)" : "for (const … in …)";
    const parts = ts.isForStatement(loop) ? [loop.condition, loop.incrementor, loop.statement] : [loop.statement];
    const walk = (node, inFn, shadow) => {
      if (!node || isTypeOnly(node)) return;
      if (ts.isIdentifier(node)) {
        if (inFn && names.has(node.text) && !shadow.has(node.text) && isReference(node)) {
          report(node, `closure captures loop variable "${node.text}" of ${head}: Espruino shares one binding across iterations; copy it into a const inside the body first`);
        }
        return;
      }
      let fn = inFn;
      let sh = shadow;
      const own = isFunctionLike(node) || ts.isBlock(node) || ts.isCaseBlock(node) || ts.isCatchClause(node) ||
        ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
      if (isFunctionLike(node) || ts.isClassLike(node)) fn = true;
      if (own) {
        const locals = localNames(node);
        for (const n of names) if (locals.has(n)) { sh = new Set(sh); sh.add(n); }
      }
      ts.forEachChild(node, (c) => walk(c, fn, sh));
    };
    for (const p of parts) walk(p, false, new Set());
  }

  /**
   * True for a field initializer whose value is the same for every instance in JavaScript
   * too: literals, names of constants, property reads off names, and operators over those.
   * Espruino 2v29 evaluates an instance field's initializer once per class, not once per
   * instance (docs/espruino-notes.md "Traps"), so `x = []`, `x = {}`, `new …`, calls and
   * closures would be shared by all instances.
   */
  function isSharedSafe(e) {
    switch (e.kind) {
      case SK.NumericLiteral: case SK.StringLiteral: case SK.NoSubstitutionTemplateLiteral:
      case SK.TrueKeyword: case SK.FalseKeyword: case SK.NullKeyword: case SK.Identifier:
        return true;
      case SK.PropertyAccessExpression: return !e.questionDotToken && isSharedSafe(e.expression);
      case SK.ParenthesizedExpression: case SK.AsExpression: case SK.NonNullExpression:
      case SK.TypeAssertionExpression: case SK.SatisfiesExpression: case SK.VoidExpression:
        return isSharedSafe(e.expression);
      case SK.PrefixUnaryExpression: return isSharedSafe(e.operand);
      case SK.BinaryExpression: return isSharedSafe(e.left) && isSharedSafe(e.right);
      case SK.ConditionalExpression: return isSharedSafe(e.condition) && isSharedSafe(e.whenTrue) && isSharedSafe(e.whenFalse);
      case SK.TemplateExpression: return e.templateSpans.every((t) => isSharedSafe(t.expression));
    }
    return false;
  }

  function nearestFunction(node) {
    for (let p = node.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
    return null;
  }

  /** A literal or concatenated string needle of 2+ characters (a one-character one cannot run past the end). */
  function isLongStringNeedle(a) {
    if (ts.isStringLiteralLike(a)) return a.text.length >= 2;
    if (ts.isTemplateExpression(a)) return true;
    if (ts.isBinaryExpression(a) && a.operatorToken.kind === SK.PlusToken) return ts.isStringLiteralLike(a.left) || ts.isStringLiteralLike(a.right) || isLongStringNeedle(a.left) || isLongStringNeedle(a.right);
    if (ts.isParenthesizedExpression(a)) return isLongStringNeedle(a.expression);
    return false;
  }

  function visit(node) {
    if (isTypeOnly(node)) return;
    check(node);
    ts.forEachChild(node, visit);
  }

  function check(node) {
    switch (node.kind) {
      case SK.ObjectBindingPattern: case SK.ArrayBindingPattern:
        report(node, "destructuring (not supported by Espruino)"); break;
      case SK.BinaryExpression: {
        const op = node.operatorToken.kind;
        if (op === SK.EqualsToken && (ts.isObjectLiteralExpression(node.left) || ts.isArrayLiteralExpression(node.left))) report(node, "destructuring assignment (not supported by Espruino)");
        else if (op === SK.AsteriskAsteriskToken || op === SK.AsteriskAsteriskEqualsToken) report(node.operatorToken, "`**`: esbuild rewrites it to Math.pow, which is inexact on Espruino; multiply or shift instead");
        else if (op === SK.QuestionQuestionEqualsToken || op === SK.BarBarEqualsToken || op === SK.AmpersandAmpersandEqualsToken) report(node.operatorToken, `logical assignment \`${ts.tokenToString(op)}\` (not supported by Espruino)`);
        break;
      }
      case SK.ForOfStatement: case SK.ForInStatement:
        if (node.awaitModifier) report(node, "for await (not supported by Espruino)");
        if (ts.isObjectLiteralExpression(node.initializer) || ts.isArrayLiteralExpression(node.initializer)) report(node.initializer, "destructuring in a for head (not supported by Espruino)");
        if (ts.isVariableDeclarationList(node.initializer) && isLexical(node.initializer)) checkLoopClosures(node);
        break;
      case SK.ForStatement:
        if (node.initializer && ts.isVariableDeclarationList(node.initializer) && isLexical(node.initializer)) checkLoopClosures(node);
        break;
      case SK.VariableDeclarationList:
        {
          const scoped = node.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using);
          if (scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing) report(node, "`using` declaration (not supported by Espruino)");
        }
        break;
      case SK.Parameter:
        if (node.initializer) report(node, "default parameter (not supported by Espruino): test for undefined in the body");
        if (node.dotDotDotToken) report(node, "rest parameter (not supported by Espruino): pass an array");
        if (ts.isParameterPropertyDeclaration(node, node.parent) && ESPRUINO_RESERVED.has(node.name.text)) report(node.name, `class member named "${node.name.text}": a reserved word in Espruino`);
        break;
      case SK.SpreadElement:
        report(node, "spread `...` (not supported by Espruino)"); break;
      case SK.SpreadAssignment:
        report(node, "object spread `{...x}` (esbuild would add helpers; not supported by Espruino): use Object.assign"); break;
      case SK.PropertyAccessExpression: case SK.ElementAccessExpression: case SK.CallExpression:
        if (node.questionDotToken) report(node.questionDotToken, "optional chaining `?.`: esbuild lowers it to bulky conditionals; test explicitly");
        if (ts.isPropertyAccessExpression(node)) {
          const obj = node.expression;
          const name = node.name.text;
          if (isFree(obj) && Object.hasOwn(MISSING_STATICS, obj.text) && MISSING_STATICS[obj.text].includes(name)) report(node, `${obj.text}.${name} does not exist on Espruino`);
          else if (MISSING_METHODS.has(name) && ts.isCallExpression(node.parent) && node.parent.expression === node) report(node.name, `.${name}() does not exist on Espruino`);
        }
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "indexOf" || callee.name.text === "includes") && node.arguments.length > 0 && isLongStringNeedle(node.arguments[0])) {
            report(node, `.${callee.name.text}() with a string of 2+ characters: on Espruino 2v29 a tail that is a prefix of it counts as a match ("ab".indexOf("bc") is 1); use find() (src/bytes/find.ts) or startsWith`);
          }
          if (node.expression.kind === SK.ImportKeyword) report(node, "dynamic import() (not supported by Espruino)");
          else if (isFree(node.expression) && node.expression.text === "require" && zone === "espruino") {
            const a = node.arguments;
            if (a.length !== 1 || !ts.isStringLiteralLike(a[0])) report(node, "require() needs exactly one string literal (the espruino CLI scans for require(\"Name\"))");
          }
        }
        break;
      case SK.LabeledStatement:
        report(node, "label (not supported by Espruino)"); break;
      case SK.ComputedPropertyName:
        report(node, "computed property name (not supported by Espruino)"); break;
      case SK.TaggedTemplateExpression:
        report(node, "tagged template (not supported by Espruino)"); break;
      case SK.MetaProperty:
        report(node, `${node.keywordToken === SK.NewKeyword ? "new" : "import"}.${node.name.text} (not supported by Espruino)`); break;
      case SK.PrivateIdentifier:
        report(node, "#private member (esbuild lowers it to WeakMap; not on Espruino): use a plain field"); break;
      case SK.Decorator:
        report(node, "decorator (esbuild adds helpers Espruino cannot run)"); break;
      case SK.ClassStaticBlockDeclaration:
        report(node, "class static block (not supported by Espruino)"); break;
      case SK.ClassDeclaration: case SK.ClassExpression: {
        for (const h of node.heritageClauses ?? []) {
          if (h.token !== SK.ExtendsKeyword) continue;
          const base = h.types[0]?.expression;
          if (base && isFree(base) && ERROR_CLASSES.has(base.text)) report(h, `class … extends ${base.text} (broken on Espruino): use codedError()`);
        }
        for (const m of node.members) {
          if (ts.isIndexSignatureDeclaration(m) || ts.isSemicolonClassElement(m) || ts.isConstructorDeclaration(m)) continue;
          const mods = ts.getCombinedModifierFlags(m);
          if (mods & (ts.ModifierFlags.Ambient | ts.ModifierFlags.Abstract)) continue;
          if (ts.isMethodDeclaration(m) && !m.body) continue;
          if (m.modifiers?.some((x) => x.kind === SK.AccessorKeyword)) report(m, "auto-accessor `accessor` (esbuild lowers it to WeakMap)");
          checkMemberName(m, "class member");
          if (ts.isPropertyDeclaration(m) && m.initializer && !(mods & ts.ModifierFlags.Static) && !isSharedSafe(m.initializer)) {
            report(m.initializer, `class field ${m.name.getText(sf)} initialized with ${m.initializer.getText(sf).slice(0, 30)}: Espruino evaluates a field initializer once and every instance shares the value (one array, object or closure for all); assign it in the constructor`);
          }
        }
        break;
      }
      case SK.ObjectLiteralExpression:
        for (const m of node.properties) if (ts.isGetAccessor(m) || ts.isSetAccessor(m)) checkMemberName(m, "object getter/setter");
        break;
      case SK.SuperKeyword:
        if (nearestFunction(node)?.kind === SK.ArrowFunction) report(node, "`super` inside an arrow function (SyntaxError on Espruino)");
        break;
      case SK.AwaitExpression:
        report(node, "await (not supported by Espruino): chain promises"); break;
      case SK.YieldExpression:
        report(node, "yield (generators are not supported by Espruino)"); break;
      case SK.RegularExpressionLiteral:
        report(node, "RegExp literal (Espruino's RegExp is unreliable): scan characters instead"); break;
      case SK.BigIntLiteral:
        report(node, "BigInt literal (not supported by Espruino)"); break;
      case SK.OmittedExpression:
        if (ts.isArrayLiteralExpression(node.parent)) report(node, "array hole `[a, , b]` (a SyntaxError in some Espruino contexts)");
        break;
      case SK.CaseBlock: {
        let afterDefault = false;
        for (const c of node.clauses) {
          if (afterDefault && ts.isCaseClause(c)) { report(c, "`case` after `default` (not supported by Espruino)"); break; }
          if (ts.isDefaultClause(c)) afterDefault = true;
        }
        break;
      }
      case SK.ImportDeclaration: case SK.ExportDeclaration:
        if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) checkSpecifier(node, node.moduleSpecifier.text);
        break;
      case SK.ImportEqualsDeclaration:
        if (ts.isExternalModuleReference(node.moduleReference)) report(node, "import = require() (not supported here): use require() in src/hal/espruino/");
        break;
      case SK.WithStatement:
        report(node, "with statement"); break;
      case SK.Identifier:
        checkIdentifier(node); break;
    }
    if (isFunctionLike(node)) {
      if (node.modifiers?.some((m) => m.kind === SK.AsyncKeyword)) report(node, "async function (not supported by Espruino): return a Promise chain");
      if (node.asteriskToken) report(node, "generator function (not supported by Espruino)");
    }
  }

  function checkIdentifier(id) {
    const name = id.text;
    if (isDeclarationName(id)) {
      if (ESPRUINO_RESERVED.has(name)) report(id, `binding named "${name}": a reserved word in Espruino`);
      return;
    }
    if (!isReference(id) || declared.has(name)) return;
    if (MISSING_GLOBALS.has(name)) report(id, `${name} does not exist on Espruino`);
    else if (name === "RegExp") report(id, "RegExp (unreliable on Espruino): scan characters instead");
    else if (name === "arguments") {
      if (nearestFunction(id)?.kind === SK.ArrowFunction) report(id, "`arguments` inside an arrow function (empty on Espruino)");
    } else if (zone !== "espruino" && CLOCK_GLOBALS.has(name)) {
      report(id, `${name} ${outside}: use the injected Clock (src/hal/types.ts)`);
    } else if (zone !== "espruino" && isEspruinoGlobal(name)) {
      report(id, `Espruino global ${name} ${outside}: receive it as an argument (hal interfaces)`);
    }
  }

  visit(sf);
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return problems;
}
