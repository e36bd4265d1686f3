/**
 * Field-by-field check of a card profile as read from JSON (card-profile.ts), before the
 * engine compiles it: every key known, every value of its type, every enum one of its
 * values. The error names the path of the field ("apps[0].keys.version"), so a payment
 * engineer editing a profile file sees what to fix. What needs the bytes (TLV templates,
 * DOLs, AFL, lengths of keys) is checked afterwards by card-compile.ts.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { fromHex } from "../bytes/hex";
import type { CardProfile } from "./card-profile";

const enum Kind {
  Text,
  Hex,
  Digits,
  Count,
  Ms,
  Bool,
  OneOf,
  Tlv,
  Obj,
  List,
  MsMap,
}

interface Rule {
  k: Kind;
  /** May be absent. */
  opt?: boolean;
  /** OneOf: the allowed values. */
  values?: (string | number)[];
  /** Obj: its fields. */
  fields?: Fields;
  /** List: the rule of each item; `min` items at least. */
  item?: Rule;
  min?: number;
}

interface Fields {
  [key: string]: Rule;
}

/** TLV templates nest a few levels (6F → A5 → BF0C → 61): deeper is a mistake, not a card. */
const MAX_TLV_DEPTH = 8;

function r(k: Kind, opt?: boolean): Rule {
  return { k: k, opt: opt };
}

function oneOf(values: (string | number)[], opt?: boolean): Rule {
  return { k: Kind.OneOf, values: values, opt: opt };
}

function obj(fields: Fields, opt?: boolean): Rule {
  return { k: Kind.Obj, fields: fields, opt: opt };
}

function list(item: Rule, min: number): Rule {
  return { k: Kind.List, item: item, min: min };
}

const TLV_LIST: Rule = r(Kind.Tlv);
const TLV_LIST_OPT: Rule = r(Kind.Tlv, true);

const APP: Rule = obj({
  aid: r(Kind.Hex),
  partialSelect: r(Kind.Bool, true),
  fci: TLV_LIST,
  gpo: obj({ format: oneOf([1, 2]), data: TLV_LIST }),
  records: list(obj({ sfi: r(Kind.Count), record: r(Kind.Count), data: TLV_LIST }), 0),
  generateAc: TLV_LIST_OPT,
  getData: TLV_LIST_OPT,
  cryptogramIn: oneOf(["gpo", "generateAc"]),
  keys: obj({
    version: oneOf(["visa-cvn10", "visa-cvn18", "mastercard-cvn16", "unionpay-cvn01"]),
    imk: r(Kind.Hex),
    pan: r(Kind.Digits),
    psn: r(Kind.Digits),
    iad: r(Kind.Hex),
    atc: r(Kind.Hex),
  }),
});

const PROFILE: Rule = obj({
  name: r(Kind.Text),
  description: r(Kind.Text),
  formFactor: oneOf(["card", "phone"]),
  rf: obj({ atqa: r(Kind.Hex), sak: r(Kind.Hex), uid: r(Kind.Hex, true), ats: r(Kind.Hex) }),
  timing: obj({ defaultMs: r(Kind.Ms), insMs: r(Kind.MsMap, true), wtx: r(Kind.MsMap, true) }),
  ppse: TLV_LIST_OPT,
  apps: list(APP, 1),
  quirks: obj(
    {
      seePhone: obj(
        {
          times: r(Kind.Count),
          answer: oneOf(["6986", "aac"]),
          unlessTtq: obj({ mask: r(Kind.Hex), value: r(Kind.Hex) }, true),
          set: TLV_LIST_OPT,
        },
        true,
      ),
      leaveAfterApdus: r(Kind.Count, true),
    },
    true,
  ),
});

function bad(path: string, message: string): Error {
  return codedError("SIM_PROFILE", path + ": " + message, { where: path, path: path, detail: message });
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : "the " + typeof v + " " + JSON.stringify(v);
}

function isPlainObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isHex(v: string): boolean {
  try {
    fromHex(v);
    return true;
  } catch (e) {
    if (isCoded(e, "HEX_INVALID")) return false;
    throw e;
  }
}

function isDigits(v: string): boolean {
  if (!v.length) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isCount(v: unknown): boolean {
  return typeof v === "number" && v >= 0 && v <= 1e6 && Math.floor(v) === v;
}

/** `[tag, value]` pairs: tag hex or "", value text or children (card-profile.ts TlvSpec). */
function checkTlv(v: unknown, path: string, depth: number): void {
  if (!Array.isArray(v)) throw bad(path, "expected a list of [tag, value] pairs, got " + typeName(v));
  if (depth > MAX_TLV_DEPTH) throw bad(path, "templates nested more than " + MAX_TLV_DEPTH + " deep");
  for (let i = 0; i < v.length; i++) {
    const at = path + "[" + i + "]";
    const pair = v[i];
    if (!Array.isArray(pair) || pair.length !== 2) throw bad(at, "expected a [tag, value] pair, got " + typeName(pair));
    if (typeof pair[0] !== "string" || !isHex(pair[0])) throw bad(at + "[0]", "expected a tag in hex, got " + typeName(pair[0]));
    if (Array.isArray(pair[1])) checkTlv(pair[1], at + "[1]", depth + 1);
    else if (typeof pair[1] !== "string") throw bad(at + "[1]", "expected a value text or a list of children, got " + typeName(pair[1]));
  }
}

function checkObject(v: unknown, fields: Fields, path: string): void {
  if (!isPlainObject(v)) throw bad(path, "expected an object, got " + typeName(v));
  const o = v as { [key: string]: unknown };
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    if (fields[keys[i]] === undefined) throw bad(path + "." + keys[i], "unknown field (known: " + Object.keys(fields).join(", ") + ")");
  }
  const names = Object.keys(fields);
  for (let i = 0; i < names.length; i++) check(o[names[i]], fields[names[i]], path + "." + names[i]);
}

function check(v: unknown, rule: Rule, path: string): void {
  if (v === undefined) {
    if (rule.opt) return;
    throw bad(path, "missing");
  }
  switch (rule.k) {
    case Kind.Text:
      if (typeof v !== "string") throw bad(path, "expected text, got " + typeName(v));
      return;
    case Kind.Hex:
      if (typeof v !== "string" || !isHex(v)) throw bad(path, "expected hex bytes as text, got " + typeName(v));
      return;
    case Kind.Digits:
      if (typeof v !== "string" || !isDigits(v)) throw bad(path, "expected decimal digits as text, got " + typeName(v));
      return;
    case Kind.Count:
      if (!isCount(v)) throw bad(path, "expected a whole number 0…1000000, got " + typeName(v));
      return;
    case Kind.Ms:
      if (typeof v !== "number" || !(v >= 0 && v <= 1e6)) throw bad(path, "expected a number of ms 0…1000000, got " + typeName(v));
      return;
    case Kind.Bool:
      if (typeof v !== "boolean") throw bad(path, "expected true or false, got " + typeName(v));
      return;
    case Kind.OneOf: {
      const values = rule.values as (string | number)[];
      if (values.indexOf(v as string) < 0) throw bad(path, "expected one of " + JSON.stringify(values) + ", got " + typeName(v));
      return;
    }
    case Kind.Tlv:
      checkTlv(v, path, 0);
      return;
    case Kind.MsMap: {
      if (!isPlainObject(v)) throw bad(path, "expected an object of INS hex → number, got " + typeName(v));
      const m = v as { [ins: string]: unknown };
      const keys = Object.keys(m);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (k.length !== 2 || !isHex(k)) throw bad(path + "." + k, "expected an INS as 2 hex digits");
        if (!isCount(m[k])) throw bad(path + "." + k, "expected a whole number 0…1000000, got " + typeName(m[k]));
      }
      return;
    }
    case Kind.List: {
      if (!Array.isArray(v)) throw bad(path, "expected a list, got " + typeName(v));
      if (v.length < (rule.min || 0)) throw bad(path, "expected at least " + rule.min + " item(s)");
      for (let i = 0; i < v.length; i++) check(v[i], rule.item as Rule, path + "[" + i + "]");
      return;
    }
    default:
      checkObject(v, rule.fields as Fields, path);
  }
}

/**
 * `value` as a CardProfile, checked field by field.
 * @throws SIM_PROFILE (`path`, also as `where`: "apps[0].keys.version", "formFactor" …) on a
 *   missing or unknown field, a value of the wrong type, or a value outside its enum
 */
export function checkProfile(value: unknown): CardProfile {
  // The name first, so the path can say which profile (a file may hold any name).
  const name = isPlainObject(value) && typeof (value as { name?: unknown }).name === "string" ? (value as { name: string }).name : "profile";
  try {
    check(value, PROFILE, "");
  } catch (e) {
    if (!isCoded(e, "SIM_PROFILE")) throw e;
    // Paths start with "." (the root has none): "apps[0].keys.version".
    const path = (e.path as string).substring(1) || "(profile)";
    throw codedError("SIM_PROFILE", name + " " + path + ": " + e.detail, { where: path, path: path, profile: name });
  }
  return value as CardProfile;
}
