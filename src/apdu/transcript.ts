/**
 * The `.apdu` transcript text format (DESIGN.md "Transcript"):
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
import { codedError } from "../bytes/coded-error";
import { toHex } from "../bytes/hex";

export const COMMAND = "=>";
export const RESPONSE = "<=";
export const COMMENT = "#";

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
