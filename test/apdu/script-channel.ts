/**
 * A scripted card for tests: an ApduChannel that expects the commands of a script in order
 * and plays its answers. Two ways to write one:
 * - `new ScriptChannel(text)`: a transcript (`.apdu` notation): each `=>` line is the command
 *   expected next, the `<=` line after it the answer; `# error CODE` right after a command
 *   makes the exchange reject with that code (the recorder's own notation);
 * - `new Script(exchanges)` (the same class): [command pattern, answer] pairs of
 *   host/fuzz/emv-fixtures.ts, where ".." in the pattern matches any byte, a final "*" any
 *   remaining bytes, and an answer "error:CODE" rejects with that code.
 *
 * Checked both ways, as a replayer should be (LedgerHQ RecordStore; nfcpy's CMD/RSP):
 * - at the point of mismatch: a command the script did not expect, or one after its end,
 *   rejects at once with SCRIPT_MISMATCH / SCRIPT_END naming the step, its line, what was
 *   expected and what came; the failure is kept, since the code under test may well turn a
 *   rejection into an Outcome;
 * - at the end: `assertDone()` (alias `done()`) throws the first failure, or the steps left
 *   unused. An `afterEach` hook calls it for every script a test made and did not check, so
 *   a test cannot pass with its card used other than as scripted. A test that means to
 *   provoke a failure takes it with `takeFailure()`.
 */
import { afterEach } from "vitest";
import type { ApduChannel } from "../../src/apdu/channel";
import { codedError, type CodedError } from "../../src/bytes/coded-error";
import { fromHex, toHex } from "../../src/bytes/hex";
import { COMMAND, COMMENT, ERROR_NOTE, parseTranscript } from "../../src/apdu/transcript";
import type { Exchange } from "../../host/fuzz/emv-fixtures";

interface Step {
  /** Upper-case hex without spaces; ".." any byte; a final "*" any remaining bytes. */
  pattern: string;
  /** The answer, or null when the exchange rejects with `error`. */
  answer: Uint8Array | null;
  error: string;
  /** Where the step is written: "line 7" of a transcript, or "" for an exchange list. */
  where: string;
}

/** Scripts made in the current test and not yet checked (see the afterEach hook below). */
const unchecked: ScriptChannel[] = [];

/**
 * Checks every script made since the last call and not checked yet (assertDone on each), and
 * forgets them. Runs after each test of every file that imports this module.
 * @throws the first script's failure (SCRIPT_MISMATCH, SCRIPT_END, SCRIPT_LEFTOVER)
 */
export function checkScripts(): void {
  const scripts = unchecked.splice(0, unchecked.length);
  for (const s of scripts) s.assertDone();
}

afterEach(checkScripts);

export class ScriptChannel implements ApduChannel {
  /** Every command received, hex. */
  readonly sent: string[] = [];
  private readonly steps: Step[];
  private next = 0;
  private failure: CodedError | null = null;

  constructor(script: string | Exchange[]) {
    this.steps = typeof script === "string" ? fromTranscript(script) : script.map(fromExchange);
    unchecked.push(this);
  }

  transceive(command: Uint8Array): Promise<Uint8Array> {
    const got = toHex(command);
    this.sent.push(got);
    const i = this.next;
    const step = this.steps[i];
    if (!step) {
      return this.fail(codedError("SCRIPT_END", "script: command " + this.sent.length + " " + got + " after the last of " + this.steps.length + " step(s)", { step: i + 1, got: got }));
    }
    if (!matches(step.pattern, got)) {
      const msg = "script step " + (i + 1) + (step.where ? " (" + step.where + ")" : "") + ": expected " + step.pattern + ", got " + got;
      return this.fail(codedError("SCRIPT_MISMATCH", msg, { step: i + 1, expected: step.pattern, got: got }));
    }
    this.next = i + 1;
    if (step.answer === null) return Promise.reject(codedError(step.error, "scripted transport failure", { step: i + 1 }));
    return Promise.resolve(step.answer);
  }

  /**
   * Throws the first mismatch, else fails when steps are left unused; returns quietly when
   * the card was used exactly as scripted. The afterEach hook calls it for unchecked scripts.
   * @throws SCRIPT_MISMATCH, SCRIPT_END (kept from transceive), SCRIPT_LEFTOVER
   */
  assertDone(): void {
    const i = unchecked.indexOf(this);
    if (i >= 0) unchecked.splice(i, 1);
    const p = this.problem();
    if (p) throw p;
  }

  /** Same as assertDone. */
  done(): void {
    this.assertDone();
  }

  /** The failure met so far (null when none), now handled: the end-of-test check no longer throws it. */
  takeFailure(): CodedError | null {
    const f = this.failure;
    this.failure = null;
    return f;
  }

  /** What assertDone would throw, as text ("" when the card was used exactly as scripted). */
  report(): string {
    const p = this.problem();
    return p ? p.message : "";
  }

  private problem(): CodedError | null {
    if (this.failure) return this.failure;
    if (this.next >= this.steps.length) return null;
    const step = this.steps[this.next];
    const left = this.steps.length - this.next;
    const msg = "script: " + left + " step(s) not used, from step " + (this.next + 1) + (step.where ? " (" + step.where + ")" : "") + ": " + step.pattern;
    return codedError("SCRIPT_LEFTOVER", msg, { step: this.next + 1, left: left });
  }

  private fail(e: CodedError): Promise<Uint8Array> {
    if (!this.failure) this.failure = e;
    return Promise.reject(e);
  }
}

/** The exchange-list name used by the EMV tests: `new Script(exchanges)`. */
export { ScriptChannel as Script };

function fromExchange(x: Exchange): Step {
  const error = x[1].startsWith("error:") ? x[1].substring(6) : "";
  return { pattern: x[0].replace(/\s+/g, "").toUpperCase(), answer: error ? null : fromHex(x[1]), error: error, where: "" };
}

function fromTranscript(text: string): Step[] {
  const entries = parseTranscript(text).filter((e) => e.kind !== COMMENT || e.text.startsWith(ERROR_NOTE));
  const steps: Step[] = [];
  for (let i = 0; i < entries.length; i += 2) {
    const cmd = entries[i];
    const ans = entries[i + 1];
    if (cmd.kind !== COMMAND || !ans || ans.kind === COMMAND) throw new Error("script line " + cmd.line + ": a command and its answer (or # error CODE) expected");
    const error = ans.kind === COMMENT ? ans.text.substring(ERROR_NOTE.length).trim() : "";
    steps.push({ pattern: toHex(cmd.bytes), answer: error ? null : ans.bytes, error: error, where: "line " + cmd.line });
  }
  return steps;
}

function matches(pattern: string, got: string): boolean {
  const star = pattern.endsWith("*");
  const body = star ? pattern.slice(0, -1) : pattern;
  if (star ? got.length < body.length : got.length !== body.length) return false;
  for (let i = 0; i < body.length; i += 2) {
    const b = body.substr(i, 2);
    if (b !== ".." && b !== got.substr(i, 2)) return false;
  }
  return true;
}
