/**
 * PN532 host-link frames, UM0701-02 §6.2.1: normal information frame, extended information
 * frame, ACK, NACK and the application-level error frame. Pure; lengths are 16-bit
 * everywhere (a 258-byte R-APDU arrives in an extended frame).
 *
 *   normal    00 00 FF LEN LCS TFI PD0…PDn DCS 00          LEN = |TFI PD|, LEN + LCS ≡ 0
 *   extended  00 00 FF FF FF LENM LENL LCS TFI PD… DCS 00  LENM + LENL + LCS ≡ 0
 *   ACK       00 00 FF 00 FF 00        NACK  00 00 FF FF 00 00
 *   error     00 00 FF 01 FF 7F 81 00  (syntax error in the last host frame, §6.2.1.5)
 *   TFI + ΣPD + DCS ≡ 0 (mod 256)
 */
import { cloneBytes } from "../bytes/hex";
import { codedError } from "../bytes/coded-error";
import type { ByteSum } from "../hal/types";

/**
 * The frame identifiers as a const enum: inlined as numbers where the hot paths use them
 * (a module-level const is a name the interpreter searches its global scope for).
 */
export const enum Tfi {
  Host = 0xd4,
  Pn532 = 0xd5,
}

/** Frame identifier, host → PN532. */
export const TFI_HOST = 0xd4;
/** Frame identifier, PN532 → host. */
export const TFI_PN532 = 0xd5;
/** Largest TFI+PD the PN532 exchanges: D4 40 Tg + 262 bytes, or D5 41 status + 262 (§7.3.8). */
export const MAX_FRAME_DATA = 265;

export const ACK_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0x00, 0xff, 0x00]);
export const NACK_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0xff, 0x00, 0x00]);
export const ERROR_FRAME = new Uint8Array([0x00, 0x00, 0xff, 0x01, 0xff, 0x7f, 0x81, 0x00]);

export const enum FrameKind {
  Ack = 1,
  Nack = 2,
  /** Application-level error frame: the PN532 found a syntax error in the host frame. */
  Error = 3,
  Info = 4,
}

export interface Frame {
  kind: FrameKind;
  /** TFI (D4 or D5) for information frames, else 0. */
  tfi: number;
  /** PD0…PDn: command or answer code followed by its parameters (empty for ACK/NACK/error). */
  data: Uint8Array;
}

/**
 * Σ bytes[start, end), 8 bytes per loop turn: the interpreter lexes the loop head once per
 * turn, so unrolling cuts a checksum's cost ~3×. The hot paths (encodeFrame, isNormalFrame)
 * take a ByteSum instead, Espruino's native E.sum where the board hands it over.
 */
export function byteSum(bytes: Uint8Array, start: number, end: number): number {
  let s = 0;
  let i = start;
  const last = end - 8;
  for (; i <= last; i += 8) s += bytes[i] + bytes[i + 1] + bytes[i + 2] + bytes[i + 3] + bytes[i + 4] + bytes[i + 5] + bytes[i + 6] + bytes[i + 7];
  for (; i < end; i++) s += bytes[i];
  return s;
}

/** ByteSum in JavaScript, for hosts and links given none. */
export const sumBytes: ByteSum = function (bytes) {
  return byteSum(bytes, 0, bytes.length);
};

/**
 * Encodes an information frame; extended form when TFI+PD exceeds 255 bytes. `sum`: how to
 * add the data bytes (sumBytes when absent).
 * @throws FRAME_TOO_LONG when data exceeds MAX_FRAME_DATA - 1 bytes.
 */
export function encodeFrame(tfi: number, data: Uint8Array, sum?: ByteSum): Uint8Array {
  const len = data.length + 1;
  if (len > MAX_FRAME_DATA) throw codedError("FRAME_TOO_LONG", "frame data too long", { length: len });
  const ext = len > 255;
  const head = ext ? 8 : 5;
  const out = new Uint8Array(head + len + 2);
  out[2] = 0xff;
  if (ext) {
    out[3] = 0xff;
    out[4] = 0xff;
    out[5] = len >> 8;
    out[6] = len & 0xff;
    out[7] = (0x100 - ((out[5] + out[6]) & 0xff)) & 0xff;
  } else {
    out[3] = len;
    out[4] = (0x100 - len) & 0xff;
  }
  out[head] = tfi;
  out.set(data, head + 1);
  out[head + len] = (0x100 - ((tfi + (sum || sumBytes)(data)) & 0xff)) & 0xff;
  return out;
}

/**
 * A host → PN532 command frame (TFI D4) carrying `data` = command code + parameters. Every
 * command cycle builds one: the normal frame (§6.2.1.1) is built here in a few native steps,
 * the extended one by encodeFrame. Same bytes as encodeFrame(TFI_HOST, data, sum).
 * @throws FRAME_TOO_LONG when data exceeds MAX_FRAME_DATA - 1 bytes.
 */
export function encodeCommand(data: Uint8Array, sum?: ByteSum): Uint8Array {
  const len = data.length + 1;
  if (len > 255) return encodeFrame(TFI_HOST, data, sum);
  const out = new Uint8Array(len + 7);
  out[2] = 0xff;
  out[3] = len;
  out[4] = 0x100 - len;
  out[5] = Tfi.Host;
  out.set(data, 6);
  out[len + 5] = -(Tfi.Host + (sum || sumBytes)(data)) & 0xff;
  return out;
}

/**
 * The command frame D4 `code` `param` `rest`… (e.g. InDataExchange D4 40 Tg DataOut,
 * §7.3.8) with the parameters copied once, not assembled first and copied again. Same bytes
 * as encodeCommand of code, param, rest.
 * @throws FRAME_TOO_LONG when the data exceeds MAX_FRAME_DATA - 1 bytes.
 */
export function encodeCommandWith(code: number, param: number, rest: Uint8Array, sum?: ByteSum): Uint8Array {
  const len = rest.length + 3;
  if (len > 255) return encodeFrame(TFI_HOST, joinCommand(code, param, rest), sum);
  const out = new Uint8Array(len + 7);
  // Byte by byte, not out.set([…]): an array literal is an allocation the interpreter pays for.
  out[2] = 0xff;
  out[3] = len;
  out[4] = -len; // LCS: the array keeps the low 8 bits
  out[5] = Tfi.Host;
  out[6] = code;
  out[7] = param;
  out.set(rest, 8);
  // The whole frame so far adds up to 0x1FF + TFI + ΣPD (00 00 FF, LEN + LCS = 0x100, DCS
  // and postamble still 0): DCS = -(TFI + ΣPD) ≡ 0xFF - that sum, its low 8 bits of ~sum.
  out[len + 5] = ~(sum || sumBytes)(out);
  return out;
}

/** code, param, rest… in one array (the extended frame's data, encodeCommandWith). */
function joinCommand(code: number, param: number, rest: Uint8Array): Uint8Array {
  const d = new Uint8Array(rest.length + 2);
  d[0] = code;
  d[1] = param;
  d.set(rest, 2);
  return d;
}

/**
 * How many bytes the frame starting at `bytes[offset]` (its 00 00 FF preamble and start code)
 * occupies, read from its header alone: 6 for ACK/NACK, the full length for others.
 * Returns -1 when more bytes are needed to know.
 * @throws FRAME_BAD_PREAMBLE, FRAME_BAD_LCS, FRAME_TOO_LONG (with `offset`).
 */
export function frameSize(bytes: Uint8Array, offset: number): number {
  // Fast path, the frames of every command cycle: an ACK or a normal information frame
  // (LEN ≠ 0, LEN + LCS ≡ 0). The interpreter lexes every token of a function at each call,
  // so the checks that throw live in frameSizeChecked, lexed only for other frames.
  if (bytes.length - offset >= 5 && bytes[offset] === 0 && bytes[offset + 1] === 0 && bytes[offset + 2] === 0xff) {
    const a = bytes[offset + 3];
    const b = bytes[offset + 4];
    if (a !== 0 && ((a + b) & 0xff) === 0) return a + 7;
    if (a === 0 && b === 0xff) return 6;
  }
  return frameSizeChecked(bytes, offset);
}

/** frameSize for everything but the fast path: NACK, extended frames, short and bad headers. */
function frameSizeChecked(bytes: Uint8Array, offset: number): number {
  const avail = bytes.length - offset;
  if (avail < 5) {
    for (let i = 0; i < avail && i < 3; i++) {
      if (bytes[offset + i] !== (i === 2 ? 0xff : 0)) throw codedError("FRAME_BAD_PREAMBLE", "expected 00 00 FF", { offset: offset + i });
    }
    return -1;
  }
  if (bytes[offset] !== 0 || bytes[offset + 1] !== 0 || bytes[offset + 2] !== 0xff) {
    throw codedError("FRAME_BAD_PREAMBLE", "expected 00 00 FF", { offset: offset });
  }
  const a = bytes[offset + 3];
  const b = bytes[offset + 4];
  if ((a === 0x00 && b === 0xff) || (a === 0xff && b === 0x00)) return 6;
  let len: number;
  let head: number;
  if (a === 0xff && b === 0xff) {
    if (avail < 8) return -1;
    len = (bytes[offset + 5] << 8) | bytes[offset + 6];
    if (((bytes[offset + 5] + bytes[offset + 6] + bytes[offset + 7]) & 0xff) !== 0) {
      throw codedError("FRAME_BAD_LCS", "extended length checksum", { offset: offset + 7 });
    }
    head = 8;
  } else {
    len = a;
    if (((a + b) & 0xff) !== 0) throw codedError("FRAME_BAD_LCS", "length checksum", { offset: offset + 4 });
    head = 5;
  }
  if (len === 0) throw codedError("FRAME_BAD_LCS", "zero length information frame", { offset: offset + 3 });
  if (len > MAX_FRAME_DATA) throw codedError("FRAME_TOO_LONG", "frame length over PN532 maximum", { offset: offset + 3, length: len });
  return head + len + 2;
}

/**
 * True when `bytes` is exactly one frame with normal framing (§6.2.1.1): preamble,
 * LEN + LCS ≡ 0, TFI + ΣPD + DCS ≡ 0, postamble 00, LEN = length − 7. What decodeFrame checks
 * of the framing, without building a Frame (the driver's fast path for answers); the TFI
 * (D5, or 7F for the error frame) is the caller's to check. `sum`: as in encodeFrame.
 */
export function isNormalFrame(bytes: Uint8Array, sum?: ByteSum): boolean {
  const n = bytes.length;
  return (
    n > 7 &&
    bytes[0] === 0 &&
    bytes[1] === 0 &&
    bytes[2] === 0xff &&
    bytes[3] + 7 === n &&
    ((bytes[3] + bytes[4]) & 0xff) === 0 &&
    bytes[n - 1] === 0 &&
    ((sum || sumBytes)(bytes.subarray(5, n - 1)) & 0xff) === 0
  );
}

/**
 * Decodes exactly one frame occupying all of `bytes`. Strict: preamble, LCS, DCS,
 * postamble, and no byte left over.
 * @throws FRAME_TRUNCATED, FRAME_BAD_PREAMBLE, FRAME_BAD_LCS, FRAME_BAD_DCS,
 *   FRAME_BAD_POSTAMBLE, FRAME_TOO_LONG (trailing bytes), all with `offset`.
 */
export function decodeFrame(bytes: Uint8Array): Frame {
  const size = frameSize(bytes, 0);
  if (size < 0 || bytes.length !== size || bytes[size - 1] !== 0) badFraming(bytes, size);
  if (size === 6) {
    return { kind: bytes[3] === 0 ? FrameKind.Ack : FrameKind.Nack, tfi: 0, data: new Uint8Array(0) };
  }
  const head = bytes[3] === 0xff && bytes[4] === 0xff ? 8 : 5;
  const end = size - 2;
  if ((byteSum(bytes, head, end + 1) & 0xff) !== 0) throw codedError("FRAME_BAD_DCS", "data checksum", { offset: end });
  const tfi = bytes[head];
  if (tfi === TFI_PN532 || tfi === TFI_HOST) return { kind: FrameKind.Info, tfi: tfi, data: cloneBytes(bytes, head + 1, end) };
  if (end - head === 1 && tfi === 0x7f) return { kind: FrameKind.Error, tfi: 0, data: new Uint8Array(0) };
  throw codedError("FRAME_BAD_TFI", "unknown frame identifier", { offset: head, tfi: tfi });
}

/** @throws FRAME_TRUNCATED, FRAME_TOO_LONG (trailing bytes) or FRAME_BAD_POSTAMBLE for a frame of `size` in `bytes`. */
function badFraming(bytes: Uint8Array, size: number): never {
  if (size < 0 || bytes.length < size) throw codedError("FRAME_TRUNCATED", "frame ends early", { offset: bytes.length, need: size });
  if (bytes.length > size) throw codedError("FRAME_TOO_LONG", "bytes after the postamble", { offset: size });
  throw codedError("FRAME_BAD_POSTAMBLE", "expected 00", { offset: size - 1 });
}
