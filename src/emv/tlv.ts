/**
 * BER-TLV for EMV (EMV 4.4 Book 3 Annex B): the module to import. The reader, its rules,
 * options and errors are in tlv-cursor.ts (re-exported here); this file adds the one-call
 * helpers findTag, collectTlv and parseTlv, and the encoder.
 */
import { codedError } from "../bytes/coded-error";
import { concat } from "../bytes/hex";
import { isConstructed, tagHex, TLV_MAX_DEPTH, TlvCursor, type TlvOptions, type TlvRecord } from "./tlv-cursor";

export { keepSet, keepTlv, type KeepSet } from "./tlv-keep";
export {
  isConstructed,
  readLongLength,
  readTag,
  tagHex,
  tagSize,
  TLV_MAX_DEPTH,
  TlvCursor,
  type TlvOptions,
  type TlvRecord,
} from "./tlv-cursor";

/** One parsed object (`parseTlv`). */
export interface TlvNode {
  tag: number;
  /** Offset of the first tag byte in the parsed input. */
  offset: number;
  /** The value: a view into the parsed input (not a copy). */
  value: Uint8Array;
  /** The objects inside a constructed one (b6 of the first tag byte set); absent when primitive. */
  children?: TlvNode[];
}

/**
 * The value of the first object with `tag`, searching inside all templates in document
 * order; undefined when absent. Stops at the first match, so bytes after it are not checked.
 * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP met on the way
 */
export function findTag(bytes: Uint8Array, tag: number, options?: TlvOptions): Uint8Array | undefined {
  const c = new TlvCursor(bytes, options);
  return c.find(tag) ? c.value() : undefined;
}

/**
 * Collects every primitive object of `bytes`, inside all templates, into `into` (or a new
 * record) by tag hex string. Use one record across the answers of a transaction (GPO,
 * READ RECORDs) to catch duplicates between them (EMV Book 3 §10.2: a redundant primitive
 * object terminates the transaction). Not for PPSE directories, whose `61` entries repeat
 * tags by design: walk those with `TlvCursor`. On a throw, `into` may hold part of the data.
 * @throws TLV_DUPLICATE (`tag`, `offset`) unless `allowDuplicates` (then the first one stays);
 *   TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP
 */
export function collectTlv(bytes: Uint8Array, into?: TlvRecord, options?: TlvOptions): TlvRecord {
  return new TlvCursor(bytes, options).collect(into ?? {}, (options && options.allowDuplicates) === true);
}

/**
 * Parses a whole TLV byte string into a tree (iteratively, depth-bounded). Values are
 * views into `bytes`. Meant for traces, simulators and tests; kernels use the cheaper
 * `TlvCursor`, `findTag` or `collectTlv`.
 * @throws TLV_TRUNCATED, TLV_INVALID, TLV_TOO_DEEP
 */
export function parseTlv(bytes: Uint8Array, options?: TlvOptions): TlvNode[] {
  const roots: TlvNode[] = [];
  // lists[d]: the children list that objects at depth d go into (pre-order walk).
  const lists: TlvNode[][] = [roots];
  const c = new TlvCursor(bytes, options);
  while (c.next(true)) {
    const node: TlvNode = { tag: c.tag, offset: c.offset, value: c.value() };
    if (c.constructed) {
      node.children = [];
      lists[c.depth + 1] = node.children;
    }
    lists[c.depth].push(node);
  }
  return roots;
}

/** What `encodeTlvNodes` takes: a primitive needs `value`, a constructed one `children` (or a pre-encoded `value`). */
export interface TlvInput {
  tag: number;
  value?: ArrayLike<number>;
  children?: TlvInput[];
}

/**
 * The bytes of a tag number: encodeTag(0x9F26) → 9F 26.
 * @throws TLV_INVALID (`tag`) when the number is not a well-formed tag of 1–4 bytes
 */
export function encodeTag(tag: number): Uint8Array {
  const n = tag > 0xffffff ? 4 : tag > 0xffff ? 3 : tag > 0xff ? 2 : 1;
  const out = new Uint8Array(n);
  let t = tag;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = t & 0xff;
    t = (t - out[i]) / 256;
  }
  let ok = tag > 0 && tag <= 0xffffffff && Math.floor(tag) === tag && ((out[0] & 0x1f) === 0x1f) === n > 1;
  for (let i = 1; ok && i < n; i++) ok = ((out[i] & 0x80) !== 0) === i < n - 1;
  if (!ok) throw codedError("TLV_INVALID", "not a BER-TLV tag: " + tag, { tag: tag });
  return out;
}

/**
 * A length in its minimal form: 5 → 05, 200 → 81 C8, 300 → 82 01 2C.
 * @throws TLV_INVALID for a negative length or one above 0xFFFFFF
 */
export function encodeLength(length: number): Uint8Array {
  if (!(length >= 0 && length <= 0xffffff) || Math.floor(length) !== length) {
    throw codedError("TLV_INVALID", "length out of range: " + length, { length: length });
  }
  if (length < 0x80) return new Uint8Array([length]);
  if (length < 0x100) return new Uint8Array([0x81, length]);
  if (length < 0x10000) return new Uint8Array([0x82, length >> 8, length & 0xff]);
  return new Uint8Array([0x83, length >> 16, (length >> 8) & 0xff, length & 0xff]);
}

/**
 * One object: tag, minimal length, value. encodeTlv(0x9F37, un) → 9F 37 04 …
 * @throws TLV_INVALID on a malformed tag or a value above 0xFFFFFF bytes
 */
export function encodeTlv(tag: number, value: ArrayLike<number>): Uint8Array {
  const t = encodeTag(tag);
  const l = encodeLength(value.length);
  const out = new Uint8Array(t.length + l.length + value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(value, t.length + l.length);
  return out;
}

/** Encodes `nodes`, which sit inside `open` templates. */
function encodeList(nodes: TlvInput[], open: number): Uint8Array[] {
  if (open > TLV_MAX_DEPTH) throw codedError("TLV_TOO_DEEP", "more than " + TLV_MAX_DEPTH + " nested templates", {});
  const parts: Uint8Array[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    let value = node.value;
    if (node.children) {
      if (!isConstructed(node.tag)) throw codedError("TLV_INVALID", "children under primitive tag " + tagHex(node.tag), { tag: node.tag });
      value = concat(encodeList(node.children, open + 1));
    }
    if (!value) throw codedError("TLV_INVALID", "no value for tag " + tagHex(node.tag), { tag: node.tag });
    parts.push(encodeTlv(node.tag, value));
  }
  return parts;
}

/**
 * Encodes a list of objects, templates from their `children` (recursion bounded by
 * TLV_MAX_DEPTH). encodeTlvNodes(parseTlv(x)) === x for any x without padding and with
 * minimal lengths.
 * @throws TLV_INVALID (malformed tag, missing value, children under a primitive tag),
 *   TLV_TOO_DEEP
 */
export function encodeTlvNodes(nodes: TlvInput[]): Uint8Array {
  return concat(encodeList(nodes, 0));
}
