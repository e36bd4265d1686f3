/**
 * Board `bench`: counts what one tap costs the interpreter (issue 7; docs/architecture.md "Boards and budgets").
 * Runs BENCH_TAPS taps (a global the runner sets before the bundle; default 10) of each
 * kernel — UnionPay C-7, Visa C-3 and Mastercard C-2, the last two with their See Phone
 * restart — through the real I2C link, driver, ISO-DEP channel, decorator stack, entry point
 * and kernel, over a bus that replays the bytes recorded at build time from the simulator
 * (src/sim/bus-replay.ts: no simulation here). Prints one line per kernel with the outcome
 * and process.memory(), then `BENCH PASS n/n` (n = kernels × taps) or `BENCH FAIL <why>`.
 * Every tap must end in Online Request and use its recording exactly; a full tap then builds
 * and signs its authorization request (bench-auth.ts), as the terminal does before sending. BENCH_LAYER picks a
 * variant that stops at one layer (layers.ts), or "irq": the full tap with the link on
 * P70_IRQ, replayed from its own recording; BENCH_PEAK samples JsVars after each APDU.
 */
import recording from "./recorded-taps";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import type { ApduChannel } from "../../src/apdu/channel";
import { OutcomeType, type Outcome } from "../../src/emv/outcome";
import type { Clock } from "../../src/hal/types";
import { Pn532 } from "../../src/pn532/driver";
import { I2cLink } from "../../src/pn532/link-i2c";
import { replayI2c, replayScript, type Later, type ReplayScript } from "../../src/sim/bus-replay";
import { espruinoSha256 } from "../../src/hal/espruino/sha256";
import { useNativeHex } from "../../src/bytes/hex";
import { benchSigner, signRequest } from "./bench-auth";
import { benchClock } from "./bench-clock";
import { benchInit, benchRandom, benchTap } from "./bench-tap";
import { driverTap, emvTap, tlvTap, type BenchCall, type BenchKernel } from "./layers";

const TAPS = typeof BENCH_TAPS === "number" ? BENCH_TAPS : 10;
const LAYER = typeof BENCH_LAYER === "string" ? BENCH_LAYER : "full";
/** The full tap with the link waiting for P70_IRQ (UM0701-02 §6.2.4), its edges replayed from the recording. */
const IRQ = LAYER === "irq";
const PEAK = typeof BENCH_PEAK !== "undefined" && !!BENCH_PEAK;
/** Index of the one kernel to run (callgrind runs them one at a time), else all. */
const ONLY = typeof BENCH_KERNEL === "number" ? BENCH_KERNEL : -1;
const CONFIG = defaultEntryPointConfig();
// Hex through E.mapInPlace, as every board does (src/bytes/hex.ts useNativeHex).
useNativeHex(E.mapInPlace, E.toString);
/** The full tap ends with the signed authorization request, as the terminal builds it. */
const SIGNER = benchSigner(espruinoSha256(), benchRandom());

function bytes(b64: string): Uint8Array {
  return E.toUint8Array(atob(b64));
}

/** Comma-separated numbers to an array (native parse). */
function numbers(list: string): number[] {
  return JSON.parse("[" + list + "]") as number[];
}

/** Decoded and prepared for replay at load, so a tap pays only for the replay itself; writes are compared as E.toString binary strings. */
function script(address: number, ops: string, kept: string, b64: string): ReplayScript {
  return replayScript({ address: address, ops: numbers(ops), kept: numbers(kept), bytes: bytes(b64) }, E.toString);
}

function load(i: number): BenchKernel {
  const k = recording[i];
  const t = k.tap;
  // BENCH_LAYER "irq": the scripts recorded with the link on P70_IRQ (its tap moves the polling tap's bytes).
  const init = IRQ ? k.irqInit : k.init;
  const ops = IRQ ? k.irqTap : t;
  const calls: BenchCall[] = [];
  for (let j = 0; j < k.calls.length; j++) {
    const c = k.calls[j];
    calls.push({ m: c.m, a: c.a, c: c.c ? bytes(c.c) : null });
  }
  const apdus: Uint8Array[] = [];
  const joined: string[] = [];
  for (let j = 0; j < k.apdus.length; j++) {
    apdus.push(bytes(k.apdus[j]));
    joined.push(E.toString(apdus[j]));
  }
  return {
    name: k.name,
    kernel: k.kernel,
    init: script(init.address, init.ops, init.kept, init.b64),
    tap: script(t.address, ops.ops, ops.kept, t.b64),
    calls: calls,
    apdus: apdus,
    joined: joined,
    bytesKey: E.toString,
  };
}

let peak = 0;
let live = 0;
/** JsVars after an APDU: as they are (`peak`, garbage of promise/closure cycles included) and after a GC (`live`). */
function sample(): void {
  const u = process.memory(false).usage;
  if (u > peak) peak = u;
  const l = process.memory(true).usage;
  if (l > live) live = l;
}

function sampling(c: ApduChannel): ApduChannel {
  return {
    transceive: function (command: Uint8Array) {
      return c.transceive(command).then(function (r) {
        sample();
        return r;
      });
    },
  };
}

function mem(): string {
  const m = process.memory(true);
  return "free " + m.free + " usage " + m.usage + " total " + m.total;
}

/** The full tap's end: an Online Request gets its authorization request built and signed. */
function signed(r: { outcome: Outcome }): string {
  if (r.outcome.type === OutcomeType.OnlineRequest) signRequest(SIGNER, r.outcome);
  if (PEAK) sample();
  return r.outcome.type;
}

/** One tap of the chosen variant, chosen once per kernel so that a tap runs no layer test. */
function variant(k: BenchKernel, pn: Pn532, clock: Clock): () => Promise<string> {
  if (LAYER === "full" || IRQ) {
    const opts = { config: CONFIG, clock: clock, wrap: PEAK ? sampling : null };
    return function () {
      return benchTap(pn, opts).then(signed);
    };
  }
  if (LAYER === "driver" || LAYER === "channel") {
    return function () {
      return driverTap(pn, k, LAYER === "channel").then(function () {
        return OutcomeType.OnlineRequest as string;
      });
    };
  }
  if (LAYER === "emv") {
    return function () {
      return emvTap(k, CONFIG).then(function (o) {
        return o.type as string;
      });
    };
  }
  if (LAYER === "tlv" || LAYER === "record") {
    return function () {
      tlvTap(k, CONFIG, LAYER === "record");
      return Promise.resolve(OutcomeType.OnlineRequest as string);
    };
  }
  return function () {
    return Promise.reject(new Error("unknown BENCH_LAYER " + LAYER));
  };
}

/** Runs `n` taps of kernel `k` in the chosen variant; resolves with the last outcome type. */
function runKernel(k: BenchKernel, n: number): Promise<string> {
  // The replayed P70_IRQ hands a recorded edge over at the next turn, as a pin watch would
  // (src/sim/bus-replay.ts Later): setTimeout itself, no wrapper to call.
  const bus = replayI2c(IRQ ? (setTimeout as unknown as Later) : undefined);
  const clock = benchClock();
  const pn = new Pn532(new I2cLink(bus, clock, { irq: IRQ ? bus.irq : null, sum: E.sum }), clock);
  const usesBus = LAYER === "full" || IRQ || LAYER === "driver" || LAYER === "channel";
  const tap = variant(k, pn, clock);
  let last = "-";
  function one(i: number): Promise<string> {
    if (i >= n) return Promise.resolve(last);
    if (usesBus) bus.play(k.tap);
    return tap().then(function (type) {
      if (usesBus) bus.finished();
      if (type !== OutcomeType.OnlineRequest) throw new Error(k.name + " tap " + (i + 1) + " ended " + type);
      last = type;
      return one(i + 1);
    });
  }
  if (n === 0) return Promise.resolve(last);
  if (!usesBus) return one(0);
  bus.play(k.init);
  return benchInit(pn, IRQ).then(function () {
    bus.finished();
    return one(0);
  });
}

function report(e: unknown): string {
  const c = e as { code?: string; message?: string };
  return (c && c.code ? c.code + " " : "") + (c && c.message ? c.message : String(e));
}

let passed = 0;
function next(i: number): void {
  if (i >= recording.length) {
    print("BENCH PASS " + passed + "/" + (ONLY < 0 ? recording.length : 1) * TAPS);
    return;
  }
  if (ONLY >= 0 && i !== ONLY) {
    next(i + 1);
    return;
  }
  let k: BenchKernel;
  try {
    k = load(i);
  } catch (e) {
    print("BENCH FAIL " + recording[i].name + ": " + report(e));
    return;
  }
  peak = 0;
  live = 0;
  runKernel(k, TAPS).then(
    function (type) {
      passed += TAPS;
      print("BENCH " + k.name + " " + LAYER + " x" + TAPS + " " + type + (PEAK ? " peak " + peak + " live " + live : "") + " memory " + mem());
      next(i + 1);
    },
    function (e) {
      print("BENCH FAIL " + k.name + ": " + report(e));
    },
  );
}

/** JsVars the recorded bytes take (they are bench data, not firmware). */
function recordingVars(): number {
  return (E as unknown as { getSizeOf(x: unknown): number }).getSizeOf(recording);
}

print("BENCH load " + LAYER + " taps " + TAPS + " recording " + recordingVars() + " memory " + mem());
next(0);
