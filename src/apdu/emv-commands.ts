/**
 * The few C-APDUs the contactless kernels send (EMV Book 3 §6.5, Book 1 §11.3, Book C-n).
 * All short APDUs (EMV Book 1 §9.4): command data is at most 255 bytes.
 */
import { codedError } from "../bytes/coded-error";

function shortCase4(cla: number, ins: number, p1: number, p2: number, data: Uint8Array): Uint8Array {
  const nc = data.length;
  if (nc < 1 || nc > 255) throw codedError("APDU_BAD_LC", "command data must be 1..255 bytes", { offset: 4, nc: nc });
  const out = new Uint8Array(6 + nc);
  out[0] = cla;
  out[1] = ins;
  out[2] = p1;
  out[3] = p2;
  out[4] = nc;
  out.set(data, 5);
  // Le 00: up to 256 bytes (EMV Book 1 §9.3.1.3, case 4 with Le = 00).
  return out;
}

/**
 * SELECT by DF name: `00 A4 04 00 Lc name 00`, or P2 02 for the next occurrence (Book 1 §11.3.2).
 * @throws APDU_BAD_LC when the name is empty or longer than 16 bytes (ISO/IEC 7816-4 §8.2.1.2).
 */
export function selectByName(name: Uint8Array, next?: boolean): Uint8Array {
  if (name.length > 16) throw codedError("APDU_BAD_LC", "DF name longer than 16 bytes", { offset: 4, nc: name.length });
  return shortCase4(0x00, 0xa4, 0x04, next ? 0x02 : 0x00, name);
}

/**
 * GET PROCESSING OPTIONS: `80 A8 00 00 Lc 83 L pdolData 00` (Book 3 §6.5.8); pdolData may
 * be empty (`83 00`). The length of tag 83 is BER coded (81 L above 127).
 * @throws APDU_BAD_LC when the template would exceed 255 bytes.
 */
export function getProcessingOptions(pdolData: Uint8Array): Uint8Array {
  const n = pdolData.length;
  const head = n > 127 ? 3 : 2;
  const body = new Uint8Array(head + n);
  body[0] = 0x83;
  if (head === 3) body[1] = 0x81;
  body[head - 1] = n & 0xff;
  body.set(pdolData, head);
  return shortCase4(0x80, 0xa8, 0x00, 0x00, body);
}

/**
 * READ RECORD: `00 B2 record (sfi<<3|4) 00` (Book 3 §6.5.11; P2 bits 3-1 = 100: P1 is a record number).
 * @throws APDU_BAD_PARAM when sfi is not 1..30 or record is not 1..255 (Book 3 §10.2).
 */
export function readRecord(record: number, sfi: number): Uint8Array {
  if (!(sfi >= 1 && sfi <= 30)) throw codedError("APDU_BAD_PARAM", "SFI must be 1..30", { param: "sfi", value: sfi });
  if (!(record >= 1 && record <= 255)) throw codedError("APDU_BAD_PARAM", "record must be 1..255", { param: "record", value: record });
  return new Uint8Array([0x00, 0xb2, record, (sfi << 3) | 4, 0x00]);
}

/**
 * GENERATE AC: `80 AE P1 00 Lc cdolData 00` (Book 3 §6.5.5). P1 = reference control
 * parameter: 00 AAC, 40 TC, 80 ARQC, plus 10 for CDA signature requested.
 * @throws APDU_BAD_LC when cdolData is empty or longer than 255 bytes.
 */
export function generateAc(referenceControl: number, cdolData: Uint8Array): Uint8Array {
  return shortCase4(0x80, 0xae, referenceControl, 0x00, cdolData);
}

/** GET DATA: `80 CA P1 P2 00` with the 2-byte tag in P1 P2 (Book 3 §6.5.7), e.g. 9F36 ATC. */
export function getData(tag: number): Uint8Array {
  return new Uint8Array([0x80, 0xca, (tag >> 8) & 0xff, tag & 0xff, 0x00]);
}

/** GET RESPONSE: `00 C0 00 00 Le` (ISO/IEC 7816-4 §7.6.1); le is SW2 of the 61xx (00 = 256). */
export function getResponse(le: number): Uint8Array {
  return new Uint8Array([0x00, 0xc0, 0x00, 0x00, le & 0xff]);
}
