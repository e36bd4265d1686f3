/**
 * Recording: every exchange as `.apdu` transcript lines (transcript.ts), masked by a function
 * the caller supplies — the EMV layer passes the one that finds 5A / 57 / 9F6B and turns the
 * middle digits into F nibbles (docs/architecture.md "Transcript"). Pure: lines are kept in memory and
 * also handed to an optional callback; nothing is written anywhere by this module.
 *
 * An ApduRecorder is one transcript; `wrap(channel)` records that channel's exchanges into it,
 * so one tap's transcript spans every activation of the card (a "see phone" restart activates
 * a new ISO-DEP channel; nfc/apdu-stack.ts wraps each).
 */
import type { ApduChannel } from "./channel";
import { COMMAND, COMMENT, RESPONSE, formatEntry } from "./transcript";

/**
 * Returns the bytes to record for one APDU. Must not modify its argument (the caller still
 * needs the clear bytes) and should keep lengths unchanged.
 */
export type ApduMask = (apdu: Uint8Array, isResponse: boolean) => Uint8Array;

export class ApduRecorder {
  /** Set in the constructor: Espruino shares an array field initializer between instances. */
  private lines: string[];

  /**
   * @param mask null records in clear: only for test fixtures (docs/architecture.md "Transcript").
   * @param onLine called with each line (no newline) as it is recorded.
   */
  constructor(
    private readonly mask: ApduMask | null,
    private readonly onLine?: (line: string) => void,
  ) {
    this.lines = [];
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.onLine) this.onLine(line);
  }

  /** Adds a `# text` line; before the first APDU these are the transcript's header. */
  comment(text: string): void {
    this.add(formatEntry(COMMENT, new Uint8Array(0), text));
  }

  /** The transcript so far, one line each, ending in a newline ("" when empty). */
  text(): string {
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }

  /** Records `=> command`, then `<= response`, or `# error CODE` and the same rejection. */
  exchange(inner: ApduChannel, command: Uint8Array): Promise<Uint8Array> {
    const mask = this.mask;
    this.add(formatEntry(COMMAND, mask ? mask(command, false) : command));
    return inner.transceive(command).then(
      (response) => {
        this.add(formatEntry(RESPONSE, mask ? mask(response, true) : response));
        return response;
      },
      (e) => {
        this.comment("error " + ((e && e.code) || "uncoded"));
        throw e;
      },
    );
  }

  /** A channel that records its exchanges with `inner` into this transcript. */
  wrap(inner: ApduChannel): ApduChannel {
    return {
      transceive: (command: Uint8Array): Promise<Uint8Array> => {
        return this.exchange(inner, command);
      },
    };
  }
}

/** Decorator: one channel recorded into its own transcript (an ApduRecorder of its own). */
export class RecordingChannel implements ApduChannel {
  private readonly recorder: ApduRecorder;

  /**
   * @param mask null records in clear: only for test fixtures (docs/architecture.md "Transcript").
   * @param onLine called with each line (no newline) as it is recorded.
   */
  constructor(
    private readonly inner: ApduChannel,
    mask: ApduMask | null,
    onLine?: (line: string) => void,
  ) {
    this.recorder = new ApduRecorder(mask, onLine);
  }

  /** Adds a `# text` line; before the first APDU these are the transcript's header. */
  comment(text: string): void {
    this.recorder.comment(text);
  }

  /** The transcript so far, one line each, ending in a newline ("" when empty). */
  text(): string {
    return this.recorder.text();
  }

  /** Records `=> command`, then `<= response`, or `# error CODE` and the same rejection. */
  transceive(command: Uint8Array): Promise<Uint8Array> {
    return this.recorder.exchange(this.inner, command);
  }
}
