/**
 * Application cryptograms per scheme (ARQC; TC and AAC are computed the same way). Each
 * takes the ICC master key for application cryptograms and `data`: the values (no tags, no
 * lengths) of the data elements below, concatenated in this order. The orders are those of
 * the schemes' default CDOL1 data as published with knovichikhin/pyemv (Visa, Mastercard)
 * and in PBOC 3.0 worked examples (UnionPay).
 */
import { checkLength } from "./des";
import { commonSessionKey, unionpaySessionKey } from "./key-derivation";
import { macIso9797Alg3 } from "./mac";

/**
 * Visa CVN 10: MAC algorithm 3 with the ICC master key itself (no session key), padding
 * method 1 (zeros). Data: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 CVR (4 bytes, IAD bytes
 * 4–7).
 * @throws CRYPTO_KEY_LENGTH
 */
export function visaCvn10Arqc(iccMk: Uint8Array, data: Uint8Array): Uint8Array {
  return macIso9797Alg3(iccMk, data, 1);
}

/** Visa CVN 18 session key: EMV common session key with R = ATC‖00 00 00 00 00 00. */
export function visaCvn18SessionKey(iccMk: Uint8Array, atc: Uint8Array): Uint8Array {
  checkLength(atc, 2, "ATC");
  const r = new Uint8Array(8);
  r.set(atc, 0);
  return commonSessionKey(iccMk, r);
}

/**
 * Visa CVN 18: MAC algorithm 3 with the CVN 18 session key, padding method 2 (80 00…).
 * Data: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 and the whole IAD (9F10 value).
 * @throws CRYPTO_KEY_LENGTH, CRYPTO_DATA_LENGTH (ATC not 2 bytes)
 */
export function visaCvn18Arqc(iccMk: Uint8Array, atc: Uint8Array, data: Uint8Array): Uint8Array {
  return macIso9797Alg3(visaCvn18SessionKey(iccMk, atc), data, 2);
}

/**
 * Mastercard CVN 16 session key (Mastercard proprietary SKD): the EMV common session key
 * with R = ATC‖00 00‖UN, i.e. 3DES(MK)[ATC F0 00 UN] ‖ 3DES(MK)[ATC 0F 00 UN].
 */
export function mastercardCvn16SessionKey(iccMk: Uint8Array, atc: Uint8Array, un: Uint8Array): Uint8Array {
  checkLength(atc, 2, "ATC");
  checkLength(un, 4, "UN");
  const r = new Uint8Array(8);
  r.set(atc, 0);
  r.set(un, 4);
  return commonSessionKey(iccMk, r);
}

/**
 * Mastercard CVN 16: MAC algorithm 3 with the CVN 16 session key, padding method 2.
 * Data: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 CVR (6 bytes).
 * @throws CRYPTO_KEY_LENGTH, CRYPTO_DATA_LENGTH (ATC not 2 bytes, UN not 4)
 */
export function mastercardCvn16Arqc(iccMk: Uint8Array, atc: Uint8Array, un: Uint8Array, data: Uint8Array): Uint8Array {
  return macIso9797Alg3(mastercardCvn16SessionKey(iccMk, atc, un), data, 2);
}

/**
 * UnionPay (PBOC 3.0 / UICS, contactless qUICS; CVN 01 in IAD byte 3): MAC algorithm 3
 * with the PBOC session key (unionpaySessionKey), padding method 2.
 * Data: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 CVR (4 bytes, IAD bytes 4–7).
 * @throws CRYPTO_KEY_LENGTH, CRYPTO_DATA_LENGTH (ATC not 2 bytes)
 */
export function unionpayCvn01Arqc(iccMk: Uint8Array, atc: Uint8Array, data: Uint8Array): Uint8Array {
  return macIso9797Alg3(unionpaySessionKey(iccMk, atc), data, 2);
}
