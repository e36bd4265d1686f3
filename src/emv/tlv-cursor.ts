/**
 * The BER-TLV reader, as EMV codes it (EMV 4.4 Book 3 Annex B, after ISO/IEC 8825-1 BER).
 *
 * Tags are numbers: the tag bytes read big-endian, 0x5A, 0x9F26, 0xBF0C, 0xDF8129 (at most
 * 4 bytes). Records of data use the tag's hex string as key ("9F26", see `tagHex`).
 *
 * Decoding is strict; what the parser accepts:
 * - tags of 1–4 bytes (Annex B1: low 5 bits all 1 → more bytes follow while b8 is set);
 * - lengths `0x00–0x7F` and the long forms `81`–`84` with 1–4 length bytes (Annex B2, after
 *   ISO/IEC 8825-1 §8.1.3.5), minimal or not (`81 04`, `82 00 05` are legal BER and seen in
 *   the field), as long as the value fits in what holds it;
 * - `00` bytes before, between and after objects, also inside templates (Annex B: "may
 *   occur … due to erased or modified TLV-coded data objects"), which are skipped.
 * Errors (CodedError, fields `tag` when known and `offset` where the object starts):
 * - TLV_TRUNCATED: the input ends inside an object — more bytes could complete it;
 * - TLV_INVALID: no more bytes can fix it: indefinite length `80` (Annex B2 allows only
 *   definite lengths), length forms `85`–`FF`, a tag longer than 4 bytes, a child that runs
 *   past the end of its template;
 * - TLV_TOO_DEEP: more than `maxDepth` templates nested (Espruino's stack is tens of
 *   levels; the parser is iterative anyway, the bound keeps memory small);
 * - TLV_DUPLICATE: `collectTlv` met a primitive tag twice.
 *
 * Cost in the Espruino interpreter (2v29, x86 instructions counted with valgrind, minified
 * bundle, the 12-object Visa GPO answer of the tests; a plain recursive tree builder with no
 * checks: 3.1 M): findTag 4.6 M, TlvCursor walk 5.2 M, collectTlv 6.6 M, parseTlv 7.3 M.
 * The interpreter pays for every statement, property access and skipped token, so the hot
 * loops keep state in locals and error details in helpers; next() and keepTlv (tlv-keep.ts,
 * the kernels' walk) take the common object (1- or 2-byte tag, short length) in a short
 * path and leave the rest to helpers that run only when needed.
 *
 * Import from tlv.ts, which re-exports this file with findTag, collectTlv, parseTlv and
 * the encoder.
 */
import { codedError } from "../bytes/coded-error";

/** Default bound on nested templates (EMV answers nest 4 at most: 6F A5 BF0C 61). */
export const TLV_MAX_DEPTH = 8;

/** Named leniencies. Each default is the strict reading. */
export interface TlvOptions {
  /**
   * @deprecated No effect: every long form (`81`–`84`, minimal or not) is accepted, as BER
   * allows (ISO/IEC 8825-1 §8.1.3.5 note 2). Kept so that existing callers compile.
   */
  allowNonMinimalLength?: boolean;
  /** At most this many templates open at once; default TLV_MAX_DEPTH (8). */
  maxDepth?: number;
  /** `collectTlv`: keep the first of repeated primitive tags instead of TLV_DUPLICATE. */
  allowDuplicates?: boolean;
}

/** Primitive values by tag hex string ("9F26" → bytes): a plain object, no Map. */
export interface TlvRecord {
  [tagHex: string]: Uint8Array;
}

/** Tag as upper-case hex with an even digit count: tagHex(0x9F26) → "9F26". */
export function tagHex(tag: number): string {
  // Only one-byte tags below 0x10 have an odd digit count: a multi-byte tag's first byte
  // has its low 5 bits set (Annex B1), so it is 0x1F or more. One native chain, few tokens.
  return (tag < 16 ? "0" : "") + tag.toString(16).toUpperCase();
}

/** First byte of a tag number (tags are at most 4 bytes). */
function firstTagByte(tag: number): number {
  if (tag > 0xffffff) return tag >>> 24;
  if (tag > 0xffff) return tag >>> 16;
  if (tag > 0xff) return tag >>> 8;
  return tag;
}

/** True for a constructed tag: b6 of its first byte (EMV Book 3 Annex B1). */
export function isConstructed(tag: number): boolean {
  return (firstTagByte(tag) & 0x20) !== 0;
}

function fail(code: string, message: string, tag: number, offset: number): never {
  throw codedError(code, message + " at offset " + offset, tag < 0 ? { offset: offset } : { tag: tag, offset: offset });
}

/**
 * An object that does not fit in what holds it: at the top level (`depth` 0) the input is
 * incomplete, TLV_TRUNCATED; inside a template no more input can fix it, TLV_INVALID.
 */
function cutOff(depth: number, tag: number, start: number): never {
  return fail(depth ? "TLV_INVALID" : "TLV_TRUNCATED", depth ? "object runs past its template" : "object cut off", tag, start);
}

/** TLV_DUPLICATE for `key` (also thrown by tlv-keep.ts, as is tooDeep). */
export function duplicate(key: string, tag: number, start: number): never {
  return fail("TLV_DUPLICATE", "tag " + key + " repeated", tag, start);
}

export function tooDeep(maxDepth: number, tag: number, start: number): never {
  return fail("TLV_TOO_DEEP", "more than " + maxDepth + " nested templates", tag, start);
}

/** Number of bytes of a tag number. */
export function tagSize(tag: number): number {
  return tag > 0xffffff ? 4 : tag > 0xffff ? 3 : tag > 0xff ? 2 : 1;
}

/**
 * Reads the tag starting at `pos` (not a 00 padding byte); its size is `tagSize(tag)`.
 * `outermost` says whether `end` is the end of the input (running out is TLV_TRUNCATED) or
 * of an enclosing template (TLV_INVALID). Shared with the DOL reader; TlvCursor reads
 * 1- and 2-byte tags inline (the hot path) and comes here for longer or cut ones.
 * @throws TLV_TRUNCATED, TLV_INVALID (tag over 4 bytes)
 */
export function readTag(b: Uint8Array, pos: number, end: number, outermost: boolean): number {
  let p = pos;
  let tag = b[p++];
  if ((tag & 0x1f) === 0x1f) {
    let more = 0x80;
    while (more) {
      if (p - pos >= 4) fail("TLV_INVALID", "tag longer than 4 bytes", -1, pos);
      if (p >= end) fail(outermost ? "TLV_TRUNCATED" : "TLV_INVALID", "tag cut off", -1, pos);
      more = b[p] & 0x80;
      tag = tag * 256 + b[p++];
    }
  }
  return tag;
}

/**
 * Reads the value length whose first byte (`first`, above 7F) sits just before `pos`:
 * 81–84 give 1–4 more bytes, big-endian (EMV Book 3 Annex B2; ISO/IEC 8825-1 §8.1.3.5).
 * The caller skips `first & 0x7F` bytes and checks that the value fits. Arithmetic, not
 * bit shifts: a 4-byte length above 0x7FFFFFFF stays positive (bitwise operators are 32-bit).
 * `nonMinimalOk`: the TLV reader accepts `81 05` (BER does); the DOL reader does not.
 * @throws TLV_INVALID (indefinite 80, forms 85–FF, non-minimal unless `nonMinimalOk`),
 *   TLV_TRUNCATED / TLV_INVALID when cut off (see readTag for `outermost`)
 */
export function readLongLength(b: Uint8Array, pos: number, end: number, first: number, outermost: boolean, nonMinimalOk: boolean, tag: number, start: number): number {
  const n = first & 0x7f;
  if (n === 0) fail("TLV_INVALID", "indefinite length", tag, start);
  if (n > 4) fail("TLV_INVALID", "length field of " + (n + 1) + " bytes", tag, start);
  if (pos + n > end) fail(outermost ? "TLV_TRUNCATED" : "TLV_INVALID", "length cut off", tag, start);
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + b[pos + i];
  if (!nonMinimalOk && length < (n === 1 ? 0x80 : n === 2 ? 0x100 : n === 3 ? 0x10000 : 0x1000000)) fail("TLV_INVALID", "non-minimal length", tag, start);
  return length;
}

/**
 * Walks the objects of a TLV byte string in document order without allocating per object:
 * after `next()` returns true, the fields describe the current object. `next(true)` enters
 * the current object when it is constructed (its first child comes next); `next(false)` skips
 * its value. Padding `00` bytes are skipped. Only what is walked is validated.
 *
 * @example the AFL of a GPO answer in format 2, entering only the 77 template
 *   const c = new TlvCursor(data);
 *   while (c.next(c.tag === 0x77)) if (c.tag === 0x94) afl = c.value();
 */
export class TlvCursor {
  // Property order matters on Espruino: an object's properties are a list searched from
  // the start, so the ones next() touches for every object come first. All are set in the
  // constructor, in this order, whether or not the bundle keeps native class fields.
  /** Offset of the current object's value. */
  valueOffset: number;
  /** Length of the current object's value in bytes. */
  length: number;
  private end: number;
  private readonly bytes: Uint8Array;
  /** Templates enclosing the current object: 0 at the top level. */
  depth: number;
  /** The current object is constructed (a template). */
  constructed: boolean;
  /** Tag of the current object, e.g. 0x9F26. */
  tag: number;
  /** Offset of the current object's first tag byte; -1 before the first and after the last. */
  offset: number;
  /** Ends of the enclosing templates, outermost (the input's end) first. */
  private readonly ends: number[];
  private readonly maxDepth: number;

  /** Walks `bytes` from `start` (default 0) to `end` (default and at most bytes.length). */
  constructor(bytes: Uint8Array, options?: TlvOptions, start?: number, end?: number) {
    // Before the first object: an empty primitive "current object" at `start`.
    this.valueOffset = start ?? 0;
    this.length = 0;
    // Clamped: Espruino's subarray() does not clamp its end and would expose bytes past it.
    this.end = end === undefined || end > bytes.length ? bytes.length : end;
    this.bytes = bytes;
    this.depth = 0;
    this.constructed = false;
    this.tag = 0;
    this.offset = -1;
    this.ends = [];
    this.maxDepth = (options && options.maxDepth) ?? TLV_MAX_DEPTH;
  }

  /**
   * Moves to the next object; `descend` enters the current one first if it is constructed.
   * Returns false at the end of the input (and keeps returning false).
   * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP (fields `tag`, `offset`)
   */
  next(descend: boolean): boolean {
    // The common object only: a 1- or 2-byte tag, a short length, a value that fits. Anything
    // else (padding, the end of a template or of the input, 3–4 byte tags, long lengths, a
    // cut-off object) goes to step(), which reads it again from `s` with every check. A read
    // past the input gives undefined, so the tests are written to fail on NaN too.
    if (descend && this.constructed) this.enter();
    const b = this.bytes;
    const s = this.valueOffset + this.length;
    let p = s;
    let t = b[p++];
    let n = 0;
    if (!t || ((t & 0x1f) === 0x1f && (t = t * 256 + b[p++]) & 0x80) || (n = b[p++]) > 0x7f || !(p + n <= this.end)) return this.step();
    this.valueOffset = p;
    this.length = n;
    this.constructed = (b[s] & 0x20) !== 0;
    this.tag = t;
    this.offset = s;
    return true;
  }

  /** next() for all that its fast path leaves: padding, the end of a template or of the input, an odd object. */
  private step(): boolean {
    const b = this.bytes;
    let p = this.valueOffset + this.length;
    while (p < this.end && b[p] === 0) p++; // Annex B padding
    return p < this.end ? this.parse(p) : this.leave(p);
  }

  /** step() at an object (`p` at its first tag byte): read with every check (class comment). */
  private parse(p: number): boolean {
    const b = this.bytes;
    const end = this.end;
    const start = p;
    let tag = b[p++];
    if ((tag & 0x1f) === 0x1f) {
      if (p < end && b[p] < 0x80) tag = tag * 256 + b[p++];
      else p = start + tagSize((tag = readTag(b, start, end, this.depth === 0)));
    }
    let length = p < end ? b[p++] : cutOff(this.depth, tag, start);
    if (length > 0x7f) {
      const first = length;
      length = readLongLength(b, p, end, first, this.depth === 0, true, tag, start);
      p += first & 0x7f;
    }
    if (p + length > end) cutOff(this.depth, tag, start);
    this.valueOffset = p;
    this.length = length;
    this.constructed = (b[start] & 0x20) !== 0;
    this.tag = tag;
    this.offset = start;
    return true;
  }

  /** next() entering the current template: its value is the new end, the walk is before its first child. */
  private enter(): void {
    const ends = this.ends;
    if (ends.length >= this.maxDepth) tooDeep(this.maxDepth, this.tag, this.offset);
    ends.push(this.end);
    this.end = this.valueOffset + this.length;
    this.depth = ends.length;
    this.length = 0;
    this.constructed = false;
  }

  /**
   * step() at the end of a template and of those that end with it (the walk goes on after
   * them), or of the input (false; and false again at every later call).
   */
  private leave(p: number): boolean {
    const ends = this.ends;
    this.valueOffset = p;
    this.length = 0;
    this.constructed = false;
    while (p >= this.end && ends.length) this.end = ends.pop() as number;
    this.depth = ends.length;
    if (p < this.end) return this.next(false);
    this.offset = -1;
    return false;
  }

  /**
   * Moves to the next object with `tag`, entering the current object and every template on
   * the way (document order). Returns false at the end of the input when there is none.
   * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP met on the way
   */
  find(tag: number): boolean {
    while (this.next(true)) if (this.tag === tag) return true;
    return false;
  }

  /**
   * Puts every primitive object from here to the end into `record` (see `collectTlv`, the
   * usual way in) and returns it; the cursor is at the end afterwards.
   * @throws TLV_DUPLICATE unless `keepFirst`; TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP
   */
  collect(record: TlvRecord, keepFirst: boolean): TlvRecord {
    while (this.next(true)) {
      if (this.constructed) continue;
      const key = tagHex(this.tag);
      if (record[key] === undefined) record[key] = this.value();
      else if (!keepFirst) duplicate(key, this.tag, this.offset);
    }
    return record;
  }

  /** The current object's value: a view into the input, not a copy. */
  value(): Uint8Array {
    return this.bytes.subarray(this.valueOffset, this.valueOffset + this.length);
  }
}
