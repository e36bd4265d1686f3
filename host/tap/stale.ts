/**
 * Is the replayed cryptogram stale? A transcript's ARQC (9F26) was computed over the terminal
 * data of the recorded tap (EMV Book 2 §8.1.1: amount 9F02, currency 5F2A, date 9A …, sent in
 * the PDOL / CDOL1 data of GPO and GENERATE AC). The transcript card answers those commands
 * on their header alone, so a replay with another amount, currency or date gets the old
 * cryptogram for new data: an issuer would decline it ("cryptogram not verified").
 *
 * The recorded values come from the transcript's own GPO / GENERATE AC commands, split by the
 * PDOL (9F38) and CDOL1 (8C) of its recorded answers; a field no recorded command carries is
 * taken from the header comments `npm run tap --record` writes ("amount 12.50 EUR (1250 minor
 * units, currency 978, country 250)", "date 2026-01-15 10:30:00 …"). The unpredictable
 * number 9F37 is left out: it differs on every tap, which is why replays match on headers.
 */
import { COMMAND, COMMENT, parseTranscript, RESPONSE } from "../../src/apdu/transcript";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { decodeTrace, type TraceEntry } from "./trace";

/** A terminal data field whose value differs from the recorded one. */
export interface StaleField {
  /** "amount", "currency", "date" … */
  field: string;
  tag: string;
  /** The value the cryptogram was computed over, hex as sent (9F02 "000000001250"). */
  recorded: string;
  /** The value this tap sent, hex. */
  sent: string;
  /** Where the recorded value is: the `=>` line, or the header comment's line. */
  line: number;
}

/** The terminal data a cryptogram covers, by tag, in the order reported. */
const FIELDS: [string, string][] = [
  ["9F02", "amount"],
  ["9F03", "other amount"],
  ["5F2A", "currency"],
  ["9A", "date"],
  ["9F21", "time"],
  ["9C", "transaction type"],
  ["9F1A", "country"],
];

interface Seen {
  value: string;
  line: number;
}

/** The first value of each FIELDS tag in GPO / GENERATE AC data, with the command's index. */
function sentValues(entries: TraceEntry[], lines: number[]): { [tag: string]: Seen } {
  const out: { [tag: string]: Seen } = {};
  const decoded = decodeTrace(entries);
  for (let i = 0; i < decoded.length; i++) {
    const data = decoded[i].commandData;
    if (!data) continue;
    for (const d of data) if (d.value !== undefined && out[d.tag] === undefined) out[d.tag] = { value: d.value, line: lines[i] };
  }
  return out;
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** The header's amount, currency, country and date as the tags' values (hex of n digits). */
function headerValues(text: string): { [tag: string]: Seen } {
  const out: { [tag: string]: Seen } = {};
  for (const e of parseTranscript(text)) {
    if (e.kind !== COMMENT) break;
    const t = e.text;
    const amount = /^amount .*\((\d+) minor units, currency (\d+), country (\d+)\)/.exec(t);
    if (amount) {
      out["9F02"] = { value: digits(parseInt(amount[1], 10), 12), line: e.line };
      out["5F2A"] = { value: digits(parseInt(amount[2], 10), 4), line: e.line };
      out["9F1A"] = { value: digits(parseInt(amount[3], 10), 4), line: e.line };
    }
    // Not the time (9F21): the header has the tap's start, the card got the time of its step.
    const date = /^date \d\d(\d\d)-(\d\d)-(\d\d) /.exec(t);
    if (date) out["9A"] = { value: date[1] + date[2] + date[3], line: e.line };
  }
  return out;
}

/**
 * The fields this tap sent differently from the recorded tap (empty: the cryptogram still
 * matches its data, as far as the transcript tells).
 * @param transcript the replayed `.apdu` text (already loaded, so it parses)
 * @param trace this tap's exchanges (trace.ts)
 */
export function staleFields(transcript: string, trace: TraceEntry[]): StaleField[] {
  // The recorded tap as trace entries: its commands with its answers, for decodeTrace.
  const recorded: TraceEntry[] = [];
  const lines: number[] = [];
  for (const e of parseTranscript(transcript)) {
    if (e.kind === COMMAND) {
      recorded.push({ tap: 0, atMs: 0, ms: 0, command: e.bytes, response: null, error: null });
      lines.push(e.line);
    } else if (e.kind === RESPONSE) recorded[recorded.length - 1].response = maskResponseApdu(e.bytes);
  }
  const was = sentValues(recorded, lines);
  const header = headerValues(transcript);
  const now = sentValues(trace, []);
  const out: StaleField[] = [];
  for (const f of FIELDS) {
    const tag = f[0];
    const old = was[tag] ?? header[tag];
    const sent = now[tag];
    if (old && sent && old.value !== sent.value) out.push({ field: f[1], tag: tag, recorded: old.value, sent: sent.value, line: old.line });
  }
  return out;
}
