/**
 * The issuer's side of the cryptogram: recomputes the ARQC from the request's ICC data
 * exactly as the virtual card made it (src/sim/card-engine.ts `cryptogram`: the values of
 * 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37, then 82 AIP, 9F36 ATC and the version's IAD part, see
 * CryptogramVersion in src/sim/card-crypto.ts) with the ICC master key derived from the
 * issuer master key of the PAN's BIN range (Option A / B), and makes the ARPC.
 */
import { isCoded } from "../../src/bytes/coded-error";
import { concat, fromHex, toHex } from "../../src/bytes/hex";
import { buildDolData, recordSource } from "../../src/emv/dol";
import type { TlvRecord } from "../../src/emv/tlv";
import type { CardKeyContext, CryptogramVersion } from "../../src/sim/card-crypto";
import { nodeCardCrypto } from "../crypto";
import { issuerFor, type IssuerEntry } from "./config";

/** The data elements every version starts with, as a DOL (card-engine.ts AC_DATA_DOL). */
const AC_DATA_DOL = fromHex("9F02069F03069F1A0295055F2A029A039C019F3704");

/** The part of the IAD (9F10) each version's MAC covers (card-crypto.ts CryptogramVersion). */
function iadPart(version: CryptogramVersion, iad: Uint8Array): Uint8Array | null {
  if (version === "visa-cvn18") return iad;
  if (version === "mastercard-cvn16") return iad.length >= 8 ? iad.subarray(2, 8) : null;
  return iad.length >= 7 ? iad.subarray(3, 7) : null;
}

export type CryptogramCheck =
  | { ok: true; atc: number; context: CardKeyContext; arqc: Uint8Array }
  | { ok: false; code: "15" | "82"; message: string };

function length(rec: TlvRecord, tag: string, n: number): Uint8Array | null {
  const v = rec[tag];
  return v && v.length === n ? v : null;
}

/**
 * Verifies the ARQC (9F26) of a request.
 * @param pan the PAN or token digits; `psn` two digits ("00" when the card has none)
 */
export function verifyCryptogram(issuers: IssuerEntry[], pan: string, psn: string, icc: TlvRecord): CryptogramCheck {
  const issuer = issuerFor(issuers, pan);
  if (!issuer) return { ok: false, code: "15", message: "no such issuer" };
  const notVerified: CryptogramCheck = { ok: false, code: "82", message: "cryptogram not verified" };
  const arqc = length(icc, "9F26", 8);
  const atc = length(icc, "9F36", 2);
  const un = length(icc, "9F37", 4);
  const aip = length(icc, "82", 2);
  const iad = icc["9F10"];
  if (!arqc || !atc || !un || !aip || !iad) return notVerified;
  const tail = iadPart(issuer.version, iad);
  if (!tail) return notVerified;
  const data = concat([buildDolData(AC_DATA_DOL, recordSource([icc])), aip, atc, tail]);
  const context: CardKeyContext = { version: issuer.version, issuerMasterKey: issuer.imk, pan: pan, psn: psn, atc: atc, un: un };
  try {
    if (!nodeCardCrypto.verifyArqc({ ...context, data: data }, arqc)) return notVerified;
  } catch (e) {
    if (isCoded(e) && e.code.startsWith("CRYPTO_")) return notVerified;
    throw e;
  }
  return { ok: true, atc: (atc[0] << 8) | atc[1], context: context, arqc: arqc };
}

/**
 * The Issuer Authentication Data (91) answering a verified ARQC, hex: ARPC‖ARC for method 1
 * (ARC = the ASCII of the response code), ARPC‖CSU for method 2 (Visa CVN 18; CSU byte 2
 * b8 = approved). EMV Book 2 §8.2.
 */
export function issuerAuthenticationData(check: { context: CardKeyContext; arqc: Uint8Array }, responseCode: string, approved: boolean): string {
  const ctx = check.context;
  if (ctx.version === "visa-cvn18") {
    const csu = new Uint8Array([0x00, approved ? 0x80 : 0x00, 0x00, 0x00]);
    return toHex(concat([nodeCardCrypto.arpc({ ...ctx, arqc: check.arqc, csu: csu }), csu]));
  }
  const arc = new Uint8Array([responseCode.charCodeAt(0), responseCode.charCodeAt(1)]);
  return toHex(concat([nodeCardCrypto.arpc({ ...ctx, arqc: check.arqc, arc: arc }), arc]));
}
