/**
 * The `.apdu` transcript text format (docs/architecture.md "Transcript"):
 *
 *   # comment line (header lines are comments at the top)
 *   => 00 A4 04 00 0E 32 50 41 59 2E 53 59 53 2E 44 44 46 30 31 00   # optional note
 *   <= 6F 23 84 0E … 90 00
 *
 * The formatter writes upper-case hex with one space between bytes. The parser also takes
 * lower case and runs of bytes without spaces (`=> 00A40400`), but never a space inside a
 * byte. A `<=` line answers the latest unanswered `=>` line; a `=>` may stay unanswered (the
 * recorder writes `# error CODE` instead when the transport failed).
 */
import { codedError, isCoded } from "../bytes/coded-error";
import { toHex } from "../bytes/hex";
import { decodeCommand } from "./command";

export const COMMAND = "=>";
export const RESPONSE = "<=";
export const COMMENT = "#";
/** The comment the recorder writes after a command the transport failed on: `# error CODE`. */
export const ERROR_NOTE = "error ";

export interface TranscriptEntry {
  /** COMMAND "=>", RESPONSE "<=" or COMMENT "#". */
  kind: string;
  /** 1-based line number in the text. */
  line: number;
  /** The APDU; empty for a comment. */
  bytes: Uint8Array;
  /** A comment's text, or an APDU line's trailing note; trimmed, "" when none. */
  text: string;
}

/** Upper-case hex with one space between bytes: "00 A4 04 00". */
export function spacedHex(bytes: Uint8Array): string {
  const h = toHex(bytes);
  let s = "";
  for (let i = 0; i < h.length; i += 2) s += (i ? " " : "") + h.substr(i, 2);
  return s;
}

function oneLine(text: string): string {
  return text.replaceAll("\r", " ").replaceAll("\n", " ").trim();
}

/** One transcript line for an entry (no newline). */
export function formatEntry(kind: string, bytes: Uint8Array, text?: string): string {
  const note = text ? oneLine(text) : "";
  if (kind === COMMENT) return note ? "# " + note : "#";
  return kind + " " + spacedHex(bytes) + (note ? "   # " + note : "");
}

/** The transcript text for entries, one line each, ending in a newline. */
export function formatTranscript(entries: TranscriptEntry[]): string {
  let s = "";
  for (const e of entries) s += formatEntry(e.kind, e.bytes, e.text) + "\n";
  return s;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function syntax(message: string, line: number, column: number): Error {
  return codedError("TRANSCRIPT_SYNTAX", message + " (line " + line + ")", { line: line, column: column });
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses transcript text into entries, in order.
 * @throws TRANSCRIPT_SYNTAX (fields `line`, 1-based, and `column`, 1-based) on an unknown line
 *   kind, bad hex, a command shorter than 4 bytes, a response shorter than 2 bytes, or a
 *   response with no command before it.
 */
export function parseTranscript(text: string): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  const lines = text.split("\n");
  let pending = false;
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n];
    const line = n + 1;
    let i = 0;
    while (i < s.length && isBlank(s.charCodeAt(i))) i++;
    let end = s.length;
    if (end > i && s.charCodeAt(end - 1) === 13) end--;
    if (i === end) continue;
    if (s.charAt(i) === "#") {
      out.push({ kind: COMMENT, line: line, bytes: new Uint8Array(0), text: s.substring(i + 1, end).trim() });
      continue;
    }
    const kind = s.substr(i, 2);
    if (kind !== COMMAND && kind !== RESPONSE) throw syntax("expected =>, <= or #", line, i + 1);
    if (kind === RESPONSE && !pending) throw syntax("response without a command", line, i + 1);
    const start = i;
    i += 2;
    const digits: number[] = [];
    let group = 0;
    let note = "";
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (isBlank(c) || c === 35) {
        if (group & 1) throw syntax("odd number of hex digits", line, i + 1);
        group = 0;
        if (c === 35) {
          note = s.substring(i + 1, end).trim();
          break;
        }
        continue;
      }
      const v = hexValue(c);
      if (v < 0) throw syntax("not a hex digit", line, i + 1);
      digits.push(v);
      group++;
    }
    if (group & 1) throw syntax("odd number of hex digits", line, end + 1);
    const bytes = new Uint8Array(digits.length >> 1);
    for (let k = 0; k < bytes.length; k++) bytes[k] = (digits[2 * k] << 4) | digits[2 * k + 1];
    if (bytes.length < (kind === COMMAND ? 4 : 2)) {
      throw syntax(kind === COMMAND ? "command shorter than 4 bytes" : "response shorter than SW1 SW2", line, start + 1);
    }
    pending = kind === COMMAND;
    out.push({ kind: kind, line: line, bytes: bytes, text: note });
  }
  return out;
}

function refused(code: string, message: string, line: number): Error {
  return codedError(code, message + " (line " + line + ")", { line: line });
}

/** SW1 of a status word: 61–6F or 90–9F (ISO/IEC 7816-4 §5.1.3). */
function isSw1(b: number): boolean {
  return (b >= 0x61 && b <= 0x6f) || (b >= 0x90 && b <= 0x9f);
}

/**
 * Bytes an EMV answer's template (6F FCI, 70 record, 77 / 80 GPO and GENERATE AC formats,
 * EMV Book 3 §6.5) announces beyond the data present, or 0: a cut answer. Only the first
 * object's length is read, so a card's malformed insides (broken-bad-tlv) still load.
 */
function missingBytes(data: Uint8Array): number {
  const t = data[0];
  if (data.length < 2 || (t !== 0x6f && t !== 0x70 && t !== 0x77 && t !== 0x80)) return 0;
  let len = data[1];
  let at = 2;
  if (len === 0x81 && data.length > 2) {
    len = data[2];
    at = 3;
  } else if (len === 0x82 && data.length > 3) {
    len = (data[2] << 8) | data[3];
    at = 4;
  } else if (len > 0x80) return 0;
  return at + len > data.length ? at + len - data.length : 0;
}

/**
 * Checks that parsed entries make a whole tap that can be replayed: at least one exchange,
 * at least one answer, every `=>` answered by a `<=` or followed by the recorder's
 * `# error CODE` (transport failure), every command's Lc equal to its data length, every
 * response ending in a status word. A cut file (a copy stopped mid-line, a lost answer)
 * is refused here with its line rather than replayed into a confusing outcome.
 * @param lastLine the text's last line number, for an empty transcript
 * @throws TRANSCRIPT_EMPTY {line} no command at all; TRANSCRIPT_NO_ANSWER {line} of the first
 *   command when no `<=` exists; TRANSCRIPT_TRUNCATED {line} for a command without answer
 *   or error note, a command whose Lc disagrees with its length (`cause`), a response
 *   without a status word or whose template announces more bytes than it has
 */
export function checkReplayable(entries: TranscriptEntry[], lastLine: number): void {
  let firstCommand = 0;
  let answers = 0;
  // Line of the latest `=>` still waiting for its `<=` or `# error`; 0 when none.
  let open = 0;
  for (const e of entries) {
    if (e.kind === COMMENT) {
      if (open && e.text.startsWith(ERROR_NOTE)) open = 0;
      continue;
    }
    if (e.kind === RESPONSE) {
      const b = e.bytes;
      if (!isSw1(b[b.length - 2])) throw refused("TRANSCRIPT_TRUNCATED", "response does not end in a status word SW1 SW2", e.line);
      const missing = missingBytes(b.subarray(0, b.length - 2));
      if (missing) throw refused("TRANSCRIPT_TRUNCATED", "response cut short: its template lacks " + missing + " byte(s)", e.line);
      answers++;
      open = 0;
      continue;
    }
    if (open) throw refused("TRANSCRIPT_TRUNCATED", "command without an answer (<=) or a # error note", open);
    if (!firstCommand) firstCommand = e.line;
    try {
      decodeCommand(e.bytes);
    } catch (err) {
      if (!isCoded(err)) throw err;
      throw codedError("TRANSCRIPT_TRUNCATED", "command cut short or malformed: " + err.code + " (line " + e.line + ")", { line: e.line, cause: err.code });
    }
    open = e.line;
  }
  if (open) throw refused("TRANSCRIPT_TRUNCATED", "command without an answer (<=) or a # error note", open);
  if (!firstCommand) throw refused("TRANSCRIPT_EMPTY", "no exchange in the transcript", lastLine > 0 ? lastLine : 1);
  if (!answers) throw refused("TRANSCRIPT_NO_ANSWER", "no answer (<=) in the transcript", firstCommand);
}
