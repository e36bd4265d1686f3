/**
 * Child process of the host CPU table: `node [--jitless] <bundle of this file> <budgetMs>`
 * measures cpu-cases.ts in its own Node (so JIT and --jitless figures come from identical,
 * fresh processes) and prints one JSON line: { node, jitless, cases }.
 */
import { measureCpu } from "./cpu-cases";

const budgetMs = Number(process.argv[2] ?? "300");
measureCpu(budgetMs > 0 ? budgetMs : 300).then(
  (cases) => {
    process.stdout.write(JSON.stringify({ node: process.version, jitless: process.execArgv.includes("--jitless"), cases }) + "\n");
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
