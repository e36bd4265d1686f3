/**
 * Decorator: on SW 6Cxx ("wrong Le field, xx = exact length") resends the same command once
 * with Le = xx (ISO/IEC 7816-4 §5.6; EMV Book 1 §9.3.1.3 for case 2, and cards that copy that
 * T=0 behaviour for case 4). 6Cxx is a checking error (state unchanged), so resending is safe
 * for a command that only reads — but not for one whose effect a card may have applied before
 * it complained: GENERATE AC (a second cryptogram, a second ATC) and GET PROCESSING OPTIONS
 * (EMV Book 3 §6.5.5, §6.5.8) are never sent twice (docs/architecture.md "The APDU stack").
 * Transport errors pass through unchanged.
 */
import type { ApduChannel } from "./channel";
import { codedError } from "../bytes/coded-error";
import { decodeCommand, encodeCommand } from "./command";
import { statusWord } from "./response";

/** INS of GET PROCESSING OPTIONS (Book 3 §6.5.8) and GENERATE AC (§6.5.5). */
const INS_GPO = 0xa8;
const INS_GENERATE_AC = 0xae;

/** True for a command no decorator may send twice: GET PROCESSING OPTIONS, GENERATE AC. */
export function isNonIdempotent(command: Uint8Array): boolean {
  const ins = command.length > 1 ? command[1] : -1;
  return ins === INS_GPO || ins === INS_GENERATE_AC;
}

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

  /**
   * Sends the command; on 6Cxx sends it once more with Le = xx.
   * @throws APDU_WRONG_LE (fields `sw`, `ins`) when GPO or GENERATE AC is answered 6Cxx: the
   *   card broke the protocol (both are case 4 with Le 00, Book 3 §6.5) and the command is
   *   not sent again; the tap ends with that status word.
   */
  transceive(command: Uint8Array): Promise<Uint8Array> {
    return this.inner.transceive(command).then((response) => this.after(command, response));
  }

  /** The answer to `command`, resent once over `inner` with Le = xx when it is 6Cxx. */
  after(command: Uint8Array, response: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const sw = statusWord(response);
    if (sw >> 8 !== 0x6c) return response;
    if (isNonIdempotent(command)) {
      throw codedError("APDU_WRONG_LE", "6Cxx to a command that must not be sent twice", { sw: sw, ins: command[1] });
    }
    const again = withLe(command, sw & 0xff);
    // Once only: a second 6Cxx goes up as the card's answer.
    return again === null ? response : this.inner.transceive(again);
  }
}
