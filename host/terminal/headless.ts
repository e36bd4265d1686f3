/**
 * `npm start` without a terminal on stdin (or --headless): the acquirer on loopback and the
 * terminal, booted and idle, every event printed as one line ("state presentCard",
 * "display Welcome", "online answer approved 00 …") until SIGINT or SIGTERM; then the
 * terminal's timers stop and the acquirer closes (its ledger too) before the process ends.
 * The acquirer serves any other terminal meanwhile (`npm run tap -- … --online <url>`).
 * The till page and API are served on loopback meanwhile (till.ts): the "till: <url>" line.
 */
import type { StartArgs } from "./args";
import { hostTerminal } from "./host-terminal";
import { acquirerDir, startLoopbackAcquirer } from "./online";
import { eventLine, type Printer } from "./scripted";
import { startHostTill } from "./till";

/** Resolves with exit status 0 once stopped by a signal. */
export async function runHeadless(a: StartArgs, p: Printer): Promise<number> {
  const acquirer = await startLoopbackAcquirer(acquirerDir(a.stateDir), (line) => p.out(line.startsWith("acquirer") ? line : "acquirer " + line), a.holdMs ?? undefined);
  p.out(`acquirer listening on ${acquirer.url}`);
  const ht = hostTerminal({ stateDir: a.stateDir, url: acquirer.url, answerMs: a.answerMs ?? undefined, emit: (e) => p.out(eventLine(e)) });
  let stopping = false;
  const stopped = new Promise<string>((resolve) => {
    const on = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      resolve(signal);
    };
    process.once("SIGINT", () => on("SIGINT"));
    process.once("SIGTERM", () => on("SIGTERM"));
  });
  await ht.boot();
  const till = await startHostTill({ ht: ht, stateDir: a.stateDir, port: a.port, say: (line) => p.out("field    " + line) });
  p.out(till.line);
  p.out("headless: running; SIGINT or SIGTERM stops it");
  const signal = await stopped;
  await till.close();
  ht.stop();
  await acquirer.close();
  p.out(`headless: stopped by ${signal}, acquirer closed`);
  return 0;
}
