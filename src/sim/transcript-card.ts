/**
 * The transcript card (docs/architecture.md "Transcript"): a virtual target that replays a recorded
 * `.apdu` transcript (src/apdu/transcript.ts) exchange by exchange, and fails loudly on any
 * surprise instead of improvising an answer.
 *
 * Matching. Each command must equal the next recorded `=>` line byte for byte, except where
 * the terminal's data cannot repeat: GET PROCESSING OPTIONS (INS A8, PDOL data with the
 * unpredictable number 9F37 and the date 9A) and GENERATE AC (INS AE, CDOL data, same), and
 * any `=>` line whose trailing note contains "match header" (e.g. INTERNAL AUTHENTICATE with
 * a DDOL). Those match on CLA INS P1 P2 plus the 5th byte (Lc) and the total length, so the
 * data length and the presence of Le must still agree.
 *
 * Surprises. A command that does not match answers SW 6F00 (ISO/IEC 7816-4 §5.6, "no precise
 * diagnosis") and records SIM_TRANSCRIPT_MISMATCH {line, expected, got}; the recorded
 * exchange counts as used, so one wrong byte does not cascade into a mismatch per later step.
 * A command after the last recorded one answers 6F00 and records SIM_TRANSCRIPT_EXHAUSTED.
 * Exchanges never reached are the leftovers of `report()`; `check()` throws the first problem.
 * A `=>` line followed by `# error CODE` instead of a `<=` (the recorder writes that when the
 * transport failed) replays as silence: the target does not answer and the PN532 reports a
 * timeout. A transcript that is no whole tap (no exchange, no answer at all, a `=>` with
 * neither answer nor error note, a command cut short, a response without SW) is refused at
 * load with its line (checkReplayable in src/apdu/transcript.ts).
 *
 * Masked transcripts replay as they are: the card answers the recorded bytes, so the kernel
 * sees the masked PAN (F nibbles in the middle digits) and still reaches the same outcome.
 *
 * Stale cryptograms: the ARQC (9F26) in a transcript was computed over the amount, date and
 * unpredictable number of the recorded tap, not of the replayed one (whose UN differs, which
 * is why GPO and GENERATE AC match on the header only). An acquirer verifying it must decline
 * ("cryptogram not verified"); that is the right answer, not a bug of the replayer.
 *
 * Target info from header comments (comment lines before the first `=>`), `# key value`, the
 * key case-insensitive with an optional trailing ":", the value the rest of the line:
 *   # atqa 0004          SENS_RES, 2 bytes hex
 *   # sak 20             SEL_RES, 1 byte hex
 *   # uid 08AABBCC       NFCID1, 4, 7 or 10 bytes hex
 *   # ats 0578807002     ATS with TL, hex; "none" for a target without ISO-DEP
 *   # latency-ms 20      the card's processing time per APDU, integer ms
 * Other comments are ignored. Precedence: options, then header, then the defaults of a phone
 * (ATQA 0004, SAK 20, a fixed 4-byte UID starting 08, an iPhone-like ATS, 15 ms).
 */
import { find } from "../bytes/find";
import { codedError, isCoded } from "../bytes/coded-error";
import type { CodedError } from "../bytes/coded-error";
import { bytesEqual, fromHex, cloneBytes } from "../bytes/hex";
import { checkReplayable, COMMAND, COMMENT, parseTranscript, spacedHex } from "../apdu/transcript";
import { fwtMs } from "./sim-timing";
import type { TargetAnswer, VirtualTarget } from "./virtual-target";

export interface TranscriptCardOptions {
  atqa?: Uint8Array;
  sak?: number;
  uid?: Uint8Array;
  /** null: not ISO-DEP. */
  ats?: Uint8Array | null;
  /** The card's processing time per APDU, ms. */
  latencyMs?: number;
  /** Simulated time the card enters the field, ms (default 0). */
  arriveAtMs?: number;
  /** Simulated time the card leaves the field, ms (default: stays). */
  leaveAtMs?: number;
  /**
   * When set, the card leaves the field this many ms after answering the last recorded
   * exchange (the holder takes the phone away), so a terminal waiting for removal sees it.
   */
  leaveWhenDoneMs?: number;
}

export interface TranscriptReport {
  /** No failure and no leftover. */
  ok: boolean;
  /** SIM_TRANSCRIPT_MISMATCH / SIM_TRANSCRIPT_EXHAUSTED errors, in order, with `line`, `expected`, `got` (spaced hex), `atMs`. */
  failures: CodedError[];
  /** Recorded exchanges answered as recorded. */
  replayed: number;
  /** Recorded exchanges not reached. */
  leftovers: number;
  /** Line of the first leftover `=>`, 0 when none. */
  leftoverLine: number;
}

export interface TranscriptCard {
  target: VirtualTarget;
  report(): TranscriptReport;
  /**
   * @throws the first failure (SIM_TRANSCRIPT_MISMATCH / SIM_TRANSCRIPT_EXHAUSTED), else
   *   SIM_TRANSCRIPT_LEFTOVER {line, leftovers} when exchanges were not reached.
   */
  check(): void;
}

interface Exchange {
  line: number;
  command: Uint8Array;
  /** null: recorded without an answer (transport failure); replayed as silence. */
  response: Uint8Array | null;
  /** Match on CLA INS P1 P2 Lc and length only. */
  headerOnly: boolean;
}

const DEFAULT_ATQA = "0004";
const DEFAULT_SAK = 0x20;
const DEFAULT_UID = "08A1B2C3";
// TL 05, T0 78 (TA TB TC present, FSCI 8 = 256 bytes), TA 80, TB 70 (FWI 7), TC 02: as
// iPhones send it (ISO/IEC 14443-4 §5.2).
const DEFAULT_ATS = "0578807002";
const DEFAULT_LATENCY_MS = 15;
const INS_GPO = 0xa8;
const INS_GENERATE_AC = 0xae;
const MATCH_HEADER = "match header";
const SW_NO_DIAGNOSIS = new Uint8Array([0x6f, 0x00]);

/** What a header comment set; undefined = not given. */
interface Header {
  atqa?: Uint8Array;
  sak?: number;
  uid?: Uint8Array;
  ats?: Uint8Array | null;
  latencyMs?: number;
}

function badHeader(line: number, key: string, message: string): CodedError {
  return codedError("TRANSCRIPT_SYNTAX", "# " + key + ": " + message + " (line " + line + ")", { line: line, column: 1, key: key });
}

function headerHex(value: string, line: number, key: string): Uint8Array {
  try {
    return fromHex(value);
  } catch (e) {
    if (!isCoded(e, "HEX_INVALID")) throw e;
    throw badHeader(line, key, "not hex");
  }
}

/** A non-negative integer written in decimal digits, or -1. */
function decimal(value: string): number {
  if (!value.length || value.length > 9) return -1;
  let v = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + c - 48;
  }
  return v;
}

/** Applies one header comment to `h`; comments that are not `key value` with a known key are ignored. */
function readHeader(h: Header, text: string, line: number): void {
  let sp = 0;
  while (sp < text.length && text.charAt(sp) !== " " && text.charAt(sp) !== "\t") sp++;
  let key = text.substring(0, sp).toLowerCase();
  if (key.endsWith(":")) key = key.substring(0, key.length - 1);
  const value = text.substring(sp).trim();
  if (key === "latency-ms") {
    const ms = decimal(value);
    if (ms < 0) throw badHeader(line, key, "expected an integer number of ms");
    h.latencyMs = ms;
  } else if (key === "ats" && value.toLowerCase() === "none") {
    h.ats = null;
  } else if (key === "atqa" || key === "sak" || key === "uid" || key === "ats") {
    const b = headerHex(value, line, key);
    const n = b.length;
    if (key === "atqa") {
      if (n !== 2) throw badHeader(line, key, "expected 2 bytes");
      h.atqa = b;
    } else if (key === "sak") {
      if (n !== 1) throw badHeader(line, key, "expected 1 byte");
      h.sak = b[0];
    } else if (key === "uid") {
      if (n !== 4 && n !== 7 && n !== 10) throw badHeader(line, key, "expected 4, 7 or 10 bytes");
      h.uid = b;
    } else {
      // TL counts itself (ISO/IEC 14443-4 §5.2.1).
      if (n === 0 || b[0] !== n) throw badHeader(line, key, "TL does not match the length");
      h.ats = b;
    }
  }
}

function matches(x: Exchange, got: Uint8Array): boolean {
  const want = x.command;
  if (!x.headerOnly) return bytesEqual(want, got);
  if (want.length !== got.length) return false;
  for (let i = 0; i < 5 && i < want.length; i++) if (want[i] !== got[i]) return false;
  return true;
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * A virtual target replaying `text`, and its report.
 * @throws TRANSCRIPT_SYNTAX {line, column} when the transcript does not parse or a header
 *   value is malformed (`key` names it); TRANSCRIPT_EMPTY, TRANSCRIPT_NO_ANSWER,
 *   TRANSCRIPT_TRUNCATED {line} when it is no whole tap (checkReplayable).
 */
export function createTranscriptCard(text: string, options?: TranscriptCardOptions): TranscriptCard {
  const o: TranscriptCardOptions = options || {};
  const entries = parseTranscript(text);
  checkReplayable(entries, lineCount(text));
  const exchanges: Exchange[] = [];
  const header: Header = {};
  let endLine = 0;
  for (const e of entries) {
    endLine = e.line;
    if (e.kind === COMMENT) {
      if (!exchanges.length) readHeader(header, e.text, e.line);
    } else if (e.kind === COMMAND) {
      const ins = e.bytes[1];
      exchanges.push({
        line: e.line,
        command: e.bytes,
        response: null,
        headerOnly: ins === INS_GPO || ins === INS_GENERATE_AC || find(e.text, MATCH_HEADER, 0) >= 0,
      });
    } else {
      exchanges[exchanges.length - 1].response = e.bytes;
    }
  }

  const latencyMs = o.latencyMs ?? header.latencyMs ?? DEFAULT_LATENCY_MS;
  const ats = o.ats !== undefined ? o.ats : header.ats !== undefined ? header.ats : fromHex(DEFAULT_ATS);
  // A card that needs longer than its FWT asks for more time with S(WTX) (ISO/IEC 14443-4
  // §7.3); each request with WTXM 1 grants one more FWT.
  const fwt = fwtMs(ats);
  const wtx = latencyMs > fwt ? Math.ceil(latencyMs / fwt) - 1 : 0;
  const failures: CodedError[] = [];
  let next = 0;
  let replayed = 0;

  function answer(response: Uint8Array): TargetAnswer {
    return { response: response, processingMs: latencyMs, wtx: wtx };
  }

  const target: VirtualTarget = {
    atqa: o.atqa ?? header.atqa ?? fromHex(DEFAULT_ATQA),
    sak: o.sak ?? header.sak ?? DEFAULT_SAK,
    uid: o.uid ?? header.uid ?? fromHex(DEFAULT_UID),
    ats: ats,
    arriveAtMs: o.arriveAtMs ?? 0,
    leaveAtMs: o.leaveAtMs,
    handle: function (command: Uint8Array, nowMs: number): TargetAnswer | null {
      const got = spacedHex(command);
      if (next >= exchanges.length) {
        failures.push(
          codedError("SIM_TRANSCRIPT_EXHAUSTED", "command after the end of the transcript (line " + endLine + "): " + got, {
            line: endLine,
            expected: "",
            got: got,
            atMs: nowMs,
          }),
        );
        return answer(cloneBytes(SW_NO_DIAGNOSIS));
      }
      const x = exchanges[next++];
      if (!matches(x, command)) {
        const expected = spacedHex(x.command);
        failures.push(
          codedError("SIM_TRANSCRIPT_MISMATCH", "line " + x.line + ": expected " + expected + ", got " + got, {
            line: x.line,
            expected: expected,
            got: got,
            atMs: nowMs,
          }),
        );
        return answer(cloneBytes(SW_NO_DIAGNOSIS));
      }
      replayed++;
      if (next === exchanges.length && o.leaveWhenDoneMs !== undefined) {
        target.leaveAtMs = nowMs + latencyMs + o.leaveWhenDoneMs;
      }
      return x.response ? answer(cloneBytes(x.response)) : null;
    },
  };

  function report(): TranscriptReport {
    const leftovers = exchanges.length - next;
    return {
      ok: !failures.length && !leftovers,
      failures: failures.slice(),
      replayed: replayed,
      leftovers: leftovers,
      leftoverLine: leftovers ? exchanges[next].line : 0,
    };
  }

  return {
    target: target,
    report: report,
    check: function (): void {
      const r = report();
      if (r.failures.length) throw r.failures[0];
      if (r.leftovers) {
        throw codedError("SIM_TRANSCRIPT_LEFTOVER", r.leftovers + " recorded exchange(s) not replayed, from line " + r.leftoverLine, {
          line: r.leftoverLine,
          leftovers: r.leftovers,
        });
      }
    },
  };
}
