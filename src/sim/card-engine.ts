/**
 * The card/phone engine: plays a card profile (card-profile.ts) as a VirtualTarget, the way
 * a contactless EMV card answers a terminal (EMV Book 1 §11–12, Book 3 §6.5, Books C-2,
 * C-3, C-7 for the card side of GPO and GENERATE AC). Cryptograms are computed for every
 * transaction with the injected CardCrypto (DES lives on the host), never replayed.
 *
 * State: per activation the selected application and how far the transaction went (a new
 * SELECT starts over); across activations each application's ATC and the phone's pending
 * "see phone" count, so that a second tap behaves like the phone after its holder unlocked it.
 */
import { isCoded } from "../bytes/coded-error";
import { bytesEqual, concat, copyBytes, fromHex, toHex } from "../bytes/hex";
import { decodeCommand } from "../apdu/command";
import type { CommandApdu } from "../apdu/command";
import { makeResponse } from "../apdu/response";
import { buildDolData, recordSource } from "../emv/dol";
import type { DolEntry } from "../emv/dol";
import { encodeTlv, tagHex } from "../emv/tlv";
import type { TlvRecord } from "../emv/tlv";
import type { Random } from "../hal/types";
import type { CardCrypto } from "./card-crypto";
import { compileProfile } from "./card-compile";
import type { CompiledApp } from "./card-compile";
import type { CardProfile } from "./card-profile";
import { Dyn, encodeTemplate } from "./card-template";
import type { DynValues, TemplateNode } from "./card-template";
import type { TargetAnswer, VirtualTarget } from "./virtual-target";

/** Status words the engine answers (ISO/IEC 7816-4 §5.6, EMV Book 3 §6.3.5). */
const enum Sw {
  Ok = 0x9000,
  WrongLength = 0x6700,
  ConditionsNotSatisfied = 0x6985,
  SeePhone = 0x6986,
  IncorrectData = 0x6a80,
  NotFound = 0x6a82,
  RecordNotFound = 0x6a83,
  IncorrectP1P2 = 0x6a86,
  DataNotFound = 0x6a88,
  InsNotSupported = 0x6d00,
  ClaNotSupported = 0x6e00,
}

/** Cryptogram types: GENERATE AC reference control P1 b8-b7, coded as CID 9F27 b8-b7 (EMV Book 3 §6.5.5). */
const enum Ac {
  Aac = 0x00,
  Tc = 0x40,
  Arqc = 0x80,
}

/** "2PAY.SYS.DDF01", the PPSE name (EMV Book B §3.3). */
const PPSE_NAME = fromHex("325041592E5359532E4444463031");

/**
 * The data elements all four cryptogram versions start with, in order (card-crypto.ts):
 * 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37, written as a DOL so that values of another length are
 * cut or padded as Book 3 §5.4 says.
 */
const AC_DATA_DOL = fromHex("9F02069F03069F1A0295055F2A029A039C019F3704");
const UN_DOL = fromHex("9F3704");

export interface CardOptions {
  /** A fixed UID instead of the profile's (or of the phone's random one). */
  uid?: Uint8Array;
  /** Random source for phone UIDs (08 + 3 random bytes at each activation). */
  random?: Random;
  /** Simulated time the target enters the field, ms (default 0). */
  arriveAtMs?: number;
  /** Simulated time it leaves, ms (default: stays, unless a quirk removes it). */
  leaveAtMs?: number;
}

interface Session {
  app: CompiledApp | null;
  /** Index of the selected application, for SELECT next occurrence (P2 02). */
  appIndex: number;
  /** Hex of the last SELECT's name. */
  selectName: string;
  gpoDone: boolean;
  acDone: boolean;
  pdolValues: TlvRecord;
  cdolValues: TlvRecord;
  /** Computed values of the answers, indexed by Dyn. */
  values: DynValues;
  apdus: number;
}

/** Splits DOL data into values by tag (copies: the command buffer is not ours). */
function splitDol(dol: DolEntry[], data: Uint8Array, offset: number): TlvRecord {
  const out: TlvRecord = {};
  let at = offset;
  for (let i = 0; i < dol.length; i++) {
    out[tagHex(dol[i].tag)] = copyBytes(data, at, dol[i].length);
    at += dol[i].length;
  }
  return out;
}

function status(sw: number): Uint8Array {
  return makeResponse([], sw);
}

function ok(data: Uint8Array): Uint8Array {
  return makeResponse(data, Sw.Ok);
}

function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
}

function masked(value: Uint8Array, mask: Uint8Array, expected: Uint8Array): boolean {
  if (value.length !== mask.length) return false;
  for (let i = 0; i < mask.length; i++) if ((value[i] & mask[i]) !== expected[i]) return false;
  return true;
}

/**
 * A virtual card or phone playing `profile`, its cryptograms made by `crypto`.
 * @throws SIM_PROFILE (`where`) when the profile is malformed (checked here, once)
 */
export function createCard(profile: CardProfile, crypto: CardCrypto, options?: CardOptions): VirtualTarget {
  const card = compileProfile(profile);
  const apps = card.apps;
  const ppse = card.ppse;
  const timing = card.timing;
  let seePhoneLeft = card.seePhoneTimes;
  const random = options && options.random;
  let uidCounter = 0;
  /** Set once the card has left the field: it never answers again. */
  let gone = false;

  function newUid(): Uint8Array {
    if (options && options.uid) return options.uid;
    if (card.uid) return card.uid;
    // ISO/IEC 14443-3: UID0 = 08 marks a random 4-byte UID, new at each activation.
    const u = new Uint8Array(4);
    u[0] = 0x08;
    if (random) u.set(random.bytes(3), 1);
    else u[3] = ++uidCounter & 0xff;
    return u;
  }

  function newSession(): Session {
    return { app: null, appIndex: -1, selectName: "", gpoDone: false, acDone: false, pdolValues: {}, cdolValues: {}, values: [], apdus: 0 };
  }
  let s = newSession();

  /** True when the pending see-phone answer of kind `kind` applies to this transaction. */
  function seePhoneNow(kind: string): boolean {
    if (card.seePhoneAnswer !== kind || seePhoneLeft <= 0) return false;
    const ttq = s.pdolValues["9F66"];
    return !(card.ttqMask && card.ttqValue && ttq && masked(ttq, card.ttqMask, card.ttqValue));
  }

  function cryptogram(app: CompiledApp, type: number): void {
    const v = s.values;
    const source = recordSource([s.cdolValues, s.pdolValues]);
    const iad = copyBytes(app.iad, 0, app.iad.length);
    // CVR b6-b5 of the byte saying which AC the first GENERATE AC (or GPO) returned:
    // 00 AAC, 01 TC, 10 ARQC (VIS / M/Chip / PBOC CVR byte 2, resp. Mastercard byte 1).
    const mc = app.version === "mastercard-cvn16";
    const at = mc ? 2 : 4;
    iad[at] = (iad[at] & 0xcf) | (type === Ac.Arqc ? 0x20 : type === Ac.Tc ? 0x10 : 0);
    const atc = v[Dyn.Atc] as Uint8Array;
    const tail = app.version === "visa-cvn18" ? iad : mc ? iad.subarray(2, 8) : iad.subarray(3, 7);
    const un = buildDolData(UN_DOL, source);
    const data = concat([buildDolData(AC_DATA_DOL, source), app.aip, atc, tail]);
    v[Dyn.Ac] = crypto.applicationCryptogram({ version: app.version, issuerMasterKey: app.imk, pan: app.pan, psn: app.psn, atc: atc, un: un, data: data });
    v[Dyn.Cid] = new Uint8Array([type]);
    v[Dyn.Iad] = iad;
    s.acDone = true;
  }

  function matches(app: CompiledApp, n: Uint8Array): boolean {
    if (n.length === app.aid.length) return bytesEqual(n, app.aid);
    return app.partial && n.length < app.aid.length && bytesEqual(n, app.aid.subarray(0, n.length));
  }

  // EMV Book 1 §11.3, ISO/IEC 7816-4 §7.1.1: P1 04 select by DF name, P2 00 first or only
  // occurrence, 02 next occurrence. A SELECT ends whatever transaction was going on.
  function select(c: CommandApdu): Uint8Array {
    if (c.p1 !== 0x04 || (c.p2 !== 0x00 && c.p2 !== 0x02)) return status(Sw.IncorrectP1P2);
    const nameHex = toHex(c.data);
    const from = c.p2 === 0x02 && nameHex === s.selectName ? s.appIndex + 1 : 0;
    const apdus = s.apdus;
    s = newSession();
    s.apdus = apdus;
    s.selectName = nameHex;
    if (bytesEqual(c.data, PPSE_NAME)) return ppse && c.p2 === 0 ? ok(encodeTemplate(ppse, s.values)) : status(Sw.NotFound);
    for (let i = from; i < apps.length; i++) {
      const app = apps[i];
      if (!matches(app, c.data)) continue;
      s.app = app;
      s.appIndex = i;
      s.values[Dyn.Aid] = app.aid;
      s.values[Dyn.Atc] = u16(app.atc);
      return ok(encodeTemplate(app.fci, s.values));
    }
    return status(Sw.NotFound);
  }

  // EMV Book 3 §6.5.8: data 83 L PDOL-data; the card checks L against its PDOL (6700).
  function gpo(c: CommandApdu): Uint8Array {
    const app = s.app;
    if (!app || s.gpoDone) return status(Sw.ConditionsNotSatisfied);
    if (c.p1 !== 0 || c.p2 !== 0) return status(Sw.IncorrectP1P2);
    const d = c.data;
    if (d.length < 2 || d[0] !== 0x83) return status(Sw.IncorrectData);
    let at = 2;
    let len = d[1];
    if (len === 0x81 && d.length > 2) {
      len = d[2];
      at = 3;
    }
    if (at + len !== d.length || len !== app.pdolLength) return status(Sw.WrongLength);
    s.pdolValues = splitDol(app.pdol, d, at);
    // A Visa phone waiting for its holder refuses before spending an ATC.
    if (seePhoneNow("6986")) {
      seePhoneLeft--;
      return status(Sw.SeePhone);
    }
    if (app.atc >= 0xffff) return status(Sw.ConditionsNotSatisfied);
    app.atc++;
    s.values[Dyn.Atc] = u16(app.atc);
    s.gpoDone = true;
    let overrides: TemplateNode[] | undefined;
    if (app.acInGpo) {
      // qVSDC / qUICS: the card decides in GPO. These cards are online-only: ARQC, or AAC
      // for a reader that is offline-only (TTQ 9F66 byte 1 b4, EMV Book C-3).
      const ttq = s.pdolValues["9F66"];
      let type = ttq && ttq.length > 0 && (ttq[0] & 0x08) !== 0 ? Ac.Aac : Ac.Arqc;
      if (type === Ac.Arqc && seePhoneNow("aac")) {
        seePhoneLeft--;
        type = Ac.Aac;
        overrides = card.seePhoneSet;
      }
      cryptogram(app, type);
    }
    if (app.gpoFormat === 1) return ok(encodeTlv(0x80, concat([app.aip, app.afl])));
    return ok(encodeTlv(0x77, encodeTemplate(app.gpo, s.values, overrides)));
  }

  // EMV Book 3 §6.5.11: P2 = SFI << 3 | 100 (P1 is a record number).
  function readRecord(c: CommandApdu): Uint8Array {
    const app = s.app;
    if (!app) return status(Sw.ConditionsNotSatisfied);
    if ((c.p2 & 7) !== 4 || c.p1 === 0) return status(Sw.IncorrectP1P2);
    const sfi = c.p2 >> 3;
    let sfiKnown = false;
    for (let i = 0; i < app.records.length; i++) {
      const r = app.records[i];
      if (r.sfi !== sfi) continue;
      sfiKnown = true;
      if (r.record === c.p1) return ok(encodeTemplate(r.nodes, s.values));
    }
    return status(sfiKnown ? Sw.RecordNotFound : Sw.NotFound);
  }

  // EMV Book 3 §6.5.5: P1 reference control (00 AAC, 40 TC, 80 ARQC; b5 CDA), data = CDOL1 data.
  function generateAc(c: CommandApdu): Uint8Array {
    const app = s.app;
    if (!app || !s.gpoDone || s.acDone || !app.genAc || !app.cdol1) return status(Sw.ConditionsNotSatisfied);
    const requested = c.p1 & 0xc0;
    if (requested === 0xc0 || c.p2 !== 0) return status(Sw.IncorrectP1P2);
    if (c.data.length !== app.cdol1Length) return status(Sw.WrongLength);
    s.cdolValues = splitDol(app.cdol1, c.data, 0);
    // Online-only: a TC request gets an ARQC (a card may answer a lower cryptogram type
    // than asked, EMV Book 3: AAC < ARQC < TC). No CDA here: the AIPs announce none.
    let type = requested === Ac.Aac ? Ac.Aac : Ac.Arqc;
    let overrides: TemplateNode[] | undefined;
    if (type === Ac.Arqc && seePhoneNow("aac")) {
      seePhoneLeft--;
      type = Ac.Aac;
      overrides = card.seePhoneSet;
    }
    cryptogram(app, type);
    return ok(encodeTlv(0x77, encodeTemplate(app.genAc, s.values, overrides)));
  }

  // EMV Book 3 §6.5.7: the tag in P1 P2.
  function getData(c: CommandApdu): Uint8Array {
    const app = s.app;
    if (!app) return status(Sw.ConditionsNotSatisfied);
    const tag = tagHex((c.p1 << 8) | c.p2);
    for (let i = 0; i < app.getData.length; i++) {
      const node = app.getData[i];
      if (node.tag === tag) return ok(encodeTemplate([node], s.values));
    }
    return status(Sw.DataNotFound);
  }

  function answer(c: CommandApdu): Uint8Array {
    const ins = c.ins;
    // Interindustry commands have CLA 00, the EMV proprietary ones CLA 80 (EMV Book 3 §6.5).
    const cla = ins === 0xa4 || ins === 0xb2 ? 0x00 : 0x80;
    if (ins !== 0xa4 && ins !== 0xb2 && ins !== 0xa8 && ins !== 0xae && ins !== 0xca) return status(Sw.InsNotSupported);
    if (c.cla !== cla) return status(Sw.ClaNotSupported);
    if (ins === 0xa4) return select(c);
    if (ins === 0xb2) return readRecord(c);
    if (ins === 0xa8) return gpo(c);
    if (ins === 0xae) return generateAc(c);
    return getData(c);
  }

  const target: VirtualTarget = {
    atqa: card.atqa,
    sak: card.sak,
    uid: newUid(),
    ats: card.ats,
    arriveAtMs: (options && options.arriveAtMs) ?? 0,
    leaveAtMs: options && options.leaveAtMs,
    handle(command: Uint8Array, nowMs: number): TargetAnswer | null {
      if (gone) return null;
      s.apdus++;
      if (card.leaveAfterApdus > 0 && s.apdus > card.leaveAfterApdus) {
        gone = true;
        if (target.leaveAtMs === undefined || target.leaveAtMs > nowMs) target.leaveAtMs = nowMs;
        return null;
      }
      let c: CommandApdu | null = null;
      try {
        c = decodeCommand(command);
      } catch (e) {
        if (!isCoded(e)) throw e;
      }
      // A command that is no well-formed APDU (ISO/IEC 7816-4 §5.1) gets 6700.
      const response = c ? answer(c) : status(Sw.WrongLength);
      // The per-INS times are those of the work done (cryptography, record reads); a refusal
      // (any SW but 9000 and 6986) is answered at once.
      const n = response.length;
      const done = response[n - 2] === 0x90 || (response[n - 2] === 0x69 && response[n - 1] === 0x86);
      const ins = done ? toHex([command[1]]) : "";
      const insMs = done && timing.insMs ? timing.insMs[ins] : undefined;
      const wtx = done && timing.wtx ? timing.wtx[ins] : undefined;
      const out: TargetAnswer = { response: response, processingMs: insMs ?? timing.defaultMs };
      if (wtx) out.wtx = wtx;
      return out;
    },
    reset(): void {
      s = newSession();
      target.uid = newUid();
    },
  };
  return target;
}
