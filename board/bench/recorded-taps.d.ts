/**
 * The bench taps recorded at build time: build.mjs (build/bench-recording.mjs) runs
 * host/bench/record-bus.ts and hands the result to esbuild as this module. Byte strings are
 * base64. Also the globals the runner may set before the bundle.
 */
/** A bus script (src/sim/bus-replay.ts BusScript): ops and kept as comma-separated numbers. */
export interface BenchScriptJson {
  address: number;
  ops: string;
  kept: string;
  b64: string;
}

/** The P70_IRQ tap: its ops and kept over the bytes of the polling tap. */
export interface BenchOpsJson {
  ops: string;
  kept: string;
}

export interface BenchCallJson {
  m: string;
  a: number[];
  c?: string;
  r?: string;
}

export interface BenchKernelJson {
  name: string;
  kernel: number;
  profile: string;
  outcome: string;
  restarts: number;
  init: BenchScriptJson;
  tap: BenchScriptJson;
  /** The same tap recorded with the link on P70_IRQ (BENCH_LAYER "irq"). */
  irqInit: BenchScriptJson;
  irqTap: BenchOpsJson;
  calls: BenchCallJson[];
  apdus: string[];
}

declare const recording: BenchKernelJson[];
export default recording;

declare global {
  /** Taps per kernel (default 10; 0 = load only). */
  var BENCH_TAPS: number | undefined;
  /** "full" (default), "irq" (the full tap, the link on P70_IRQ), "driver", "channel", "emv", "tlv", "record" (board/bench/layers.ts). */
  var BENCH_LAYER: string | undefined;
  /** Index of the one kernel to run (0 UnionPay, 1 Visa, 2 Mastercard); absent = all. */
  var BENCH_KERNEL: number | undefined;
  /** Non-zero: sample process.memory(false) after each APDU. */
  var BENCH_PEAK: number | undefined;
}
