/**
 * `npm start`: the whole terminal on the host (issue 9). The reference acquirer on loopback
 * (its ledger in `<state>/acquirer`) and the terminal composition of every board
 * (src/app/terminal.ts) on the PN532 simulator, a virtual phone or card, the text UI and
 * src/auth against that acquirer (host/terminal/). Three modes (host/terminal/args.ts):
 * interactive with a terminal on stdin (or --interactive), headless without one (or
 * --headless), one scripted sale with --amount and --tap. `--selftest` runs the selftest
 * scenario of the `selftest` board. `--state DIR` (default .tappos/start, git-ignored) keeps
 * the terminal's Storage, the virtual cards' ATCs and the ledger, so a killed process
 * restarts where a board would.
 */
import { isCoded } from "../src/bytes/coded-error";
import { runFullSelftest } from "../src/sim/selftest-all";
import { parseStartArgs, START_USAGE, type StartArgs } from "./terminal/args";
import { runHeadless } from "./terminal/headless";
import { runInteractive } from "./terminal/interactive";
import { runScripted, type Printer } from "./terminal/scripted";

const printer: Printer = { out: (line) => console.log(line), err: (line) => console.error(line) };

function usageError(e: unknown): string | null {
  if (isCoded(e, "START_USAGE") || isCoded(e, "TAP_USAGE")) return e.message.substring(e.code.length + 2);
  return null;
}

async function selftest(): Promise<number> {
  const ok = await runFullSelftest({
    print: (line) => console.log(line),
    memory: () => {
      const m = process.memoryUsage();
      return `rss ${Math.round(m.rss / 1024)} KiB heap ${Math.round(m.heapUsed / 1024)} KiB (Node)`;
    },
    defer: (fn) => setImmediate(fn),
  });
  return ok ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  let args: StartArgs;
  try {
    args = parseStartArgs(argv, process.stdin.isTTY === true);
  } catch (e) {
    const why = usageError(e);
    if (why === null) throw e;
    console.error("start: " + why + "\n" + START_USAGE);
    return 2;
  }
  try {
    if (args.mode === "help") {
      console.log(START_USAGE);
      return 0;
    }
    if (args.mode === "selftest") return await selftest();
    if (args.mode === "scripted") return await runScripted(args, printer);
    if (args.mode === "headless") return await runHeadless(args, printer);
    return await runInteractive(args, process.stdin, process.stdout);
  } catch (e) {
    const why = usageError(e);
    if (why === null) throw e;
    console.error("start: " + why + "\n" + START_USAGE);
    return 2;
  }
}

// Each mode has stopped what it started (acquirer, timers, stdin); exit at once with its status
// rather than wait for a runner deadline still pending (result → idle).
process.exit(await main(process.argv.slice(2)));
