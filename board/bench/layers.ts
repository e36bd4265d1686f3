/**
 * The bench variants that stop at one layer (issue 7: instructions per layer). Each replays
 * what the full tap recorded, from the bottom up to its layer and no further:
 * - "driver": the recorded driver calls (InListPassiveTarget, InDataExchange, InRelease …)
 *   straight on the driver, over the replayed bus: link + driver;
 * - "channel": the same, the APDUs sent through the decorator stack over the ISO-DEP
 *   channel: link + driver + ISO-DEP + decorators;
 * - "emv": entry point and kernel over a channel handing back the recorded R-APDUs (commands
 *   checked), no bus: everything EMV (TLV, DOL, kernel, data record);
 * - "tlv": the EMV data work alone: terminal data, every R-APDU walked into one record
 *   (BER-TLV), the PDOL and CDOL1 answered (DOL);
 * - "record": "tlv" plus the data record built from that record.
 * Differences give the layers: ISO-DEP + decorators = channel − driver; kernel and entry
 * point = emv − record; data record = record − tlv.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { codedError } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";
import { buildRecord } from "../../src/emv/data-record";
import { dolFromRecords } from "../../src/emv/dol";
import { runEntryPoint } from "../../src/emv/entry-point";
import { Cvm, Start, type Outcome } from "../../src/emv/outcome";
import { defaultTtq, type EntryPointConfig } from "../../src/emv/preprocessing";
import { buildTerminalData } from "../../src/emv/terminal-data";
import { collectTlv, type TlvRecord } from "../../src/emv/tlv";
import type { ReplayScript } from "../../src/sim/bus-replay";
import type { Pn532Api, TargetA } from "../../src/pn532/api";
import { BENCH_AMOUNT_MINOR, BENCH_CALENDAR, benchRandom, MAX_RESTARTS } from "./bench-tap";
import { buildApduStack } from "../../src/nfc/apdu-stack";

export interface BenchCall {
  m: string;
  a: number[];
  c: Uint8Array | null;
}

export interface BenchKernel {
  name: string;
  kernel: number;
  /** The recorded bus scripts, prepared for replay at load. */
  init: ReplayScript;
  tap: ReplayScript;
  calls: BenchCall[];
  /** C-APDU, R-APDU, … as the entry point sent and got them. */
  apdus: Uint8Array[];
  /** bytesKey(apdus[i]), to check commands without a loop in JS. */
  joined: string[];
  /** A string equal for equal bytes only (E.toString on the board: native, ~8x cheaper than join()). */
  bytesKey: (b: Uint8Array) => string;
}

/** A driver-call replay in progress: the stack is made at InListPassiveTarget when `viaStack`. */
interface DriverRun {
  pn: Pn532Api;
  viaStack: boolean;
  stack: ApduChannel | null;
}

/**
 * One short function per recorded driver method, looked up by name: a tap's step runs only
 * its own (the interpreter lexes every branch of an if-chain at each call).
 */
const DRIVER_CALLS: { [m: string]: (r: DriverRun, c: BenchCall) => Promise<unknown> } = {
  inListPassiveTarget: function (r: DriverRun, c: BenchCall) {
    return r.pn.inListPassiveTarget(c.a[0], c.a[1]).then(function (list: TargetA[]) {
      r.stack = r.viaStack ? buildApduStack(r.pn, list[0]) : null;
    });
  },
  inDataExchange: function (r: DriverRun, c: BenchCall) {
    return r.stack ? r.stack.transceive(c.c as Uint8Array) : r.pn.inDataExchange(c.a[0], c.c as Uint8Array, c.a[1]);
  },
  inRelease: function (r: DriverRun, c: BenchCall) {
    return r.pn.inRelease(c.a[0]);
  },
  setRfField: function (r: DriverRun, c: BenchCall) {
    return r.pn.setRfField(c.a[0] === 1);
  },
};

/** Replays the recorded driver calls; `viaStack`: APDUs through the decorator stack. */
export function driverTap(pn: Pn532Api, k: BenchKernel, viaStack: boolean): Promise<void> {
  const run: DriverRun = { pn: pn, viaStack: viaStack, stack: null };
  let i = 0;
  function step(): Promise<void> {
    if (i >= k.calls.length) return Promise.resolve();
    const c = k.calls[i++];
    const f = DRIVER_CALLS[c.m];
    if (!f) return Promise.reject(codedError("BENCH_CALL", "no replay for driver call " + c.m, { call: i - 1 }));
    return f(run, c).then(step);
  }
  return step();
}

/** A channel answering the recorded R-APDUs in order. @throws REPLAY_OUT_OF_STEP on another command. */
function scriptChannel(k: BenchKernel): ApduChannel {
  let i = 0;
  return {
    transceive: function (command: Uint8Array) {
      if (i >= k.apdus.length || k.bytesKey(command) !== k.joined[i]) {
        return Promise.reject(codedError("REPLAY_OUT_OF_STEP", "C-APDU " + i / 2 + " differs from the recording", { op: i / 2 }));
      }
      const r = k.apdus[i + 1];
      i += 2;
      // new + set: new Uint8Array(r) copies byte by byte in Espruino (several times slower).
      const out = new Uint8Array(r.length);
      out.set(r);
      return Promise.resolve(out);
    },
  };
}

/** Entry point + kernel over the recorded answers, See Phone restarts as in benchTap. */
export function emvTap(k: BenchKernel, config: EntryPointConfig): Promise<Outcome> {
  const channel = scriptChannel(k);
  const random = benchRandom();
  let restarts = 0;
  function attempt(): Promise<Outcome> {
    return runEntryPoint(channel, config, { amountMinor: BENCH_AMOUNT_MINOR }, BENCH_CALENDAR, random).then(function (o) {
      if (o.start !== Start.B || restarts >= MAX_RESTARTS) return o;
      restarts++;
      return attempt();
    });
  }
  return attempt();
}

/** True for SELECT 2PAY.SYS.DDF01 (00 A4 04 00 0E '2PAY…'): a new activation starts. */
function isPpseSelect(c: Uint8Array): boolean {
  return c.length > 5 && c[1] === 0xa4 && c[5] === 0x32;
}

/** The EMV data work of a tap without its control flow; `withRecord` adds the data record. */
export function tlvTap(k: BenchKernel, config: EntryPointConfig, withRecord: boolean): void {
  const term = buildTerminalData(config.terminal, { amountMinor: BENCH_AMOUNT_MINOR, ttq: defaultTtq(config) }, BENCH_CALENDAR, benchRandom());
  let card: TlvRecord = {};
  for (let i = 0; i + 1 < k.apdus.length; i += 2) {
    if (isPpseSelect(k.apdus[i])) card = {};
    const r = k.apdus[i + 1];
    if (r.length > 2) collectTlv(r.subarray(0, r.length - 2), card, { allowDuplicates: true });
  }
  // PDOL and CDOL1 answered as the kernels answer them (src/emv/kernel.ts, c2-mastercard.ts).
  if (card["9F38"]) dolFromRecords(card["9F38"], term, card);
  if (card["8C"]) dolFromRecords(card["8C"], term, card);
  if (withRecord) buildRecord(k.kernel, toHex(card["84"]), card, term, Cvm.ConfirmationCodeVerified);
}
