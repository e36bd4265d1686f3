/**
 * Hand-built EMV answers (data field only, no SW) with public test values: Visa test PAN
 * 4761739001010119, Mastercard test PAN 5413330089010434, a Visa CVN 10 cryptogram (EMV
 * Book 2 A1 style, ATC 001C). The seed corpus of the TLV fuzz; lengths checked by the
 * parser tests (test/emv/tlv.test.ts).
 */
import { fromHex } from "../../src/bytes/hex";

/** Visa qVSDC GPO answer, format 2 (C-3): AIP, AFL, Track 2, name "/", IAD, AC, CID, ATC, CTQ, FFI, PSN. */
export const VISA_GPO = fromHex(
  "77 51 82 02 20 00 94 04 10 02 02 00" +
    " 57 13 47 61 73 90 01 01 01 19 D2 21 22 01 11 43 80 44 00 00 0F" +
    " 5F 20 01 2F 9F 10 07 06 01 12 03 A0 00 00 9F 26 08 29 CC A1 5A E6 65 FA 2E" +
    " 9F 27 01 80 9F 36 02 00 1C 9F 6C 02 00 00 9F 6E 04 20 70 00 00 5F 34 01 00",
);

/** SELECT PPSE answer: two directory entries (Visa with kernel id 9F2A, UnionPay). */
export const PPSE = fromHex(
  "6F 3C 84 0E 32 50 41 59 2E 53 59 53 2E 44 44 46 30 31 A5 2A BF 0C 27" +
    " 61 16 4F 07 A0 00 00 00 03 10 10 50 04 56 49 53 41 87 01 01 9F 2A 01 03" +
    " 61 0D 4F 08 A0 00 00 03 33 01 01 01 87 01 02",
);

/** SELECT Visa AID answer with a PDOL. */
export const VISA_FCI = fromHex(
  "6F 45 84 07 A0 00 00 00 03 10 10 A5 3A 50 0A 56 49 53 41 20 43 52 45 44 49 87 01 01" +
    " 9F 38 18 9F 66 04 9F 02 06 9F 03 06 9F 1A 02 95 05 5F 2A 02 9A 03 9C 01 9F 37 04" +
    " 5F 2D 02 65 6E BF 0C 08 9F 5A 05 05 08 40 08 40",
);

/** READ RECORD answer (Mastercard-like): Track 2, name, Track 1 discretionary, PAN, expiry, CDOL1. */
export const MC_RECORD = fromHex(
  "70 57 57 13 54 13 33 00 89 01 04 34 D2 21 22 01 00 00 00 00 00 00 0F" +
    " 5F 20 0D 4D 41 53 54 45 52 43 41 52 44 20 20 2F 9F 1F 08 30 30 30 30 30 30 30 30" +
    " 5A 08 54 13 33 00 89 01 04 34 5F 24 03 22 12 31" +
    " 8C 15 9F 02 06 9F 03 06 9F 1A 02 95 05 5F 2A 02 9A 03 9C 01 9F 37 04",
);

export const ALL_ANSWERS = [VISA_GPO, PPSE, VISA_FCI, MC_RECORD];
