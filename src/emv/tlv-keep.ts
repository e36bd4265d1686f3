/**
 * Keeping the tags a kernel needs from a card's answer (EMV 4.4 Book 3 Annex B; §10.2 for
 * duplicates): one walk over every object, checked as TlvCursor checks it (tlv-cursor.ts has
 * the rules and the errors), storing views of the kept primitives by tagHex.
 *
 * The hot path of a tap: every object of the FCI, the GPO answer, each record and GENERATE AC
 * goes through keepTlv's inner loop. Measured in espruino-esp32-rel (64-bit, callgrind,
 * pretokenised, 300 other globals), per object: the loop ~70k instructions, an Array
 * indexOf over a 15-tag keep list ~26k where a lookup in an object keyed by tag number is ~6k;
 * per kept object tagHex ~43k and the copy ~47k. So a keep list is a KeepSet, made once (at
 * load, by the kernels and the entry point): tag number → its record key; and a kept value is
 * a view of the answer, not a copy (-0.4 / -0.6 / -1.2 M per tap, UnionPay / Visa /
 * Mastercard): every link hands each answer in a buffer of its own (pn532/exchange.ts) and
 * nothing writes into a kept value; the data record the kernels build from them is text.
 */
import { duplicate, tagHex, TLV_MAX_DEPTH, TlvCursor, tooDeep, type TlvRecord } from "./tlv-cursor";

/** The tags a kernel keeps, by tag number, each with its record key (tagHex). */
export interface KeepSet {
  [tag: number]: string;
}

/**
 * A KeepSet of `tags` (made once per list, not per answer), and of every tag of `base` when
 * given: a copy that shares base's key strings (one JsVar per tag instead of two, held from boot).
 */
export function keepSet(tags: number[], base?: KeepSet): KeepSet {
  const k: KeepSet = {};
  if (base) for (const t in base) k[t] = base[t];
  for (let i = 0; i < tags.length; i++) k[tags[i]] = tagHex(tags[i]);
  return k;
}

/**
 * Puts the primitive objects of `b[p..end)` whose tag is in `keep` into `record` as views
 * of `b` (not copies), keyed by tagHex. Every object is walked and checked (templates entered, at
 * most TLV_MAX_DEPTH open) as by TlvCursor, `p..end` being the top level (an object cut off
 * at `end` is TLV_TRUNCATED).
 * @throws TLV_DUPLICATE for a kept tag already in `record`; TLV_TRUNCATED, TLV_INVALID,
 *   TLV_TOO_DEEP
 */
export function keepTlv(record: TlvRecord, b: Uint8Array, p: number, end: number, keep: KeepSet): void {
  const ends: number[] = []; // ends of the enclosing templates, outermost first
  let s = p;
  let t = 0;
  let n = 0;
  let key: string | undefined;
  for (;;) {
    // The inner loop runs once per object and the interpreter lexes all of its body each
    // time: it takes only a 1- or 2-byte tag, a short length and a primitive value that fits,
    // and stores a kept one inline (a call costs more than the lexing it saves). It stops at
    // anything else (padding too) with `s` at that object, or at the end of a template or of
    // the input. Reads past the input give undefined, so the fit test is written to fail on
    // NaN too.
    // Fewest tokens: t % 32 > 30 is (t & 0x1f) === 0x1f (a byte), a token ~1,000 instructions an object.
    while ((s = p) < end) {
      if (!(t = b[p++]) || t & 0x20 || (t % 32 > 30 && (t = t * 256 + b[p++]) & 0x80) || (n = b[p++]) > 0x7f || !(p + n <= end)) break;
      if ((key = keep[t])) {
        if (record[key]) duplicate(key, t, s);
        record[key] = b.subarray(p, p + n);
      }
      p += n;
    }
    // Lexed at every stop, so short: keepOdd pushes the end to go on with.
    if (s < end) p = keepOdd(record, b, s, end, ends, keep);
    else if (!ends.length) return;
    end = ends.pop() as number;
  }
}

/**
 * keepTlv() at an object its loop does not take (`s`, before `end`): pushes onto `ends` the
 * current end and, for a template, the template's end, and returns where the walk goes on.
 * A 00 padding byte (Annex B) is stepped over; a template with a 1- or 2-byte tag and a short
 * length (6F's A5, BF0C) is entered here; anything else goes to keepObject.
 */
function keepOdd(record: TlvRecord, b: Uint8Array, s: number, end: number, ends: number[], keep: KeepSet): number {
  if (!b[s]) {
    ends.push(end);
    return s + 1;
  }
  let p = s + 1;
  let tag = b[s];
  if ((tag & 0x1f) === 0x1f) tag = tag * 256 + b[p++];
  const n = b[p++];
  if (!(b[s] & 0x20 && !(tag > 0xff && tag & 0x80) && n < 0x80 && p + n <= end)) return keepObject(record, b, s, end, ends, keep);
  if (ends.length >= TLV_MAX_DEPTH) tooDeep(TLV_MAX_DEPTH, tag, s);
  ends.push(end, p + n);
  return p;
}

/**
 * keepOdd() for a 3- or 4-byte tag, a long length, a cut-off or malformed object (thrown):
 * read by a TlvCursor over `p..end` at the walk's depth, with every check of next().
 */
function keepObject(record: TlvRecord, b: Uint8Array, p: number, end: number, ends: number[], keep: KeepSet): number {
  const c = new TlvCursor(b, undefined, p, end);
  c.depth = ends.length; // cut off: TLV_TRUNCATED at the top level, TLV_INVALID inside a template
  c.next(false); // b[p] is not padding and p < end: an object, or a throw
  const v = c.valueOffset;
  if (c.constructed) {
    if (ends.length >= TLV_MAX_DEPTH) tooDeep(TLV_MAX_DEPTH, c.tag, p);
    ends.push(end, v + c.length);
    return v;
  }
  const key = keep[c.tag];
  if (key) {
    if (record[key]) duplicate(key, c.tag, p);
    record[key] = c.value();
  }
  ends.push(end);
  return v + c.length;
}
