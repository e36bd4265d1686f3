/**
 * The APDU stack over an ISO-DEP target, built in this one place for every caller (`npm run
 * tap`, the bench, the selftest, the boards; docs/architecture.md "The APDU stack"):
 *
 *   GET RESPONSE (61xx)  →  resend with Le (6Cxx)  →  [recorder, wire wrapper]  →  ISO-DEP
 *
 * The order matters. GET RESPONSE is outermost so that a 6Cxx answering one of its own GET
 * RESPONSE commands is settled by resending that GET RESPONSE (ISO/IEC 7816-4 §5.3.4, §5.6),
 * never the command that started the chain: in the other order a GENERATE AC answered 6110,
 * then 6C08 to the GET RESPONSE, was sent a second time (a second cryptogram and ATC). No
 * decorator sends GENERATE AC or GET PROCESSING OPTIONS twice (resend-le.ts). The recorder
 * and the wire wrapper sit right above ISO-DEP: they see every APDU that crossed the RF
 * field, GET RESPONSE and resends included, so a transcript replays exchange by exchange.
 */
import type { ApduChannel } from "../apdu/channel";
import { GetResponseChannel, type GetResponseLimits } from "../apdu/get-response";
import type { ApduRecorder } from "../apdu/recorder";
import { ResendLeChannel } from "../apdu/resend-le";
import type { Pn532Api, TargetA } from "../pn532/api";
import { checkAnswer, IsoDepChannel, IsoDepLimit, mapExchangeError, type IsoDepOptions } from "./iso-dep-channel";

export interface ApduStackOptions {
  /** Records the exchanges on the wire into this transcript (masked as the recorder says). */
  recorder?: ApduRecorder;
  /** Wraps the ISO-DEP channel below the recorder, e.g. a trace that notes each exchange. */
  wire?: (isoDep: ApduChannel) => ApduChannel;
  /** ISO-DEP deadlines (iso-dep-channel.ts); defaults 2500 ms per APDU. */
  isoDep?: IsoDepOptions;
  /** GET RESPONSE bounds (get-response.ts); defaults 16 rounds, 4096 bytes. */
  getResponse?: GetResponseLimits;
}

/**
 * The channel the EMV layer talks to for one activated ISO-DEP target: it never sees 61xx
 * or 6Cxx. Build a new one for each activation (InListPassiveTarget); a recorder passed in
 * each time keeps one transcript across them.
 * @param pn532 the driver (only InDataExchange is used).
 * @param target the target InListPassiveTarget reported (its Tg).
 * Its transceive rejects with ISODEP_* (transport), APDU_GET_RESPONSE_LIMIT (a card that keeps
 * answering 61xx), APDU_WRONG_LE (6Cxx to GPO or GENERATE AC, field `sw`).
 */
export function buildApduStack(pn532: Pn532Api, target: TargetA, options?: ApduStackOptions): ApduChannel {
  const o = options || {};
  const isoDep = new IsoDepChannel(pn532, target, o.isoDep);
  if (!o.wire && !o.recorder) return new ApduStack(isoDep, o.getResponse);
  let wire: ApduChannel = isoDep;
  if (o.wire) wire = o.wire(wire);
  if (o.recorder) wire = o.recorder.wrap(wire);
  return new GetResponseChannel(new ResendLeChannel(wire), o.getResponse);
}

/**
 * The same stack with nothing between ISO-DEP and the decorators, in one `then` per APDU:
 * every promise is a turn of Espruino's event loop, so an answer that is neither 61xx nor
 * 6Cxx (nearly all) goes from the driver to the caller without passing each decorator; the
 * others go through the decorators' own code (`after`), in the same order.
 */
class ApduStack implements ApduChannel {
  private readonly isoDep: IsoDepChannel;
  /** The ISO-DEP channel's driver, Tg and deadline, read once here. */
  private readonly pn532: Pn532Api;
  private readonly tg: number;
  private readonly timeoutMs: number;
  private readonly resendLe: ResendLeChannel;
  private readonly getResponse: GetResponseChannel;
  private readonly onFail: (e: unknown) => never;

  constructor(isoDep: IsoDepChannel, limits?: GetResponseLimits) {
    this.isoDep = isoDep;
    this.pn532 = isoDep.pn532;
    this.tg = isoDep.target.tg;
    this.timeoutMs = isoDep.apduTimeoutMs;
    this.resendLe = new ResendLeChannel(isoDep);
    this.getResponse = new GetResponseChannel(this.resendLe, limits);
    const timeoutMs = isoDep.apduTimeoutMs;
    this.onFail = function (e) {
      throw mapExchangeError(e, timeoutMs);
    };
  }

  transceive(command: Uint8Array): Promise<Uint8Array> {
    if (command.length > IsoDepLimit.ApduBytes) return this.isoDep.transceive(command);
    const self = this;
    return this.pn532.inDataExchange(this.tg, command, this.timeoutMs).then(function (r) {
      // Nearly every answer: SW1 neither 61 nor 6C, handed back as it is.
      const sw1 = r[r.length - 2];
      return r.length > 1 && sw1 !== 0x61 && sw1 !== 0x6c ? r : self.answered(command, r);
    }, this.onFail);
  }

  /** @throws APDU_TOO_SHORT, and the decorators' errors for 61xx / 6Cxx. */
  private answered(command: Uint8Array, r: Uint8Array): Uint8Array | Promise<Uint8Array> {
    const sw1 = checkAnswer(r)[r.length - 2];
    if (sw1 !== 0x61 && sw1 !== 0x6c) return r;
    const gr = this.getResponse;
    return Promise.resolve(this.resendLe.after(command, r)).then(function (y) {
      return gr.after(y);
    });
  }
}
