/**
 * `npm start`: the selftest scenario composed for Node — the same src/ code and simulator the
 * `selftest` board runs — printing what the bundle prints. (The interactive terminal replaces
 * this when the terminal issue lands.)
 */
import { runFullSelftest } from "../src/sim/selftest-all";

runFullSelftest({
  print: (line) => console.log(line),
  memory: () => {
    const m = process.memoryUsage();
    return `rss ${Math.round(m.rss / 1024)} KiB heap ${Math.round(m.heapUsed / 1024)} KiB (Node)`;
  },
  defer: (fn) => setImmediate(fn),
}).then((ok) => {
  process.exitCode = ok ? 0 : 1;
});
