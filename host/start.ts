/**
 * `npm start`: the selftest scenario composed for Node — the same src/ code and simulator the
 * `selftest` board runs — then the reference acquirer on loopback and one online sale per
 * wallet against it (the tap, the signed authorization, the answer; docs/online.md). The
 * terminal's STAN, reversal queue and the virtual cards' ATCs, and the acquirer's ledger,
 * live in .tappos/start (git-ignored; `--state DIR` names another), so a second run goes on
 * where the first stopped.
 * (The interactive terminal replaces this when the terminal issue lands.)
 */
import { join } from "node:path";
import { defaultConfig } from "./acquirer/config";
import { startAcquirer } from "./acquirer/server";
import { openSqliteStore } from "./acquirer/store";
import { runOnlineTap } from "./tap/online";
import { runFullSelftest } from "../src/sim/selftest-all";

/** `--state DIR` (default .tappos/start): the terminal's and the acquirer's files. */
function stateDir(args: string[]): string {
  const i = args.indexOf("--state");
  if (i < 0) return join(import.meta.dirname, "..", ".tappos", "start");
  if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
    console.error("start: --state needs a folder\nusage: npm start [-- --state DIR]");
    process.exit(2);
  }
  return args[i + 1];
}
const STATE_DIR = stateDir(process.argv.slice(2));
/** One sale per wallet, amounts in the currency's major units as `tap --amount` takes them. */
const SALES: [string, string][] = [
  ["applepay-visa", "12.50"],
  ["googlepay-mastercard", "8.40"],
  ["quickpass-unionpay", "23.00"],
];

async function onlineSales(): Promise<boolean> {
  const config = defaultConfig();
  const store = openSqliteStore(join(STATE_DIR, "acquirer"), config.hostSecret);
  const acquirer = await startAcquirer({ config: config, store: store, log: (line) => console.log("  acquirer: " + line) }, 0);
  console.log(`acquirer listening on ${acquirer.url}`);
  let ok = true;
  try {
    for (const sale of SALES) {
      console.log(`\n== sale ${sale[1]} tapped with ${sale[0]} ==`);
      const status = await runOnlineTap([sale[0], "--amount", sale[1], "--online", acquirer.url, "--state", join(STATE_DIR, "terminal")], (line) => console.log(line));
      if (status !== 0) ok = false;
    }
  } finally {
    await acquirer.close();
    store.close();
  }
  return ok;
}

const selftestOk = await runFullSelftest({
  print: (line) => console.log(line),
  memory: () => {
    const m = process.memoryUsage();
    return `rss ${Math.round(m.rss / 1024)} KiB heap ${Math.round(m.heapUsed / 1024)} KiB (Node)`;
  },
  defer: (fn) => setImmediate(fn),
});
const salesOk = await onlineSales();
console.log(`\nnpm start: selftest ${selftestOk ? "PASS" : "FAIL"}, online sales ${salesOk ? "all approved" : "NOT all approved"}`);
process.exitCode = selftestOk && salesOk ? 0 : 1;
