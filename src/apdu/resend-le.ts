/**
 * Decorator: on SW 6Cxx ("wrong Le field, xx = exact length") resends the same command once
 * with Le = xx (ISO/IEC 7816-4 §5.6; EMV Book 1 §9.3.1.3 for case 2, and cards that copy that
 * T=0 behaviour for case 4). 6Cxx is a checking error (state unchanged), so resending is safe.
 * Transport errors pass through unchanged.
 */
import type { ApduChannel } from "./channel";
import { decodeCommand, encodeCommand } from "./command";
import { statusWord } from "./response";

/**
 * The command with its Le field replaced (case 2/4) or appended (case 1/3 become 2/4) so that
 * Ne = `sw2` (00 = 256); null when the command does not decode.
 */
export function withLe(command: Uint8Array, sw2: number): Uint8Array | null {
  let c;
  try {
    c = decodeCommand(command);
  } catch (e) {
    // The card parsed it somehow and answered; the caller gets that answer untouched.
    return null;
  }
  c.ne = sw2 || 256;
  return encodeCommand(c);
}

export class ResendLeChannel implements ApduChannel {
  constructor(private readonly inner: ApduChannel) {}

  transceive(command: Uint8Array): Promise<Uint8Array> {
    return this.inner.transceive(command).then((response) => {
      const sw = statusWord(response);
      if (sw >> 8 !== 0x6c) return response;
      const again = withLe(command, sw & 0xff);
      // Once only: a second 6Cxx goes up as the card's answer.
      return again === null ? response : this.inner.transceive(again);
    });
  }
}
