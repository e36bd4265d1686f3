/**
 * Command APDU codec, ISO/IEC 7816-4 §5.1 (cases 1 to 4, short and extended length fields).
 *
 *   case 1   CLA INS P1 P2
 *   case 2S  header Le                      Le 00 = 256
 *   case 3S  header Lc data                 Lc 01..FF
 *   case 4S  header Lc data Le
 *   case 2E  header 00 Le1 Le2              Le 0000 = 65536
 *   case 3E  header 00 Lc1 Lc2 data         Lc 0001..FFFF
 *   case 4E  header 00 Lc1 Lc2 data Le1 Le2
 *
 * EMV uses short APDUs only (Book 1 §9.4); the extended forms are here so that a decoded
 * command always re-encodes to the same bytes (recorder, 6Cxx resend).
 */
import { codedError } from "../bytes/coded-error";
import { copyBytes } from "../bytes/hex";

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data field (Nc = data.length bytes); empty for cases 1 and 2. */
  data: Uint8Array;
  /** Ne, the maximum number of response data bytes expected: 0 = no Le field, 1..65536. */
  ne: number;
  /** Extended length fields; the encoder also uses them whenever Nc > 255 or Ne > 256. */
  extended: boolean;
}

/** The ISO/IEC 7816-4 case number (1 to 4) of a command. */
export function apduCase(c: CommandApdu): number {
  return c.data.length > 0 ? (c.ne > 0 ? 4 : 3) : c.ne > 0 ? 2 : 1;
}

/**
 * Encodes a command APDU. Header values are taken modulo 256.
 * @throws APDU_BAD_LC when Nc > 65535; APDU_BAD_LE when Ne is not an integer in 0..65536.
 */
export function encodeCommand(c: CommandApdu): Uint8Array {
  const nc = c.data.length;
  const ne = c.ne;
  if (nc > 0xffff) throw codedError("APDU_BAD_LC", "command data longer than 65535 bytes", { offset: 4, nc: nc });
  if (!(ne >= 0 && ne <= 0x10000 && ne === Math.floor(ne))) {
    throw codedError("APDU_BAD_LE", "Ne must be 0..65536", { offset: 4, ne: ne });
  }
  const ext = c.extended || nc > 0xff || ne > 0x100;
  // Lc: 1 byte short, 00 + 2 bytes extended. Le: 1 byte short, 2 bytes after an extended Lc,
  // 00 + 2 bytes extended without Lc.
  const lcLen = nc === 0 ? 0 : ext ? 3 : 1;
  const leLen = ne === 0 ? 0 : !ext ? 1 : nc > 0 ? 2 : 3;
  const out = new Uint8Array(4 + lcLen + nc + leLen);
  out[0] = c.cla;
  out[1] = c.ins;
  out[2] = c.p1;
  out[3] = c.p2;
  let o = 4;
  if (lcLen === 1) out[o++] = nc;
  else if (lcLen === 3) {
    out[o++] = 0;
    out[o++] = nc >> 8;
    out[o++] = nc & 0xff;
  }
  out.set(c.data, o);
  o += nc;
  // Ne 256 is coded 00 (short) and 65536 is coded 0000 (extended): `& 0xff` / `>> 8 & 0xff` do it.
  if (leLen === 1) out[o] = ne & 0xff;
  else if (leLen > 1) {
    if (leLen === 3) out[o++] = 0;
    out[o++] = (ne >> 8) & 0xff;
    out[o] = ne & 0xff;
  }
  return out;
}

/**
 * Decodes a command APDU strictly (ISO/IEC 7816-4 §5.1): the body after the header must be
 * exactly one of the case forms above.
 * @throws APDU_TOO_SHORT (fewer than 4 bytes), APDU_BAD_LC (Lc 0000 or Lc beyond the end),
 *   APDU_BAD_LE (a 1-byte Le after an extended Lc), APDU_TRAILING (bytes after Le); all with `offset`.
 */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  const n = bytes.length;
  if (n < 4) throw codedError("APDU_TOO_SHORT", "command APDU shorter than its 4-byte header", { offset: n });
  const body = n - 4;
  let nc = 0;
  let ne = 0;
  let dataAt = 4;
  let ext = false;
  if (body === 1) {
    ne = bytes[4] || 0x100;
  } else if (body > 1 && bytes[4] !== 0) {
    nc = bytes[4];
    dataAt = 5;
    const rest = body - 1 - nc;
    if (rest < 0) throw codedError("APDU_BAD_LC", "Lc beyond the end of the command", { offset: 4, nc: nc });
    if (rest > 1) throw codedError("APDU_TRAILING", "bytes after Le", { offset: 6 + nc });
    if (rest === 1) ne = bytes[5 + nc] || 0x100;
  } else if (body > 1) {
    ext = true;
    if (body === 2) throw codedError("APDU_BAD_LC", "extended length field cut short", { offset: 5 });
    const v = (bytes[5] << 8) | bytes[6];
    if (body === 3) {
      ne = v || 0x10000;
    } else {
      if (v === 0) throw codedError("APDU_BAD_LC", "extended Lc 0000", { offset: 4 });
      nc = v;
      dataAt = 7;
      const rest = body - 3 - nc;
      if (rest < 0) throw codedError("APDU_BAD_LC", "Lc beyond the end of the command", { offset: 4, nc: nc });
      if (rest === 1) throw codedError("APDU_BAD_LE", "1-byte Le after an extended Lc", { offset: 7 + nc });
      if (rest > 2) throw codedError("APDU_TRAILING", "bytes after Le", { offset: 9 + nc });
      if (rest === 2) ne = ((bytes[7 + nc] << 8) | bytes[8 + nc]) || 0x10000;
    }
  }
  return {
    cla: bytes[0],
    ins: bytes[1],
    p1: bytes[2],
    p2: bytes[3],
    data: copyBytes(bytes, dataAt, nc),
    ne: ne,
    extended: ext,
  };
}
