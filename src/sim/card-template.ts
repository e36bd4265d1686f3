/**
 * Profile TLV trees (card-profile.ts `TlvSpec`) compiled once per card into nodes with
 * their tag bytes and static values decoded, then encoded per answer with the computed
 * values filled in. Compiling checks the profile, so a bad one fails at `createCard`, not
 * in the middle of a tap.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { concat, fromHex, toHex } from "../bytes/hex";
import { encodeLength, encodeTag, TLV_MAX_DEPTH } from "../emv/tlv";
import type { TlvSpec } from "./card-profile";

/** Computed values a template may name ("$AID" …). */
export const enum Dyn {
  None = 0,
  Aid = 1,
  Atc = 2,
  Ac = 3,
  Cid = 4,
  Iad = 5,
}

const DYN_NAMES = ["", "$AID", "$ATC", "$AC", "$CID", "$IAD"];

export interface TemplateNode {
  /** Tag hex as written ("" for raw bytes). */
  tag: string;
  /** Encoded tag (empty for raw bytes). */
  tagBytes: Uint8Array;
  /** Static value, or the raw bytes; null for computed values and templates. */
  value: Uint8Array | null;
  /** Which computed value (Dyn), Dyn.None when static. */
  dyn: number;
  children: TemplateNode[] | null;
}

/** The computed values of the current answer, indexed by Dyn. */
export type DynValues = (Uint8Array | null)[];

function profileError(where: string, message: string): Error {
  return codedError("SIM_PROFILE", where + ": " + message, { where: where });
}

/** ASCII text after a leading apostrophe. */
function textBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length - 1);
  for (let i = 1; i < s.length; i++) out[i - 1] = s.charCodeAt(i) & 0xff;
  return out;
}

function compileValue(node: TemplateNode, value: string, where: string): void {
  if (value.charAt(0) === "$") {
    node.dyn = DYN_NAMES.indexOf(value);
    if (node.dyn <= 0) throw profileError(where, "unknown computed value " + value);
  } else if (value.charAt(0) === "'") {
    node.value = textBytes(value);
  } else {
    try {
      node.value = fromHex(value);
    } catch (e) {
      if (!isCoded(e)) throw e;
      throw profileError(where, "bad hex value");
    }
  }
}

function compileList(spec: TlvSpec[], where: string, depth: number): TemplateNode[] {
  if (depth > TLV_MAX_DEPTH) throw profileError(where, "templates nested too deep");
  if (!Array.isArray(spec)) throw profileError(where, "expected a list of [tag, value] pairs");
  const out: TemplateNode[] = [];
  for (let i = 0; i < spec.length; i++) {
    const item = spec[i];
    const at = where + "[" + i + "]";
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== "string") throw profileError(at, "expected [tag, value]");
    const tag = item[0];
    const node: TemplateNode = { tag: tag, tagBytes: new Uint8Array(0), value: null, dyn: Dyn.None, children: null };
    if (tag !== "") {
      try {
        node.tagBytes = encodeTag(parseInt(tag, 16));
      } catch (e) {
        if (!isCoded(e)) throw e;
      }
      if (toHex(node.tagBytes) !== tag) throw profileError(at, "bad tag " + tag + " (upper-case hex of a BER-TLV tag)");
    }
    const v = item[1];
    if (typeof v === "string") compileValue(node, v, at + " " + tag);
    else if (tag === "" || (node.tagBytes[0] & 0x20) === 0) throw profileError(at, "children under primitive tag " + tag);
    else node.children = compileList(v, at + " " + tag, depth + 1);
    if (tag === "" && node.value === null) throw profileError(at, "raw bytes must be hex");
    out.push(node);
  }
  return out;
}

/**
 * Compiles a profile TLV tree. `where` names it in errors ("card-visa apps[0].fci").
 * @throws SIM_PROFILE (`where`) on a malformed pair, tag, hex value or computed value name
 */
export function compileTemplate(spec: TlvSpec[], where: string): TemplateNode[] {
  return compileList(spec, where, 1);
}

function findOverride(overrides: TemplateNode[] | null, tag: string): number {
  if (!overrides) return -1;
  for (let i = 0; i < overrides.length; i++) if (overrides[i].tag === tag) return i;
  return -1;
}

function valueOf(node: TemplateNode, values: DynValues): Uint8Array {
  if (node.dyn === Dyn.None) return node.value as Uint8Array;
  const v = values[node.dyn];
  // The engine fills every value its answers use; a gap is an engine/profile mismatch.
  if (!v) throw codedError("SIM_PROFILE", "no value for " + DYN_NAMES[node.dyn] + " in this answer", { where: node.tag });
  return v;
}

function encodeList(nodes: TemplateNode[], values: DynValues, overrides: TemplateNode[] | null, used: boolean[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < nodes.length; i++) {
    let node = nodes[i];
    if (node.tag === "") {
      parts.push(node.value as Uint8Array);
      continue;
    }
    let value: Uint8Array;
    if (node.children) {
      value = concat(encodeList(node.children, values, overrides, used));
    } else {
      const o = findOverride(overrides, node.tag);
      if (o >= 0) {
        used[o] = true;
        node = (overrides as TemplateNode[])[o];
      }
      value = valueOf(node, values);
    }
    parts.push(node.tagBytes, encodeLength(value.length), value);
  }
  return parts;
}

/**
 * Encodes compiled nodes with the computed `values` (indexed by Dyn). `overrides` replace
 * the value of primitive objects with the same tag, wherever they are; those matching no
 * object are added at the end.
 */
export function encodeTemplate(nodes: TemplateNode[], values: DynValues, overrides?: TemplateNode[]): Uint8Array {
  const o = overrides ?? null;
  const used: boolean[] = [];
  const parts = encodeList(nodes, values, o, used);
  if (o) {
    const extra: TemplateNode[] = [];
    for (let i = 0; i < o.length; i++) if (!used[i]) extra.push(o[i]);
    if (extra.length) parts.push(concat(encodeList(extra, values, null, used)));
  }
  return concat(parts);
}

/** The static value of the first primitive object with `tag` (depth first), or null. */
export function findStatic(nodes: TemplateNode[], tag: string): Uint8Array | null {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.tag === tag && n.value && !n.children) return n.value;
    if (n.children) {
      const v = findStatic(n.children, tag);
      if (v) return v;
    }
  }
  return null;
}

/**
 * Checks that the tree names only the computed values in `allowed` (bit 1 << Dyn), so that
 * an answer never lacks one at run time.
 * @throws SIM_PROFILE (`where`)
 */
export function checkDyn(nodes: TemplateNode[], allowed: number, where: string): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.dyn !== Dyn.None && ((1 << n.dyn) & allowed) === 0) throw profileError(where, DYN_NAMES[n.dyn] + " is not known in this answer");
    if (n.children) checkDyn(n.children, allowed, where);
  }
}
