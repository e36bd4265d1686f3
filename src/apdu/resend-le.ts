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
import { statusWord } from "./response";

/** INS of GET PROCESSING OPTIONS (Book 3 §6.5.8) and GENERATE AC (§6.5.5). */
const INS_GPO = 0xa8;
const INS_GENERATE_AC = 0xae;

/**
 * The command with its Le field replaced (case 2/4) or appended (case 1/3 become 2/4) so that
 * Ne = `sw2` (00 = 256); null when the command does not decode (ISO/IEC 7816-4 §5.1, as
 * decodeCommand reads it). The same bytes as encodeCommand of the decoded command with that
 * Ne (test/apdu/decorators.test.ts fuzzes the two against each other), without building the
 * command object: the header, Lc and data are kept as they are, and Le follows in the form
 * they use. Short: one byte, sw2. Extended (00 Lc1 Lc2 data, or 00 Le1 Le2 alone): Le1 Le2
 * after data, 00 Le1 Le2 without, Ne 256 as 01 00.
 */
export function withLe(command: Uint8Array, sw2: number): Uint8Array | null {
  const body = command.length - 4;
  // The command without its Le field: the header, then Lc and data when there are some.
  let keep = 4;
  let le: number[];
  if (body < 0) return null;
  if (body > 1 && command[4] === 0) {
    if (body === 2) return null;
    const nc = (command[5] << 8) | command[6];
    if (body > 3) {
      const rest = body - 3 - nc;
      if (nc === 0 || rest < 0 || rest === 1 || rest > 2) return null;
      keep = 7 + nc;
    }
    le = keep > 4 ? [sw2 ? 0 : 1, sw2] : [0, sw2 ? 0 : 1, sw2];
  } else {
    if (body > 1) {
      const rest = body - 1 - command[4];
      if (rest < 0 || rest > 1) return null;
      keep = 5 + command[4];
    }
    le = [sw2];
  }
  const out = new Uint8Array(keep + le.length);
  out.set(command.subarray(0, keep));
  out.set(le, keep);
  return out;
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
    // A command no decorator may send twice: GET PROCESSING OPTIONS, GENERATE AC.
    const ins = command.length > 1 ? command[1] : -1;
    if (ins === INS_GPO || ins === INS_GENERATE_AC) {
      throw codedError("APDU_WRONG_LE", "6Cxx to a command that must not be sent twice", { sw: sw, ins: command[1] });
    }
    const again = withLe(command, sw & 0xff);
    // Once only: a second 6Cxx goes up as the card's answer.
    return again === null ? response : this.inner.transceive(again);
  }
}
