/**
 * The Node implementation of src/sim/card-crypto.ts: what a virtual card is handed to compute
 * its ARQC, and what the reference acquirer uses to verify it and answer with an ARPC. The
 * per-version choices are documented on CryptogramVersion.
 */
import { timingSafeEqual } from "node:crypto";
import { codedError } from "../../src/bytes/coded-error";
import type { ArpcRequest, CardCrypto, CardKeyContext, CryptogramRequest } from "../../src/sim/card-crypto";
import { arpcMethod1, arpcMethod2 } from "./arpc";
import { mastercardCvn16Arqc, unionpayCvn01Arqc, visaCvn10Arqc, visaCvn18Arqc, visaCvn18SessionKey } from "./cryptograms";
import { checkLength } from "./des";
import { deriveIccMasterKeyOptionA, deriveIccMasterKeyOptionB, unionpaySessionKey } from "./key-derivation";

function unknownVersion(version: unknown): Error {
  return codedError("CRYPTO_VERSION", "unknown cryptogram version", { version });
}

/** The ICC master key (AC) of the card the context names. */
function iccMasterKey(ctx: CardKeyContext): Uint8Array {
  // Visa CVN 18 is specified with Option B; it equals Option A for PANs up to 16 digits.
  if (ctx.version === "visa-cvn18") return deriveIccMasterKeyOptionB(ctx.issuerMasterKey, ctx.pan, ctx.psn);
  return deriveIccMasterKeyOptionA(ctx.issuerMasterKey, ctx.pan, ctx.psn);
}

function applicationCryptogram(request: CryptogramRequest): Uint8Array {
  const mk = iccMasterKey(request);
  switch (request.version) {
    case "visa-cvn10":
      return visaCvn10Arqc(mk, request.data);
    case "visa-cvn18":
      return visaCvn18Arqc(mk, request.atc, request.data);
    case "mastercard-cvn16":
      return mastercardCvn16Arqc(mk, request.atc, request.un, request.data);
    case "unionpay-cvn01":
      return unionpayCvn01Arqc(mk, request.atc, request.data);
    default:
      throw unknownVersion(request.version);
  }
}

function requireArc(request: ArpcRequest): Uint8Array {
  if (!request.arc) throw codedError("CRYPTO_ARPC_INPUT", "ARPC method 1 needs the ARC", { version: request.version });
  return request.arc;
}

function arpc(request: ArpcRequest): Uint8Array {
  const mk = iccMasterKey(request);
  switch (request.version) {
    case "visa-cvn10":
    case "mastercard-cvn16":
      // ARPC method 1 under the ICC master key, no session key: pyemv's Mastercard CVN 16 vector
      // (tests/test_cvn.py: ARC 0010 → 73F6BBF389A6586C, checked in test/crypto/).
      return arpcMethod1(mk, request.arqc, requireArc(request));
    case "visa-cvn18":
      if (!request.csu) throw codedError("CRYPTO_ARPC_INPUT", "ARPC method 2 needs the CSU", { version: request.version });
      return arpcMethod2(visaCvn18SessionKey(mk, request.atc), request.arqc, request.csu, request.proprietaryAuthData);
    case "unionpay-cvn01":
      // PBOC 3.0: ARPC method 1 under the AC session key.
      return arpcMethod1(unionpaySessionKey(mk, request.atc), request.arqc, requireArc(request));
    default:
      throw unknownVersion(request.version);
  }
}

/** Card and acquirer cryptography over node:crypto. */
export const nodeCardCrypto: CardCrypto = {
  applicationCryptogram,
  verifyArqc(request: CryptogramRequest, arqc: Uint8Array): boolean {
    checkLength(arqc, 8, "ARQC");
    return timingSafeEqual(applicationCryptogram(request), arqc);
  },
  arpc,
};
