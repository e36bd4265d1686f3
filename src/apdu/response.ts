/**
 * Response APDU: data field followed by the status word SW1 SW2 (ISO/IEC 7816-4 §5.1, §5.6),
 * and names for the status words a contactless EMV terminal meets.
 */
import { codedError } from "../bytes/coded-error";

/** SW 9000: normal processing (ISO/IEC 7816-4 §5.6). */
export const SW_OK = 0x9000;

/** The status word (SW1 << 8 | SW2) of a response. @throws APDU_TOO_SHORT when < 2 bytes. */
export function statusWord(response: Uint8Array): number {
  const n = response.length;
  if (n < 2) throw codedError("APDU_TOO_SHORT", "response APDU shorter than SW1 SW2", { offset: n });
  return (response[n - 2] << 8) | response[n - 1];
}

/** The data field of a response (a view, no copy). @throws APDU_TOO_SHORT when < 2 bytes. */
export function responseData(response: Uint8Array): Uint8Array {
  // statusWord's check, inline: a call and a second read of the length less.
  const n = response.length;
  if (n < 2) throw codedError("APDU_TOO_SHORT", "response APDU shorter than SW1 SW2", { offset: n });
  return response.subarray(0, n - 2);
}

/** Splits a response into data (a view) and SW. @throws APDU_TOO_SHORT when < 2 bytes. */
export function splitResponse(response: Uint8Array): { data: Uint8Array; sw: number } {
  return { data: responseData(response), sw: statusWord(response) };
}

/** True for 9000 only: the decorators have already resolved 61xx and 6Cxx. */
export function isOk(sw: number): boolean {
  return sw === SW_OK;
}

/** Makes a response from data and a status word (for simulators and decorators). */
export function makeResponse(data: ArrayLike<number>, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

// ISO/IEC 7816-4 §5.6 Table 5-6 entries, with the EMV reading where EMV gives one
// (Book 1 §11.3.5, Book 3 §6.3.5, Book B). Pairs of SW, name; searched linearly.
const EXACT: (number | string)[] = [
  0x9000, "OK",
  0x6283, "selected file deactivated (application blocked)",
  0x6284, "FCI not formatted",
  0x6300, "verification failed",
  0x6581, "memory failure",
  0x6700, "wrong length",
  0x6882, "secure messaging not supported",
  0x6981, "command incompatible with file structure",
  0x6982, "security status not satisfied",
  0x6983, "authentication method blocked",
  0x6984, "referenced data invalidated",
  0x6985, "conditions of use not satisfied",
  0x6986, "command not allowed (see phone)",
  0x6A80, "incorrect data field",
  0x6A81, "function not supported (card blocked)",
  0x6A82, "file or application not found",
  0x6A83, "record not found",
  0x6A84, "not enough memory",
  0x6A86, "incorrect P1 P2",
  0x6A88, "referenced data not found",
  0x6B00, "wrong parameters P1 P2",
  0x6D00, "instruction not supported",
  0x6E00, "class not supported",
  0x6F00, "no precise diagnosis",
];

// By SW1 alone, when no exact entry matched (ISO/IEC 7816-4 §5.6 Table 5-5).
const BY_SW1: (number | string)[] = [
  0x62, "warning, state unchanged",
  0x63, "warning, state changed",
  0x64, "execution error, state unchanged",
  0x65, "execution error, state changed",
  0x66, "security error",
  0x67, "wrong length",
  0x68, "function in CLA not supported",
  0x69, "command not allowed",
  0x6a, "wrong parameters",
  0x6b, "wrong parameters P1 P2",
  0x6d, "instruction not supported",
  0x6e, "class not supported",
  0x6f, "no precise diagnosis",
];

function lookup(table: (number | string)[], key: number): string | null {
  for (let i = 0; i < table.length; i += 2) if (table[i] === key) return table[i + 1] as string;
  return null;
}

/** A short English name for a status word, for traces ("file or application not found"). */
export function swName(sw: number): string {
  const sw1 = sw >> 8;
  const sw2 = sw & 0xff;
  // Families carrying a number in SW2 (ISO/IEC 7816-4 §5.6): 00 means 256 for 61xx / 6Cxx.
  if (sw1 === 0x61) return (sw2 || 256) + " more bytes (GET RESPONSE)";
  if (sw1 === 0x6c) return "wrong Le, exact length " + (sw2 || 256);
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return "verification failed, counter " + (sw2 & 0x0f);
  const exact = lookup(EXACT, sw);
  if (exact !== null) return exact;
  const general = lookup(BY_SW1, sw1);
  if (general !== null) return general;
  return sw1 >= 0x90 && sw1 <= 0x9f ? "proprietary" : "unknown";
}
