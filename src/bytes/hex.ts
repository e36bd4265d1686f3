/** Byte helpers over Uint8Array (no Node Buffer: this runs on Espruino too). */
import { codedError } from "./coded-error";

/** Hex digits, upper case. */
export const HEX = "0123456789ABCDEF";

/** Char codes of HEX: the map E.mapInPlace looks each nibble up in. */
export const HEX_CODES = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX_CODES[i] = HEX.charCodeAt(i);

/**
 * Espruino's `E.mapInPlace(from, to, map, bits)`: every `bits`-bit group of `from` (MSB first
 * for bits > 0) looked up in `map` and written to the next element of `to`, in native code.
 */
export type MapInPlace = (from: Uint8Array, to: Uint8Array, map: Uint8Array, bits: number) => void;
/** Espruino's `E.toString(bytes)`: a binary string of the bytes (char code = byte), natively. */
export type BytesToString = (bytes: Uint8Array) => string;

/** E.mapInPlace for bits 4 (nibbles, high first) and 8, in JavaScript: the stand-in until a board hands the native over. */
function mapBits(from: Uint8Array, to: Uint8Array, map: Uint8Array, bits: number): void {
  for (let i = 0; i < from.length; i++) {
    if (bits === 8) {
      to[i] = map[from[i]];
    } else {
      to[2 * i] = map[from[i] >> 4];
      to[2 * i + 1] = map[from[i] & 15];
    }
  }
}

/**
 * A binary string of `bytes` (char code = byte) in JavaScript: E.toString's stand-in until a
 * board hands the native over, and the HMAC key's string (src/auth/hmac.ts, once per key).
 */
export function binaryString(bytes: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/**
 * What toHex maps nibbles and makes strings with: JavaScript, or the natives useNativeHex got.
 * Read elsewhere only to hex in a loop without a call per value (buildRecord, ICC data).
 */
export let mapInPlace: MapInPlace = mapBits;
export let toBinaryString: BytesToString = binaryString;

/**
 * Hands over Espruino's E.mapInPlace and E.toString (each board does it once at boot): hex
 * then runs no JavaScript per byte. The interpreter lexes every token of a loop body each
 * turn: measured in espruino-esp32-rel, 97 bytes of ICC data cost 3.6 M instructions hexed
 * in 20 calls by a JavaScript loop of two bytes a turn, 1.1 M through the natives (~55,000 a
 * call: the call, the output array, the two natives), 0.27 M in one call. Anything that is
 * not a function (a Node shim without mapInPlace, null) leaves or puts back the JavaScript
 * stand-ins.
 */
export function useNativeHex(map: MapInPlace | null | undefined, str: BytesToString | null | undefined): void {
  const ok = typeof map === "function" && typeof str === "function";
  mapInPlace = ok ? (map as MapInPlace) : mapBits;
  toBinaryString = ok ? (str as BytesToString) : binaryString;
}

/**
 * Upper-case hex, no separators: the nibbles mapped by E.mapInPlace when a board handed it
 * over (useNativeHex). A plain array is copied into a Uint8Array first (E.mapInPlace refuses
 * anything else; elements taken modulo 256, as the nibbles always were).
 */
export function toHex(bytes: ArrayLike<number>): string {
  return hexOf(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

/**
 * toHex of a Uint8Array, without toHex's test for plain arrays (~7,000 interpreter
 * instructions a call): for the data record's two dozen values a tap.
 */
export function hexOf(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  // bits 4: each byte is two nibbles, high first (E.mapInPlace reads MSB first for bits > 0).
  mapInPlace(bytes, out, HEX_CODES, 4);
  return toBinaryString(out);
}

/** Lower-case hex (the acquirer API's client transaction id and nonce): toHex, then one native toLowerCase. */
export function toHexLower(bytes: ArrayLike<number>): string {
  return toHex(bytes).toLowerCase();
}

/**
 * The nibbles of `bytes` (high first) as the characters `map[nibble]` (char codes): toHex with
 * another alphabet, e.g. a class per nibble that native indexOf then checks, with no loop per
 * byte (the data record's BCD and Track 2 checks).
 */
export function nibbleText(bytes: Uint8Array, map: Uint8Array): string {
  const out = new Uint8Array(bytes.length * 2);
  mapInPlace(bytes, out, map, 4);
  return toBinaryString(out);
}

/**
 * 1 for the bytes that are not printable ASCII (below 0x20, above 0x7E). Made by a pure call:
 * a bundle without printableText (the esp32's boot bundle) drops it, where the table and its
 * fills, statements of their own, were kept (~22 JsVars held from boot on).
 */
function notPrintable(): Uint8Array {
  const t = new Uint8Array(256);
  t.fill(1, 0, 0x20);
  t.fill(1, 0x7f);
  return t;
}
const NOT_PRINTABLE = /* @__PURE__ */ notPrintable();

/**
 * `bytes` as text when every byte is printable ASCII (0x20–0x7E, EMV formats an/ans), else
 * null: one map of the bytes and one native indexOf, no loop per byte.
 */
export function printableText(bytes: Uint8Array): string | null {
  const flags = new Uint8Array(bytes.length);
  mapInPlace(bytes, flags, NOT_PRINTABLE, 8);
  return flags.indexOf(1) < 0 ? toBinaryString(bytes) : null;
}

/** Hex digits, upper then lower case: indexOf & 15 is the digit's value. */
const DIGITS = HEX + "0123456789abcdef";

/**
 * Parses hex; spaces, newlines, tabs and ':' between bytes are ignored.
 * Fast path for plain hex (the firmware's AIDs and constants, parsed on every tap): two
 * digits per loop turn through native indexOf, no per-digit call or array.
 * @throws HEX_INVALID with `offset` on a non-hex character or an odd digit count.
 */
export function fromHex(text: string): Uint8Array {
  const n = text.length;
  if ((n & 1) === 0) {
    const out = new Uint8Array(n >> 1);
    let i = 0;
    for (; i < n; i += 2) {
      const hi = DIGITS.indexOf(text[i]);
      const lo = DIGITS.indexOf(text[i + 1]);
      if (hi < 0 || lo < 0) break;
      out[i >> 1] = ((hi & 15) << 4) | (lo & 15);
    }
    if (i >= n) return out;
  }
  // Separators, or a bad digit to locate.
  const digits: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = DIGITS.indexOf(text[i]);
    if (d >= 0) digits.push(d & 15);
    else if (" \n\r\t:".indexOf(text[i]) < 0) throw codedError("HEX_INVALID", "not a hex digit", { offset: i });
  }
  if (digits.length % 2) throw codedError("HEX_INVALID", "odd number of hex digits", { offset: n });
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (digits[2 * i] << 4) | digits[2 * i + 1];
  return out;
}

/** Concatenates byte arrays. */
export function concat(parts: ArrayLike<number>[]): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], o);
    o += parts[i].length;
  }
  return out;
}

/** Byte-wise equality (Espruino's `==` on typed arrays is not to be trusted, docs/espruino-notes.md "Traps"). */
export function bytesEqual(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  // A loop, not join(): measured with the bench, join's strings cost as much for AIDs.
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Copies `length` bytes from `offset` into a new array (never a view); bytes past the end of
 * `src` are 0. Native `set` of a clamped `subarray` (Espruino's subarray does not clamp).
 */
export function copyBytes(src: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const end = offset + length < src.length ? offset + length : src.length;
  if (end > offset) out.set(src.subarray(offset, end));
  return out;
}

/**
 * A copy of `src[start, end)` as a new Uint8Array. Use this, never `typedArray.slice()`:
 * on Espruino 2v29 `Uint8Array#slice` returns a plain Array (measured).
 */
export function cloneBytes(src: Uint8Array, start?: number, end?: number): Uint8Array {
  // Clamped here: Espruino's subarray does not clamp `end` and exposes bytes past the view.
  const e = end === undefined || end > src.length ? src.length : end;
  return new Uint8Array(src.subarray(start ?? 0, e));
}
