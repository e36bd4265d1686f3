/**
 * Table 3's work items, measured in whatever Node runs this module (with JIT, or with
 * --jitless as the closest host stand-in for an interpreter, docs/architecture.md "Timing model"):
 * BER-TLV parse of a typical ~300-byte card answer, PN532 frame encode/decode, and one full
 * entry point + kernel run per kernel on a scripted channel (no simulator, no timers).
 * Each case runs for a time budget after a warm-up; the rate is ops / wall time.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { codedError } from "../../src/bytes/coded-error";
import { concat, fromHex } from "../../src/bytes/hex";
import { runEntryPoint } from "../../src/emv/entry-point";
import type { EntryPointConfig } from "../../src/emv/preprocessing";
import { collectTlv, encodeTlv, parseTlv } from "../../src/emv/tlv";
import { decodeFrame, encodeFrame, TFI_HOST, TFI_PN532 } from "../../src/pn532/frame";
import { applePayVisa, calendar, config, googlePayMastercard, MASTERCARD, quickPassUnionPay, random, UNIONPAY, VISA } from "../fuzz/emv-fixtures";

export interface CpuCase {
  name: string;
  ops: number;
  ms: number;
  opsPerSec: number;
  usPerOp: number;
}

function tlv(tag: number, hex: string): Uint8Array {
  return encodeTlv(tag, fromHex(hex));
}

/**
 * A READ RECORD answer of 296 bytes with 23 objects in one 70 template (Track 2, name,
 * Track 1 discretionary data, PAN, dates, CDOL1/2, CVM list, IACs, issuer public key data),
 * the size and shape of the 317-byte answer measured in docs/espruino-notes.md "CPU".
 */
export const SAMPLE_ANSWER: Uint8Array = encodeTlv(
  0x70,
  concat([
    tlv(0x57, "5413330089010434D25122010000000000000F"),
    tlv(0x5f20, "4D4153544552434152442F544150504F532054455354202020"),
    tlv(0x9f1f, "3030303030303030303030303030303030303030"),
    tlv(0x5a, "5413330089010434"),
    tlv(0x5f24, "251231"),
    tlv(0x5f25, "200101"),
    tlv(0x5f28, "0756"),
    tlv(0x5f34, "00"),
    tlv(0x9f07, "FFC0"),
    tlv(0x8c, "9F02069F03069F1A0295055F2A029A039C019F37049F35019F45029F4C089F3403"),
    tlv(0x8d, "910A8A0295059F37049F4C08"),
    tlv(0x8e, "000000000000000042031E031F03"),
    tlv(0x9f0d, "B450840000"),
    tlv(0x9f0e, "0000000000"),
    tlv(0x9f0f, "B470848000"),
    tlv(0x9f42, "0756"),
    tlv(0x9f44, "02"),
    tlv(0x9f4a, "82"),
    tlv(0x9f08, "0002"),
    tlv(0x8f, "05"),
    tlv(0x9f32, "03"),
    tlv(0x92, "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F40"),
    tlv(0x9f47, "03"),
  ]),
);

/** InDataExchange with a 40-byte GPO C-APDU, as the host sends it. */
const EXCHANGE_OUT = concat([[0x40, 0x01], fromHex("80A8000023832132804000000000001250000000000000075600000000000756250307001122334400")]);
/** An InDataExchange answer carrying a 256-byte R-APDU: the extended frame of a long PPSE/record. */
const EXCHANGE_IN = (() => {
  const d = new Uint8Array(2 + 256);
  d[0] = 0x41;
  for (let i = 2; i < d.length; i++) d[i] = (i * 37) & 0xff;
  return concat([d, [0x90, 0x00]]);
})();
const EXCHANGE_IN_FRAME = encodeFrame(TFI_PN532, EXCHANGE_IN);

/** Answers in order whatever the command (the fuzz card without mutations). */
class ScriptedCard implements ApduChannel {
  private i = 0;
  constructor(private readonly answers: Uint8Array[]) {}
  transceive(): Promise<Uint8Array> {
    if (this.i >= this.answers.length) return Promise.reject(codedError("ISODEP_TIMEOUT", "script ended"));
    return Promise.resolve(this.answers[this.i++]);
  }
}

interface KernelScript {
  name: string;
  answers: Uint8Array[];
  cfg: EntryPointConfig;
}

const KERNELS: KernelScript[] = [
  { name: "entry point + C-3 Visa qVSDC (4 APDUs)", answers: applePayVisa().map((s) => fromHex(s[1])), cfg: config([VISA]) },
  { name: "entry point + C-2 Mastercard (6 APDUs)", answers: googlePayMastercard().map((s) => fromHex(s[1])), cfg: config([MASTERCARD]) },
  { name: "entry point + C-7 UnionPay qUICS (4 APDUs)", answers: quickPassUnionPay().map((s) => fromHex(s[1])), cfg: config([UNIONPAY]) },
];

function kernelRun(k: KernelScript): Promise<void> {
  return runEntryPoint(new ScriptedCard(k.answers), k.cfg, { amountMinor: 1250 }, calendar, random).then((o) => {
    if (o.type !== "ONLINE_REQUEST") throw new Error(k.name + ": " + o.type + " " + o.reason);
  });
}

/** Synchronous work: batches of `batch` until `budgetMs` of wall time (after a warm-up of a tenth of it). */
function measureSync(name: string, budgetMs: number, op: () => unknown): CpuCase {
  let sink: unknown = null;
  const run = (limitMs: number): { ops: number; ms: number } => {
    const t0 = performance.now();
    let ops = 0;
    let batch = 1;
    let el = 0;
    do {
      for (let i = 0; i < batch; i++) sink = op();
      ops += batch;
      el = performance.now() - t0;
      if (batch < 1024) batch *= 2;
    } while (el < limitMs);
    return { ops, ms: el };
  };
  run(budgetMs / 10);
  const r = run(budgetMs);
  if (sink === undefined) throw new Error(name + " produced nothing");
  return result(name, r.ops, r.ms);
}

/** Asynchronous work: one op after the other (a promise chain) until `budgetMs`. */
function measureAsync(name: string, budgetMs: number, op: () => Promise<void>): Promise<CpuCase> {
  const run = (limitMs: number): Promise<{ ops: number; ms: number }> => {
    const t0 = performance.now();
    let ops = 0;
    const step = (): Promise<{ ops: number; ms: number }> => {
      const el = performance.now() - t0;
      if (ops > 0 && el >= limitMs) return Promise.resolve({ ops, ms: el });
      ops++;
      return op().then(step);
    };
    return step();
  };
  return run(budgetMs / 10)
    .then(() => run(budgetMs))
    .then((r) => result(name, r.ops, r.ms));
}

function result(name: string, ops: number, ms: number): CpuCase {
  return { name, ops, ms, opsPerSec: (ops * 1000) / ms, usPerOp: (ms * 1000) / ops };
}

/** Every case, one after the other, `budgetMs` each. */
export function measureCpu(budgetMs: number): Promise<CpuCase[]> {
  const out: CpuCase[] = [
    measureSync("TLV parseTlv tree, " + SAMPLE_ANSWER.length + "-byte record", budgetMs, () => parseTlv(SAMPLE_ANSWER)),
    measureSync("TLV collectTlv record, " + SAMPLE_ANSWER.length + "-byte record", budgetMs, () => collectTlv(SAMPLE_ANSWER)),
    measureSync("PN532 frame encode, InDataExchange 42 B", budgetMs, () => encodeFrame(TFI_HOST, EXCHANGE_OUT)),
    measureSync("PN532 frame decode, extended " + EXCHANGE_IN_FRAME.length + " B", budgetMs, () => decodeFrame(EXCHANGE_IN_FRAME)),
  ];
  let chain: Promise<void> = Promise.resolve();
  for (const k of KERNELS) {
    const kk = k;
    chain = chain.then(() => measureAsync(kk.name, budgetMs, () => kernelRun(kk)).then((c) => void out.push(c)));
  }
  return chain.then(() => out);
}
