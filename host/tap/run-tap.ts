/**
 * `npm run tap` as a function, so tests call it in-process: parses the arguments, runs one
 * tap on the simulator, prints the result, writes the transcript when asked, and returns
 * the exit status (0 online request or approved, 1 any other outcome, 2 usage error).
 */
import { existsSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isCoded } from "../../src/bytes/coded-error";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { OutcomeType } from "../../src/emv/outcome";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { formatAmount } from "./amount";
import { parseArgs, recordError, USAGE, type TapOptions } from "./args";
import { formatDate, seededRandom } from "./determinism";
import { printable, tapJson, tapText, type TapContext } from "./report";
import { ARRIVE_MS, runSession, type SessionResult } from "./session";
import { staleFields } from "./stale";
import { loadTarget } from "./target";

/** Seeds of the two random streams: the terminal's (UN) and the phone's (UIDs) differ. */
const CARD_STREAM = 0x9e3779b9;

function transcriptHeader(o: TapOptions, label: string, kind: string): string[] {
  const amount = formatAmount(o.amountMinor, o.currency.exponent);
  return [
    `tappos tap transcript: ${label} (${kind}), recorded by npm run tap`,
    `amount ${amount} ${o.currency.alpha} (${o.amountMinor} minor units, currency ${o.currency.code}, country ${o.country})`,
    `date ${formatDate(o.startMs)} (simulated), seed ${o.seed}`,
    o.clear
      ? "PANs IN CLEAR: for test fixtures only"
      : "PANs masked: first 6 and last 4 digits kept, the others are F nibbles; cardholder names and Track 1 names as *",
  ];
}

/** Before the tap: refuses to replace a file unless --force, or to write into no directory. @throws TAP_RECORD */
function checkRecordTarget(o: TapOptions): void {
  const path = o.recordPath;
  if (path === null) return;
  if (!o.force && existsSync(path)) throw recordError(path, "the file exists (add --force to replace it)");
  if (!existsSync(dirname(path))) throw recordError(path, `no directory ${dirname(path)}`);
}

/** Writes the transcript; the file is created anew unless --force (no race with a check). */
function writeRecord(o: TapOptions, text: string): string | null {
  const path = o.recordPath as string;
  try {
    writeFileSync(path, text, { flag: o.force ? "w" : "wx" });
    return null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    return `tap: --record ${path}: ` + (code === "EEXIST" ? "the file exists (add --force to replace it)" : `cannot write (${code ?? String(e)})`);
  }
}

function exitCode(res: SessionResult, ctx: TapContext): number {
  const o = res.outcome;
  const good = o !== null && (o.type === OutcomeType.OnlineRequest || o.type === OutcomeType.Approved);
  // A replay that left the recorded path is no faithful replay, whatever the outcome.
  const replayOk = !ctx.tapTarget.replay || ctx.tapTarget.replay.report().ok;
  return good && replayOk ? 0 : 1;
}

/**
 * Runs `npm run tap -- …args`; `out` gets the result (a line at a time, or one JSON text),
 * `err` the usage and failure messages (default: `out`). Resolves with the exit status.
 */
export function runTap(args: string[], out: (line: string) => void, err?: (line: string) => void): Promise<number> {
  const errOut = err ?? out;
  let opts: TapOptions;
  let ctx: TapContext;
  try {
    opts = parseArgs(args);
    if (opts.help) {
      out(USAGE);
      return Promise.resolve(0);
    }
    checkRecordTarget(opts);
    const tapTarget = loadTarget(opts.source, seededRandom((opts.seed ^ CARD_STREAM) >>> 0), ARRIVE_MS);
    ctx = { tapTarget: tapTarget, amountMinor: opts.amountMinor, currency: opts.currency, country: opts.country, startMs: opts.startMs, seed: opts.seed, stale: null };
  } catch (e) {
    if (isCoded(e, "TAP_RECORD")) {
      // One line: the usage would hide it.
      errOut("tap: " + e.message.substring(e.code.length + 2));
      return Promise.resolve(2);
    }
    if (!isCoded(e, "TAP_USAGE")) throw e;
    errOut("tap: " + e.message.substring(e.code.length + 2));
    errOut(USAGE);
    return Promise.resolve(2);
  }
  const config = defaultEntryPointConfig();
  config.terminal.currencyCode = opts.currency.code;
  config.terminal.currencyExponent = opts.currency.exponent;
  config.terminal.countryCode = opts.country;
  return runSession({
    tapTarget: ctx.tapTarget,
    config: config,
    amountMinor: opts.amountMinor,
    startMs: opts.startMs,
    random: seededRandom(opts.seed),
    mask: opts.clear ? null : (apdu, isResponse) => (isResponse ? maskResponseApdu(apdu) : apdu),
    header: transcriptHeader(opts, ctx.tapTarget.label, ctx.tapTarget.kind),
  }).then(
    (res) => {
      let code = exitCode(res, ctx);
      const text = ctx.tapTarget.text;
      if (text !== null) ctx.stale = staleFields(text, res.trace);
      if (opts.recordPath !== null) {
        const failed = writeRecord(opts, res.transcript);
        if (failed !== null) {
          errOut(failed);
          code = 2;
        }
      }
      if (opts.json) out(JSON.stringify(tapJson(ctx, printable(res), code), null, 2));
      else for (const line of tapText(ctx, printable(res))) out(line);
      return code;
    },
    (e) => {
      // A coded error's message starts with its code: said once.
      errOut("tap failed: " + (isCoded(e) ? e.message : String(e)));
      return 1;
    },
  );
}
