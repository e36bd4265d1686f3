/**
 * A scripted ApduChannel for tests, written as a transcript: each `=>` line is the command
 * expected next, the `<=` line after it the answer; `# error CODE` right after a command makes
 * the exchange reject with that code (the recorder's own notation). An unexpected command
 * fails with the script line; `done()` fails on leftovers.
 */
import { expect } from "vitest";
import type { ApduChannel } from "../../src/apdu/channel";
import { codedError } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";
import { parseTranscript, COMMAND, COMMENT } from "../../src/apdu/transcript";
import type { TranscriptEntry } from "../../src/apdu/transcript";

export class ScriptChannel implements ApduChannel {
  private readonly entries: TranscriptEntry[];
  private next = 0;
  /** Every command received, hex. */
  readonly sent: string[] = [];

  constructor(script: string) {
    this.entries = parseTranscript(script).filter((e) => e.kind !== COMMENT || e.text.startsWith("error "));
  }

  transceive(command: Uint8Array): Promise<Uint8Array> {
    this.sent.push(toHex(command));
    const expected = this.entries[this.next];
    if (!expected || expected.kind !== COMMAND) {
      return Promise.reject(new Error("script: unexpected command " + toHex(command) + " after line " + (expected ? expected.line : "end")));
    }
    expect(toHex(command), "script line " + expected.line).toBe(toHex(expected.bytes));
    const answer = this.entries[this.next + 1];
    this.next += 2;
    if (answer.kind === COMMENT) {
      const code = answer.text.substring(6).trim();
      return Promise.reject(codedError(code, "scripted failure", { line: answer.line }));
    }
    return Promise.resolve(answer.bytes);
  }

  /** Fails when the script has entries left. */
  done(): void {
    expect(this.next, "script entries left").toBe(this.entries.length);
  }
}
