/** Authorisation Response Cryptograms, EMV Book 2 §8.2 (issuer → card). */
import { codedError } from "../../src/bytes/coded-error";
import { checkKeyLength, checkLength, tdesEncrypt } from "./des";
import { macIso9797Alg3 } from "./mac";

/**
 * ARPC method 1 (EMV Book 2 §8.2.1): 3DES(key)[ARQC ⊕ (ARC‖00 00 00 00 00 00)], 8 bytes.
 * The key is the scheme's: the ICC master key (Visa CVN 10, Mastercard CVN 16, the EMV
 * Book 2 example) or the AC session key (UnionPay).
 * @throws CRYPTO_KEY_LENGTH (key not 16 bytes), CRYPTO_DATA_LENGTH (ARQC not 8, ARC not 2).
 */
export function arpcMethod1(key16: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  checkKeyLength(key16, 16, "ARPC key");
  checkLength(arqc, 8, "ARQC");
  checkLength(arc, 2, "ARC");
  const x = arqc.slice();
  x[0] ^= arc[0];
  x[1] ^= arc[1];
  return tdesEncrypt(key16, x);
}

/**
 * ARPC method 2 (EMV Book 2 §8.2.2): the leftmost 4 bytes of MAC algorithm 3 (padding
 * method 2) under the AC session key over ARQC‖CSU‖Proprietary Authentication Data.
 * @throws CRYPTO_KEY_LENGTH, CRYPTO_DATA_LENGTH (ARQC not 8, CSU not 4, proprietary data
 *   over 8 bytes).
 */
export function arpcMethod2(
  sessionKey16: Uint8Array,
  arqc: Uint8Array,
  csu: Uint8Array,
  proprietaryAuthData: Uint8Array = new Uint8Array(0),
): Uint8Array {
  checkKeyLength(sessionKey16, 16, "ARPC key");
  checkLength(arqc, 8, "ARQC");
  checkLength(csu, 4, "CSU");
  if (proprietaryAuthData.length > 8) {
    throw codedError("CRYPTO_DATA_LENGTH", "proprietary authentication data is at most 8 bytes", {
      length: proprietaryAuthData.length,
    });
  }
  const input = new Uint8Array(12 + proprietaryAuthData.length);
  input.set(arqc, 0);
  input.set(csu, 8);
  input.set(proprietaryAuthData, 12);
  return macIso9797Alg3(sessionKey16, input, 2).slice(0, 4);
}
