/**
 * The card profile (docs/architecture.md "Card profile"): everything a virtual card or phone answers,
 * as JSON, so that payment engineers can read and write one without code. The engine
 * (card-engine.ts) plays it; src/sim/profiles/ holds the named ones.
 *
 * TLV content is a tree of `[tag, value]` pairs, so no length is ever counted by hand and
 * tag order is exactly as written (objects would reorder integer-like keys such as "87"):
 *
 *   ["9F36", "$ATC"]                a computed value (below)
 *   ["5F34", "01"]                  hex bytes
 *   ["50", "'VISA CREDIT"]          ASCII text after the apostrophe
 *   ["A5", [["50", …], ["87", …]]]  a template and its children
 *   ["", "9F102006011203"]          raw bytes inserted as written: for broken cards only
 *
 * Computed values: `$AID` the selected application's full AID (FCI 84); `$ATC` the
 * Application Transaction Counter (9F36); `$AC` the application cryptogram (9F26); `$CID`
 * the Cryptogram Information Data (9F27); `$IAD` the Issuer Application Data (9F10) with
 * the cryptogram-type bits of its CVR set for the cryptogram just computed.
 */
import type { CryptogramVersion } from "./card-crypto";

/** One TLV object: tag hex ("" = raw bytes) and a value or children (see the file comment). */
export type TlvSpec = [string, string | TlvSpec[]];

export interface CardProfile {
  /** The profile name used by `npm run tap -- <name>` (docs/architecture.md "Profile names"). */
  name: string;
  /** One sentence: what the profile is and what it exercises. */
  description: string;
  /** Phones get a fresh random UID at each activation (see RfProfile.uid). */
  formFactor: "card" | "phone";
  rf: RfProfile;
  timing: TimingProfile;
  /**
   * The answer to SELECT 2PAY.SYS.DDF01 (EMV Book B §3.3: FCI 6F with the directory
   * entries 61 in BF0C). Absent: 6A82, the terminal falls back to its AID list.
   */
  ppse?: TlvSpec[];
  /** The payment applications, in the card's own order (used by SELECT … next, P2 02). */
  apps: AppProfile[];
  quirks?: QuirksProfile;
}

/** ISO/IEC 14443-3 type A activation data, as the PN532 reports it (UM0701-02 §7.3.5). */
export interface RfProfile {
  /** SENS_RES (ATQA), 2 bytes hex as the PN532 lists it: "0004" single-size UID, "0044" double. */
  atqa: string;
  /** SEL_RES (SAK), 1 byte hex; "20" = ISO/IEC 14443-4 compliant. */
  sak: string;
  /**
   * Fixed UID hex (cards: 7 bytes, first byte the IC manufacturer). Absent: a random 4-byte
   * UID whose first byte is 08, new at each activation (ISO/IEC 14443-3, as phones do).
   */
  uid?: string;
  /** The ATS including its length byte TL (ISO/IEC 14443-4 §5.2). */
  ats: string;
}

/** The card's own processing time, charged by the simulator's timing model. */
export interface TimingProfile {
  /** Processing time of an APDU whose INS has no entry in `insMs`, ms. */
  defaultMs: number;
  /** By INS hex: "A4" SELECT, "A8" GPO, "B2" READ RECORD, "AE" GENERATE AC, "CA" GET DATA. */
  insMs?: { [ins: string]: number };
  /** S(WTX) requests sent before the answer, by INS hex (ISO/IEC 14443-4 §7.3). */
  wtx?: { [ins: string]: number };
}

/** One payment application (ADF). */
export interface AppProfile {
  /** ADF name, hex (5 to 16 bytes). */
  aid: string;
  /** Answers SELECT by a leading part of the AID (ISO/IEC 7816-4 §7.1.1, partial DF name). */
  partialSelect?: boolean;
  /** The SELECT answer: the FCI template 6F. Its 9F38 (PDOL) must be static hex. */
  fci: TlvSpec[];
  /**
   * The GET PROCESSING OPTIONS answer (EMV Book 3 §6.5.8.4). `data` lists its objects; 82
   * (AIP) must be there as static hex, 94 (AFL) too unless the card needs no READ RECORD.
   * Format 2 sends them in a 77 template as written; format 1 sends 80 AIP‖AFL.
   */
  gpo: { format: 1 | 2; data: TlvSpec[] };
  /** Records by SFI and number; `data` is the whole record, normally one 70 template. */
  records: RecordProfile[];
  /**
   * The contents of the 77 template answering GENERATE AC (EMV Book 3 §6.5.5.4, format 2).
   * Absent: the application makes its cryptogram in GPO and GENERATE AC gets 6985.
   * Its CDOL1 is the 8C found in `records`.
   */
  generateAc?: TlvSpec[];
  /** GET DATA answers (EMV Book 3 §6.5.7), one object each: [["9F36", "$ATC"], ["9F17", "03"]]. */
  getData?: TlvSpec[];
  /** Where the application cryptogram is made: in GPO (qVSDC, qUICS) or GENERATE AC (M/Chip). */
  cryptogramIn: "gpo" | "generateAc";
  keys: KeysProfile;
}

export interface RecordProfile {
  /** Short File Identifier 1..30. */
  sfi: number;
  /** Record number 1..255. */
  record: number;
  data: TlvSpec[];
}

/** Test keys only: the issuer master key of the acquirer's test issuer, never a real one. */
export interface KeysProfile {
  version: CryptogramVersion;
  /** Issuer master key for AC (IMK-AC), 16 bytes hex. */
  imk: string;
  /** PAN or token digits as in 5A / 57, used for the ICC master key derivation. */
  pan: string;
  /** PAN Sequence Number, 2 digits ("00" when the card has no 5F34). */
  psn: string;
  /** Issuer Application Data (9F10) as personalised; the engine sets the CVR's AC type bits. */
  iad: string;
  /** The ATC before the first transaction, 2 bytes hex; each GPO increments it. */
  atc: string;
}

export interface QuirksProfile {
  seePhone?: SeePhoneQuirk;
  /**
   * The card leaves the field after answering this many APDUs of one activation: the next
   * command gets no answer and the target's `leaveAtMs` becomes that moment.
   */
  leaveAfterApdus?: number;
}

/**
 * A phone that wants its holder to authenticate first ("see phone", EMV Book A message 20).
 * The first `times` transactions get the see-phone answer; the holder then unlocks the
 * phone and later taps go through (the count persists across taps of the same target).
 */
export interface SeePhoneQuirk {
  times: number;
  /**
   * "6986": GPO answers SW 6986 (Visa phones; no ATC used).
   * "aac": the cryptogram step answers an AAC with the `set` values (Mastercard phones:
   * POS Cardholder Interaction Information DF4B, which Kernel 2 reads on an AAC and
   *   looks up in its Phone Message Table DF8131, EMV Book C-2).
   */
  answer: "6986" | "aac";
  /**
   * No see phone needed when (TTQ AND mask) = value: Apple Pay express mode pays at once
   * when the reader supports ODA for online authorisations (TTQ byte 1 b1).
   */
  unlessTtq?: { mask: string; value: string };
  /** "aac": values replacing those of the same tag in the answer, or added at its end. */
  set?: TlvSpec[];
}
