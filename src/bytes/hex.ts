/** Byte helpers over Uint8Array (no Node Buffer: this runs on Espruino too). */
import { codedError } from "./coded-error";

const HEX = "0123456789ABCDEF";

/**
 * Upper-case hex, no separators. Indexing a string (`HEX[n]`) instead of calling charAt and
 * two bytes per loop turn: the interpreter lexes every token of the loop body each turn, so
 * fewer tokens per byte is what makes it cheaper (the data record hexes ~25 ICC tags a tap).
 */
export function toHex(bytes: ArrayLike<number>): string {
  let s = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = bytes[i];
    const b = bytes[i + 1];
    s += HEX[(a >> 4) & 15] + HEX[a & 15] + HEX[(b >> 4) & 15] + HEX[b & 15];
  }
  if (i < n) s += HEX[(bytes[i] >> 4) & 15] + HEX[bytes[i] & 15];
  return s;
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
