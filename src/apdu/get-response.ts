/**
 * Decorator: resolves SW 61xx ("xx more bytes available") with GET RESPONSE commands, so the
 * EMV layer never sees 61xx (ISO/IEC 7816-4 §5.3.4 and §7.6.1; EMV Book 1 §9.3.1.3 for case 4
 * commands in T=0, which some contactless cards and wallets copy).
 */
import type { ApduChannel } from "./channel";
import { codedError } from "../bytes/coded-error";
import { concat } from "../bytes/hex";
import { getResponse } from "./emv-commands";
import { makeResponse, responseData, statusWord } from "./response";

export interface GetResponseLimits {
  /** GET RESPONSE commands allowed for one command; default 16. */
  maxRounds?: number;
  /** Response data bytes allowed in total; default 4096. */
  maxBytes?: number;
}

/**
 * Sends `00 C0 00 00 xx` while the answer is 61xx and concatenates the data fields; the final
 * SW is the last one received. Transport errors pass through unchanged.
 * Rejects with APDU_GET_RESPONSE_LIMIT (fields `rounds`, `bytes`) when the card keeps
 * answering 61xx past the limits: a looping card must not hold the tap forever.
 */
export class GetResponseChannel implements ApduChannel {
  private readonly maxRounds: number;
  private readonly maxBytes: number;

  constructor(private readonly inner: ApduChannel, limits?: GetResponseLimits) {
    this.maxRounds = (limits && limits.maxRounds) ?? 16;
    this.maxBytes = (limits && limits.maxBytes) ?? 4096;
  }

  transceive(command: Uint8Array): Promise<Uint8Array> {
    return this.inner.transceive(command).then((response) => this.after(response));
  }

  /** The answer to a command, with any 61xx resolved by GET RESPONSE over `inner`. */
  after(response: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let bytes = 0;
    let rounds = 0;
    const step = (response: Uint8Array): Uint8Array | Promise<Uint8Array> => {
      const sw = statusWord(response);
      const data = responseData(response);
      if (sw >> 8 !== 0x61) {
        // Common case, nothing chained: hand back the card's own bytes.
        if (rounds === 0) return response;
        parts.push(data);
        return makeResponse(concat(parts), sw);
      }
      parts.push(data);
      bytes += data.length;
      if (rounds >= this.maxRounds || bytes > this.maxBytes) {
        throw codedError("APDU_GET_RESPONSE_LIMIT", "card keeps answering 61xx", { rounds: rounds, bytes: bytes, sw: sw });
      }
      rounds++;
      return this.inner.transceive(getResponse(sw & 0xff)).then(step);
    };
    return step(response);
  }
}
