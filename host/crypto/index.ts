/** Host-side EMV cryptography (Node only): one import for the virtual cards and the acquirer. */
export { DES_BLOCK_BYTES, desDecrypt, desEncrypt, kcv, tdesDecrypt, tdesEncrypt, withOddParity, xorBytes } from "./des";
export {
  commonSessionKey,
  deriveIccMasterKeyOptionA,
  deriveIccMasterKeyOptionB,
  unionpaySessionKey,
} from "./key-derivation";
export { macIso9797Alg3, padIso9797 } from "./mac";
export type { MacPadding } from "./mac";
export { arpcMethod1, arpcMethod2 } from "./arpc";
export {
  mastercardCvn16Arqc,
  mastercardCvn16SessionKey,
  unionpayCvn01Arqc,
  visaCvn10Arqc,
  visaCvn18Arqc,
  visaCvn18SessionKey,
} from "./cryptograms";
export { nodeCardCrypto } from "./card-crypto";
export { hmacSha256 } from "./hmac";
