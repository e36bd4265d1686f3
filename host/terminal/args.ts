/**
 * `npm start` arguments. Three modes (issue 9):
 *   interactive   a terminal on stdin (or --interactive): type an amount, pick a phone …
 *   headless      no terminal on stdin (or --headless): one line per event until stopped
 *   scripted      --amount 12.34 --tap <profile|file.apdu> [--json]: one sale, then exit
 * and --selftest (the selftest scenario the `selftest` board runs).
 */
import { join } from "node:path";
import { codedError } from "../../src/bytes/coded-error";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { PROJECT_ROOT } from "../espruino-dir";
import { parseAmount } from "../tap/amount";

/** Default state folder (git-ignored, .tappos/). */
export const DEFAULT_START_STATE = join(PROJECT_ROOT, ".tappos", "start");

export type StartMode = "interactive" | "headless" | "scripted" | "selftest" | "help";

export interface StartArgs {
  mode: StartMode;
  stateDir: string;
  /** Scripted: the sale's amount, minor units, and what is tapped. */
  amountMinor: number;
  tap: string;
  json: boolean;
  /** How long the terminal waits for the acquirer's answer, ms (null: the default, 15 s). */
  answerMs: number | null;
  /** How long the acquirer holds a .91 request, ms (null: its default, 60 s). */
  holdMs: number | null;
  /** The till's loopback port (interactive, headless); null: DEFAULT_TILL_PORT, or any free one when busy. */
  port: number | null;
}

/** The till page's and API's default port on 127.0.0.1 (host/terminal/till.ts). */
export const DEFAULT_TILL_PORT = 8640;

export const START_USAGE = `usage: npm start [-- options]
  (no option)              interactive with a terminal on stdin, headless without one
  --interactive            interactive even over pipes
  --headless               one line per event, runs until SIGINT / SIGTERM
  --amount 12.34 --tap <profile|file.apdu|file.json> [--json]
                           one sale, then exit: 0 approved, 1 not approved, 2 usage
  --state DIR              the terminal's Storage, the cards' ATCs and the acquirer's ledger
                           (default .tappos/start)
  --answer-ms N            the terminal waits N ms for the acquirer's answer (default 15000)
  --hold-ms N              the acquirer holds a .91 request N ms (default 60000)
  --port N                 the till page and API on http://127.0.0.1:N (interactive, headless;
                           default ${DEFAULT_TILL_PORT}, any free port when it is busy; 0: any free port)
  --selftest               the selftest scenario of the selftest board
profiles: ${PROFILE_NAMES.join(", ")}
test amounts (docs/acquirer-api.md): .51 and .05 declined, .91 no answer (reversed), .96 host error, .97 connection lost`;

function usage(message: string): Error {
  return codedError("START_USAGE", message);
}

function msArg(name: string, v: string): number {
  if (!/^[0-9]{1,7}$/.test(v)) throw usage(`${name} "${v}" is not a number of ms`);
  return parseInt(v, 10);
}

/**
 * @param isTty stdin is a terminal
 * @throws START_USAGE
 */
export function parseStartArgs(args: string[], isTty: boolean): StartArgs {
  const out: StartArgs = { mode: isTty ? "interactive" : "headless", stateDir: DEFAULT_START_STATE, amountMinor: 0, tap: "", json: false, answerMs: null, holdMs: null, port: null };
  let amount: string | null = null;
  let tap: string | null = null;
  let forced: StartMode | null = null;
  const force = (m: StartMode): void => {
    if (forced !== null && forced !== m) throw usage(`--${forced} and --${m} together`);
    forced = m;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined || v === "" || v.startsWith("--")) throw usage(`${a} needs a value`);
      return v;
    };
    if (a === "--state") out.stateDir = value();
    else if (a === "--amount") amount = value();
    else if (a === "--tap") tap = value();
    else if (a === "--json") out.json = true;
    else if (a === "--answer-ms") out.answerMs = msArg(a, value());
    else if (a === "--hold-ms") out.holdMs = msArg(a, value());
    else if (a === "--port") {
      const v = value();
      if (!/^[0-9]{1,5}$/.test(v) || parseInt(v, 10) > 65535) throw usage(`--port "${v}" is not a port number`);
      out.port = parseInt(v, 10);
    } else if (a === "--interactive") force("interactive");
    else if (a === "--headless") force("headless");
    else if (a === "--selftest") force("selftest");
    else if (a === "--help" || a === "-h") force("help");
    else throw usage(`unknown argument "${a}"`);
  }
  if (amount !== null || tap !== null) {
    if (amount === null || tap === null) throw usage("a scripted sale needs both --amount and --tap");
    if (forced !== null) throw usage(`--amount/--tap and --${forced} together`);
    if (out.port !== null) throw usage("--port is for the till of the interactive and headless modes, not a scripted sale");
    out.amountMinor = parseAmount(amount, 2);
    if (out.amountMinor === 0) throw usage("the amount must be above 0");
    out.tap = tap;
    out.mode = "scripted";
    return out;
  }
  if (out.json) throw usage("--json is for a scripted sale (--amount, --tap)");
  if (forced !== null) out.mode = forced;
  return out;
}
