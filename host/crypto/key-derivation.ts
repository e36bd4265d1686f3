/**
 * ICC master keys and session keys (EMV Book 2 Annex A1.3, A1.4) plus the PBOC/UICS session
 * key UnionPay cards use.
 */
import { createHash } from "node:crypto";
import { codedError } from "../../src/bytes/coded-error";
import { checkKeyLength, checkLength, tdesEncrypt, withOddParity, xorBytes } from "./des";

const FF8 = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** @throws CRYPTO_DIGITS with `field` and `offset` on a non-digit or a bad length. */
function checkDigits(text: string, field: string, minLength: number, maxLength: number): void {
  if (typeof text !== "string" || text.length < minLength || text.length > maxLength) {
    throw codedError("CRYPTO_DIGITS", `${field} must have ${minLength}..${maxLength} digits`, {
      field,
      offset: typeof text === "string" ? text.length : 0,
    });
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) throw codedError("CRYPTO_DIGITS", `${field} must be decimal digits`, { field, offset: i });
  }
}

/** Packs an even number of decimal digits as BCD. */
function packDigits(digits: string): Uint8Array {
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = ((digits.charCodeAt(2 * i) - 48) << 4) | (digits.charCodeAt(2 * i + 1) - 48);
  }
  return out;
}

/** MK = 3DES(IMK)[Y] ‖ 3DES(IMK)[Y ⊕ FF…FF], odd parity (EMV Book 2 A1.4.1 last step). */
function masterKeyFromY(issuerMk: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(tdesEncrypt(issuerMk, y), 0);
  out.set(tdesEncrypt(issuerMk, xorBytes(y, FF8)), 8);
  return withOddParity(out);
}

/**
 * ICC master key, EMV Book 2 A1.4.1 Option A: Y = the rightmost 16 digits of PAN‖PSN
 * (zeros on the left when shorter), packed as 8 BCD bytes; MK = 3DES(IMK)[Y] ‖
 * 3DES(IMK)[Y ⊕ FF…FF] with every byte set to odd parity (the published vectors carry it).
 * @param panDigits PAN, 1..19 digits, no F padding.
 * @param psnDigits PAN Sequence Number, 2 digits ("00" when the card has none).
 * @throws CRYPTO_KEY_LENGTH (issuer key not 16 bytes), CRYPTO_DIGITS.
 */
export function deriveIccMasterKeyOptionA(issuerMk: Uint8Array, panDigits: string, psnDigits: string): Uint8Array {
  checkKeyLength(issuerMk, 16, "issuer master key");
  checkDigits(panDigits, "pan", 1, 19);
  checkDigits(psnDigits, "psn", 2, 2);
  const x = panDigits + psnDigits;
  const y = x.length >= 16 ? x.substring(x.length - 16) : "0000000000000000".substring(x.length) + x;
  return masterKeyFromY(issuerMk, packDigits(y));
}

/**
 * ICC master key, EMV Book 2 A1.4.2 Option B (used by Visa CVN 18): for a PAN of 16 digits
 * or fewer it is Option A. Otherwise X = PAN‖PSN (a '0' on the left when the digit count is
 * odd) packed as BCD, H = SHA-1(X); Y = the first 16 decimal digits of H's hex nibbles read
 * left to right, continued if needed by its A–F nibbles read again left to right as 0–5; then
 * Option A's last step on Y.
 * @throws as deriveIccMasterKeyOptionA.
 */
export function deriveIccMasterKeyOptionB(issuerMk: Uint8Array, panDigits: string, psnDigits: string): Uint8Array {
  checkKeyLength(issuerMk, 16, "issuer master key");
  checkDigits(panDigits, "pan", 1, 19);
  checkDigits(psnDigits, "psn", 2, 2);
  if (panDigits.length <= 16) return deriveIccMasterKeyOptionA(issuerMk, panDigits, psnDigits);
  let x = panDigits + psnDigits;
  if (x.length % 2) x = "0" + x;
  const h = createHash("sha1").update(packDigits(x)).digest();
  const nibbles: number[] = [];
  for (let i = 0; i < h.length; i++) nibbles.push(h[i] >> 4, h[i] & 15);
  let y = "";
  for (let i = 0; i < nibbles.length && y.length < 16; i++) if (nibbles[i] < 10) y += String(nibbles[i]);
  for (let i = 0; i < nibbles.length && y.length < 16; i++) if (nibbles[i] >= 10) y += String(nibbles[i] - 10);
  return masterKeyFromY(issuerMk, packDigits(y));
}

/**
 * EMV common session key derivation, EMV Book 2 A1.3.1: with R = R0…R7,
 * SK = 3DES(MK)[R0 R1 F0 R3…R7] ‖ 3DES(MK)[R0 R1 0F R3…R7], odd parity (as the published
 * vectors). Visa CVN 18 uses R = ATC‖00…00, Mastercard CVN 16 R = ATC‖00 00‖UN.
 * @throws CRYPTO_KEY_LENGTH (MK not 16 bytes), CRYPTO_DATA_LENGTH (R not 8 bytes).
 */
export function commonSessionKey(iccMk: Uint8Array, r8: Uint8Array): Uint8Array {
  checkKeyLength(iccMk, 16, "ICC master key");
  checkLength(r8, 8, "diversification value R");
  const left = r8.slice();
  const right = r8.slice();
  left[2] = 0xf0;
  right[2] = 0x0f;
  const out = new Uint8Array(16);
  out.set(tdesEncrypt(iccMk, left), 0);
  out.set(tdesEncrypt(iccMk, right), 8);
  return withOddParity(out);
}

/**
 * PBOC 3.0 / UICS session key for UnionPay cryptograms:
 * SK = 3DES(MK)[00 00 00 00 00 00‖ATC] ‖ 3DES(MK)[00 00 00 00 00 00‖(ATC ⊕ FF FF)].
 * No parity adjustment: the published worked example keeps the raw bytes (DES ignores them).
 * @throws CRYPTO_KEY_LENGTH (MK not 16 bytes), CRYPTO_DATA_LENGTH (ATC not 2 bytes).
 */
export function unionpaySessionKey(iccMk: Uint8Array, atc: Uint8Array): Uint8Array {
  checkKeyLength(iccMk, 16, "ICC master key");
  checkLength(atc, 2, "ATC");
  const left = new Uint8Array(8);
  const right = new Uint8Array(8);
  left[6] = atc[0];
  left[7] = atc[1];
  right[6] = atc[0] ^ 0xff;
  right[7] = atc[1] ^ 0xff;
  const out = new Uint8Array(16);
  out.set(tdesEncrypt(iccMk, left), 0);
  out.set(tdesEncrypt(iccMk, right), 8);
  return out;
}
