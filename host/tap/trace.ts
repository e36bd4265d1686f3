/**
 * The decoded APDU trace of a tap: a decorator that notes every exchange with its simulated
 * time, and a decoder that names each C-APDU (SELECT, GET PROCESSING OPTIONS, READ RECORD,
 * GENERATE AC …), splits GPO and GENERATE AC data by the card's PDOL / CDOL1, and decodes
 * each R-APDU's BER-TLV with tag names. Responses are masked (mask-apdu.ts) as they are
 * noted, so no clear PAN, Track 1 / Track 2 or cardholder name ever reaches the trace; the
 * MaskedApdu type makes the compiler hold to it.
 */
import type { ApduChannel } from "../../src/apdu/channel";
import { decodeCommand } from "../../src/apdu/command";
import { swName } from "../../src/apdu/response";
import { isCoded } from "../../src/bytes/coded-error";
import { toHex } from "../../src/bytes/hex";
import { parseDol } from "../../src/emv/dol";
import { maskResponseApdu, type MaskedApdu } from "../../src/emv/mask-apdu";
import { tagName } from "../../src/emv/tag-names";
import { TagFormat, tagFormat } from "../../src/emv/tag-formats";
import { findTag, parseTlv, tagHex, type TlvNode } from "../../src/emv/tlv";
import type { Clock } from "../../src/hal/types";

export interface TraceEntry {
  /** 1 for the first presentation of the card, 2 after a restart … */
  tap: number;
  /** Simulated time the command was handed to the channel, ms. */
  atMs: number;
  /** Simulated time until the answer (or the failure), ms. */
  ms: number;
  command: Uint8Array;
  /** The response, masked (only maskResponseApdu makes a MaskedApdu); null when the transport failed. */
  response: MaskedApdu | null;
  /** The transport's error code when it failed. */
  error: string | null;
}

/** Notes each exchange into `entries` (the tap number is read at each call). */
export class TraceChannel implements ApduChannel {
  constructor(
    private readonly inner: ApduChannel,
    private readonly clock: Clock,
    private readonly entries: TraceEntry[],
    private readonly tap: () => number,
  ) {}

  transceive(command: Uint8Array): Promise<Uint8Array> {
    const e: TraceEntry = { tap: this.tap(), atMs: this.clock.now(), ms: 0, command: new Uint8Array(command), response: null, error: null };
    this.entries.push(e);
    return this.inner.transceive(command).then(
      (r) => {
        e.ms = this.clock.now() - e.atMs;
        e.response = maskResponseApdu(r);
        return r;
      },
      (err) => {
        e.ms = this.clock.now() - e.atMs;
        e.error = (isCoded(err) && err.code) || "UNCODED";
        throw err;
      },
    );
  }
}

/** One decoded data object. */
export interface DecodedTlv {
  tag: string;
  name: string;
  /** Primitive value, hex (masked where it is a PAN). */
  value?: string;
  /** The value as text, for alphanumeric tags and DF names. */
  text?: string;
  children?: DecodedTlv[];
}

export interface DecodedExchange {
  tap: number;
  atMs: number;
  ms: number;
  /** "SELECT 2PAY.SYS.DDF01 (PPSE)", "GENERATE AC ARQC" … */
  name: string;
  command: string;
  /** GPO / GENERATE AC data split by the card's PDOL / CDOL1. */
  commandData?: DecodedTlv[];
  /** Masked response, hex; null when the transport failed. */
  response: string | null;
  sw: string | null;
  status: string | null;
  data?: DecodedTlv[];
  /** Why the response data is not shown as TLV (e.g. TLV_TRUNCATED at 12). */
  dataError?: string;
  error?: string;
}

function printable(v: Uint8Array): string | null {
  let s = "";
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0x20 || v[i] > 0x7e) return null;
    s += String.fromCharCode(v[i]);
  }
  return s;
}

function describe(tag: number, value: Uint8Array, children?: DecodedTlv[]): DecodedTlv {
  const d: DecodedTlv = { tag: tagHex(tag), name: tagName(tag) ?? "?" };
  if (children) {
    d.children = children;
    return d;
  }
  d.value = toHex(value);
  const f = tagFormat(tag);
  // Names (84 DF name, 4F AID) are binary but often ASCII, as "2PAY.SYS.DDF01".
  const text = f === TagFormat.AN || f === TagFormat.ANS || ((tag === 0x84 || tag === 0x4f) && value.length > 7) ? printable(value) : null;
  if (text !== null) d.text = text;
  return d;
}

function decodeNodes(nodes: TlvNode[]): DecodedTlv[] {
  return nodes.map((n) => describe(n.tag, n.value, n.children ? decodeNodes(n.children) : undefined));
}

/** Splits DOL data by the DOL's entries; null when they do not add up. */
function splitByDol(dol: Uint8Array | null, data: Uint8Array): DecodedTlv[] | null {
  if (!dol) return null;
  try {
    const entries = parseDol(dol);
    const out: DecodedTlv[] = [];
    let at = 0;
    for (const e of entries) {
      out.push(describe(e.tag, data.subarray(at, at + e.length)));
      at += e.length;
    }
    return at === data.length ? out : null;
  } catch (e) {
    if (isCoded(e)) return null;
    throw e;
  }
}

const AC_TYPES = ["AAC", "TC", "ARQC", "RFU"];

function selectName(name: Uint8Array, p2: number): string {
  const text = printable(name);
  const next = p2 === 0x02 ? " (next occurrence)" : "";
  if (text === "2PAY.SYS.DDF01") return "SELECT 2PAY.SYS.DDF01 (PPSE)" + next;
  return "SELECT " + (text !== null && name.length > 7 ? text : toHex(name)) + next;
}

/** The command's name from its INS (EMV Book 3 §6.5, ISO/IEC 7816-4 §7). */
export function commandName(command: Uint8Array): string {
  let c;
  try {
    c = decodeCommand(command);
  } catch (e) {
    return "not an APDU";
  }
  switch (c.ins) {
    case 0xa4:
      return c.p1 === 0x04 ? selectName(c.data, c.p2) : "SELECT P1 " + toHex([c.p1]);
    case 0xa8:
      return "GET PROCESSING OPTIONS";
    case 0xb2:
      return "READ RECORD SFI " + (c.p2 >> 3) + " record " + c.p1;
    case 0xae:
      return "GENERATE AC " + AC_TYPES[c.p1 >> 6] + (c.p1 & 0x10 ? " CDA" : "");
    case 0xc0:
      return "GET RESPONSE";
    case 0xca:
      return "GET DATA " + tagHex((c.p1 << 8) | c.p2);
    case 0x88:
      return "INTERNAL AUTHENTICATE";
    case 0x82:
      return "EXTERNAL AUTHENTICATE";
    default:
      return "INS " + toHex([c.ins]);
  }
}

/** Decodes a whole trace. PDOL (9F38) and CDOL1 (8C) are taken from the answers as they come. */
export function decodeTrace(entries: TraceEntry[]): DecodedExchange[] {
  let pdol: Uint8Array | null = null;
  let cdol1: Uint8Array | null = null;
  const out: DecodedExchange[] = [];
  for (const e of entries) {
    const d: DecodedExchange = {
      tap: e.tap,
      atMs: e.atMs,
      ms: e.ms,
      name: commandName(e.command),
      command: toHex(e.command),
      response: null,
      sw: null,
      status: null,
    };
    const ins = e.command[1];
    if (ins === 0xa4) pdol = null;
    if (ins === 0xa8 || ins === 0xae) {
      try {
        const data = decodeCommand(e.command).data;
        // GPO data is 83 L PDOL-data (Book 3 §6.5.8); L fits one byte for a PDOL ≤ 127 bytes.
        const split = ins === 0xa8 ? (data.length >= 2 && data[0] === 0x83 ? splitByDol(pdol, data.subarray(2)) : null) : splitByDol(cdol1, data);
        if (split) d.commandData = split;
      } catch (err) {
        if (!isCoded(err)) throw err;
      }
    }
    if (e.error) d.error = e.error;
    const r = e.response;
    if (r) {
      const sw = (r[r.length - 2] << 8) | r[r.length - 1];
      const body = r.subarray(0, r.length - 2);
      d.response = toHex(r);
      d.sw = toHex(r.subarray(r.length - 2));
      d.status = swName(sw);
      if (body.length > 0) {
        try {
          d.data = decodeNodes(parseTlv(body, { allowNonMinimalLength: true }));
          pdol = findTag(body, 0x9f38, { allowNonMinimalLength: true }) ?? pdol;
          cdol1 = findTag(body, 0x8c, { allowNonMinimalLength: true }) ?? cdol1;
        } catch (err) {
          if (!isCoded(err)) throw err;
          d.dataError = err.code + (typeof err.offset === "number" ? " at offset " + err.offset : "");
        }
      }
    }
    out.push(d);
  }
  return out;
}
