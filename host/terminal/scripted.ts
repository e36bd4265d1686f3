/**
 * `npm start -- --amount 12.34 --tap <profile|file.apdu> [--json]`: one sale through the
 * terminal composition and the reference acquirer, then exit. The phone is held out before
 * the sale starts (it answers the first poll) and taken away after its tap; should the
 * terminal ask for another card (try another card, present card again), there is none: the
 * merchant cancels. Prints the events, the outcome, the request as sent (PAN masked) and the
 * acquirer's answer. Exit status: 0 approved, 1 not approved, 2 usage.
 */
import type { TerminalResult } from "../../src/app/terminal-machine";
import type { FlushReport } from "../../src/auth/reversal-sender";
import { describeResult } from "../../src/app/console-till";
import { nodeRandom } from "../auth/node-hal";
import { answerJson, onlineTarget } from "../tap/online";
import type { StartArgs } from "./args";
import { hostTerminal, type HostEvent } from "./host-terminal";
import { acquirerDir, startLoopbackAcquirer } from "./online";

/** After the result: Card Read OK's beep (125 + 500 ms) and the result's tones end, ms. */
const SETTLE_MS = 700;

export interface Printer {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** An event as the text modes print it: "display  Present Card". */
export function eventLine(e: HostEvent): string {
  return e.kind.padEnd(8) + " " + e.text;
}


/** One sale; resolves with the exit status. */
export async function runScripted(a: StartArgs, p: Printer): Promise<number> {
  // The tap's source first: an unknown profile is a usage error before anything starts.
  onlineTarget(a.tap, a.stateDir, nodeRandom);
  const events: HostEvent[] = [];
  const acquirerLog: string[] = [];
  const acquirer = await startLoopbackAcquirer(
    acquirerDir(a.stateDir),
    (line) => {
      acquirerLog.push(line);
      if (!a.json) p.out(line.startsWith("acquirer") ? line : "acquirer " + line);
    },
    a.holdMs ?? undefined,
  );
  if (!a.json) p.out(`acquirer listening on ${acquirer.url}`);
  const ht = hostTerminal({
    stateDir: a.stateDir,
    url: acquirer.url,
    answerMs: a.answerMs ?? undefined,
    emit: (e) => {
      events.push(e);
      if (a.json) return;
      p.out(eventLine(e));
      if (e.kind === "apdu") for (const d of e.detail) p.out(d);
    },
  });
  let result: TerminalResult | null = null;
  let note: string | null = null;
  let flush: FlushReport | null = null;
  try {
    await ht.boot();
    const done = new Promise<TerminalResult | null>((resolve) => {
      let tapped = false;
      ht.terminal.onStatus((e) => {
        if (e.type === "result") resolve(e.result);
        if (e.type !== "state") return;
        if (e.state === "reading") tapped = true;
        // Back to "present card" with the phone gone: the script has no other card.
        if (e.state === "presentCard" && tapped && ht.field.current() === null) {
          note = "the terminal asked for another card; there is none: the merchant cancels";
          setImmediate(() => ht.terminal.cancel());
        }
      });
    });
    ht.field.present(a.tap);
    const said = ht.terminal.sale(a.amountMinor);
    if (said.startsWith("refused")) note = said;
    if (!said.startsWith("refused")) result = await done;
    // The tones and LED steps of the result play out; a reversal written by this sale is sent.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    flush = await (ht.online.lastRound() ?? ht.online.auth.sender.flush());
  } finally {
    ht.stop();
    await acquirer.close();
  }
  const auth = ht.online.lastResult();
  const code = result !== null && result.outcome === "approved" ? 0 : 1;
  if (a.json) {
    const o = {
      tap: a.tap,
      amountMinor: a.amountMinor,
      currency: ht.currency,
      outcome: result,
      note: note,
      request: auth ? auth.request : null,
      answer: auth ? answerJson(auth, true) : null,
      reversalQueue: flush ? { acknowledged: flush.acknowledged, left: flush.left, error: flush.error } : null,
      events: events.map((e) => ({ kind: e.kind, text: e.text })),
      acquirerUrl: acquirer.url,
      exitCode: code,
    };
    p.out(JSON.stringify(o, null, 2));
    return code;
  }
  if (note) p.out("note     " + note);
  p.out("");
  p.out("outcome: " + (result ? describeResult(result, ht.exponent) : "none"));
  if (auth && auth.request) p.out("request as sent (PAN masked): " + JSON.stringify(auth.request));
  if (auth) p.out("answer: " + JSON.stringify(answerJson(auth, true)));
  return code;
}
