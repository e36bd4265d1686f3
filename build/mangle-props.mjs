// Property-name mangling, only for names proved internal (issue 9: esp32 ≤ 96 KB, JsVars).
//
// Property names were ~22 KB of the 103 KB esp32 bundle, and every property of every object
// costs its name in JsVars on the board (a name of more than a few characters takes extra
// blocks). A short name is both. But a name must never change where it leaves or enters the
// bundle: Storage records, config JSON, the acquirer's and the till's JSON, the members of
// Espruino's built-ins and modules (Storage, http req/res, I2C, Graphics, Wifi, E, process…).
//
// The proof is done with the TypeScript checker over src/ and board/ (src/tsconfig.json), once
// per build, name by name (esbuild renames a name everywhere, so one unsafe use of a name
// reserves it everywhere). A name may be mangled only when it is declared as a member in
// src/ or board/ TypeScript (not in a .d.ts, not in JSON), and is RESERVED when any of these
// holds anywhere in the program:
//   1. a property access whose member does not resolve to a declaration (receiver `any`,
//      `unknown`, an index signature: JSON.parse results, http answers, error fields), or
//      resolves to a declaration in a .d.ts (Espruino's core and modules) or a .json file;
//   2. an object-literal key whose contextual type is `any`/`unknown`, has an index signature,
//      or gets that member from a .d.ts (options to Espruino APIs, codedError fields);
//   3. a value that escapes: an argument of a function declared outside src/ and board/
//      (JSON.stringify, Object.keys/assign, print, Storage, require("http")…, everything but
//      the array, string, typed-array, Promise, Math, timer and Function.bind/call members
//      that never read their argument's properties), a value assigned into an `any` or
//      index-signature slot, or the result of an external call that returns `any` and is
//      given a type (`JSON.parse(t) as Reversal`): every member name of its type, deeply
//      (properties' types, array elements, unions, function parameters and results). An
//      argument typed `any`/`unknown`/a type parameter that is a parameter of its function
//      makes that parameter escape, and the arguments of every call to it, until nothing new
//      escapes;
//   4. a member declared in any .d.ts of the program (the Espruino type library);
// and, in the bundle itself:
//   5. any string literal of the bundle (`o["name"]`, `"name" in o`, field lists);
//   6. the built-in member names below (what the interpreter's objects have or call).
// The mangled names are chosen here (esbuild's mangleCache), shortest to the most used, and
// never one of the reserved names, a keyword or an Espruino token.
import ts from "typescript";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as acorn from "acorn";

/** Member names of the interpreter's own objects and what it calls on ours (never generated, never mangled). */
export const BUILTIN_MEMBERS = (
  "length prototype constructor __proto__ toString toLocaleString valueOf toJSON hasOwnProperty isPrototypeOf " +
  "propertyIsEnumerable on emit removeListener removeAllListeners addListener prependListener then catch finally " +
  "apply bind call replaceWith name message stack code caller arguments get set value writable enumerable configurable " +
  "buffer byteLength byteOffset BYTES_PER_ELEMENT next done"
).split(" ");

/** Words that cannot be generated as names (JS keywords, Espruino's reserved tokens). */
const KEYWORDS = new Set((
  "break case catch class const continue debugger default delete do else export extends false finally for function if " +
  "import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
  "enum await implements package protected interface private public of undefined NaN Infinity get set async"
).split(" "));

/** External members that never read their arguments' properties (values pass through them opaque). */
const OPAQUE_PARENTS = new Set([
  "Array", "ReadonlyArray", "ArrayConstructor", "Promise", "PromiseConstructor", "PromiseLike", "Math", "String",
  "StringConstructor", "Function", "CallableFunction", "NewableFunction", "Uint8Array", "Int8Array", "Uint16Array",
  "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "DataView",
  "Number", "NumberConstructor", "Boolean", "Date", "DateConstructor", "Error", "ErrorConstructor",
  "TypeErrorConstructor", "Uint8ArrayConstructor", "ArrayBuffer", "ArrayBufferConstructor", "DataViewConstructor",
]);
// tpPart (board/parts.d.ts) hands a board part's value to the board's own code: both sides are
// built with one plan (build.mjs), so their names agree mangled (build/parts.mjs).
const OPAQUE_FUNCTIONS = new Set(["setTimeout", "setInterval", "clearTimeout", "clearInterval", "parseInt", "parseFloat", "isNaN", "isFinite", "Error", "TypeError", "String", "Number", "Boolean", "tpPart"]);

const cache = new Map();

/**
 * Names declared as members in src/ and board/, minus every name reserved by rules 1–4.
 * @param {string} root the repository (its src/tsconfig.json)
 * @param {string[]} [extraFiles] bundled TypeScript files outside src/ and board/ (test
 *   entries): analysed as our own code too
 * @returns {{ candidates: Set<string>, reserved: Set<string>, why: Map<string, string> }}
 */
export function internalPropertyNames(root, extraFiles = []) {
  root = resolve(root);
  const extra = new Set(extraFiles.map((f) => resolve(root, f)));
  const cacheKey = [root, ...[...extra].sort()].join("\n");
  if (cache.has(cacheKey)) return cache.get(cacheKey);
  const configPath = join(root, "src", "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`mangle-props: cannot read ${configPath}`);
  const rootNames = parsed.fileNames.concat([...extra]).map((f) => resolve(f)).sort();
  const onDisk = readDiskCache(root, rootNames);
  if (onDisk) {
    cache.set(cacheKey, onDisk);
    return onDisk;
  }
  const tp = Date.now();
  const program = ts.createProgram({ rootNames: parsed.fileNames.concat([...extra]), options: parsed.options });
  const checker = program.getTypeChecker();
  if (process.env.MANGLE_DEBUG) console.error(`mangle-props: program ${Date.now() - tp} ms`);
  const own = (file) => {
    const f = resolve(file);
    if (f.endsWith(".d.ts") || !f.endsWith(".ts")) return false;
    if (extra.has(f)) return true;
    const r = relative(root, f);
    return r.startsWith("src" + sep) || r.startsWith("board" + sep);
  };
  const candidates = new Set();
  const reserved = new Set();
  const why = new Map();
  // name → the files whose code (or declarations) reserve it: a board reserves the name when
  // one of them is in its bundle (see appliesTo).
  const reservedBy = new Map();
  let currentFile = "*";
  const reserve = (name, reason, file = currentFile) => {
    if (!reserved.has(name)) {
      reserved.add(name);
      why.set(name, reason);
      reservedBy.set(name, new Set());
    }
    reservedBy.get(name).add(file);
  };
  // Outside src/board, or an ambient declaration there (`declare const Graphics: …`).
  const externalDecl = (d) => !own(d.getSourceFile().fileName) || !!(d.flags & ts.NodeFlags.Ambient);
  const symExternal = (sym) => !sym || !sym.declarations || sym.declarations.length === 0 || sym.declarations.some(externalDecl);
  const F = ts.TypeFlags;
  const loose = (t) => !!(t.flags & (F.Any | F.Unknown | F.TypeParameter | F.NonPrimitive)) ||
    (t.isUnion() ? t.types.some(loose) : stringIndexed(t));
  const stringIndexed = (t) => checker.getIndexInfosOfType(t).some((i) => !!(i.keyType.flags & (F.String | F.Any)));

  // Rule 3: deep member names of a type.
  // Deep member names per type, walked once per type (then reserved for each file using it).
  const deepNames = new Map();
  function namesOf(root) {
    let names = deepNames.get(root);
    if (names) return names;
    names = new Set();
    const seen = new Set();
    const walk = (t) => {
      if (!t || seen.has(t)) return;
      seen.add(t);
      if (t.isUnion() || t.isIntersection()) {
        for (const c of t.types) walk(c);
        return;
      }
      if (!(t.flags & F.Object)) return;
      const sym = t.getSymbol();
      // Lib types (Uint8Array, Promise…): their own members are reserved by rule 4; their type
      // arguments (Promise<T>, T[]) are ours.
      const args = t.objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(t) : [];
      for (const a of args) walk(a);
      if (sym && sym.declarations && sym.declarations.length && sym.declarations.every(externalDecl)) return;
      for (const p of checker.getPropertiesOfType(t)) {
        names.add(p.getName());
        walk(checker.getTypeOfSymbol(p));
      }
      for (const info of checker.getIndexInfosOfType(t)) walk(info.type);
      for (const sig of t.getCallSignatures().concat(t.getConstructSignatures())) {
        for (const p of sig.getParameters()) walk(checker.getTypeOfSymbol(p));
        walk(sig.getReturnType());
      }
    };
    walk(root);
    deepNames.set(root, names);
    return names;
  }
  function collectType(t, reason) {
    if (!t) return;
    for (const n of namesOf(t)) reserve(n, reason);
  }

  const escapingParams = new Set(); // function nodes' "pos:i" and "name#i" of methods
  let changed = true;
  const strip = (e) => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression?.(e)) e = e.expression;
    return e;
  };
  function markParam(decl, reason) {
    const fn = decl.parent;
    const i = fn.parameters.indexOf(decl);
    const keys = [`${fn.getSourceFile().fileName}:${fn.pos}:${i}`];
    // A method (class, object literal, x.m = function): calls through an interface resolve to
    // the interface's member, so the method's name and position link them (conservatively).
    const n = ts.isMethodDeclaration(fn) ? fn.name : ts.isPropertyAssignment(fn.parent) ? fn.parent.name : ts.isBinaryExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.left) ? fn.parent.left.name : undefined;
    if (n && (ts.isIdentifier(n) || ts.isStringLiteral(n))) keys.push(`${n.text}#${i}`);
    for (const k of keys) if (!escapingParams.has(k)) {
      escapingParams.add(k);
      if (process.env.MANGLE_DEBUG) console.error(`escaping param ${relative(root, k)} (${reason})`);
      changed = true;
    }
  }
  function escape(expr, reason) {
    const t = checker.getTypeAtLocation(expr);
    collectType(t, reason);
    const e = strip(expr);
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) {
      for (const el of ts.isObjectLiteralExpression(e) ? e.properties : e.elements) {
        if (ts.isPropertyAssignment(el)) escape(el.initializer, reason);
        else if (ts.isShorthandPropertyAssignment(el)) escape(el.name, reason);
        else if (!ts.isObjectLiteralElementLike(el)) escape(el, reason);
      }
    }
    if (ts.isIdentifier(e) && loose(t)) {
      const s = checker.getSymbolAtLocation(e);
      const d = s && s.valueDeclaration;
      if (d && ts.isParameter(d) && own(d.getSourceFile().fileName)) markParam(d, reason);
    }
  }
  function calleeEscapeKeys(call) {
    const keys = [];
    const sig = checker.getResolvedSignature(call);
    const d = sig && sig.declaration;
    if (d && d.parameters) keys.push((i) => `${d.getSourceFile().fileName}:${d.pos}:${i}`);
    const c = strip(call.expression);
    if (ts.isPropertyAccessExpression(c)) keys.push((i) => `${c.name.text}#${i}`);
    else if (ts.isIdentifier(c)) {
      const s = checker.getSymbolAtLocation(c);
      const v = s && s.valueDeclaration;
      if (v && ts.isVariableDeclaration(v) && v.initializer && (ts.isFunctionExpression(v.initializer) || ts.isArrowFunction(v.initializer))) {
        const fn = v.initializer;
        keys.push((i) => `${fn.getSourceFile().fileName}:${fn.pos}:${i}`);
      }
    }
    return keys;
  }
  /** The callee is outside src/board and may read its arguments' members. */
  function externalReader(call) {
    const c = strip(call.expression);
    const t = checker.getTypeAtLocation(c);
    if (t.flags & (F.Any | F.Unknown)) return true;
    const sig = checker.getResolvedSignature(call);
    const d = sig && sig.declaration;
    if (!d) {
      // `new C()` of a class of ours without a constructor has no declaration to resolve.
      let sym = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(c) ? c.name : c);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
      return symExternal(sym);
    }
    if (own(d.getSourceFile().fileName) && !(d.flags & ts.NodeFlags.Ambient)) return false;
    if (ts.isIdentifier(c) && OPAQUE_FUNCTIONS.has(c.text)) return false;
    for (let p = d.parent; p; p = p.parent) {
      if ((ts.isInterfaceDeclaration(p) || ts.isClassDeclaration(p)) && p.name) return !OPAQUE_PARENTS.has(p.name.text);
    }
    return true;
  }

  /** An `any`/`unknown` value, or the result of an external call. */
  function fromOutside(e) {
    if (checker.getTypeAtLocation(e).flags & (F.Any | F.Unknown)) return true;
    e = strip(e);
    const t = checker.getTypeAtLocation(e);
    if (t.flags & (F.Any | F.Unknown)) return true;
    const ts_ = t.getSymbol();
    if (ts_ && ts_.declarations && ts_.declarations.length && ts_.declarations.every(externalDecl) && !OPAQUE_PARENTS.has(ts_.getName())) return true;
    return (ts.isCallExpression(e) || ts.isNewExpression(e)) && externalReader(e);
  }

  const files = program.getSourceFiles().filter((f) => own(f.fileName));
  // Rule 4 and the declared members of .d.ts files.
  for (const f of program.getSourceFiles()) {
    if (own(f.fileName)) continue;
    const rel = relative(root, f.fileName);
    if (rel.startsWith("node_modules")) continue;
    const file = resolve(f.fileName);
    (function walk(n) {
      if ((ts.isPropertySignature(n) || ts.isMethodSignature(n) || ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isPropertyAssignment(n)) && n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) reserve(n.name.text, `declared in ${rel}`, file);
      if ((ts.isFunctionDeclaration(n) || ts.isVariableDeclaration(n) || ts.isModuleDeclaration(n)) && n.name && ts.isIdentifier(n.name)) reserve(n.name.text, `declared in ${rel}`, file);
      ts.forEachChild(n, walk);
    })(f);
  }

  function visitOnce(f, pass) {
    currentFile = resolve(f.fileName);
    (function walk(n) {
      const file = f.fileName;
      if (pass === 0 && n.flags & ts.NodeFlags.Ambient) {
        // An ambient declaration in our code describes Espruino: its member names, and every
        // type it names (MonoGraphics returned by Graphics.createArrayBuffer), are external.
        if ((ts.isPropertySignature(n) || ts.isMethodSignature(n)) && n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) reserve(n.name.text, `ambient in ${relative(root, file)}`);
        if (ts.isTypeReferenceNode(n)) collectType(checker.getTypeAtLocation(n), `named by an ambient declaration in ${relative(root, file)}`);
        ts.forEachChild(n, walk);
        return;
      }
      if (pass === 0) {
        // A value of Espruino's given a type of ours: that type's members are Espruino's.
        if ((ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) && fromOutside(n.expression)) collectType(checker.getTypeAtLocation(n), `outside value cast at ${relative(root, file)}:${f.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
        if (ts.isVariableDeclaration(n) && n.type && n.initializer && fromOutside(n.initializer)) collectType(checker.getTypeAtLocation(n.type), `outside value typed at ${relative(root, file)}`);
        // Candidates: members declared here.
        if ((ts.isPropertySignature(n) || ts.isMethodSignature(n) || ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n)) && n.name && ts.isIdentifier(n.name)) candidates.add(n.name.text);
        if (ts.isParameter(n) && n.modifiers && n.modifiers.some((m) => m.kind !== ts.SyntaxKind.Decorator) && ts.isIdentifier(n.name)) candidates.add(n.name.text);
        if (ts.isEnumMember(n) && ts.isIdentifier(n.name)) reserve(n.name.text, "enum member");
        // Rule 1.
        if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.name)) {
          const sym = checker.getSymbolAtLocation(n.name);
          if (symExternal(sym)) reserve(n.name.text, `${!sym ? "untyped access" : "external member"} at ${relative(root, file)}:${f.getLineAndCharacterOfPosition(n.name.getStart()).line + 1}`);
        }
        // Rule 2.
        if (ts.isObjectLiteralExpression(n)) {
          const ctx = checker.getContextualType(n);
          if (ctx) {
            const parts = ctx.isUnion() ? ctx.types : [ctx];
            const isLoose = parts.some((p) => p.flags & (F.Any | F.Unknown | F.NonPrimitive) || stringIndexed(p));
            for (const el of n.properties) {
              if (!el.name || !(ts.isIdentifier(el.name) || ts.isStringLiteral(el.name))) continue;
              const name = el.name.text;
              if (isLoose) {
                reserve(name, `literal into a loose type at ${relative(root, file)}:${f.getLineAndCharacterOfPosition(el.getStart()).line + 1}`);
                continue;
              }
              for (const p of parts) {
                if (p.flags & F.TypeParameter) continue;
                const ps = checker.getPropertyOfType(p, name);
                if (ps && symExternal(ps)) reserve(name, `external member (literal) at ${relative(root, file)}`);
              }
            }
            if (isLoose) for (const el of n.properties) {
              if (ts.isPropertyAssignment(el)) escape(el.initializer, "value in a loose literal");
              else if (ts.isShorthandPropertyAssignment(el)) escape(el.name, "value in a loose literal");
            }
          }
        }
        // Keys chosen at run time: `for (k in o)`, `k in o`, `o[k]` with a string k (its value
        // may come from a list of names, a JSON text or the console).
        if (ts.isForInStatement(n)) escape(n.expression, `for-in at ${relative(root, file)}`);
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.InKeyword && !ts.isStringLiteralLike(n.left)) escape(n.right, `in at ${relative(root, file)}`);
        if (ts.isElementAccessExpression(n) && !ts.isStringLiteralLike(n.argumentExpression) && !ts.isNumericLiteral(n.argumentExpression)) {
          const kt = checker.getTypeAtLocation(n.argumentExpression);
          const recv = checker.getTypeAtLocation(n.expression);
          if (kt.flags & (F.String | F.StringLiteral) || (kt.isUnion() && kt.types.every((u) => u.flags & F.StringLiteral))) {
            if (!stringIndexed(recv)) escape(n.expression, `o[key] at ${relative(root, file)}:${f.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
          }
        }
        // Assignment into an untyped or index-signature slot.
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const l = n.left;
          if (ts.isElementAccessExpression(l) || ts.isPropertyAccessExpression(l)) {
            const recv = checker.getTypeAtLocation(l.expression);
            const sym = ts.isPropertyAccessExpression(l) ? checker.getSymbolAtLocation(l.name) : undefined;
            if (recv.flags & (F.Any | F.Unknown) || stringIndexed(recv) && !sym || (sym && symExternal(sym))) escape(n.right, `assigned into a loose slot at ${relative(root, file)}`);
          }
        }
      }
      // Rule 3: calls.
      if (pass === 0 && (ts.isCallExpression(n) || ts.isNewExpression(n))) {
        const args = n.arguments ?? [];
        if (pass === 0 && externalReader(n)) {
          if (!(checker.getTypeAtLocation(n).flags & (F.Any | F.Unknown))) collectType(checker.getTypeAtLocation(n), `result of ${n.expression.getText().slice(0, 40)}`);
          for (const a of args) escape(a, `argument of ${n.expression.getText().slice(0, 40)} at ${relative(root, file)}:${f.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
          // The result typed by us (JSON.parse(t) as X, const x: X = readJSON…).
          const rt = checker.getTypeAtLocation(n);
          if (rt.flags & (F.Any | F.Unknown)) {
            let p = n.parent;
            while (ts.isParenthesizedExpression(p)) p = p.parent;
            if (ts.isAsExpression(p) || ts.isTypeAssertionExpression(p)) collectType(checker.getTypeAtLocation(p), "typed external result");
            const ctx = checker.getContextualType(n);
            if (ctx) collectType(ctx, "typed external result");
          }
        } else if (pass === 0 && ts.isCallExpression(n)) {
          ownCalls.push({ file: currentFile, args: args, keys: calleeEscapeKeys(n), done: new Set() });
        }
      }
      ts.forEachChild(n, walk);
    })(f);
  }
  const t0 = Date.now();
  // Calls of our own functions, for the parameters found escaping (until nothing new escapes).
  const ownCalls = [];
  for (const f of files) visitOnce(f, 0);
  let rounds = 0;
  for (; changed && rounds < 50; rounds++) {
    changed = false;
    for (const c of ownCalls) {
      currentFile = c.file;
      for (const k of c.keys) {
        c.args.forEach((a, i) => {
          if (!c.done.has(i) && escapingParams.has(k(i))) {
            c.done.add(i);
            escape(a, `argument ${i} of an escaping parameter at ${relative(root, c.file)}`);
          }
        });
      }
    }
  }
  if (process.env.MANGLE_DEBUG) console.error(`mangle-props: visits ${Date.now() - t0} ms, ${rounds} rounds`);
  currentFile = "*";
  for (const n of BUILTIN_MEMBERS) reserve(n, "built-in member");
  const result = { root, candidates, reserved, why, reservedBy };
  cache.set(cacheKey, result);
  writeDiskCache(root, rootNames, program.getSourceFiles().map((f) => resolve(f.fileName)), result);
  return result;
}

// The analysis costs a type-check of src/ and board/ (~8 s of CPU): its result is kept in
// node_modules/.cache/tappos/, keyed by the program's root files, and used again only when
// every file the program read (and this module) has the same content.
const SELF = fileURLToPath(import.meta.url);
const sha = (text) => createHash("sha256").update(text).digest("hex");
const fileHash = (f) => (existsSync(f) ? sha(readFileSync(f)) : "absent");

function diskCachePath(root, rootNames) {
  return join(root, "node_modules", ".cache", "tappos", `mangle-props-${sha(rootNames.join("\n")).slice(0, 16)}.json`);
}

function readDiskCache(root, rootNames) {
  const path = diskCachePath(root, rootNames);
  if (!existsSync(path)) return null;
  try {
    const c = JSON.parse(readFileSync(path, "utf8"));
    if (c.self !== fileHash(SELF) || c.rootNames.join("\n") !== rootNames.join("\n")) return null;
    for (const [f, h] of Object.entries(c.files)) if (fileHash(f) !== h) return null;
    return {
      root,
      candidates: new Set(c.candidates),
      reserved: new Set(c.reserved.map((r) => r[0])),
      why: new Map(c.reserved.map((r) => [r[0], r[1]])),
      reservedBy: new Map(c.reserved.map((r) => [r[0], new Set(r[2])])),
    };
  } catch {
    return null;
  }
}

function writeDiskCache(root, rootNames, read, result) {
  try {
    const files = Object.create(null);
    for (const f of new Set(read.concat(rootNames, [join(root, "src", "tsconfig.json"), join(root, "tsconfig.json")]))) files[f] = fileHash(f);
    // Arrays, not objects keyed by name: "__proto__" is a reserved name too.
    const reserved = [...result.reserved].map((n) => [n, result.why.get(n), [...result.reservedBy.get(n)]]);
    const path = diskCachePath(root, rootNames);
    mkdirSync(join(path, ".."), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ self: fileHash(SELF), rootNames, files, candidates: [...result.candidates], reserved }));
    renameSync(tmp, path); // atomic: parallel builds read a whole file or none
  } catch {
    // no cache: the next build analyses again
  }
}

/**
 * Whether a reason recorded in `file` holds for the board `board` whose bundle is made of
 * `inputs` (absolute paths): code and JSON only when bundled; a .d.ts under board/<other>/
 * only for that board; every other declaration file (types/, src/sim/*.d.ts) always.
 */
export function appliesTo(root, file, board, inputs) {
  if (file === "*" || !inputs) return true;
  if (file.endsWith(".d.ts")) {
    const r = relative(root, file).split(sep);
    return !(r[0] === "board" && r.length > 2 && r[1] !== board);
  }
  const r = relative(root, file);
  if (r.startsWith("node_modules") || r.startsWith("..")) return true;
  return inputs.has(file);
}

/** Property names (with counts) and string literals of a bundle. */
export function bundleNames(code) {
  const ast = acorn.parse(code, { ecmaVersion: 2022, sourceType: "script" });
  const props = new Map();
  const strings = new Set();
  const add = (n) => props.set(n, (props.get(n) ?? 0) + 1);
  (function walk(n) {
    if (!n || typeof n.type !== "string") return;
    if (n.type === "MemberExpression" && !n.computed && n.property.type === "Identifier") add(n.property.name);
    if ((n.type === "Property" || n.type === "MethodDefinition" || n.type === "PropertyDefinition") && !n.computed) {
      if (n.key.type === "Identifier") add(n.key.name);
      else if (n.key.type === "Literal") strings.add(String(n.key.value));
    }
    if (n.type === "Literal" && typeof n.value === "string") strings.add(n.value);
    if (n.type === "TemplateElement") strings.add(n.value.cooked ?? n.value.raw);
    for (const k in n) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === "string") walk(v);
    }
  })(ast);
  return { props, strings };
}

function* shortNames() {
  const first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$";
  const rest = first + "0123456789";
  for (const a of first) yield a;
  for (const a of first) for (const b of rest) yield a + b;
  for (const a of first) for (const b of rest) for (const c of rest) yield a + b + c;
}

/**
 * The names to mangle in one bundle and their new names (esbuild's mangleCache).
 * @param {string} code the bundle built without mangling
 * @param {ReturnType<typeof internalPropertyNames>} analysis
 * @param {string} [board] the board's name (its own .d.ts files)
 * @param {string[]} [inputs] the bundle's source files (esbuild metafile); without: every reason holds
 * @returns {{ cache: Record<string, string>, regex: RegExp | null, saved: number }}
 */
export function manglePlan(code, analysis, board, inputs) {
  const { props, strings } = bundleNames(code);
  const inSet = inputs ? new Set(inputs.map((p) => resolve(analysis.root, p))) : null;
  const isReserved = (n) => analysis.reserved.has(n) && [...analysis.reservedBy.get(n)].some((f) => appliesTo(analysis.root, f, board, inSet));
  const keep = new Set([...props.keys()].filter((n) => n.length <= 2 || !analysis.candidates.has(n) || isReserved(n) || strings.has(n)));
  const mangle = [...props.entries()].filter(([n]) => !keep.has(n)).sort((a, b) => b[1] * b[0].length - a[1] * a[0].length || (a[0] < b[0] ? -1 : 1));
  const taken = new Set([...keep, ...analysis.reserved, ...analysis.candidates, ...strings, ...KEYWORDS, ...BUILTIN_MEMBERS]);
  const gen = shortNames();
  const cache = {};
  let saved = 0;
  // Most occurrences first get the shortest names.
  mangle.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [name, count] of mangle) {
    let s = gen.next().value;
    while (taken.has(s)) s = gen.next().value;
    cache[name] = s;
    saved += (name.length - s.length) * count;
  }
  const names = Object.keys(cache);
  const regex = names.length ? new RegExp(`^(?:${names.join("|").replace(/\$/g, "\\$")})$`) : null;
  return { cache, regex, saved };
}
