/**
 * The symmetric card cryptography a virtual card and the reference acquirer need, as an
 * interface only: `src/` has no DES (Espruino's crypto module lacks it, docs/espruino-notes.md "Boards"), so the
 * card engine receives an implementation (host/crypto/card-crypto.ts on Node) and never
 * imports one. Types only: nothing here survives bundling.
 *
 * Keys follow EMV Book 2 Annex A1: issuer master key (IMK-AC, 16 bytes) → ICC master key
 * (A1.4) → session key (A1.3 or the scheme's own) → application cryptogram (ISO/IEC 9797-1
 * MAC algorithm 3, A1.2).
 */

/**
 * Cryptogram versions (the CVN carried in the Issuer Application Data, 9F10). Each fixes the
 * ICC master key derivation, the session key, the MAC padding, the data elements (in this
 * order, values only, no tags or lengths) and the ARPC method:
 *
 * - `visa-cvn10`: Option A; no session key (the ICC MK itself); padding method 1 (zeros);
 *   data 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 CVR (4 bytes: IAD bytes 4–7);
 *   ARPC method 1 with the ICC MK and the 2-byte ARC.
 * - `visa-cvn18`: Option B (= Option A for PANs of 16 digits or fewer); EMV common session
 *   key with R = ATC‖00 00 00 00 00 00; padding method 2 (80 00…); data 9F02 9F03 9F1A 95
 *   5F2A 9A 9C 9F37 82 9F36 and the whole IAD (9F10 value); ARPC method 2 (4 bytes) with the
 *   session key over ARQC‖CSU.
 * - `mastercard-cvn16`: Option A; EMV common session key with R = ATC‖00 00‖UN (the
 *   Mastercard proprietary SKD); padding method 2; data 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82
 *   9F36 CVR (6 bytes); ARPC method 1 with the ICC MK and the 2-byte ARC.
 * - `unionpay-cvn01`: PBOC 3.0 / UICS (qUICS): Option A; session key
 *   3DES(MK)[00…00‖ATC] ‖ 3DES(MK)[00…00‖ATC⊕FFFF]; padding method 2; data 9F02 9F03 9F1A
 *   95 5F2A 9A 9C 9F37 82 9F36 CVR (4 bytes: IAD bytes 4–7); ARPC method 1 with the session
 *   key and the 2-byte ARC (ASCII, e.g. 30 30).
 */
export type CryptogramVersion = "visa-cvn10" | "visa-cvn18" | "mastercard-cvn16" | "unionpay-cvn01";

/** Which card, which key, which transaction: everything a key derivation needs. */
export interface CardKeyContext {
  version: CryptogramVersion;
  /** Issuer master key for application cryptograms (IMK-AC), 16 bytes (K1‖K2). */
  issuerMasterKey: Uint8Array;
  /** PAN digits as in 5A without the F padding, e.g. "1234567890123456". */
  pan: string;
  /** PAN Sequence Number (5F34), 2 digits; "00" when the card has none. */
  psn: string;
  /** Application Transaction Counter (9F36), 2 bytes. */
  atc: Uint8Array;
  /** Unpredictable Number (9F37), 4 bytes (only `mastercard-cvn16` derives its key from it). */
  un: Uint8Array;
}

/** Input of an application cryptogram (ARQC; TC and AAC are computed the same way). */
export interface CryptogramRequest extends CardKeyContext {
  /** The version's data elements concatenated in its order (see CryptogramVersion). */
  data: Uint8Array;
}

/** Input of an ARPC (EMV Book 2 §8.2). */
export interface ArpcRequest extends CardKeyContext {
  /** The ARQC (9F26) the answer authenticates, 8 bytes. */
  arqc: Uint8Array;
  /** ARPC method 1: Authorisation Response Code (8A), 2 bytes. */
  arc?: Uint8Array;
  /** ARPC method 2 (`visa-cvn18`): Card Status Update, 4 bytes. */
  csu?: Uint8Array;
  /** ARPC method 2: Proprietary Authentication Data, 0–8 bytes; absent = none. */
  proprietaryAuthData?: Uint8Array;
}

/**
 * Implemented on the host (node:crypto). All methods throw coded errors CRYPTO_* on a bad
 * key, digit string or field length, and CRYPTO_VERSION on an unknown version.
 */
export interface CardCrypto {
  /** The 8-byte application cryptogram (9F26). */
  applicationCryptogram(request: CryptogramRequest): Uint8Array;
  /** Acquirer side: true when `arqc` equals the cryptogram recomputed from `request`. */
  verifyArqc(request: CryptogramRequest, arqc: Uint8Array): boolean;
  /**
   * The ARPC: 8 bytes (method 1) or 4 bytes (method 2). Issuer Authentication Data (91) is
   * ARPC‖ARC for method 1 and ARPC‖CSU‖proprietary data for method 2. A card checks an ARPC
   * by computing it too and comparing with bytesEqual.
   */
  arpc(request: ArpcRequest): Uint8Array;
}
