/**
 * What the kernels share (EMV Contactless Books C-2, C-3, C-7 over Book 3): the context Entry
 * Point hands over at kernel activation (Book B §3.4), sending a command, keeping the needed
 * tags of an answer, GET PROCESSING OPTIONS, READ RECORD of the AFL, mandatory-data checks,
 * and the Outcomes (Book A §6.2) every kernel ends in.
 *
 * Faults travel as CodedErrors and become one Outcome in `errorOutcome`: a transport failure
 * (any rejection of the channel) is EMV_CARD_GONE → Try Again, "Present card again" (Book A
 * §8.1 communication errors); malformed card data is End Application with the reason.
 */
import { getProcessingOptions, readRecord } from "../apdu/emv-commands";
import { codedError } from "../bytes/coded-error";
import { cloneBytes } from "../bytes/hex";
import { channelFault } from "./channel-faults";
import { buildRecord } from "./data-record";
import { dolFromRecords } from "./dol";
import { Cvm, makeOutcome, OutcomeType, Start, ui, UiMessage, UiStatus, type Outcome, type OutcomeDetail } from "./outcome";
import type { Combination, EntryPointConfig } from "./preprocessing";
import { MORE, type Flow, type More, type Step } from "./flow";
import { keepTlv, tagHex, TlvCursor, type KeepSet, type TlvRecord } from "./tlv";

// Where a fault becomes an Outcome (error-outcome.ts), kept importable from here.
export { endApplication, errorOutcome } from "./error-outcome";

/** What a kernel receives at activation. */
export interface KernelContext {
  /** The tap's flow (flow.ts): its commands go to the card through it. */
  flow: Flow;
  config: EntryPointConfig;
  comb: Combination;
  kernel: number;
  /** Selected DF name (84 of the final FCI), hex. */
  aid: string;
  /** The card's data kept so far (FCI, GPO, records, GENERATE AC), by tag hex. */
  card: TlvRecord;
  /** This activation's terminal data (TTQ of the combination); kernels update 95 and 9F34. */
  term: TlvRecord;
  /** Amount, Authorised, minor units. */
  amountMinor: number;
  holdMs: number;
}

/**
 * A kernel: one activation, one Outcome, as a step of the tap's flow (flow.ts: the Outcome, or
 * MORE once it sent a command); may throw CodedErrors (see `errorOutcome`).
 */
export type Kernel = (ctx: KernelContext) => Step<Outcome>;

/** A response APDU split: data (a view) and SW1 SW2. */
export interface Rapdu {
  data: Uint8Array;
  sw: number;
}

/** At most this many records are read (AFL bound; a card names 1–10). */
export const MAX_RECORDS = 32;

/**
 * Sends one command through the tap's flow and hands its answer to `then`, a step of the flow
 * (flow.ts): its value, or MORE when it sends the next command. A failed exchange becomes
 * EMV_CARD_GONE (a communication error) or EMV_PROTOCOL_ERROR (the card broke the APDU
 * protocol), fields `cause` (the transport's code), `step` and `sw` (channel-faults.ts). A
 * response without SW1 SW2 is EMV_APDU_INVALID. Returns MORE.
 */
export function send<T>(flow: Flow, command: Uint8Array, step: string, then: (r: Rapdu) => Step<T>): More {
  let p: Promise<Uint8Array>;
  try {
    p = flow.channel.transceive(command);
  } catch (e) {
    p = Promise.reject(e);
  }
  // The flow goes on with split (the answer) or fault (the failure): bound, not closures (a
  // closure's body is lexed where it is made, on every command), and no call between.
  const resume = flow.resume;
  p.then(resume.bind(flow, split as (a: unknown, b: unknown, c: unknown) => unknown, step, then), resume.bind(flow, fault as (a: unknown, b: unknown, c: unknown) => unknown, step));
  return MORE;
}

/** send's answer: data and SW1 SW2, to `then`. @throws EMV_APDU_INVALID (`step`, `offset`) without a status word */
function split<T>(step: string, then: (r: Rapdu) => Step<T>, r: Uint8Array): Step<T> {
  const n = r ? r.length : 0;
  if (n < 2) noStatusWord(step, n); // a call: the interpreter lexes a skipped throw's tokens on every answer
  return then({ data: r.subarray(0, n - 2), sw: (r[n - 2] << 8) | r[n - 1] });
}

function noStatusWord(step: string, n: number): never {
  throw codedError("EMV_APDU_INVALID", "response without status word", { step: step, offset: n });
}

/** send's failed exchange, in EMV terms (channel-faults.ts). */
function fault(step: string, e: unknown): never {
  throw channelFault(e, step);
}

/**
 * Keeps views (tlv-keep.ts) of the primitive objects whose tag is in `keep` from `data`, which must be one
 * `template` object (6F, 70, 77) and nothing else but 00 padding. A kept tag met twice, here
 * or in an earlier answer, is TLV_DUPLICATE (Book 3 §10.2: redundant data ends the
 * transaction); other tags are walked (so checked) but not kept. Objects inside the template
 * count as the top level (cut off: TLV_TRUNCATED).
 * @throws TLV_INVALID, TLV_TRUNCATED, TLV_TOO_DEEP, TLV_DUPLICATE (`tag`, `offset`)
 */
export function collect(card: TlvRecord, data: Uint8Array, template: number, keep: KeepSet): void {
  // The usual answer: the template's tag, its length in short form or 81 xx, the value up to
  // the last byte. Anything else (padding, 82–84, data after it, a wrong tag) in collectOdd.
  let n = data[1];
  let p = 2;
  if (n > 0x7f) n = n === 0x81 ? data[p++] : -1;
  if (data[0] === template && p + n === data.length) keepTlv(card, data, p, p + n, keep);
  else collectOdd(card, data, template, keep);
}

/** collect() for an answer that is not just the template with a 1- or 2-byte length form. */
function collectOdd(card: TlvRecord, data: Uint8Array, template: number, keep: KeepSet): void {
  const top = new TlvCursor(data);
  if (!top.next(false) || top.tag !== template) throw codedError("TLV_INVALID", "expected template " + tagHex(template), { tag: template, offset: 0 });
  const start = top.valueOffset;
  const end = start + top.length;
  if (top.next(false)) throw codedError("TLV_INVALID", "data after the template", { tag: top.tag, offset: top.offset });
  keepTlv(card, data, start, end, keep);
}

/**
 * GET PROCESSING OPTIONS with the PDOL (9F38 of the FCI) answered from the terminal data,
 * then the card's data (Book 3 §5.4, §6.5.8); `83 00` without a PDOL. The answer goes to
 * `then` (see send).
 * @throws DOL_*, APDU_BAD_LC (DOL data too long), EMV_CARD_GONE
 */
export function gpo<T>(ctx: KernelContext, then: (r: Rapdu) => Step<T>): More {
  const pdol = ctx.card["9F38"];
  const data = pdol ? dolFromRecords(pdol, ctx.term, ctx.card) : new Uint8Array(0);
  return send(ctx.flow, getProcessingOptions(data), "GPO", then);
}

/**
 * Keeps the GPO answer (Book 3 §6.5.8.4): format 2 is a 77 template; format 1 is 80 with
 * AIP (2 bytes) and AFL (4 bytes per entry), stored as 82 and 94.
 * @throws TLV_*, TLV_DUPLICATE
 */
export function keepGpo(card: TlvRecord, data: Uint8Array, keep: KeepSet): void {
  if (data[0] === 0x80) keepFormat1(card, data);
  else collect(card, data, 0x77, keep);
}

/** keepGpo() for format 1: 80 with AIP and AFL (copies: cloneBytes, not Uint8Array#slice, a plain Array on Espruino). */
function keepFormat1(card: TlvRecord, data: Uint8Array): void {
  const c = new TlvCursor(data);
  c.next(false);
  const v = c.value();
  if (c.next(false) || v.length < 2 || (v.length - 2) % 4 !== 0) throw codedError("TLV_INVALID", "format 1 answer is not AIP + AFL", { tag: 0x80, offset: 0 });
  if (card["82"] !== undefined || card["94"] !== undefined) throw codedError("TLV_DUPLICATE", "AIP repeated", { tag: 0x82, offset: 0 });
  card["82"] = cloneBytes(v, 0, 2);
  if (v.length > 2) card["94"] = cloneBytes(v, 2);
}

/**
 * READ RECORD of every record the AFL (94) names (Book 3 §10.2): entries of SFI << 3,
 * first record, last record, records for ODA. Records of SFI 1–10 must be 70 templates and
 * are kept; SFI 11–30 are proprietary and are read but not interpreted. Then `done` (its
 * result is readAfl's).
 * @throws EMV_AFL_INVALID (malformed, or more than MAX_RECORDS records); EMV_STATUS_WORD
 *   (`sw`, `step`) for an answer other than 9000; TLV_*; EMV_CARD_GONE
 */
export function readAfl<T>(ctx: KernelContext, keep: KeepSet, done: () => Step<T>): Step<T> {
  const afl = ctx.card["94"];
  const list: number[] = [];
  const n = afl ? afl.length : 0;
  if (n % 4 !== 0) throw codedError("EMV_AFL_INVALID", "AFL length not a multiple of 4", { tag: "94" });
  for (let i = 0; i < n; i += 4) {
    const sfi = afl[i] >> 3;
    const first = afl[i + 1];
    const last = afl[i + 2];
    if ((afl[i] & 7) !== 0 || sfi < 1 || sfi > 30 || first < 1 || last < first || afl[i + 3] > last - first + 1) {
      badAfl("bad AFL entry", i);
    }
    if (list.length / 2 + last - first + 1 > MAX_RECORDS) badAfl("more than " + MAX_RECORDS + " records", i);
    for (let r = first; r <= last; r++) list.push(sfi, r);
  }
  return readFrom(ctx, keep, done, list, 0);
}

/** readAfl from record list[k] (SFI, record number pairs) on. */
function readFrom<T>(ctx: KernelContext, keep: KeepSet, done: () => Step<T>, list: number[], k: number): Step<T> {
  if (k >= list.length) return done();
  return send(ctx.flow, readRecord(list[k + 1], list[k]), "READ", readDone.bind(null, ctx, keep, done, list, k) as (r: Rapdu) => Step<T>);
}

/** readFrom, on the answer to READ RECORD list[k]. */
function readDone<T>(ctx: KernelContext, keep: KeepSet, done: () => Step<T>, list: number[], k: number, r: Rapdu): Step<T> {
  if (r.sw !== 0x9000) readFailed(r.sw);
  if (list[k] <= 10) collect(ctx.card, r.data, 0x70, keep);
  return readFrom(ctx, keep, done, list, k + 2);
}

// Throws in functions of their own: the interpreter lexes a skipped throw's tokens at every
// record and AFL entry.
function badAfl(message: string, offset: number): never {
  throw codedError("EMV_AFL_INVALID", message, { tag: "94", offset: offset });
}

function readFailed(sw: number): never {
  throw codedError("EMV_STATUS_WORD", "READ RECORD failed", { sw: sw, step: "READ" });
}

/** @throws EMV_MISSING_TAG (`tag`) for the first tag of `tags` the card did not give. */
export function need(card: TlvRecord, tags: string[]): void {
  for (const t of tags) if (!(card[t] || "").length) missingTag(t);
}

function missingTag(tag: string): never {
  throw codedError("EMV_MISSING_TAG", "card did not give " + tag, { tag: tag });
}

/** Cryptogram type from CID 9F27 bits 8–7 (Book 3 §6.5.5.4): 0 AAC, 1 TC, 2 ARQC, 3 RFU. */
export function cryptogramType(card: TlvRecord): number {
  const cid = card["9F27"];
  return cid && cid.length === 1 ? cid[0] >> 6 : 3;
}

/** Select Next (Book B §3.3.3): Entry Point drops the candidate and tries the next one (Start C). */
export function selectNext(reason: string, detail?: OutcomeDetail): Outcome {
  return makeOutcome(OutcomeType.SelectNext, reason, Start.C, null, null, detail);
}

/** Try Another Interface (Book B §3.1.1.13, C-3 6984): nothing else can be done over contactless. */
export function tryAnotherInterface(reason: string, detail: OutcomeDetail | undefined, holdMs: number): Outcome {
  return makeOutcome(OutcomeType.TryAnotherInterface, reason, Start.NA, ui(UiMessage.TryAnotherCard, UiStatus.ProcessingError, holdMs), null, detail);
}

/**
 * The amount is over the contactless transaction limit of every application the card offers
 * (Book B §3.1.1.5 and §3.1.1.13 in pre-processing; C-2 S456.14–S456.15 for kernel 2, whose
 * Select Next leaves no other candidate): Try Another Interface, reason EMV_LIMIT_EXCEEDED, and
 * the message that the amount is over the contactless limit (the terminal has no contact reader).
 */
export function limitExceeded(detail: OutcomeDetail | undefined, holdMs: number): Outcome {
  return makeOutcome(OutcomeType.TryAnotherInterface, "EMV_LIMIT_EXCEEDED", Start.NA, ui(UiMessage.OverContactlessLimit, UiStatus.ProcessingError, holdMs), null, detail);
}

/**
 * "See phone": the customer must act on the phone, then tap again (Start B). The message is
 * shown now (Not Ready, hold time) and again when the reader is ready (C-2 S910.79–S910.80).
 * Field Off Request (Book A §6.2): the field goes off for the hold time (C-2: Hold Time Value
 * DF8130, default 0D = 1.3 s), since the phone re-engages only on a new field.
 */
export function seePhone(type: OutcomeType, message: UiMessage, detail: OutcomeDetail, holdMs: number): Outcome {
  const o = makeOutcome(type, "EMV_SEE_PHONE", Start.B, ui(message, UiStatus.NotReady, holdMs), ui(message, UiStatus.ReadyToRead, 0), detail);
  o.fieldOffMs = holdMs;
  return o;
}

/** Declined by the card or the kernel: "Not authorised". */
export function declined(reason: string, cvm: Cvm, holdMs: number, detail?: OutcomeDetail): Outcome {
  const o = makeOutcome(OutcomeType.Declined, reason, Start.NA, ui(UiMessage.NotAuthorised, UiStatus.NotReady, holdMs), null, detail);
  o.cvm = cvm;
  return o;
}

/**
 * Online Request with its data record (Book A §6.2; C-3 §5.8.1.1): "Authorising, please
 * wait". The card was read completely; the app beeps "card read OK".
 * @throws EMV_MISSING_TAG, EMV_TRACK2_INVALID, EMV_DATA_INVALID, EMV_PAN_MISMATCH (data record)
 */
export function onlineRequest(ctx: KernelContext, cvm: Cvm): Outcome {
  const o = makeOutcome(OutcomeType.OnlineRequest, "OK", Start.NA, ui(UiMessage.Authorising, UiStatus.NotReady, 0), null);
  o.cvm = cvm;
  o.record = buildRecord(ctx.kernel, ctx.aid, ctx.card, ctx.term, cvm);
  return o;
}

