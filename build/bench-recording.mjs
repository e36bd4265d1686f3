// The `bench` board's recording (board/bench/recorded-taps.d.ts, imported as "./recorded-taps" by board/bench/main.ts):
// at build time, host/bench/record-bus.ts runs each bench tap once in Node over the PN532
// simulator and logs every I2C transaction; the bundle gets the result as JSON, so the
// replayed bytes always follow the current firmware code.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleHostEntry } from "../host/run.mjs";


/** Records the bench taps (in this process). @returns {Promise<object[]>} */
export async function recordBenchTaps(root) {
  const outfile = await bundleHostEntry(join(root, "host", "bench", "record-bus.ts"));
  const mod = await import(pathToFileURL(outfile).href + "?t=" + Date.now());
  return mod.recordBench();
}

export function benchRecordingPlugin(root) {
  return {
    name: "tappos-bench-recording",
    setup(build) {
      build.onResolve({ filter: /^\.\/recorded-taps$/ }, () => ({ path: "recorded-taps", namespace: "bench-recording" }));
      build.onLoad({ filter: /.*/, namespace: "bench-recording" }, async () => ({
        contents: JSON.stringify(await recordBenchTaps(root)),
        loader: "json",
      }));
    },
  };
}
