/**
 * Data Object Lists: PDOL 9F38, CDOL1 8C, CDOL2 8D, DDOL 9F49, UDOL 9F69 (C-2). A DOL is a
 * list of tag + length entries without values; the terminal answers it with the values
 * concatenated, each cut or padded to the asked length (EMV 4.4 Book 3 §5.4).
 */
import { cloneBytes } from "../bytes/hex";
import { codedError, isCoded } from "../bytes/coded-error";
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
  constructed: boolean;
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
  r.constructed = (dol[start] & 0x20) !== 0;
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
  const r: DolReader = { tag: 0, length: 0, constructed: false, start: 0, next: 0 };
  let total = 0;
  try {
    while (r.next < dol.length) {
      readEntry(dol, r);
      total += r.length;
      if (total > DOL_MAX_DATA) invalid("DOL asks for more than " + DOL_MAX_DATA + " bytes", r.tag, r.start);
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
 * The data answering a DOL, from `source` (EMV Book 3 §5.4): entries in order, each
 * exactly as long as asked; a tag the source lacks, or a constructed tag, gives zeros;
 * values are cut or padded by format (see TagFormat; n right-justified, cn F-padded).
 * `formatOf` defaults to the tag-formats table.
 * @example buildDolData(fromHex("9F0206 9F1A02"), source) → 00 00 00 00 12 50 07 56
 * @throws DOL_TRUNCATED, DOL_INVALID (as parseDol)
 */
export function buildDolData(dol: Uint8Array, source: DataSource, formatOf?: (tag: number) => TagFormat): Uint8Array {
  const format = formatOf ?? tagFormat;
  // One pass into a buffer of the largest size allowed, then an exact copy (native slice).
  const out = new Uint8Array(DOL_MAX_DATA);
  const r: DolReader = { tag: 0, length: 0, constructed: false, start: 0, next: 0 };
  const end = dol.length;
  let p = 0;
  let at = 0;
  try {
    // Entries with a 1- or 2-byte tag and a one-byte length are read here; the others (and
    // the malformed) by readEntry: a call per entry costs the interpreter its whole body.
    while (p < end) {
      const start = p;
      let tag = dol[p++];
      if ((tag & 0x1f) === 0x1f && p < end && dol[p] < 0x80) tag = tag * 256 + dol[p++];
      let size = p < end ? dol[p++] : 0x80;
      if (tag === 0 || (tag & 0x1f) === 0x1f || size > 0x7f) {
        r.next = start;
        readEntry(dol, r);
        tag = r.tag;
        size = r.length;
        p = r.next;
      }
      if (at + size > DOL_MAX_DATA) invalid("DOL asks for more than " + DOL_MAX_DATA + " bytes", tag, start);
      if (size > 0 && (dol[start] & 0x20) === 0) {
        const value = source.get(tag);
        // The format matters only when the value must be padded or cut (Book 3 §5.4).
        if (value && value.length === size) out.set(value, at);
        else if (value) placeValue(out, at, size, value, format(tag));
      }
      at += size;
    }
  } catch (e) {
    throw asDolError(e);
  }
  return cloneBytes(out, 0, at);
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
