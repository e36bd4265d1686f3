/**
 * InDataExchange (UM0701-02 §7.3.8) with MI chaining both ways, as one callback-driven state
 * machine over the driver's command cycles: D4 40 Tg DataOut → D5 41 Status DataIn.
 * Out: parts of ≤ 262 bytes, Tg | 0x40 (MI) on all but the last; each intermediate part is
 * answered by status 00 alone. In: while the status has MI, the host asks for the next part
 * with D4 40 Tg and no data. `timeoutMs` applies to each cycle. No promise per step: each
 * costs a turn of Espruino's event loop. The one-part exchange with status 00 (nearly every
 * APDU) never comes here: the driver runs and ends it (driver.ts inDataExchangeThen).
 */
import { codedError } from "../bytes/coded-error";
import { concat } from "../bytes/hex";
import { Command, Limit, commandName } from "./commands";
import { ExchangeDueMs } from "./exchange";
import type { CycleDone } from "./exchange";
import { StatusBit, statusError } from "./status";

/**
 * What an exchange needs: one command cycle at a time (the driver's CommandCycle, the queue
 * held by the driver), the frame D4 `code` `param` `rest`… built in one copy.
 */
export interface CycleRunner {
  runWith(code: number, param: number, rest: Uint8Array, timeoutMs: number, done: CycleDone, dueMs: number): void;
}

/** @throws PN532_BAD_ARGUMENT for a Tg that is not a byte (out of sendPart, lexed at each call). */
function badTg(tg: number): never {
  throw codedError("PN532_BAD_ARGUMENT", commandName(Command.InDataExchange) + ": parameter is not a byte", { command: Command.InDataExchange, index: 1, value: tg });
}

const NO_DATA = new Uint8Array(0);


/**
 * The exchanges the driver does not end itself (driver.ts inDataExchangeThen runs the one-part
 * ones and hands over the answers it does not take: status errors, MI, over the limit).
 * One per driver, reused by every such exchange (one at a time: the driver's queue): making
 * an object and its callback per exchange costs the interpreter their tokens each time.
 */
export class DataExchange {
  private readonly runner: CycleRunner;
  private readonly maxAnswerBytes: number;
  private readonly onAnswer: CycleDone;
  private tg = 0;
  private data: Uint8Array;
  private timeoutMs = 0;
  private done: CycleDone | null = null;
  /** DataOut bytes sent so far; the part in flight ends at `sentEnd`. */
  private sentEnd = 0;
  /** Answer parts of a chained answer (MI), else null. */
  private parts: Uint8Array[] | null = null;
  private total = 0;

  constructor(runner: CycleRunner, maxAnswerBytes: number) {
    this.runner = runner;
    this.maxAnswerBytes = maxAnswerBytes;
    this.data = NO_DATA;
    this.onAnswer = this.answer.bind(this);
  }

  /** One answer in: the exchange ends (`done`) or its next part is under way. */
  private answer(answer: Uint8Array | null, e: unknown): void {
    if (!answer) {
      this.finish(null, e);
      return;
    }
    let r: Uint8Array | null;
    try {
      r = this.answered(answer);
    } catch (x) {
      this.finish(null, x);
      return;
    }
    if (r) this.finish(r, null); // else the next part is under way
  }

  /**
   * Starts an exchange in parts (data over 262 bytes: MI chaining) or with a Tg that is not a
   * byte (PN532_BAD_ARGUMENT), or with `sent` takes over a one-part exchange the driver sent
   * (D4 40 Tg data) at its `answer` or failure `e`: a status error, the first part of a
   * chained answer (MI), an answer over the limit. `done` gets the whole DataIn (status byte
   * removed), or null and the error.
   */
  start(tg: number, data: Uint8Array, timeoutMs: number, done: CycleDone, sent: boolean, answer: Uint8Array | null, e: unknown): void {
    this.tg = tg;
    this.data = data;
    this.timeoutMs = timeoutMs;
    this.done = done;
    // parts is null here: finish() let go of the last exchange's.
    this.sentEnd = sent ? data.length : 0;
    if (sent) {
      this.answer(answer, e);
      return;
    }
    try {
      this.sendPart();
    } catch (x) {
      this.finish(null, x);
    }
  }

  /**
   * Ends the exchange, letting go of its callback and answer parts first: held until the
   * next exchange, the callback kept the caller's settled promise chain alive (~3,500 JsVars
   * at the bench's peak, found with process.memory()).
   */
  private finish(answer: Uint8Array | null, e: unknown): void {
    const done = this.done as CycleDone;
    this.done = null;
    // `data` (the C-APDU, its caller's) stays until the next exchange: no module-level name
    // looked up per exchange for it.
    this.parts = null;
    done(answer, e);
  }

  /**
   * D4 40 Tg DataOut for the next ≤ 262 bytes of data, Tg | MI when more follow.
   * @throws PN532_BAD_ARGUMENT when Tg is not a byte.
   */
  private sendPart(): void {
    const tg = this.tg;
    if (tg !== (tg & 0xff)) badTg(tg);
    const offset = this.sentEnd;
    const all = this.data.length;
    const end = all - offset > Limit.ExchangePart ? offset + Limit.ExchangePart : all;
    this.sentEnd = end;
    // An intermediate part is answered by the PN532 alone (status 00); the last one by the card.
    this.runner.runWith(Command.InDataExchange, end < all ? tg | StatusBit.MoreInformation : tg, this.data.subarray(offset, end), this.timeoutMs, this.onAnswer, end < all ? 0 : ExchangeDueMs.Card + all * ExchangeDueMs.AirPerByte);
  }

  /**
   * One answer in: the whole DataIn when done (the common case: one part each way, status 00),
   * else null with the next cycle started.
   * @throws PN532_STATUS, PN532_BAD_ANSWER, PN532_TOO_LONG.
   */
  private answered(answer: Uint8Array): Uint8Array | null {
    if (answer.length > 0 && answer[0] === 0 && this.parts === null && this.sentEnd === this.data.length) {
      if (answer.length - 1 > this.maxAnswerBytes) this.tooLong(answer.length - 1);
      return answer.subarray(1);
    }
    return this.chained(answer);
  }

  /** answered() for chaining (MI either way) and failures. */
  private chained(answer: Uint8Array): Uint8Array | null {
    const cmd = Command.InDataExchange;
    if (this.sentEnd < this.data.length) {
      // An intermediate part of ours: status 00 alone.
      if (answer.length !== 1) {
        throw codedError("PN532_BAD_ANSWER", commandName(cmd) + ": answer of " + answer.length + " bytes, expected 1", { command: cmd, offset: answer.length < 1 ? answer.length : 1 });
      }
      if ((answer[0] & StatusBit.ErrorMask) !== 0) throw statusError(answer[0], cmd);
      if (answer[0] !== 0) throw codedError("PN532_BAD_ANSWER", "InDataExchange: MI or NAD bit on a chaining acknowledgement", { command: cmd, offset: 0 });
      this.sendPart();
      return null;
    }
    if (answer.length === 0) throw codedError("PN532_BAD_ANSWER", commandName(cmd) + ": answer of 0 bytes, expected 1", { command: cmd, offset: 0 });
    const status = answer[0];
    if ((status & StatusBit.ErrorMask) !== 0) throw statusError(status, cmd);
    const part = answer.subarray(1);
    const length = (this.parts === null ? 0 : this.total) + part.length;
    if (length > this.maxAnswerBytes) this.tooLong(length);
    const parts = this.parts || [];
    this.parts = parts;
    this.total = length;
    parts.push(part);
    if ((status & StatusBit.MoreInformation) === 0) return concat(parts);
    // A chained part without data would let a faulty peer keep us looping forever.
    if (part.length === 0) throw codedError("PN532_BAD_ANSWER", "InDataExchange: empty MI part", { command: cmd, offset: 1 });
    // The next part is in the PN532 already: no card time (dueMs 0, the link's default).
    this.runner.runWith(cmd, this.tg, NO_DATA, this.timeoutMs, this.onAnswer, 0);
    return null;
  }

  private tooLong(length: number): never {
    throw codedError("PN532_TOO_LONG", "InDataExchange: chained answer too long", { command: Command.InDataExchange, length: length, limit: this.maxAnswerBytes });
  }
}
