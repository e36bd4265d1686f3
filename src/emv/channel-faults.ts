/**
 * What a failed exchange means for the tap. Book A §6.2 / Book B §3.5 keep Try Again (Start B,
 * "present card again") for communication errors: EMV Book D's transmission, protocol and
 * time-out errors of the RF link (ISO/IEC 14443: no answer, CRC/parity/framing, a block
 * protocol the PN532 could not complete, the card left the field) and a reader that stopped
 * answering. A card that answers but breaks the APDU protocol (ISO/IEC 7816-4 §5) will do the
 * same on the next tap: the transaction ends (End Application) with the reason.
 *
 * Card protocol errors, by the code the APDU stack rejects with (src/nfc/apdu-stack.ts):
 *   APDU_GET_RESPONSE_LIMIT  the card keeps answering 61xx (get-response.ts)
 *   APDU_WRONG_LE            6Cxx to GPO or GENERATE AC, which are never sent twice (`sw`)
 *   APDU_TOO_SHORT           an R-APDU without SW1 SW2 (iso-dep-channel.ts, response.ts)
 *   PN532_TOO_LONG           an answer chained past the driver's limit (4096 bytes)
 *   ISODEP_COMMAND_TOO_LONG  a C-APDU over 262 bytes: nothing was sent; a retry cannot help
 * Everything else a channel rejects with is a communication error.
 */
import { codedError, isCoded, type CodedError } from "../bytes/coded-error";

/**
 * Channel error codes that end the transaction (End Application, reason EMV_PROTOCOL_ERROR).
 * Made by a call, on the error path only: a module-level list held ~18 JsVars from boot on.
 */
export function cardProtocolErrors(): string[] {
  return ["APDU_GET_RESPONSE_LIMIT", "APDU_WRONG_LE", "APDU_TOO_SHORT", "PN532_TOO_LONG", "ISODEP_COMMAND_TOO_LONG"];
}

/** The same list, for those that read it as a constant (not the board: nothing there reads it). */
export const CARD_PROTOCOL_ERRORS = /* @__PURE__ */ cardProtocolErrors();

/**
 * The error a failed exchange of step `step` ("PPSE", "SELECT", "GPO", "READ", "GAC") becomes
 * in the EMV layer, with the channel's code as `cause` and its `sw` when it carries one:
 * EMV_PROTOCOL_ERROR for a card protocol error (→ End Application), EMV_CARD_GONE for a
 * communication error (→ Try Again); kernel.ts `errorOutcome` makes the Outcome.
 */
export function channelFault(e: unknown, step: string): CodedError {
  const cause = (isCoded(e) && e.code) || "UNCODED";
  if (cardProtocolErrors().indexOf(cause) < 0) {
    return codedError("EMV_CARD_GONE", "transport failed during " + step, { cause: cause, step: step });
  }
  const fields: { [field: string]: unknown } = { cause: cause, step: step };
  if (isCoded(e) && typeof e.sw === "number") fields.sw = e.sw;
  return codedError("EMV_PROTOCOL_ERROR", "APDU protocol error during " + step, fields);
}
