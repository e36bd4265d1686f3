/**
 * Records the bench taps at build time (build.mjs, board `bench`): for each kernel, the
 * bench tap of board/bench/bench-tap.ts runs once in Node over the PN532 simulator with a
 * virtual phone (card engine + profile + host crypto), and every I2C transaction between the
 * real link and the simulated bus is logged (src/sim/bus-replay.ts RecordingI2c). The bench
 * board then replays those bytes with no simulator. Also logged, for the per-layer bench
 * variants: the driver calls (InListPassiveTarget, InDataExchange command/answer, InRelease…)
 * and the APDUs the entry point sent and got.
 * Each tap is recorded twice: with the link polling the status byte, and with the link
 * waiting for the simulator's P70_IRQ (UM0701-02 §6.2.4), whose looks and falling edges go in
 * the script with the bus transactions (RecordingI2c.irq), so the replay hands them back.
 */
import { benchInit, benchTap } from "../../board/bench/bench-tap";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import type { ApduChannel } from "../../src/apdu/channel";
import { OutcomeType } from "../../src/emv/outcome";
import type { FirmwareVersion, MaxRetries, Pn532Api, TargetA } from "../../src/pn532/api";
import { Pn532 } from "../../src/pn532/driver";
import { I2cLink } from "../../src/pn532/link-i2c";
import { RecordingI2c, type BusScript } from "../../src/sim/bus-replay";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { Pn532Chip } from "../../src/sim/pn532-chip";
import { profileByName } from "../../src/sim/profiles/index";
import { SimClock } from "../../src/sim/sim-clock";
import { SimI2c } from "../../src/sim/sim-i2c";
import { nodeCardCrypto } from "../crypto";
import { seededRandom } from "./tap-rig";

/** The kernels the bench taps, each with the phone that exercises it. */
export const BENCH_KERNELS = [
  { name: "UnionPay C-7", kernel: 7, profile: "quickpass-unionpay" },
  { name: "Visa C-3", kernel: 3, profile: "applepay-visa" },
  { name: "Mastercard C-2", kernel: 2, profile: "googlepay-mastercard" },
];

/**
 * A BusScript as JSON: ops and kept as comma-separated numbers (a string holds them in far
 * fewer of the interpreter's variables than an array while the bench waits; the board parses
 * only the scripts it runs), bytes in base64.
 */
export interface ScriptJson {
  address: number;
  ops: string;
  kept: string;
  b64: string;
}

/** The P70_IRQ tap's script: its own ops, the bytes of the polling tap (the same frames, checked when recorded). */
export interface OpsJson {
  ops: string;
  kept: string;
}

/** One driver call of a tap: method, numeric arguments; InDataExchange also command `c` and answer `r` (base64). */
export interface CallJson {
  m: string;
  a: number[];
  c?: string;
  r?: string;
}

export interface KernelRecording {
  name: string;
  kernel: number;
  profile: string;
  /** The outcome the recorded tap ended with (ONLINE_REQUEST, else the build fails). */
  outcome: string;
  restarts: number;
  init: ScriptJson;
  tap: ScriptJson;
  /**
   * The same tap with the link on P70_IRQ (SAMConfiguration IRQ 1): the init script, and the
   * tap's ops over the bytes of `tap` (no empty poll keeps a byte: the same frames move).
   */
  irqInit: ScriptJson;
  irqTap: OpsJson;
  calls: CallJson[];
  /** C-APDU, R-APDU, C-APDU, … as the entry point sent and got them (base64). */
  apdus: string[];
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
const scriptJson = (s: BusScript): ScriptJson => ({ address: s.address, ops: s.ops.join(), kept: s.kept.join(), b64: b64(s.bytes) });

/** Delegates to the driver and logs the calls a tap makes. */
class LoggingPn532 implements Pn532Api {
  calls: CallJson[] = [];
  constructor(private readonly pn: Pn532Api) {}
  private log<T>(m: string, a: number[], p: Promise<T>): Promise<T> {
    this.calls.push({ m, a });
    return p;
  }
  getFirmwareVersion(): Promise<FirmwareVersion> {
    return this.log("getFirmwareVersion", [], this.pn.getFirmwareVersion());
  }
  samConfiguration(mode: number, timeout: number, useIrq: boolean): Promise<void> {
    return this.log("samConfiguration", [mode, timeout, useIrq ? 1 : 0], this.pn.samConfiguration(mode, timeout, useIrq));
  }
  setParameters(flags: number): Promise<void> {
    return this.log("setParameters", [flags], this.pn.setParameters(flags));
  }
  setRfField(on: boolean): Promise<void> {
    return this.log("setRfField", [on ? 1 : 0], this.pn.setRfField(on));
  }
  setTimings(a: number, r: number): Promise<void> {
    return this.log("setTimings", [a, r], this.pn.setTimings(a, r));
  }
  setMaxRetries(r: MaxRetries): Promise<void> {
    return this.log("setMaxRetries", [r.atr, r.psl, r.passiveActivation], this.pn.setMaxRetries(r));
  }
  inListPassiveTarget(maxTargets: number, timeoutMs: number): Promise<TargetA[]> {
    return this.log("inListPassiveTarget", [maxTargets, timeoutMs], this.pn.inListPassiveTarget(maxTargets, timeoutMs));
  }
  inDataExchange(tg: number, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    const call: CallJson = { m: "inDataExchange", a: [tg, timeoutMs], c: b64(data) };
    this.calls.push(call);
    return this.pn.inDataExchange(tg, data, timeoutMs).then((r) => {
      call.r = b64(r);
      return r;
    });
  }
  inRelease(tg: number): Promise<void> {
    return this.log("inRelease", [tg], this.pn.inRelease(tg));
  }
  inDeselect(tg: number): Promise<void> {
    return this.log("inDeselect", [tg], this.pn.inDeselect(tg));
  }
  checkPresence(timeoutMs: number): Promise<boolean> {
    return this.log("checkPresence", [timeoutMs], this.pn.checkPresence(timeoutMs));
  }
  powerDown(w: number): Promise<void> {
    return this.log("powerDown", [w], this.pn.powerDown(w));
  }
  wakeUp(): Promise<void> {
    return this.log("wakeUp", [], this.pn.wakeUp());
  }
  setSerialBaudRate(baud: number): Promise<void> {
    return this.log("setSerialBaudRate", [baud], this.pn.setSerialBaudRate(baud));
  }
  abort(): Promise<void> {
    return this.log("abort", [], this.pn.abort());
  }
}

/** One recorded run of a bench tap: its bus scripts, driver calls, APDUs and end. */
interface TapRun {
  init: BusScript;
  tap: BusScript;
  calls: CallJson[];
  apdus: string[];
  outcome: string;
  restarts: number;
}

/** Runs the bench tap of `profile` once over the simulated PN532, the link polling or on P70_IRQ. */
async function runTap(profile: CardProfile, useIrq: boolean): Promise<TapRun> {
  const clock = new SimClock((fn) => setImmediate(fn));
  const card = createCard(JSON.parse(JSON.stringify(profile)) as CardProfile, nodeCardCrypto, { random: seededRandom(1) });
  const chip = new Pn532Chip(clock, { targets: [card] });
  const bus = new RecordingI2c(new SimI2c(chip, clock));
  const pn = new Pn532(new I2cLink(bus, clock, useIrq ? { irq: bus.irq(chip.irq) } : {}), clock);
  await benchInit(pn, useIrq);
  const init = bus.take();
  const logger = new LoggingPn532(pn);
  const apdus: string[] = [];
  const wrap = (c: ApduChannel): ApduChannel => ({
    transceive: (cmd) =>
      c.transceive(cmd).then((r) => {
        apdus.push(b64(cmd), b64(r));
        return r;
      }),
  });
  const r = await benchTap(logger, { config: defaultEntryPointConfig(), clock, wrap });
  const tap = bus.take();
  if (r.outcome.type !== OutcomeType.OnlineRequest) {
    throw new Error(`bench recording: ${profile.name}${useIrq ? " (P70_IRQ)" : ""} ended ${r.outcome.type} ${r.outcome.reason}, not ONLINE_REQUEST`);
  }
  return { init, tap, calls: logger.calls, apdus, outcome: r.outcome.type, restarts: r.restarts };
}

/** Records one kernel's bench tap. @throws when the simulated tap does not end in Online Request. */
export async function recordKernel(k: { name: string; kernel: number; profile: string }): Promise<KernelRecording> {
  const profile = profileByName(k.profile);
  if (!profile) throw new Error("bench recording: no profile " + k.profile);
  const run = await runTap(profile, false);
  const irq = await runTap(profile, true);
  // The same tap on either wiring: the same driver calls, APDUs and end (the layer variants
  // replay the polling run's calls and APDUs).
  if (JSON.stringify([irq.calls, irq.apdus, irq.restarts]) !== JSON.stringify([run.calls, run.apdus, run.restarts])) {
    throw new Error(`bench recording: ${k.profile}: the tap on P70_IRQ differs from the polling tap above the link`);
  }
  if (b64(irq.tap.bytes) !== b64(run.tap.bytes) || irq.tap.address !== run.tap.address) {
    throw new Error(`bench recording: ${k.profile}: the tap on P70_IRQ moved other bytes than the polling tap`);
  }
  const apdus = run.apdus;
  const exchanged = run.calls.filter((c) => c.m === "inDataExchange").map((c) => [c.c, c.r]).flat();
  if (exchanged.join() !== apdus.join()) {
    // The layer variants replay driver calls as the entry point's APDUs: a GET RESPONSE or
    // 6Cxx resend in between would put them out of step.
    throw new Error(`bench recording: ${k.profile}: the decorators sent commands of their own; the layer variants need a card without 61xx/6Cxx`);
  }
  // The answers are in `apdus`; the bench board needs only the commands of the calls.
  for (const c of run.calls) delete c.r;
  return {
    name: k.name,
    kernel: k.kernel,
    profile: k.profile,
    outcome: run.outcome,
    restarts: run.restarts,
    init: scriptJson(run.init),
    tap: scriptJson(run.tap),
    irqInit: scriptJson(irq.init),
    irqTap: { ops: irq.tap.ops.join(), kept: irq.tap.kept.join() },
    calls: run.calls,
    apdus,
  };
}

/** Records every bench kernel, in BENCH_KERNELS order. */
export async function recordBench(): Promise<KernelRecording[]> {
  const out: KernelRecording[] = [];
  for (const k of BENCH_KERNELS) out.push(await recordKernel(k));
  return out;
}
