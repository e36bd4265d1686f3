/**
 * Fuzzer for the entry point and the three kernels: the card transcripts of emv-fixtures.ts
 * replayed with mutated answers (truncated, wrong lengths, duplicate or missing tags, other
 * status words, huge values, deep nesting, random bytes). `runKernelFuzz(seed, n)` is plain
 * Node code for the test suite (test/emv/kernel-fuzz*.test.ts) and `npm run bench` (200,000
 * cases, host/bench/fuzz.ts): seeded (prng.ts), so a failing case reproduces from (seed, case
 * number).
 *
 * Invariants per case: the entry point resolves (never rejects, never throws); the outcome
 * is one of the terminal types with a reason; Select Next never leaves the entry point;
 * Try Again restarts at B; a data record comes with Online Request only, and then the
 * kernel's mandatory data are in it; the card is not asked more than its answers + 1 times
 * and gets no malformed command (under 4 bytes, ISO/IEC 7816-4 §5.1).
 *
 * And no crash. The entry point turns every exception into an Outcome, so "an Outcome came
 * back" proves nothing: a TypeError in a kernel ends as End Application EMV_INTERNAL like a
 * card fault would. What the kernels raise on purpose is a CodedError whose code errorOutcome
 * maps to a reason (TLV_, DOL_, BCD_, APDU_, EMV_…); anything else — an uncoded exception
 * (detail code UNCODED) or a code nobody maps (reason EMV_INTERNAL) — is a crash, wherever it
 * surfaces: as the outcome, or as the reason a candidate was dropped (EMV_NO_CANDIDATE with
 * detail code EMV_INTERNAL). Each violation names seed/case and the mutated answers.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { codedError } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { runEntryPoint } from "../../src/emv/entry-point";
import { OutcomeType, Start, type Outcome } from "../../src/emv/outcome";
import type { EntryPointConfig } from "../../src/emv/preprocessing";
import { encodeLength } from "../../src/emv/tlv";
import { applePayVisa, calendar, config, googlePayMastercard, MASTERCARD, quickPassUnionPay, random, UNIONPAY, VISA } from "./emv-fixtures";
import { below, prng, type Rand } from "./prng";

export interface FuzzCounts {
  cases: number;
  /** Outcomes by type. */
  byType: { [type: string]: number };
  /** Outcomes by reason. */
  byReason: { [reason: string]: number };
  /** Commands sent in all cases. */
  apdus: number;
  /**
   * Broken invariants, "seed/case: base: what; answers <hex> | <hex> …" (at most 20 kept;
   * `violationCount` counts all). runKernelFuzz(seed, case + 1) replays the case.
   */
  violations: string[];
  violationCount: number;
}

interface Base {
  name: string;
  answers: Uint8Array[];
  cfg: EntryPointConfig;
  /** Tags the data record's ICC data must hold for an Online Request. */
  icc: string[];
  track2: boolean;
}

const BASES: Base[] = [
  { name: "visa", answers: applePayVisa().map((s) => fromHex(s[1])), cfg: config([VISA]), icc: ["9F26", "9F27", "9F10", "9F36", "82", "9F37"], track2: true },
  { name: "unionpay", answers: quickPassUnionPay().map((s) => fromHex(s[1])), cfg: config([UNIONPAY]), icc: ["9F26", "9F27", "9F10", "9F36", "82"], track2: false },
  { name: "mastercard", answers: googlePayMastercard().map((s) => fromHex(s[1])), cfg: config([MASTERCARD]), icc: ["9F26", "9F27", "9F36", "82"], track2: false },
];

const TYPES = ["APPROVED", "DECLINED", "ONLINE_REQUEST", "TRY_AGAIN", "TRY_ANOTHER_INTERFACE", "END_APPLICATION"];
const SWS = [0x9000, 0x6986, 0x6985, 0x6984, 0x6a81, 0x6a82, 0x6a83, 0x6700, 0x6d00, 0x6f00, 0x6283, 0x6100, 0x6c10];

function cat(parts: ArrayLike<number>[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i]);
  return new Uint8Array(out);
}

/** Data and SW of an answer (answers shorter than 2 bytes have no SW: treated as data). */
function split(a: Uint8Array): [Uint8Array, Uint8Array] {
  return a.length >= 2 ? [a.subarray(0, a.length - 2), a.subarray(a.length - 2)] : [a, new Uint8Array(0)];
}

/** Header length (tag + length bytes) of the object at 0 when it is short enough to be sure, else -1. */
function headerLength(d: Uint8Array): number {
  if (d.length < 2) return -1;
  const tagLen = (d[0] & 0x1f) === 0x1f ? 2 : 1;
  if (d.length <= tagLen) return -1;
  const l = d[tagLen];
  return l < 0x80 ? tagLen + 1 : l === 0x81 ? tagLen + 2 : l === 0x82 ? tagLen + 3 : -1;
}

/** Wraps the template's content in `levels` nested A5 templates (deep nesting). */
function nest(data: Uint8Array, levels: number): Uint8Array {
  const h = headerLength(data);
  if (h < 0) return data;
  let inner = data.subarray(h);
  for (let i = 0; i < levels; i++) inner = cat([[0xa5], encodeLength(inner.length), inner]);
  const tagLen = (data[0] & 0x1f) === 0x1f ? 2 : 1;
  return cat([data.subarray(0, tagLen), encodeLength(inner.length), inner]);
}

/** Rebuilds the outer template with `content` (fixing its length). */
function rewrap(data: Uint8Array, content: Uint8Array): Uint8Array {
  const tagLen = (data[0] & 0x1f) === 0x1f ? 2 : 1;
  return cat([data.subarray(0, tagLen), encodeLength(content.length), content]);
}

/** One mutation of one answer. */
function mutateAnswer(rand: Rand, answer: Uint8Array): Uint8Array {
  const parts = split(answer);
  let data: Uint8Array = parts[0];
  const sw: Uint8Array = parts[1];
  const b = Array.from(answer);
  const h = headerLength(data);
  switch (below(rand, 11)) {
    case 0: // flip a byte
      if (b.length) b[below(rand, b.length)] = below(rand, 256);
      return new Uint8Array(b);
    case 1: // insert a byte
      b.splice(below(rand, b.length + 1), 0, below(rand, 256));
      return new Uint8Array(b);
    case 2: // delete a byte
      if (b.length) b.splice(below(rand, b.length), 1);
      return new Uint8Array(b);
    case 3: // truncate, possibly below 2 bytes
      return answer.slice(0, below(rand, answer.length + 1));
    case 4: {
      // another status word
      const w = SWS[below(rand, SWS.length)];
      return cat([data, [w >> 8, w & 0xff]]);
    }
    case 5: // wrong length byte somewhere
      if (data.length > 1) {
        const at = below(rand, data.length - 1) + 1;
        const d = Array.from(data);
        d[at] = (d[at] + (rand() < 0.5 ? 1 : 255)) & 0xff;
        data = new Uint8Array(d);
      }
      return cat([data, sw]);
    case 6: // duplicate the first object inside the template
      if (h > 0 && data.length > h + 2) {
        const inner = data.subarray(h);
        const ih = headerLength(inner);
        if (ih > 0) {
          const len = inner[ih - 1] < 0x80 ? inner[ih - 1] : -1;
          if (len >= 0 && ih + len <= inner.length) return cat([rewrap(data, cat([inner, inner.subarray(0, ih + len)])), sw]);
        }
      }
      return answer;
    case 7: // drop the first object inside the template (a missing tag)
      if (h > 0 && data.length > h + 2) {
        const inner = data.subarray(h);
        const ih = headerLength(inner);
        const len = ih > 0 && inner[ih - 1] < 0x80 ? inner[ih - 1] : -1;
        if (len >= 0 && ih + len <= inner.length) return cat([rewrap(data, inner.subarray(ih + len)), sw]);
      }
      return answer;
    case 8: // a huge value inside the template
      if (h > 0) {
        const big = new Uint8Array(300 + below(rand, 3000)).fill(0x5a);
        return cat([rewrap(data, cat([data.subarray(h), [0x9f, 0x7c], encodeLength(big.length), big])), sw]);
      }
      return cat([data, [0xdf, 0x01, 0x82, 0x10, 0x00], sw]);
    case 9: // deep nesting
      return cat([nest(data, 5 + below(rand, 40)), sw]);
    default: {
      // random bytes
      const n = below(rand, 64);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = below(rand, 256);
      return out;
    }
  }
}

/**
 * Answers in order whatever the command; out of answers → the card has left (ISODEP_TIMEOUT).
 * A malformed command is the terminal's fault: noted for `check`, rejected as a transport error.
 */
class FuzzCard implements ApduChannel {
  count = 0;
  malformed: string | null = null;
  private i = 0;
  constructor(private readonly answers: Uint8Array[]) {}
  transceive(command: Uint8Array): Promise<Uint8Array> {
    this.count++;
    if (!(command instanceof Uint8Array) || command.length < 4) {
      if (this.malformed === null) this.malformed = "malformed command " + (command instanceof Uint8Array ? toHex(command) : String(command));
      return Promise.reject(codedError("ISODEP_TIMEOUT", "malformed command"));
    }
    if (this.i >= this.answers.length) return Promise.reject(codedError("ISODEP_TIMEOUT", "card left"));
    return Promise.resolve(this.answers[this.i++]);
  }
}

/** The crash an Outcome hides, if any: an uncoded exception or an unmapped code (see the file comment). */
function crash(o: Outcome): string | null {
  const d = o.detail;
  const code = d && typeof d.code === "string" ? d.code : "";
  let what = "";
  if (code === "UNCODED") what = "uncoded exception";
  else if (o.reason === "EMV_INTERNAL") what = "unmapped error code " + code;
  else if (code === "EMV_INTERNAL") what = "uncoded exception or unmapped code behind " + o.reason;
  return what ? "crash: " + what + " → " + o.type + " " + o.reason + (d ? " " + JSON.stringify(d) : "") : null;
}

function check(base: Base, o: Outcome, card: FuzzCard, answers: number): string | null {
  if (!o || TYPES.indexOf(o.type) < 0) return "outcome type " + (o && o.type);
  if (typeof o.reason !== "string" || o.reason === "") return "no reason";
  const crashed = crash(o);
  if (crashed) return crashed;
  if (card.malformed !== null) return card.malformed;
  if (o.type === OutcomeType.TryAgain && o.start !== Start.B) return "Try Again without Start B";
  if (card.count > answers + 1) return card.count + " commands for " + answers + " answers";
  if (o.type !== OutcomeType.OnlineRequest) return o.record === null ? null : "data record with " + o.type;
  const r = o.record;
  if (!r || o.reason !== "OK") return "Online Request without data record";
  for (const tag of base.icc) if (!r.icc[tag]) return "Online Request without " + tag;
  if (!(r.pan.length >= 12) || r.expiry.length !== 4) return "Online Request without PAN/expiry";
  if (base.track2 && !r.track2) return "Online Request without Track 2";
  return null;
}

/** An answer as hex, the first 128 bytes only (the case replays from its seed and number). */
function shortHex(a: Uint8Array): string {
  return a.length > 128 ? toHex(a.subarray(0, 128)) + "…(" + a.length + " bytes)" : toHex(a);
}

/**
 * Runs `n` fuzz cases from `seed`, cycling through the Visa, UnionPay and Mastercard
 * transcripts; each case mutates one to three answers once or twice.
 */
export function runKernelFuzz(seed: number, n: number): Promise<FuzzCounts> {
  const counts: FuzzCounts = { cases: 0, byType: {}, byReason: {}, apdus: 0, violations: [], violationCount: 0 };
  const rand = prng(seed);
  const violate = (k: number, what: string, answers: Uint8Array[]) => {
    counts.violationCount++;
    if (counts.violations.length < 20) counts.violations.push(seed + "/" + k + ": " + what + "; answers " + answers.map(shortHex).join(" | "));
  };
  const one = (k: number): Promise<void> => {
    const base = BASES[k % BASES.length];
    const answers = base.answers.slice();
    const edits = 1 + below(rand, 3);
    for (let e = 0; e < edits; e++) {
      const i = below(rand, answers.length);
      answers[i] = mutateAnswer(rand, answers[i]);
      if (rand() < 0.3) answers[i] = mutateAnswer(rand, answers[i]);
    }
    // The card leaves the field before its last answer.
    if (rand() < 0.08) answers.length = below(rand, answers.length);
    const card = new FuzzCard(answers);
    let run: Promise<Outcome>;
    try {
      run = runEntryPoint(card, base.cfg, { amountMinor: 1250 }, calendar, random);
    } catch (e) {
      run = Promise.reject(codedError("FUZZ_THREW", "runEntryPoint threw: " + String(e && (e as Error).message)));
    }
    return run.then(
      (o) => {
        counts.cases++;
        counts.apdus += card.count;
        counts.byType[o.type] = (counts.byType[o.type] || 0) + 1;
        counts.byReason[o.reason] = (counts.byReason[o.reason] || 0) + 1;
        const bad = check(base, o, card, answers.length);
        if (bad) violate(k, base.name + ": " + bad, answers);
      },
      (e) => {
        counts.cases++;
        violate(k, base.name + ": rejected " + (e && e.message), answers);
      },
    );
  };
  let chain: Promise<void> = Promise.resolve();
  for (let k = 0; k < n; k++) {
    const kk = k;
    chain = chain.then(() => one(kk));
  }
  return chain.then(() => counts);
}
