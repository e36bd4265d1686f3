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
  if (!o.wire && !o.recorder && pn532.inDataExchangeThen) return new ApduStack(isoDep, o.getResponse);
  let wire: ApduChannel = isoDep;
  if (o.wire) wire = o.wire(wire);
  if (o.recorder) wire = o.recorder.wrap(wire);
  return new GetResponseChannel(new ResendLeChannel(wire), o.getResponse);
}

/**
 * The same stack with nothing between ISO-DEP and the decorators, over the driver's callback
 * form of InDataExchange, in one promise per APDU: every promise and `then` is a turn of
 * Espruino's event loop, so an answer that is neither 61xx nor 6Cxx (nearly all) goes from the
 * driver to the caller without passing each decorator; the others go through the decorators'
 * own code (`after`), in the same order.
 */
class ApduStack implements ApduChannel {
  /** The promise of the APDU in progress (null between APDUs: a settled chain is let go). */
  private resolve: ((r: Uint8Array | Promise<Uint8Array>) => void) | null;
  private reject: ((e: unknown) => void) | null;
  /** The C-APDU in progress, read by `executor` (held until the next one). */
  private command: Uint8Array | null;
  /** Made once: the executor of every APDU's promise. */
  private readonly executor: (resolve: (r: Uint8Array | Promise<Uint8Array>) => void, reject: (e: unknown) => void) => void;
  private readonly timeoutMs: number;
  /** The decorators over ISO-DEP, made at the first APDU that needs them (decorators()). */
  private resendLe: ResendLeChannel | null;
  private getResponse: GetResponseChannel | null;
  private readonly isoDep: IsoDepChannel;
  private readonly limits: GetResponseLimits | undefined;

  /** @param isoDep over a driver with inDataExchangeThen. */
  constructor(isoDep: IsoDepChannel, limits?: GetResponseLimits) {
    this.resolve = null;
    this.reject = null;
    this.command = null;
    const pn532 = isoDep.pn532;
    const tg = isoDep.target.tg;
    const timeoutMs = isoDep.apduTimeoutMs;
    const self = this;
    // Nearly every answer: at least SW1 SW2, SW1 neither 61 nor 6C, handed back as it is.
    function onAnswer(r: Uint8Array | null, e: unknown): void {
      let sw1 = 0;
      let n = 0;
      // The length read once: each read of a typed array's member walks its prototypes.
      if (r !== null && (n = r.length) > 1 && (sw1 = r[n - 2]) !== 0x61 && sw1 !== 0x6c) {
        const resolve = self.resolve as (r: Uint8Array) => void;
        self.resolve = null;
        self.reject = null;
        resolve(r);
      } else self.other(r, e);
    }
    this.executor = function (resolve, reject) {
      self.resolve = resolve;
      self.reject = reject;
      (pn532.inDataExchangeThen as ExchangeThen)(tg, self.command as Uint8Array, timeoutMs, onAnswer);
    };
    this.timeoutMs = timeoutMs;
    this.resendLe = null;
    this.getResponse = null;
    this.isoDep = isoDep;
    this.limits = limits;
  }

  /** GET RESPONSE over resend-with-Le over ISO-DEP, made once, when first needed. */
  private decorators(): GetResponseChannel {
    if (this.getResponse === null) {
      this.resendLe = new ResendLeChannel(this.isoDep);
      this.getResponse = new GetResponseChannel(this.resendLe, this.limits);
    }
    return this.getResponse;
  }

  transceive(command: Uint8Array): Promise<Uint8Array> {
    // Over 262 bytes (ISODEP_COMMAND_TOO_LONG), or while an APDU is in progress (the channel
    // is meant for one at a time): through the decorators' and the ISO-DEP channel's promises.
    if (command.length > IsoDepLimit.ApduBytes || this.resolve !== null) return this.decorators().transceive(command);
    this.command = command;
    return new Promise<Uint8Array>(this.executor);
  }

  /** The answers onAnswer does not hand back: errors, answers too short, 61xx and 6Cxx. */
  private other(r: Uint8Array | null, e: unknown): void {
    const resolve = this.resolve as (r: Uint8Array | Promise<Uint8Array>) => void;
    const reject = this.reject as (e: unknown) => void;
    this.resolve = null;
    this.reject = null;
    if (r === null) {
      reject(mapExchangeError(e, this.timeoutMs));
      return;
    }
    const gr = this.decorators();
    try {
      resolve(
        Promise.resolve((this.resendLe as ResendLeChannel).after(this.command as Uint8Array, checkAnswer(r))).then(function (y) {
          return gr.after(y);
        }),
      );
    } catch (x) {
      reject(x);
    }
  }
}

/** The callback form of InDataExchange (Pn532Api.inDataExchangeThen). */
type ExchangeThen = (tg: number, data: Uint8Array, timeoutMs: number, done: (answer: Uint8Array | null, error: unknown) => void) => void;
