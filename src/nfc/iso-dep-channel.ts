/**
 * The ISO-DEP APDU channel: one C-APDU per InDataExchange (PN532 UM0701-02 §7.3.8). The
 * PN532 runs the ISO/IEC 14443-4 block protocol itself (I-block chaining over RF, S(WTX),
 * retransmissions); the driver does the MI chaining between host and PN532. What is left
 * here: the per-APDU deadline, the size limit, and turning PN532 failures into ISODEP_ errors
 * the EMV layer can act on.
 */
import type { ApduChannel } from "../apdu/channel";
import type { Pn532Api, TargetA } from "../pn532/api";
import { codedError, isCoded } from "../bytes/coded-error";

/** InDataExchange carries at most 262 data bytes each way (UM0701-02 §7.3.8). */
export const MAX_APDU_BYTES = 262;

/** MAX_APDU_BYTES as a const enum: inlined where each APDU checks it (no global-scope search). */
export const enum IsoDepLimit {
  ApduBytes = 262,
}

export interface IsoDepOptions {
  /**
   * Deadline for one APDU, ms, default 2500. Phones hold the answer with S(WTX) while the
   * wallet works: a real Apple Pay GPO took 222 ms with six WTX, and a busy phone takes more.
   */
  apduTimeoutMs?: number;
  /** Deadline for the presence check (Diagnose 06), ms, default 500. */
  presenceTimeoutMs?: number;
}

/**
 * Maps a failure of InDataExchange / Diagnose to the ISO-DEP vocabulary, keeping the original
 * error as `cause` and its PN532 status as `status`:
 * - ISODEP_TIMEOUT: status 01 (no answer within the FWT and retries), or no answer from the
 *   PN532 within the deadline (PN532_TIMEOUT after the driver aborted the command, or a bare
 *   LINK_TIMEOUT: a card holding the exchange with WTX); field `waitedMs`;
 * - ISODEP_CARD_GONE: status 0A (RF field not on in time), 29 (released), 2B (card disappeared);
 * - ISODEP_PROTOCOL: any other status (CRC, parity, framing, format, DEP state …).
 * Any other error (link, frame, driver misuse) passes through unchanged.
 * Status codes: UM0701-02 §7.1 Table 16 (low 6 bits; the driver strips MI/NAD bits).
 */
export function mapExchangeError(e: unknown, timeoutMs: number): unknown {
  if (isCoded(e, "LINK_TIMEOUT") || isCoded(e, "PN532_TIMEOUT")) {
    return codedError("ISODEP_TIMEOUT", "no answer within " + timeoutMs + " ms", { cause: e, waitedMs: e.waitedMs ?? timeoutMs });
  }
  if (!isCoded(e, "PN532_STATUS")) return e;
  const status = (e.status as number) & 0x3f;
  const fields = { cause: e, status: status, statusName: e.statusName };
  if (status === 0x01) return codedError("ISODEP_TIMEOUT", "card did not answer", fields);
  if (status === 0x0a || status === 0x29 || status === 0x2b) return codedError("ISODEP_CARD_GONE", "card left the field", fields);
  return codedError("ISODEP_PROTOCOL", "exchange failed, PN532 status " + status, fields);
}

/**
 * The R-APDU as InDataExchange delivered it, checked for SW1 SW2.
 * @throws APDU_TOO_SHORT (fields `length`, `offset`) for an answer shorter than 2 bytes.
 */
export function checkAnswer(response: Uint8Array): Uint8Array {
  if (response.length < 2) {
    throw codedError("APDU_TOO_SHORT", "R-APDU shorter than SW1 SW2", { length: response.length, offset: response.length });
  }
  return response;
}

export class IsoDepChannel implements ApduChannel {
  readonly apduTimeoutMs: number;
  private readonly presenceTimeoutMs: number;

  constructor(readonly pn532: Pn532Api, readonly target: TargetA, options?: IsoDepOptions) {
    this.apduTimeoutMs = (options && options.apduTimeoutMs) || 2500;
    this.presenceTimeoutMs = (options && options.presenceTimeoutMs) || 500;
  }

  /**
   * Sends one C-APDU and resolves with the R-APDU (data + SW1 SW2).
   * @throws ISODEP_COMMAND_TOO_LONG (field `length`) before sending anything when the command
   *   exceeds 262 bytes; APDU_TOO_SHORT (fields `length`, `offset`) for an answer shorter than
   *   2 bytes: the RF exchange worked, the card broke ISO/IEC 7816-4 §5.1 (a card protocol
   *   error, not a communication error: emv/channel-faults.ts);
   *   ISODEP_TIMEOUT / ISODEP_CARD_GONE / ISODEP_PROTOCOL as in mapExchangeError.
   */
  transceive(command: Uint8Array): Promise<Uint8Array> {
    if (command.length > MAX_APDU_BYTES) {
      return Promise.reject(codedError("ISODEP_COMMAND_TOO_LONG", "C-APDU over 262 bytes", { length: command.length }));
    }
    const timeoutMs = this.apduTimeoutMs;
    return this.pn532.inDataExchange(this.target.tg, command, timeoutMs).then(checkAnswer, (e) => {
      throw mapExchangeError(e, timeoutMs);
    });
  }

  /**
   * True while the card still answers (Diagnose 06, UM0701-02 §7.2.1); false when the PN532
   * reports it timed out or left. Other failures reject, mapped as for transceive (a PN532
   * that does not answer at all is a chip problem, not an absent card).
   */
  checkPresence(): Promise<boolean> {
    const timeoutMs = this.presenceTimeoutMs;
    return this.pn532.checkPresence(timeoutMs).catch((e) => {
      const m = mapExchangeError(e, timeoutMs);
      if (isCoded(e, "PN532_STATUS") && (isCoded(m, "ISODEP_TIMEOUT") || isCoded(m, "ISODEP_CARD_GONE"))) return false;
      throw m;
    });
  }
}
