/**
 * `npm run tap -- <profile|file> --online <url> [--state DIR] [--ca FILE] [--answer-ms N] [--json]`:
 * the tap (as `npm run tap`), then the terminal's online side (src/auth) against an acquirer,
 * composed for Node: signed request over host/auth/node-http.ts, STAN, pending transaction
 * and reversal queue in the state folder (host/tap/state.ts), the queue sent at start and
 * after the transaction. A virtual card's ATC carries over between runs in the same folder.
 * Exit status: 0 approved, 1 declined / not authorised / no Online Request, 2 usage error.
 */
import { readFileSync } from "node:fs";
import { isCoded } from "../../src/bytes/coded-error";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { OutcomeType } from "../../src/emv/outcome";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import type { Random } from "../../src/hal/types";
import { createCard } from "../../src/sim/card-engine";
import type { CardProfile } from "../../src/sim/card-profile";
import { profileByName } from "../../src/sim/profiles";
import type { AuthResult } from "../../src/auth/authorizer";
import type { FlushReport } from "../../src/auth/reversal-sender";
import { DEFAULT_TIMEOUTS, TerminalAuth, type BootReport } from "../../src/auth/terminal-auth";
import { maskRequest } from "../../src/auth/request";
import { settableWallClock } from "../../src/auth/time";
import { nodeCardCrypto } from "../crypto";
import { nodeHttpClient } from "../auth/node-http";
import { nodeClock, nodeRandom, nodeSha256, nodeWallClock } from "../auth/node-hal";
import { TEST_KEY_ID, TEST_MERCHANT_ID, TEST_TERMINAL_ID, testKey } from "../auth/test-terminal";
import { formatAmount } from "./amount";
import { parseArgs, USAGE, type TapOptions } from "./args";
import { seededRandom } from "./determinism";
import { printable, tapJson, tapText, type TapContext } from "./report";
import { ARRIVE_MS, runSession, type SessionResult } from "./session";
import { DEFAULT_STATE_DIR, readCardAtc, terminalStore, withSavedAtc, writeCardAtc } from "./state";
import { loadTarget, type TapTarget } from "./target";

export const ONLINE_USAGE = `online (after the tap, the authorization):
  --online <url>      acquirer base URL (http:// to loopback only; https:// needs --ca)
  --state <dir>       terminal state: STAN, reversal queue, card ATCs (default .tappos/)
  --ca <file.pem>     CA the acquirer's certificate must be signed by (pinned)
  --answer-ms <n>     how long to wait for the answer, ms (default ${DEFAULT_TIMEOUTS.answerMs})
The terminal signs with the TEST-ONLY key of terminal ${TEST_TERMINAL_ID} (docs/acquirer-api.md).
Exit status with --online: 0 approved, 1 declined or not authorised, 2 usage error.`;

/** Same stream split as run-tap.ts: the card's randomness differs from the terminal's. */
const CARD_STREAM = 0x9e3779b9;

export interface OnlineArgs {
  url: string;
  stateDir: string;
  caPath: string | null;
  answerMs: number;
  /** The tap's own arguments. */
  rest: string[];
}

/** True when the arguments ask for the online flow. */
export function wantsOnline(args: string[]): boolean {
  return args.some((a) => a === "--online" || a.startsWith("--online="));
}

function usage(message: string): Error {
  return Object.assign(new Error("TAP_USAGE: " + message), { code: "TAP_USAGE" });
}

/** Takes the online options out of `args`. @throws TAP_USAGE */
export function splitOnlineArgs(args: string[]): OnlineArgs {
  const values: { [k: string]: string } = {};
  const rest: string[] = [];
  const mine = ["--online", "--state", "--ca", "--answer-ms"];
  for (let i = 0; i < args.length; i++) {
    const eq = args[i].indexOf("=");
    const name = args[i].startsWith("--") && eq > 0 ? args[i].substring(0, eq) : args[i];
    if (mine.indexOf(name) < 0) {
      rest.push(args[i]);
      continue;
    }
    const v = eq > 0 && name !== args[i] ? args[i].substring(eq + 1) : args[++i];
    if (v === undefined || v === "") throw usage(`${name} needs a value`);
    if (values[name] !== undefined) throw usage(`${name} given twice`);
    values[name] = v;
  }
  const url = values["--online"];
  if (url === undefined) throw usage("--online needs the acquirer's URL");
  if (!/^https?:\/\/[^/]+/.test(url)) throw usage(`--online "${url}" is not an http:// or https:// URL`);
  const answer = values["--answer-ms"];
  if (answer !== undefined && !/^[0-9]{1,7}$/.test(answer)) throw usage(`--answer-ms "${answer}" is not a number of ms`);
  if (rest.indexOf("--record") >= 0 || rest.some((a) => a.startsWith("--record="))) throw usage("--record is for offline taps only");
  // Online, the transaction's date is the wall clock's unless the caller fixed one.
  if (!rest.some((a) => a === "--date" || a.startsWith("--date=") || a === "--now" || a === "--help" || a === "-h")) rest.push("--now");
  return {
    url: url,
    stateDir: values["--state"] ?? DEFAULT_STATE_DIR,
    caPath: values["--ca"] ?? null,
    answerMs: answer !== undefined ? parseInt(answer, 10) : DEFAULT_TIMEOUTS.answerMs,
    rest: rest,
  };
}

/** The card for the tap, its ATC moved past earlier runs' (profiles); transcripts as offline. */
export function onlineTarget(source: string, stateDir: string, random: Random): TapTarget {
  const lower = source.toLowerCase();
  if (lower.endsWith(".apdu")) return loadTarget(source, random, ARRIVE_MS);
  let profile: CardProfile | undefined;
  if (lower.endsWith(".json")) {
    loadTarget(source, random, ARRIVE_MS); // its checks and usage errors
    profile = JSON.parse(readFileSync(source, "utf8")) as CardProfile;
  } else {
    profile = profileByName(source);
    if (!profile) return loadTarget(source, random, ARRIVE_MS); // the usage error
  }
  const own = withSavedAtc(profile, readCardAtc(stateDir, source));
  // `as`: TapTarget (host/tap/target.ts) may carry more fields, null for profiles.
  return { kind: "profile", label: source, target: createCard(own, nodeCardCrypto, { random: random, arriveAtMs: ARRIVE_MS }), replay: null, text: null } as TapTarget;
}

/** HHMMSS of simulated time `atMs` of a tap that started at `startMs` (UTC fields). */
export function hhmmss(startMs: number, atMs: number): string {
  const d = new Date(startMs + Math.floor(atMs));
  return [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join("");
}

export interface OnlineReport {
  url: string;
  boot: BootReport | null;
  /** Why no request was sent (AUTH_NO_CLOCK, AUTH_REVERSAL_QUEUE_FULL, NO_ONLINE_REQUEST). */
  refused: { code: string; message: string } | null;
  result: AuthResult | null;
  flush: FlushReport | null;
}

function onlineLines(r: OnlineReport, opts: TapOptions): string[] {
  const out: string[] = ["", `online: ${r.url}`];
  if (r.boot && r.boot.recovered) out.push(`  recovered a transaction cut by a restart: STAN ${r.boot.recovered.stan}, queued for reversal`);
  if (r.boot && r.boot.flush.acknowledged.length) out.push(`  start: ${r.boot.flush.acknowledged.length} queued reversal(s) acknowledged`);
  if (r.refused) {
    out.push(`  NOT SENT: ${r.refused.code} ${r.refused.message}`);
    return out;
  }
  const a = r.result as AuthResult;
  const amount = `${formatAmount(opts.amountMinor, opts.currency.exponent)} ${opts.currency.alpha}`;
  out.push(`  request: STAN ${a.stan}, id ${a.clientTransactionId}, ${amount}, PAN ${a.request && a.request.pan ? a.request.pan : "(in Track 2)"}`);
  if (a.outcome === "approved") out.push(`  APPROVED ${a.responseCode ?? ""} auth code ${a.authCode ?? "-"} (${a.message})${a.arpc ? " ARPC " + a.arpc : ""}`);
  else if (a.outcome === "declined") out.push(`  DECLINED ${a.responseCode ?? ""} ${a.message}`);
  else out.push(`  NOT AUTHORISED: ${a.reason}${a.httpStatus !== null ? " (HTTP " + a.httpStatus + ")" : ""}${a.error ? " " + a.error : ""}${a.message ? ": " + a.message : ""}`);
  if (a.reversal) out.push(`  reversal ${a.reversal.reason} written before this outcome; ` + (r.flush && r.flush.acknowledged.indexOf(a.clientTransactionId) >= 0 ? "acknowledged by the acquirer" : "queued, sent again at the next start"));
  if (r.flush && r.flush.left) out.push(`  reversal queue: ${r.flush.left} waiting${r.flush.error ? " (" + r.flush.error + ")" : ""}`);
  return out;
}

/** `npm run tap -- … --online <url>`; resolves with the exit status. */
export function runOnlineTap(args: string[], out: (line: string) => void, err?: (line: string) => void): Promise<number> {
  const errOut = err ?? out;
  let on: OnlineArgs;
  let opts: TapOptions;
  let ctx: TapContext;
  let ca: string | undefined;
  try {
    on = splitOnlineArgs(args);
    opts = parseArgs(on.rest);
    if (opts.help) {
      out(USAGE);
      out(ONLINE_USAGE);
      return Promise.resolve(0);
    }
    if (on.caPath !== null) {
      try {
        ca = readFileSync(on.caPath, "utf8");
      } catch (e) {
        throw usage(`cannot read --ca ${on.caPath}: ${(e as { code?: string }).code ?? String(e)}`);
      }
    }
    const tapTarget = onlineTarget(opts.source, on.stateDir, seededRandom((opts.seed ^ CARD_STREAM) >>> 0));
    ctx = { tapTarget: tapTarget, amountMinor: opts.amountMinor, currency: opts.currency, country: opts.country, startMs: opts.startMs, seed: opts.seed, stale: null } as TapContext;
  } catch (e) {
    if (!isCoded(e, "TAP_USAGE") && !isCoded(e, "TAP_RECORD")) throw e;
    errOut("tap: " + e.message.substring(e.code.length + 2));
    errOut(USAGE);
    errOut(ONLINE_USAGE);
    return Promise.resolve(2);
  }
  const clock = nodeClock();
  const auth = new TerminalAuth(
    {
      url: on.url,
      terminalId: TEST_TERMINAL_ID,
      merchantId: TEST_MERCHANT_ID,
      keyId: TEST_KEY_ID,
      key: testKey(),
      country: opts.country,
      timeouts: { connectMs: DEFAULT_TIMEOUTS.connectMs, sendMs: DEFAULT_TIMEOUTS.sendMs, answerMs: on.answerMs },
      echoRequest: maskRequest,
    },
    { http: nodeHttpClient({ ca: ca }), sha: nodeSha256, random: nodeRandom, clock: clock, store: terminalStore(on.stateDir), wall: settableWallClock(clock, nodeWallClock) },
  );
  const report: OnlineReport = { url: on.url, boot: null, refused: null, result: null, flush: null };
  let session: SessionResult | null = null;
  const config = defaultEntryPointConfig();
  config.terminal.currencyCode = opts.currency.code;
  config.terminal.currencyExponent = opts.currency.exponent;
  config.terminal.countryCode = opts.country;
  const refuse = (code: string, message: string): null => {
    report.refused = { code: code, message: message };
    return null;
  };
  return auth
    .boot()
    .then((boot) => {
      report.boot = boot;
      try {
        auth.checkReady();
      } catch (e) {
        if (isCoded(e)) return refuse(e.code, e.message.substring(e.code.length + 2));
        throw e;
      }
      return runSession({
        tapTarget: ctx.tapTarget,
        config: config,
        amountMinor: opts.amountMinor,
        startMs: opts.startMs,
        random: seededRandom(opts.seed),
        mask: (apdu, isResponse) => (isResponse ? maskResponseApdu(apdu) : apdu),
        header: [],
      }).then((res) => {
        session = res;
        const o = res.outcome;
        const record = o && o.type === OutcomeType.OnlineRequest ? o.record : null;
        if (ctx.tapTarget.kind === "profile" && record && record.icc["9F36"]) writeCardAtc(on.stateDir, opts.source, record.aid, parseInt(record.icc["9F36"], 16));
        if (!record) return refuse("NO_ONLINE_REQUEST", "the tap did not end in an Online Request: nothing to authorise");
        const last = res.attempts[res.attempts.length - 1];
        return auth
          .authorize({ record: record, amountMinor: opts.amountMinor, currency: opts.currency.code, time9f21: hhmmss(opts.startMs, last.detectedAtMs) })
          .then((r) => {
            report.result = r;
            return auth.sender.flush();
          })
          .then((f) => {
            report.flush = f;
            return null;
          });
      });
    })
    .then(
      () => {
        auth.stop();
        const code = report.result && report.result.outcome === "approved" ? 0 : 1;
        if (opts.json) {
          const tap = session ? (tapJson(ctx, printable(session), code) as { [k: string]: unknown }) : { outcome: null };
          tap.exitCode = code;
          tap.online = {
            url: report.url,
            refused: report.refused,
            recovered: report.boot ? report.boot.recovered : null,
            request: report.result ? report.result.request : null,
            answer: report.result ? answerJson(report.result) : null,
            reversal: report.result ? report.result.reversal : null,
            reversalQueue: report.flush ? { acknowledged: report.flush.acknowledged, left: report.flush.left, error: report.flush.error } : null,
          };
          out(JSON.stringify(tap, null, 2));
        } else {
          if (session) for (const line of tapText(ctx, printable(session))) out(line);
          for (const line of onlineLines(report, opts)) out(line);
        }
        return code;
      },
      (e) => {
        auth.stop();
        errOut("tap --online failed: " + (isCoded(e) ? e.code + " " + e.message : String(e)));
        return 1;
      },
    );
}

/**
 * The acquirer's answer as printed in JSON (`tap --online`, `npm start --json`); with
 * `withReversal` the reversal written for it sits inside (npm start), else beside it (tap).
 */
export function answerJson(a: AuthResult, withReversal?: boolean): object {
  const j: { [k: string]: unknown } = {
    outcome: a.outcome,
    reason: a.reason,
    httpStatus: a.httpStatus,
    responseCode: a.responseCode,
    authCode: a.authCode,
    message: a.message,
    arpc: a.arpc,
    stan: a.stan,
    clientTransactionId: a.clientTransactionId,
  };
  if (withReversal) j.reversal = a.reversal;
  j.error = a.error;
  return j;
}
