/**
 * Entry Point configuration and Pre-Processing (EMV Contactless Book B v2.10 §3.1): for each
 * combination of AID, kernel and transaction type, the limits decide whether contactless
 * is allowed and which TTQ bits (Terminal Transaction Qualifiers, 9F66) the card sees.
 *
 * TTQ, C-3 layout (Book A §5.7 Table 5-4; Book C-3 Annex A), also sent to kernels 2 and 3:
 *   byte 1  b8 mag-stripe mode  b6 EMV mode (qVSDC)  b5 EMV contact chip
 *           b4 offline-only reader  b3 online PIN  b2 signature
 *           b1 ODA for online authorizations
 *   byte 2  b8 online cryptogram required  b7 CVM required  b6 (contact) offline PIN
 *   byte 3  b8 issuer update processing  b7 consumer device CVM (CDCVM) supported
 *   byte 4  RFU
 * TTQ, C-7 layout (Kernel 7, UnionPay). Built from the public qPBOC table (emv.cool,
 * "Terminal Transaction Qualifiers (TTQ)(9F66)(qPBOC)", 2020-12-24), not from Book C-7 itself:
 *   byte 1  b8 RFU  b7 contactless debit/credit (full PBOC flow over contactless)
 *           b6 qPBOC (qUICS)  b5 contact debit/credit  b4 offline-only reader
 *           b3 online PIN  b2 signature  b1 RFU
 *   byte 2  b8 online cryptogram required  b7 CVM required  b6–b1 RFU
 *   byte 3  RFU (no CDCVM bit)
 *   byte 4  b8 fDDA version 01 supported (0: version 00 only)  b7–b1 RFU
 * Unverified: whether the current Book C-7 gives byte 3 (CDCVM) or byte 1 b1 a meaning, as
 * C-3 does; tappos sends 0 there and reads CDCVM from the card's CTQ alone.
 * tappos is online-only and performs no offline data authentication, so it never sets byte 1
 * b4 or b1 (nor byte 4 b8). Seen on an iPhone: Apple Pay Visa answers TTQ 32 80 40 00 with an
 * ARQC once the user has authenticated; in express mode the same phone answers 69 86 (see
 * phone) to 32804000 and an ARQC with fDDA data only to 33804000 (ODA for online set).
 */
import { codedError } from "../bytes/coded-error";
import { fromHex } from "../bytes/hex";
import { constantsOf, type TerminalConfig } from "./terminal-data";

/** One AID the terminal accepts, with its kernel and limits (a Book B "combination" per transaction type). */
export interface AidConfig {
  /** AID (ADF name or its prefix), hex, 5–16 bytes: "A0000000031010". */
  aid: string;
  /** Kernel ID (Book B Table 3-6): 2 Mastercard, 3 Visa, 7 UnionPay. */
  kernel: number;
  /** Partial name match allowed: the card's ADF name may extend the AID (Book B §3.3.2.5). Default true. */
  partial?: boolean;
  /** Transaction types (9C) served, default [0] (purchase). */
  txnTypes?: number[];
  /** Reader Contactless Transaction Limit, minor units; absent = none. Not applied to kernel 2 (its own limits, C-2 S456.14). */
  txnLimitMinor?: number;
  /** C-2 only: Reader Contactless Transaction Limit (On-device CVM), DF8125; default txnLimitMinor. */
  txnLimitOdcvMinor?: number;
  /** Reader Contactless Floor Limit, minor units; absent = none. tappos does no offline approval: keep it 0. */
  floorLimitMinor?: number;
  /** Reader CVM Required Limit, minor units; absent = none. */
  cvmLimitMinor?: number;
  /**
   * C-2 only: Terminal Risk Management Data 9F1D, hex 8 bytes (C-2 Annex A); default from the
   * terminal's CVM capabilities (c2-mastercard.ts `terminalRiskData`). Byte 2 b8 (CVM limit
   * exceeded) is set or cleared per transaction either way.
   */
  terminalRiskData?: string;
  /** Zero amount allowed (Book B §3.1.1.4); default true (goes online). */
  zeroAmountAllowed?: boolean;
  /** Status check support (Book B §3.1.1.3): an amount of one currency unit goes online; default false. */
  statusCheck?: boolean;
  /** TTQ to start from, hex 4 bytes; default from the terminal's CVM capabilities (see `defaultTtq`). */
  ttq?: string;
  /**
   * Set by pre-processing, not by callers: `aid` as bytes, with the text they came from (a
   * changed `aid` is parsed again). Parsing the hex of every AID on every tap cost the
   * interpreter millions of instructions (DIGITS.indexOf per character).
   */
  aidParsed?: { hex: string; bytes: Uint8Array };
}

export interface EntryPointConfig {
  terminal: TerminalConfig;
  /** Accepted AIDs, in the order the AID list method tries them. */
  aids: AidConfig[];
  /** Online PIN entry available (TTQ byte 1 b3; C-2 CVM list). Default false. */
  onlinePin?: boolean;
  /** Signature capture available (TTQ byte 1 b2; C-2 CVM list). Default false. */
  signature?: boolean;
  /** Consumer device CVM accepted (TTQ byte 3 b7; C-2 on-device cardholder verification). Default true. */
  cdcvm?: boolean;
  /** Message Hold Time, ms (Book A §7.1; C-2 default 000013 = 1.3 s). Default 1300. */
  holdMs?: number;
  /** Select each configured AID when the PPSE is absent or empty. Default true. */
  aidListFallback?: boolean;
}

/** What the till asks for. */
export interface Transaction {
  /** Amount, Authorised in minor units. */
  amountMinor: number;
  /** Amount, Other (cashback) in minor units, default 0. */
  amountOtherMinor?: number;
  /** 9C as its two decimal digits, default 0 (purchase). */
  transactionType?: number;
}

/** A combination that passed pre-processing, with its indicators (Book B §3.1.1). */
export interface Combination {
  cfg: AidConfig;
  /** The AID, bytes. */
  aid: Uint8Array;
  /** TTQ after pre-processing, 4 bytes. */
  ttq: Uint8Array;
  floorLimitExceeded: boolean;
  cvmLimitExceeded: boolean;
}

/**
 * TTQ from the terminal's capabilities (see the tables above): EMV mode (qVSDC / qPBOC) b6,
 * online PIN b3, signature b2; CDCVM (byte 3 b7) only in the C-3 layout: kernel 7 gets byte 3
 * and byte 4 as 00.
 */
export function defaultTtq(config: EntryPointConfig, kernel?: number): Uint8Array {
  const b1 = 0x20 | (config.onlinePin ? 0x04 : 0) | (config.signature ? 0x02 : 0);
  return new Uint8Array([b1, 0, kernel === 7 || config.cdcvm === false ? 0 : 0x40, 0]);
}

/** The AID's bytes, parsed once per AID text (kept in `cfg.aidParsed`; shared by every tap, never written to). */
function aidBytes(cfg: AidConfig): Uint8Array {
  const p = cfg.aidParsed;
  if (p !== undefined && p.hex === cfg.aid) return p.bytes;
  const b = typeof cfg.aid === "string" ? fromHex(cfg.aid) : null;
  if (!b || b.length < 5 || b.length > 16) throw codedError("EMV_CONFIG_INVALID", "AID must be 5–16 bytes", { field: "aids" });
  cfg.aidParsed = { hex: cfg.aid, bytes: b };
  return b;
}

/**
 * Parses every configured AID once, ahead of the taps (kept in each `aidParsed`): a tap then
 * only compares the text; converts the terminal's merchant fields too (terminal-data.ts
 * `constantsOf`). A malformed AID is left for `preprocess` to report on the tap.
 * Returns `config`.
 */
export function prepareEntryPointConfig(config: EntryPointConfig): EntryPointConfig {
  for (let i = 0; i < config.aids.length; i++) {
    try {
      aidBytes(config.aids[i]);
    } catch (e) {
      // Reported by preprocess, on the tap, as before.
    }
  }
  constantsOf(config.terminal);
  return config;
}

function pow10(n: number): number {
  let v = 1;
  for (let i = 0; i < n; i++) v *= 10;
  return v;
}

/**
 * Book B §3.1.1 for one AID (see preprocess): pushes its combination to `out` (or to
 * `overLimit`) when it passes. Every rule; preprocess runs it for the AIDs and transactions
 * its common path does not cover.
 */
function combine(config: EntryPointConfig, cfg: AidConfig, amount: number, type: number, out: Combination[], overLimit: Combination[] | undefined): void {
  if ((cfg.txnTypes ?? [0]).indexOf(type) < 0) return;
  const aid = aidBytes(cfg);
  const ttq = cfg.ttq ? fromHex(cfg.ttq) : defaultTtq(config, cfg.kernel);
  if (ttq.length !== 4) throw codedError("EMV_CONFIG_INVALID", "TTQ must be 4 bytes", { field: "ttq" });
  ttq[1] &= 0x3f;
  const offlineOnly = (ttq[0] & 0x08) !== 0;
  const statusCheck = cfg.statusCheck === true && amount === pow10(config.terminal.currencyExponent);
  if (amount === 0 && (cfg.zeroAmountAllowed === false || offlineOnly)) return;
  if (cfg.kernel !== 2 && cfg.txnLimitMinor !== undefined && amount >= cfg.txnLimitMinor) {
    if (overLimit) overLimit.push({ cfg: cfg, aid: aid, ttq: ttq, floorLimitExceeded: false, cvmLimitExceeded: false });
    return;
  }
  const floor = cfg.floorLimitMinor !== undefined && amount > cfg.floorLimitMinor;
  const cvm = cfg.cvmLimitMinor !== undefined && amount >= cfg.cvmLimitMinor;
  if (floor || statusCheck || amount === 0) ttq[1] |= 0x80;
  if (cvm) ttq[1] |= 0x40;
  out.push({ cfg: cfg, aid: aid, ttq: ttq, floorLimitExceeded: floor, cvmLimitExceeded: cvm });
}

/**
 * Book B §3.1.1: the combinations allowed for this transaction, each with its TTQ.
 *   3.1.1.2 TTQ byte 2 b8, b7 cleared; 3.1.1.3 status check (amount = one currency unit);
 *   3.1.1.4 zero amount; 3.1.1.5 amount ≥ transaction limit → not allowed;
 *   3.1.1.6 amount > floor limit; 3.1.1.8 amount ≥ CVM required limit;
 *   3.1.1.9–11 floor limit exceeded, status check or zero amount → online cryptogram
 *   required (zero amount on an offline-only reader → not allowed); 3.1.1.12 CVM required.
 * An empty result means 3.1.1.13: Try Another Interface. The combinations removed by their
 * transaction limit (3.1.1.5) are added to `overLimit` when given, so that the outcome can say
 * why (EMV_LIMIT_EXCEEDED) and a card offering only those is told apart from an unknown one.
 * @throws EMV_CONFIG_INVALID (`field`)
 */
export function preprocess(config: EntryPointConfig, txn: Transaction, overLimit?: Combination[]): Combination[] {
  const out: Combination[] = [];
  const type = txn.transactionType ?? 0;
  for (let i = 0; i < config.aids.length; i++) combine(config, config.aids[i], txn.amountMinor, type, out, overLimit);
  return out;
}

/**
 * True when every AID takes the common path of pre-processing for `txn`: a purchase of a
 * non-zero amount; each AID parsed already (prepareEntryPointConfig, or an earlier tap) and
 * without its own TTQ, transaction types or status check. No AID can then fail, and
 * combinationOf gives any one AID's combination alone, as preprocess would: the entry point
 * works out only the AIDs the card's directory names. One short test per AID per tap.
 */
export function plainTransaction(config: EntryPointConfig, txn: Transaction): boolean {
  if (txn.amountMinor === 0 || (txn.transactionType ?? 0) !== 0) return false;
  for (const cfg of config.aids) {
    const p = cfg.aidParsed;
    if (p === undefined || p.hex !== cfg.aid || cfg.ttq || cfg.txnTypes !== undefined || cfg.statusCheck === true) return false;
  }
  return true;
}

/**
 * The combination of AID `cfg` for a plain transaction of `amount` (plainTransaction true):
 * preprocess's for it, or null when the amount reaches its transaction limit (3.1.1.5). The
 * same rules as combine, less what cannot apply: the TTQ is defaultTtq's with byte 2 from
 * the limits, and an absent limit compares false.
 */
export function combinationOf(config: EntryPointConfig, cfg: AidConfig, amount: number): Combination | null {
  if (cfg.kernel !== 2 && amount >= (cfg.txnLimitMinor as number)) return null;
  const floor = amount > (cfg.floorLimitMinor as number);
  const cvm = amount >= (cfg.cvmLimitMinor as number);
  const ttq = defaultTtq(config, cfg.kernel);
  ttq[1] = (floor ? 0x80 : 0) | (cvm ? 0x40 : 0);
  return { cfg: cfg, aid: (cfg.aidParsed as { bytes: Uint8Array }).bytes, ttq: ttq, floorLimitExceeded: floor, cvmLimitExceeded: cvm };
}
