/**
 * A card profile (JSON, possibly a user's file) checked and turned into what the engine
 * plays: bytes decoded, DOLs parsed, templates compiled. Every fault is a SIM_PROFILE error
 * naming where it is, raised at `createCard`; a compiled card never fails mid-tap.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { fromHex } from "../bytes/hex";
import { parseDol } from "../emv/dol";
import type { DolEntry } from "../emv/dol";
import type { CryptogramVersion } from "./card-crypto";
import type { AppProfile, CardProfile, TimingProfile } from "./card-profile";
import { checkDyn, compileTemplate, Dyn, findStatic } from "./card-template";
import type { TemplateNode } from "./card-template";

export interface CompiledApp {
  aid: Uint8Array;
  partial: boolean;
  fci: TemplateNode[];
  pdol: DolEntry[];
  pdolLength: number;
  gpoFormat: number;
  gpo: TemplateNode[];
  aip: Uint8Array;
  afl: Uint8Array;
  records: { sfi: number; record: number; nodes: TemplateNode[] }[];
  cdol1: DolEntry[] | null;
  cdol1Length: number;
  genAc: TemplateNode[] | null;
  getData: TemplateNode[];
  acInGpo: boolean;
  version: CryptogramVersion;
  imk: Uint8Array;
  pan: string;
  psn: string;
  iad: Uint8Array;
  /** State kept across taps: the ATC of the last transaction. */
  atc: number;
}

export interface CompiledCard {
  name: string;
  apps: CompiledApp[];
  ppse: TemplateNode[] | null;
  atqa: Uint8Array;
  sak: number;
  /** Fixed UID, or null for a random one per activation. */
  uid: Uint8Array | null;
  ats: Uint8Array;
  timing: TimingProfile;
  seePhoneTimes: number;
  seePhoneAnswer: string;
  seePhoneSet: TemplateNode[] | undefined;
  ttqMask: Uint8Array | null;
  ttqValue: Uint8Array | null;
  leaveAfterApdus: number;
}

function fail(where: string, message: string): Error {
  return codedError("SIM_PROFILE", where + ": " + message, { where: where });
}

function need(ok: boolean, where: string, message: string): void {
  if (!ok) throw fail(where, message);
}

function isObject(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCount(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && v >= min && v <= max && Math.floor(v) === v;
}

function hexField(value: unknown, bytes: number, where: string): Uint8Array {
  let out: Uint8Array | null = null;
  if (typeof value === "string") {
    try {
      out = fromHex(value);
    } catch (e) {
      if (!isCoded(e)) throw e;
    }
  }
  if (!out || (bytes > 0 && out.length !== bytes)) throw fail(where, "expected " + (bytes || "some") + " bytes of hex");
  return out;
}

function isDigits(s: unknown, min: number, max: number): boolean {
  if (typeof s !== "string" || s.length < min || s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function dolOf(dol: Uint8Array | null, where: string): DolEntry[] {
  if (!dol) return [];
  try {
    return parseDol(dol);
  } catch (e) {
    if (!isCoded(e)) throw e;
    throw fail(where, "bad DOL (" + e.code + ")");
  }
}

function dolLength(dol: DolEntry[]): number {
  let n = 0;
  for (let i = 0; i < dol.length; i++) n += dol[i].length;
  return n;
}

function timingOk(t: TimingProfile): boolean {
  if (!isObject(t) || !(typeof t.defaultMs === "number" && t.defaultMs >= 0)) return false;
  const maps = [t.insMs, t.wtx];
  for (let m = 0; m < 2; m++) {
    const map = maps[m];
    if (map === undefined) continue;
    if (!isObject(map)) return false;
    const keys = Object.keys(map);
    for (let i = 0; i < keys.length; i++) if (!isCount(map[keys[i]], 0, 1e6)) return false;
  }
  return true;
}

const VERSIONS = ["visa-cvn10", "visa-cvn18", "mastercard-cvn16", "unionpay-cvn01"];

/** Computed values each answer may use (bits 1 << Dyn). */
const DYN_SELECTED = (1 << Dyn.Aid) | (1 << Dyn.Atc);
const DYN_ALL = DYN_SELECTED | (1 << Dyn.Ac) | (1 << Dyn.Cid) | (1 << Dyn.Iad);

function compileApp(p: AppProfile, where: string): CompiledApp {
  need(isObject(p), where, "expected an object");
  const k = p.keys;
  need(isObject(k) && VERSIONS.indexOf(k.version) >= 0, where, "keys.version must be one of " + VERSIONS.join(", "));
  need(isDigits(k.pan, 12, 19) && isDigits(k.psn, 2, 2), where, "keys.pan must be 12-19 digits, keys.psn 2 digits");
  const iad = hexField(k.iad, 0, where + " keys.iad");
  // The CVR sits in IAD bytes 3-8 (Mastercard) or 4-7 (Visa, UnionPay): see card-crypto.ts.
  need(iad.length >= (k.version === "mastercard-cvn16" ? 8 : 7), where, "keys.iad too short to hold the CVR");
  const atc = hexField(k.atc, 2, where + " keys.atc");
  const acInGpo = p.cryptogramIn === "gpo";
  need(acInGpo || p.cryptogramIn === "generateAc", where, "cryptogramIn must be gpo or generateAc");
  need(isObject(p.gpo) && (p.gpo.format === 1 || p.gpo.format === 2), where, "gpo.format must be 1 or 2");
  need(Array.isArray(p.records), where, "records must be a list");

  const fci = compileTemplate(p.fci, where + ".fci");
  checkDyn(fci, DYN_SELECTED, where + ".fci");
  const gpo = compileTemplate(p.gpo.data, where + ".gpo");
  checkDyn(gpo, acInGpo ? DYN_ALL : DYN_SELECTED, where + ".gpo");
  const aip = findStatic(gpo, "82");
  need(aip !== null && aip.length === 2, where, "gpo needs a static 2-byte 82 (AIP)");
  const afl = findStatic(gpo, "94") ?? new Uint8Array(0);
  need(afl.length % 4 === 0, where, "94 (AFL) must be 4-byte entries");
  const records: CompiledApp["records"] = [];
  let cdol1: Uint8Array | null = null;
  for (let i = 0; i < p.records.length; i++) {
    const r = p.records[i];
    const at = where + ".records[" + i + "]";
    need(isObject(r) && isCount(r.sfi, 1, 30) && isCount(r.record, 1, 255), at, "sfi 1..30, record 1..255");
    const nodes = compileTemplate(r.data, at);
    checkDyn(nodes, DYN_SELECTED, at);
    cdol1 = cdol1 ?? findStatic(nodes, "8C");
    records.push({ sfi: r.sfi, record: r.record, nodes: nodes });
  }
  const genAc = p.generateAc ? compileTemplate(p.generateAc, where + ".generateAc") : null;
  need(!genAc || cdol1 !== null, where, "generateAc needs a CDOL1 (8C) in the records");
  need(acInGpo || genAc !== null, where, "cryptogramIn generateAc without generateAc");
  const getData = p.getData ? compileTemplate(p.getData, where + ".getData") : [];
  checkDyn(getData, DYN_SELECTED, where + ".getData");
  const pdol = dolOf(findStatic(fci, "9F38"), where + " PDOL");
  const cdol = cdol1 ? dolOf(cdol1, where + " CDOL1") : null;
  const aid = hexField(p.aid, 0, where + ".aid");
  need(aid.length >= 5 && aid.length <= 16, where, "aid must be 5..16 bytes");
  return {
    aid: aid,
    partial: p.partialSelect === true,
    fci: fci,
    pdol: pdol,
    pdolLength: dolLength(pdol),
    gpoFormat: p.gpo.format,
    gpo: gpo,
    aip: aip as Uint8Array,
    afl: afl,
    records: records,
    cdol1: cdol,
    cdol1Length: cdol ? dolLength(cdol) : 0,
    genAc: genAc,
    getData: getData,
    acInGpo: acInGpo,
    version: k.version,
    imk: hexField(k.imk, 16, where + " keys.imk"),
    pan: k.pan,
    psn: k.psn,
    iad: iad,
    atc: (atc[0] << 8) | atc[1],
  };
}

/**
 * Checks and compiles a profile.
 * @throws SIM_PROFILE (`where`: profile name and path of the fault)
 */
export function compileProfile(profile: CardProfile): CompiledCard {
  need(isObject(profile) && typeof profile.name === "string", "profile", "expected an object with a name");
  const name = profile.name;
  need(Array.isArray(profile.apps) && profile.apps.length > 0, name, "apps must be a non-empty list");
  const apps: CompiledApp[] = [];
  for (let i = 0; i < profile.apps.length; i++) apps.push(compileApp(profile.apps[i], name + " apps[" + i + "]"));
  const ppse = profile.ppse === undefined ? null : compileTemplate(profile.ppse, name + ".ppse");
  if (ppse) checkDyn(ppse, 0, name + ".ppse");
  const rf = profile.rf;
  need(isObject(rf), name, "rf must be an object");
  const ats = hexField(rf.ats, 0, name + " rf.ats");
  need(ats.length > 0 && ats[0] === ats.length, name, "rf.ats must start with its own length TL");
  const uid = rf.uid === undefined ? null : hexField(rf.uid, 0, name + " rf.uid");
  need(!uid || uid.length === 4 || uid.length === 7 || uid.length === 10, name, "rf.uid must be 4, 7 or 10 bytes");
  need(timingOk(profile.timing), name, "timing needs defaultMs and numeric insMs / wtx");
  const quirks = profile.quirks ?? {};
  need(isObject(quirks), name, "quirks must be an object");
  const sp = quirks.seePhone;
  need(sp === undefined || (isObject(sp) && isCount(sp.times, 0, 1e6) && (sp.answer === "6986" || sp.answer === "aac")), name, "quirks.seePhone needs times and answer 6986 or aac");
  const seePhoneSet = sp && sp.set ? compileTemplate(sp.set, name + " quirks.seePhone.set") : undefined;
  if (seePhoneSet) checkDyn(seePhoneSet, DYN_ALL, name + " quirks.seePhone.set");
  const rule = sp && sp.unlessTtq;
  need(!rule || isObject(rule), name, "quirks.seePhone.unlessTtq must be { mask, value }");
  const leave = quirks.leaveAfterApdus ?? 0;
  need(isCount(leave, 0, 1e6), name, "quirks.leaveAfterApdus must be a count");
  return {
    name: name,
    apps: apps,
    ppse: ppse,
    atqa: hexField(rf.atqa, 2, name + " rf.atqa"),
    sak: hexField(rf.sak, 1, name + " rf.sak")[0],
    uid: uid,
    ats: ats,
    timing: profile.timing,
    seePhoneTimes: sp ? sp.times : 0,
    seePhoneAnswer: sp ? sp.answer : "",
    seePhoneSet: seePhoneSet,
    ttqMask: rule ? hexField(rule.mask, 4, name + " unlessTtq.mask") : null,
    ttqValue: rule ? hexField(rule.value, 4, name + " unlessTtq.value") : null,
    leaveAfterApdus: leave,
  };
}
