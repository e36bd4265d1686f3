// What the Espruino 2v29 interpreter lacks or parses differently, as lists shared by the
// source check (TypeScript AST) and the final-bundle check (acorn AST).
// Source: docs/espruino-notes.md, re-measured with the 2v29 Linux build
// (`typeof X` for globals and members; class and object member names per reserved word).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Espruino's lexer reserved words (src/jslex.h LEX_R_IF … LEX_R_OF). Besides JS's own, it
 * reserves `undefined`, `of`, `let` and `static`: none may be a binding name, and none may
 * name a class member (method, field, accessor, static) or an object-literal getter/setter —
 * 2v29 answers "Got of expected '}'". Plain object keys and `o.of` member access do work.
 */
export const ESPRUINO_RESERVED = new Set([
  "if", "else", "do", "while", "for", "break", "continue", "function", "return", "var", "let",
  "const", "this", "throw", "try", "catch", "finally", "true", "false", "null", "undefined",
  "new", "in", "instanceof", "switch", "case", "default", "delete", "typeof", "void",
  "debugger", "class", "extends", "super", "static", "of",
]);

/** Reserved by Espruino but legal JS binding names: the rename pass replaces these. */
export const RENAME_BINDINGS = ["of", "let", "static", "undefined"];

/** Globals 2v29 does not have (`typeof X` throws there). */
export const MISSING_GLOBALS = new Set([
  "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "Proxy",
  "Reflect", "BigInt", "BigInt64Array", "BigUint64Array", "RangeError", "EvalError", "URIError",
  "AggregateError", "Intl", "SharedArrayBuffer", "Atomics", "queueMicrotask", "structuredClone",
  "TextEncoder", "TextDecoder", "Buffer", "escape", "unescape", "setImmediate", "performance",
]);

/** Static members that are undefined on 2v29 although their object exists. */
export const MISSING_STATICS = {
  Array: ["from", "of"],
  Number: ["isInteger", "isFinite", "isNaN", "isSafeInteger", "MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "EPSILON", "parseFloat", "parseInt"],
  Object: ["freeze", "seal", "is", "isFrozen", "isSealed", "preventExtensions", "getOwnPropertySymbols"],
  Promise: ["race", "allSettled", "any"],
  Math: ["trunc", "log2", "log10", "imul", "cbrt", "hypot", "clz32", "fround", "expm1", "log1p", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"],
  String: ["raw", "fromCodePoint"],
  Uint8Array: ["from", "of"], Int8Array: ["from", "of"], Uint16Array: ["from", "of"],
  Int16Array: ["from", "of"], Uint32Array: ["from", "of"], Int32Array: ["from", "of"],
  Float32Array: ["from", "of"], Float64Array: ["from", "of"],
  Date: ["UTC"],
};

/**
 * Prototype methods missing on 2v29 (arrays, strings, typed arrays, Promise, Number) whose
 * names are distinctive enough to refuse wherever they are called as `x.name(…)`.
 */
export const MISSING_METHODS = new Set([
  "at", "flat", "flatMap", "lastIndexOf", "findLast", "findLastIndex", "copyWithin",
  "reduceRight", "codePointAt", "normalize", "trimStart", "trimEnd", "trimLeft", "trimRight",
  "matchAll", "localeCompare", "finally", "toPrecision",
]);

/** Error classes: `class X extends Error` is broken on Espruino (docs/espruino-notes.md "Syntax"). */
export const ERROR_CLASSES = new Set([
  "Error", "TypeError", "SyntaxError", "ReferenceError", "InternalError", "RangeError",
  "EvalError", "URIError", "AggregateError",
]);

/** Timers and wall clock: outside src/hal/espruino/ and board/ code gets the injected Clock. */
export const CLOCK_GLOBALS = new Set(["setTimeout", "setInterval", "clearTimeout", "clearInterval", "Date"]);

/** Espruino's built-in modules (obtained with a literal `require("Name")`, never imported). */
export const BUILTIN_MODULES = new Set([
  "Storage", "Wifi", "http", "https", "net", "tls", "crypto", "fs", "Flash", "ESP32", "ESP8266",
  "neopixel", "dgram", "Bluetooth", "NRF", "heatshrink", "CC3000", "WIZnet", "TelnetServer",
  "tensorflow", "Graphics", "Waveform", "OneWire",
]);

/** esbuild runtime helpers that must never reach a bundle (they rely on what Espruino lacks). */
export const ESBUILD_HELPER = /^__(require|toESM|toCommonJS|commonJS|esm|export|reExport|copyProps|spreadValues|spreadProps|objRest|async|await|asyncGenerator|forAwait|generator|publicField|privateGet|privateSet|privateAdd|privateMethod|privateWrapper|decorateClass|decorateElement|runInitializers|template|using|callDispose|superGet|superSet|name|pow|defProp|defNormalProp|getOwnPropNames|knownSymbol)$/;

/** Espruino globals beyond those declared in types/espruino-globals.d.ts. */
const EXTRA_ESPRUINO_GLOBALS = [
  "E", "LED", "LED1", "LED2", "LED3", "LED4", "BTN", "BTN1", "BTN2", "BTN3", "BTN4", "Pin",
  "I2C1", "I2C2", "I2C3", "SPI1", "SPI2", "SPI3", "Serial1", "Serial2", "Serial3", "Serial4",
  "Serial5", "Serial6", "USB", "LoopbackA", "LoopbackB", "Telnet", "Terminal", "Bluetooth",
  "NRF", "ESP32", "ESP8266", "Puck", "Bangle", "Modules", "Flash", "Graphics", "Waveform",
  "OneWire", "require", "process", "print", "getTime", "setTime", "digitalWrite", "digitalRead",
  "digitalPulse", "analogRead", "analogWrite", "pinMode", "getPinMode", "setWatch",
  "clearWatch", "peek8", "peek16", "peek32", "poke8", "poke16", "poke32", "load", "save",
  "reset", "dump", "edit", "echo", "trace", "changeInterval", "setBusyIndicator",
  "setSleepIndicator", "setDeepSleep", "getSerial", "onInit", "global",
];

const PIN_NAME = /^(D\d{1,2}|[A-H]\d{1,2})$/;

let espruinoGlobals = null;

/**
 * Names of Espruino globals: what types/espruino-globals.d.ts declares as values (`declare
 * function` / `declare var`), plus the other well-known board globals.
 */
export function espruinoGlobalNames() {
  if (espruinoGlobals) return espruinoGlobals;
  const names = new Set(EXTRA_ESPRUINO_GLOBALS);
  const text = readFileSync(join(here, "..", "types", "espruino-globals.d.ts"), "utf8");
  for (const m of text.matchAll(/^declare\s+(?:function|var|const|let)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  espruinoGlobals = names;
  return names;
}

/** True for a name that is an Espruino global (incl. pin names such as D12, A5). */
export function isEspruinoGlobal(name) {
  return espruinoGlobalNames().has(name) || PIN_NAME.test(name);
}

/**
 * Why a RegExp pattern silently fails on 2v29 (`{n,m}`, lazy quantifiers, `(?:`,
 * lookarounds, flags other than g/i), or null.
 */
export function badRegExp(pattern, flags) {
  if (/[^gi]/.test(flags)) return `flag(s) "${flags.replace(/[gi]/g, "")}"`;
  const plain = pattern.replace(/\\./g, "__");
  if (/\{\d/.test(plain)) return "a {n,m} quantifier";
  if (/[+*?}]\?/.test(plain)) return "a lazy quantifier";
  if (/\(\?:/.test(plain)) return "a (?: group";
  if (/\(\?<?[=!]/.test(plain)) return "a lookaround";
  if (/\(\?</.test(plain)) return "a named group";
  return null;
}
