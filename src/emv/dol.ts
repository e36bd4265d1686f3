/**
 * Data Object Lists: PDOL 9F38, CDOL1 8C, CDOL2 8D, DDOL 9F49, UDOL 9F69 (C-2). A DOL is a
 * list of tag + length entries without values; the terminal answers it with the values
 * concatenated, each cut or padded to the asked length (EMV 4.4 Book 3 §5.4).
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { hexOf } from "../bytes/hex";
import { TagFormat, tagFormat } from "./tag-formats";
import { readLongLength, readTag, tagHex, tagSize, type TlvRecord } from "./tlv";

/** What a DOL is answered from: a lookup by tag number (0x9F02). */
export interface DataSource {
  /** The value of `tag`, or undefined when the terminal does not have it. */
  get(tag: number): Uint8Array | undefined;
}

/** One DOL entry. */
export interface DolEntry {
  tag: number;
  /** Bytes asked for. */
  length: number;
}

/**
 * Largest DOL answer accepted: DOL data travels in one short C-APDU (Lc ≤ 255), so a card
 * asking for more is wrong, and must not make the terminal allocate kilobytes.
 */
export const DOL_MAX_DATA = 255;

/** Where readEntry is: the entry just read and the offset of the next. */
interface DolReader {
  tag: number;
  length: number;
  start: number;
  next: number;
}

function invalid(message: string, tag: number | undefined, offset: number): never {
  throw codedError("DOL_INVALID", message + " at offset " + offset, { tag: tag, offset: offset });
}

function truncated(tag: number, offset: number): never {
  throw codedError("DOL_TRUNCATED", "length missing at offset " + offset, { tag: tag, offset: offset });
}

/** The TLV reader's errors in DOL terms: TLV_TRUNCATED → DOL_TRUNCATED, other TLV_ → DOL_INVALID. */
function asDolError(e: unknown): unknown {
  if (!isCoded(e) || !e.code.startsWith("TLV_")) return e;
  return codedError(e.code === "TLV_TRUNCATED" ? "DOL_TRUNCATED" : "DOL_INVALID", e.message, { tag: e.tag, offset: e.offset });
}

/**
 * Reads the entry at r.next into r and moves r.next past it. Runs once per entry of every
 * DOL of a tap, so it is kept lean (see TlvCursor.next); throws TLV_ codes for asDolError.
 */
function readEntry(dol: Uint8Array, r: DolReader): void {
  const end = dol.length;
  const start = r.next;
  let p = start;
  let tag = dol[p++];
  if (tag === 0) invalid("tag byte 00", undefined, start);
  if ((tag & 0x1f) === 0x1f) {
    if (p < end && dol[p] < 0x80) tag = tag * 256 + dol[p++];
    else {
      tag = readTag(dol, start, end, true);
      p = start + tagSize(tag);
    }
  }
  if (p >= end) truncated(tag, start);
  let length = dol[p++];
  if (length > 0x7f) {
    const first = length;
    length = readLongLength(dol, p, end, first, true, false, tag, start);
    p += first & 0x7f;
  }
  r.tag = tag;
  r.length = length;
  r.start = start;
  r.next = p;
}

/**
 * Reads a DOL (tags and lengths as in BER-TLV, Book 3 §5.4).
 * @throws DOL_TRUNCATED (`tag`?, `offset`) when the list ends inside an entry;
 *   DOL_INVALID (`tag`?, `offset`) for a 00 tag byte, an indefinite or non-minimal length,
 *   a tag over 4 bytes, or asked lengths summing above DOL_MAX_DATA
 */
export function parseDol(dol: Uint8Array): DolEntry[] {
  const entries: DolEntry[] = [];
  const r: DolReader = { tag: 0, length: 0, start: 0, next: 0 };
  let total = 0;
  try {
    while (r.next < dol.length) {
      readEntry(dol, r);
      total += r.length;
      if (total > DOL_MAX_DATA) tooLong(r.tag, r.start);
      entries.push({ tag: r.tag, length: r.length });
    }
  } catch (e) {
    throw asDolError(e);
  }
  return entries;
}

/**
 * Copies `value` into out[at, at+size) as §5.4 says for `format`: n is right-justified,
 * cut on the left, padded with leading 00; cn is cut on the right, padded with trailing FF;
 * everything else (b, an, ans) is cut on the right, padded with trailing 00.
 * `out` is zero-filled already.
 */
function placeValue(out: Uint8Array, at: number, size: number, value: Uint8Array, format: TagFormat): void {
  const n = value.length;
  if (format === TagFormat.N) {
    if (n >= size) out.set(value.subarray(n - size), at);
    else out.set(value, at + size - n);
    return;
  }
  if (n >= size) {
    out.set(value.subarray(0, size), at);
    return;
  }
  out.set(value, at);
  if (format === TagFormat.CN) out.fill(0xff, at + n, at + size);
}

/**
 * A DOL read once (compileDol): per entry answered with a value (primitive, asked length
 * > 0) four numbers in `planItems`: where its record key starts in the DOL's hex and how long
 * it is (the tag's bytes in hex, tagHex: `key.substr(a, b)`), the size asked, its offset in the
 * answer. `planSize` is the answer's length; the other entries are zeros. A typed array: held
 * in a few JsVars (an array per entry held ~7 each, ~120 for a kept PDOL and CDOL1 at a GENERATE
 * AC, issue 9), and indexed in place (an index into a long plain Array walks it from its start
 * on Espruino).
 */
type DolItems = Uint16Array;
interface DolPlan {
  planItems: DolItems;
  planSize: number;
}

/** Plans by the DOL's bytes (hexOf: native, where join() costs ~5,000 instructions a byte): a card's PDOL and CDOL1 repeat on a See Phone restart. */
let plans: { [dol: string]: DolPlan } = {};
let planCount = 0;
/** Plans kept before the cache starts afresh (a tap needs 1–3; bounds the JsVars held). */
const MAX_PLANS = 4;

/** The entry compileDol does not read inline (readEntry's result): 3–4 byte tags, long lengths, 00, cut entries. */
const OTHER: DolReader = { tag: 0, length: 0, start: 0, next: 0 };

/** Reads the entry at `start` into OTHER; returns the offset of the next. @throws TLV_ codes (asDolError) */
function otherEntry(dol: Uint8Array, start: number): number {
  OTHER.next = start;
  readEntry(dol, OTHER);
  return OTHER.next;
}

function tooLong(tag: number, start: number): never {
  return invalid("DOL asks for more than " + DOL_MAX_DATA + " bytes", tag, start);
}

/**
 * Reads `dol` into a plan (see DolPlan) and keeps it: the only place a DOL's entries are
 * parsed when building its data. It also answers the DOL from the records (`first` asked
 * first; empty records for none) into `out` (DOL_MAX_DATA bytes, zeros), as dolFromRecords
 * does with a kept plan, so the first tap of a card walks its DOL once. `key` is hexOf(dol),
 * the plan's key, whose substrings are the entries' record keys. A malformed DOL throws here
 * and is not kept.
 * @throws DOL_TRUNCATED, DOL_INVALID (as parseDol)
 */
function compileDol(dol: Uint8Array, key: string, first: TlvRecord, second: TlvRecord, out: Uint8Array): DolPlan {
  const items: number[] = [];
  const end = dol.length;
  let p = 0;
  let at = 0;
  let start = 0;
  let tag = 0;
  let size = 0;
  let k: string;
  let v: Uint8Array | undefined;
  try {
    // Entries with a 1- or 2-byte tag and a one-byte length are read here, the others (and
    // the malformed) by otherEntry: a tag byte 00, a second tag byte with b8 set (more
    // follow), a long-form length, or an entry cut off (a read past the end is undefined).
    // The interpreter lexes the whole body for every entry: it is kept short.
    for (; p < end; at += size) {
      start = p;
      tag = dol[p++];
      if (!tag || ((tag & 0x1f) === 0x1f && (tag = tag * 256 + dol[p++]) & 0x80) || !((size = dol[p++]) < 0x80)) {
        p = otherEntry(dol, start);
        tag = OTHER.tag;
        size = OTHER.length;
        k = tagHex(tag);
      } else k = key.substring(2 * start, 2 * p - 2); // the tag's bytes in hex: tagHex(tag), natively
      if (at + size > DOL_MAX_DATA) tooLong(tag, start);
      // A constructed tag is answered with zeros (Book 3 §5.4), as a missing one.
      if (size && !(dol[start] & 0x20)) {
        items.push(2 * start, k.length, size, at);
        if ((v = first[k] || second[k])) {
          if (v.length === size) out.set(v, at);
          else placeValue(out, at, size, v, tagFormat(tag));
        }
      }
    }
  } catch (e) {
    throw asDolError(e);
  }
  const plan: DolPlan = { planItems: new Uint16Array(items), planSize: at };
  if (end > 0) {
    if (planCount >= MAX_PLANS) {
      plans = {};
      planCount = 0;
    }
    plans[key] = plan;
    planCount++;
  }
  return plan;
}

const NO_DATA = new Uint8Array(0);
const NO_RECORD: TlvRecord = {};

/** dolFromRecords for a DOL not kept yet: read, kept and answered in one walk. */
function firstDol(dol: Uint8Array, key: string, first: TlvRecord, second: TlvRecord): Uint8Array {
  const out = new Uint8Array(DOL_MAX_DATA);
  return new Uint8Array(out.subarray(0, compileDol(dol, key, first, second, out).planSize));
}

/** The entry of key `k` at item `j` when the value is not exactly as long as asked: cut or padded by the format of its tag (its key read back). */
function fit(out: Uint8Array, items: DolItems, j: number, k: string, value: Uint8Array): void {
  placeValue(out, items[j + 3], items[j + 2], value, tagFormat(parseInt(k, 16)));
}

/**
 * The data answering a DOL, from `source` (EMV Book 3 §5.4): entries in order, each
 * exactly as long as asked; a tag the source lacks, or a constructed tag, gives zeros;
 * values are cut or padded by format (see TagFormat; n right-justified, cn F-padded).
 * `formatOf` defaults to the tag-formats table. The DOL is parsed before the source is asked.
 * @example buildDolData(fromHex("9F0206 9F1A02"), source) → 00 00 00 00 12 50 07 56
 * @throws DOL_TRUNCATED, DOL_INVALID (as parseDol)
 */
export function buildDolData(dol: Uint8Array, source: DataSource, formatOf?: (tag: number) => TagFormat): Uint8Array {
  const format = formatOf ?? tagFormat;
  const key = hexOf(dol);
  const plan = plans[key] || compileDol(dol, key, NO_RECORD, NO_RECORD, NO_DATA);
  const out = new Uint8Array(plan.planSize);
  const items = plan.planItems;
  for (let j = 0; j < items.length; j += 4) {
    const tag = parseInt(key.substr(items[j], items[j + 1]), 16);
    const value = source.get(tag);
    // The format matters only when the value must be padded or cut (Book 3 §5.4).
    if (value && value.length === items[j + 2]) out.set(value, items[j + 3]);
    else if (value) placeValue(out, items[j + 3], items[j + 2], value, format(tag));
  }
  return out;
}

/**
 * buildDolData over two records keyed by tag hex, `first` asked before `second` (a kernel's
 * terminal data, then the card's data): the same bytes and errors as
 * `buildDolData(dol, recordSource([first, second]))` for records of Uint8Arrays. The hot path
 * of every GPO and GENERATE AC: the DOL is parsed once per distinct DOL (compileDol), so a
 * tap converts no tag to hex, makes no closure and looks each entry up once.
 * @throws DOL_TRUNCATED, DOL_INVALID (as parseDol)
 */
export function dolFromRecords(dol: Uint8Array, first: TlvRecord, second: TlvRecord): Uint8Array {
  const key = hexOf(dol);
  const plan = plans[key];
  if (plan === undefined) return firstDol(dol, key, first, second);
  const out = new Uint8Array(plan.planSize);
  const items = plan.planItems;
  const n = items.length;
  let v: Uint8Array | undefined;
  let k: string;
  // The record key: the tag's bytes in the DOL's hex (natively). The loop body is lexed at each
  // entry: few tokens.
  for (let j = 0; j < n; j += 4) {
    if ((v = first[(k = key.substr(items[j], items[j + 1]))] || second[k])) {
      if (v.length === items[j + 2]) out.set(v, items[j + 3]);
      else fit(out, items, j, k, v);
    }
  }
  return out;
}

/**
 * A DataSource over records keyed by tag hex (`TlvRecord`, e.g. terminal data and the
 * card's data): the first record holding the tag answers.
 */
export function recordSource(records: TlvRecord[]): DataSource {
  return {
    get: (tag: number): Uint8Array | undefined => {
      const key = tagHex(tag);
      for (let i = 0; i < records.length; i++) {
        const v = records[i][key];
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
}
