// Test-only helpers for the card engine: play hex command APDUs against a profile, and
// recompute cryptograms apart from the engine (own data assembly, low-level host crypto).
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { parseTlv, tagHex, type TlvNode } from "../../src/emv/tlv";
import { createCard, type CardOptions } from "../../src/sim/card-engine";
import type { CardProfile, TlvSpec } from "../../src/sim/card-profile";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { profileByName } from "../../src/sim/profiles";
import {
  deriveIccMasterKeyOptionA,
  mastercardCvn16Arqc,
  nodeCardCrypto,
  unionpayCvn01Arqc,
  visaCvn10Arqc,
  visaCvn18Arqc,
} from "../../host/crypto";

/** A deep copy of a named profile, free to change. */
export function profile(name: string): CardProfile {
  const p = profileByName(name);
  if (!p) throw new Error("no profile " + name);
  return JSON.parse(JSON.stringify(p)) as CardProfile;
}

export function card(p: CardProfile | string, options?: CardOptions): VirtualTarget {
  return createCard(typeof p === "string" ? profile(p) : p, nodeCardCrypto, options);
}

export interface Reply {
  /** Data field, hex. */
  data: string;
  /** SW1 SW2, hex. */
  sw: string;
  ms: number;
  wtx: number;
}

/** Sends one command (hex, spaces allowed) and splits the answer; throws when the target is mute. */
export function send(t: VirtualTarget, hex: string, nowMs = 0): Reply {
  const a = t.handle(fromHex(hex), nowMs);
  if (!a) throw new Error("no answer to " + hex);
  const r = a.response;
  return { data: toHex(r.subarray(0, r.length - 2)), sw: toHex(r.subarray(r.length - 2)), ms: a.processingMs, wtx: a.wtx ?? 0 };
}

export const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";

/** SELECT by DF name, P2 00 (first) or 02 (next). */
export function selectAid(aidHex: string, next = false): string {
  return "00A404" + (next ? "02" : "00") + toHex([aidHex.length / 2]) + aidHex + "00";
}

/** GPO with `83 L pdolData` (data hex). */
export function gpo(pdolDataHex: string): string {
  const n = pdolDataHex.length / 2;
  return "80A80000" + toHex([n + 2, 0x83, n]) + pdolDataHex + "00";
}

export function genAc(p1: string, cdolDataHex: string): string {
  return "80AE" + p1 + "00" + toHex([cdolDataHex.length / 2]) + cdolDataHex + "00";
}

export function readRecord(sfi: number, record: number): string {
  return "00B2" + toHex([record, (sfi << 3) | 4]) + "00";
}

/** Primitive values of a TLV answer by tag hex (first occurrence), templates walked. */
export function tags(dataHex: string): { [tag: string]: string } {
  const out: { [tag: string]: string } = {};
  const walk = (nodes: TlvNode[]): void => {
    for (const n of nodes) {
      if (n.children) walk(n.children);
      else {
        const k = tagHex(n.tag);
        if (out[k] === undefined) out[k] = toHex(n.value);
      }
    }
  };
  walk(parseTlv(fromHex(dataHex)));
  return out;
}

/** Tags of the primitive objects of a TLV answer in document order (object keys would sort "57" first). */
export function tagOrder(dataHex: string): string[] {
  const out: string[] = [];
  const walk = (nodes: TlvNode[]): void => {
    for (const n of nodes) {
      if (n.children) walk(n.children);
      else out.push(tagHex(n.tag));
    }
  };
  walk(parseTlv(fromHex(dataHex)));
  return out;
}

/** Terminal values of one transaction, hex, standard lengths. */
export interface Txn {
  ttq?: string;
  amount: string;
  other: string;
  country: string;
  tvr: string;
  currency: string;
  date: string;
  type: string;
  un: string;
}

export const TXN: Txn = {
  ttq: "36004000",
  amount: "000000001250",
  other: "000000000000",
  country: "0840",
  tvr: "0000000000",
  currency: "0840",
  date: "250115",
  type: "00",
  un: "A1B2C3D4",
};

/** PDOL data for 9F66 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 (the Visa-style PDOL), plus `tail`. */
export function visaPdolData(t: Txn, tail = ""): string {
  return (t.ttq ?? "00000000") + t.amount + t.other + t.country + t.tvr + t.currency + t.date + t.type + t.un + tail;
}

/** CDOL1 data of the Mastercard profiles (9F02 … 9F37 9F35 9F45 9F4C 9F34 9F21 9F7C). */
export function mcCdolData(t: Txn): string {
  return t.amount + t.other + t.country + t.tvr + t.currency + t.date + t.type + t.un + "22" + "0000" + "00".repeat(8) + "3F0000" + "101530" + "00".repeat(20);
}

/** The static hex value of the first object `tag` in a profile TLV tree, or undefined. */
export function specValue(spec: TlvSpec[], tag: string): string | undefined {
  for (const s of spec) {
    if (s[0] === tag && typeof s[1] === "string") return s[1];
    if (typeof s[1] !== "string") {
      const v = specValue(s[1], tag);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

/** Replaces the value of `tag` in a profile TLV tree (in place). */
export function setSpec(spec: TlvSpec[], tag: string, value: string): void {
  for (const s of spec) {
    if (s[0] === tag) s[1] = value;
    else if (typeof s[1] !== "string") setSpec(s[1], tag, value);
  }
}

/**
 * The application cryptogram recomputed apart from the engine: the data elements of the
 * version (card-crypto.ts) assembled here from the transaction values, AIP, ATC and IAD.
 */
export function expectedAc(version: string, imk: string, pan: string, psn: string, t: Txn, aip: string, atc: string, iad: string): string {
  const base = fromHex(t.amount + t.other + t.country + t.tvr + t.currency + t.date + t.type + t.un + aip + atc);
  const mk = deriveIccMasterKeyOptionA(fromHex(imk), pan, psn);
  const i = fromHex(iad);
  switch (version) {
    case "visa-cvn18":
      return toHex(visaCvn18Arqc(mk, fromHex(atc), concat([base, i])));
    case "visa-cvn10":
      return toHex(visaCvn10Arqc(mk, concat([base, i.subarray(3, 7)])));
    case "mastercard-cvn16":
      return toHex(mastercardCvn16Arqc(mk, fromHex(atc), fromHex(t.un), concat([base, i.subarray(2, 8)])));
    case "unionpay-cvn01":
      return toHex(unionpayCvn01Arqc(mk, fromHex(atc), concat([base, i.subarray(3, 7)])));
  }
  throw new Error("unknown version " + version);
}

/** Luhn check of a digit string (ISO/IEC 7812-1 Annex B). */
export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
