/**
 * One PN532 command cycle over a Pn532Link (UM0701-02 §6.2.2): the host writes a command
 * frame, the PN532 acknowledges it with an ACK frame within ~15 ms, then sends the answer
 * frame (TFI D5, code = command + 1) when the command is done. An explicit state machine
 * driven by link callbacks; all timeouts are the link's `readFrame(timeoutMs)`.
 *
 * Recovery, by what went wrong:
 * - no ACK in time: the PN532 may not have received the frame, so the host may send it again
 *   (§6.2.2); bounded (`ackRetries`), then PN532_NO_ACK.
 * - a frame damaged on the way (preamble, LCS, DCS, postamble, truncation), found by the decoder
 *   or by the link's header check (I2C/SPI readFrame rejects): a NACK asks the PN532 to send
 *   its last frame again (§6.2.1.4); bounded (`nackRetries`), then PN532_CHECKSUM.
 *   A damaged frame where the ACK was due counts as the ACK (the command is not resent).
 * - no answer in time after the ACK: an ACK from the host aborts the command (§6.2.1.3), then
 *   PN532_TIMEOUT. Its answer may still come late: the next cycle discards answers whose
 *   code is not its own (bounded, `staleFrameLimit`).
 * - the error frame (§6.2.1.5): the PN532 refused the command's syntax; PN532_SYNTAX_ERROR,
 *   never resent.
 */
import { codedError, isCoded } from "../bytes/coded-error";
import type { CodedError } from "../bytes/coded-error";
import type { ByteSum, Clock } from "../hal/types";
import { Command, commandName } from "./commands";
import { ACK_FRAME, NACK_FRAME, FrameKind, TFI_PN532, Tfi, decodeFrame, encodeCommand, encodeCommandWith, sumBytes } from "./frame";
import type { Frame } from "./frame";
import type { Pn532Link, ReadDone, WriteDone } from "./link";

export interface CycleOptions {
  /** How long to wait for the ACK after writing a command frame (the PN532 needs ~15 ms). */
  ackTimeoutMs: number;
  /** How many times a command is written again when no ACK comes. */
  ackRetries: number;
  /** How many NACKs one cycle may send for damaged frames. */
  nackRetries: number;
  /** How many out-of-sequence frames (stale answers, duplicate ACKs) one cycle discards. */
  staleFrameLimit: number;
  /** Sees every frame: `out` true host → PN532. For the trace decoder; null = none. */
  trace: ((out: boolean, frame: Uint8Array) => void) | null;
}

/** Decode errors that mean "damaged on the way": worth a NACK. */
function isTransmissionError(e: unknown): boolean {
  if (!isCoded(e)) return false;
  const c = e.code;
  return c === "FRAME_BAD_LCS" || c === "FRAME_BAD_DCS" || c === "FRAME_BAD_PREAMBLE" || c === "FRAME_TRUNCATED" || c === "FRAME_BAD_POSTAMBLE";
}


/** `read` with the trace shown each frame first; a trace that throws ends the cycle with its error. */
function traced(cycle: CommandCycle, trace: (out: boolean, frame: Uint8Array) => void, read: ReadDone): ReadDone {
  return function (bytes, e) {
    if (bytes) {
      try {
        trace(false, bytes);
      } catch (x) {
        cycle.finish(null, x);
        return;
      }
    }
    read(bytes, e);
  };
}

/**
 * When an InDataExchange answer is expected after the ACK, ms, for the link's first poll:
 * the C-APDU on the air at 106 kbit/s (9 bit times of 9.44 µs a byte, ISO/IEC 14443-2) plus
 * Card for the card's work and the R-APDU's air time. EMV cards and phones take about 10 ms
 * for the shortest command (SELECT, READ RECORD); a longer wait is polled for (the link's
 * polls then back off). A const enum: inlined (a module-level name is a global-scope search).
 */
export const enum ExchangeDueMs {
  Card = 10,
  AirPerByte = 0.085,
}

/** Called once at the end of a cycle: the answer parameters, or null and the error. */
export type CycleDone = (answer: Uint8Array | null, error: unknown) => void;

/** What the command cycle uses of a link: its callback forms (callbackLink) and its checksum adder. */
export interface CycleLink {
  writeFrameThen(frame: Uint8Array, done: WriteDone): void;
  /** Never throws (callbackLink's delivers a link's error as a failed read). */
  readFrameThen(timeoutMs: number, expectBytes: number, done: ReadDone, dueMs?: number): void;
  readonly sum?: ByteSum;
}

/** The link's callback forms: its own (I2C) or adapted from its promises. */
export function callbackLink(link: Pn532Link): CycleLink {
  if (link.readFrameThen && link.writeFrameThen) return link as CycleLink;
  return {
    sum: link.sum,
    writeFrameThen: function (frame: Uint8Array, done: WriteDone) {
      link.writeFrame(frame).then(function () {
        done(null);
      }, done);
    },
    // Never throws: a link that throws at once has its error delivered as a failed read.
    readFrameThen: function (timeoutMs: number, expectBytes: number, done: ReadDone) {
      let p: Promise<Uint8Array>;
      try {
        p = link.readFrame(timeoutMs, expectBytes);
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(function (f) {
        done(f, null);
      }, function (e) {
        done(null, e);
      });
    },
  };
}

/**
 * The command cycle as a state machine on link callbacks, one per driver and reused: no
 * promise and no closure per step (each promise is a turn of Espruino's event loop, each
 * closure is lexed where it is made). One cycle at a time (the driver serializes).
 */
export class CommandCycle {
  // Fields in the order the hot paths use them: `this.x` scans an object's own fields in the
  // order they were made (class fields first, then the constructor's assignments).
  private done: CycleDone | null = null;
  private command = 0;
  /** The answer wait after the ACK, ms (read by the driver for an exchange it hands over). */
  timeoutMs = 0;
  /** When the answer is expected after the ACK, ms (0: no estimate), for the link's first poll. */
  private dueMs = 0;
  private acked = false;
  /** The counters below are from an earlier cycle: reset them before counting (counted()). */
  private fresh = true;
  private ackedAtMs = 0;
  private staleCode = -1;
  private sends = 1;
  private badFrames = 0;
  private staleFrames = 0;
  private readonly link: CycleLink;
  private readonly clock: Clock;
  /** The link's checksum adder (E.sum on a board) or sumBytes. */
  private readonly sum: ByteSum;
  /** Where the link delivers a frame read while the ACK is due, and after it. */
  private readonly onAckRead: ReadDone;
  private readonly onAnswerRead: ReadDone;
  /** After a command frame is written (first or again): the wait for its ACK. */
  private readonly onSent: WriteDone;
  /** After a NACK is written: the wait for the frame asked for again. */
  private readonly onWritten: WriteDone;
  private readonly opts: CycleOptions;
  /** opts.trace, fixed at construction. */
  private readonly trace: ((out: boolean, frame: Uint8Array) => void) | null;
  /** The command frame of the cycle (read by the driver for an exchange it hands over). */
  frame: Uint8Array;

  /** @param link with its callback forms (callbackLink). */
  constructor(link: CycleLink, clock: Clock, opts: CycleOptions) {
    this.link = link;
    this.clock = clock;
    this.sum = link.sum || sumBytes;
    const trace = opts.trace;
    // The two frames of every cycle, ACK then answer, each straight to its own short method
    // (bound, no wrapper); the trace call only in wrappers made when there is a trace.
    const onAck: ReadDone = this.onAck.bind(this);
    const onAnswer: ReadDone = this.onAnswer.bind(this);
    const onAckRead = trace ? traced(this, trace, onAck) : onAck;
    this.onAckRead = onAckRead;
    this.onAnswerRead = trace ? traced(this, trace, onAnswer) : onAnswer;
    const self = this;
    const ackTimeoutMs = opts.ackTimeoutMs;
    // Here rather than in methods: a call less per cycle. readFrameThen does not throw (the
    // I2C link's never does, callbackLink's catches). The ACK is a 6-byte frame (§6.2.1.2).
    this.onSent = function (e) {
      if (e !== null) self.finish(null, e);
      else link.readFrameThen(ackTimeoutMs, 6, onAckRead);
    };
    // A NACK is written once the ACK is in or taken as such (onDamaged): the next frame.
    this.onWritten = function (e) {
      if (e !== null) self.finish(null, e);
      else self.read();
    };
    this.opts = opts;
    this.trace = trace;
    this.frame = ACK_FRAME;
  }

  /**
   * Runs one command cycle. `data` = command code + parameters; `done` gets the answer's
   * parameters (after the answer code). `timeoutMs` counts from the ACK. The answer code of
   * the last cycle that failed (`staleCode`) may still arrive late: such a frame is not taken
   * for this cycle's answer before its ACK. `dueMs`: when the answer is expected after the
   * ACK, ms (0 or absent: no estimate), handed to the link (readFrameThen) for its first poll.
   */
  run(data: Uint8Array, timeoutMs: number, done: CycleDone, dueMs?: number): void {
    // encodeCommand and runFrame, inline: two calls less per command.
    const len = data.length + 1;
    let frame: Uint8Array;
    if (len > 255) frame = encodeCommand(data, this.sum);
    else {
      frame = new Uint8Array(len + 7);
      frame[2] = 0xff;
      frame[3] = len;
      frame[4] = -len; // LCS: the array keeps the low 8 bits
      frame[5] = Tfi.Host;
      frame.set(data, 6);
      frame[len + 5] = -(Tfi.Host + this.sum(data));
    }
    this.done = done;
    this.command = data[0];
    this.timeoutMs = timeoutMs;
    this.dueMs = dueMs || 0;
    this.acked = false;
    this.fresh = true;
    this.frame = frame;
    if (this.trace && !this.traceOut(frame)) return;
    this.link.writeFrameThen(frame, this.onSent);
  }

  /** run() for the command `code` `param` `rest`… (InDataExchange D4 40 Tg DataOut), the frame built in one copy. */
  runWith(code: number, param: number, rest: Uint8Array, timeoutMs: number, done: CycleDone, dueMs: number): void {
    this.runFrame(encodeCommandWith(code, param, rest, this.sum), code, timeoutMs, done, dueMs);
  }

  /**
   * run() for InDataExchange D4 40 Tg DataOut with ≤ 252 data bytes (a normal frame,
   * §6.2.1.1), the frame built here in a few native steps: nearly every APDU, one call less.
   */
  exchange(tg: number, data: Uint8Array, timeoutMs: number, done: CycleDone): void {
    const len = data.length + 3;
    const frame = new Uint8Array(len + 7);
    frame[2] = 0xff;
    frame[3] = len;
    frame[4] = -len; // LCS: the array keeps the low 8 bits
    frame[5] = Tfi.Host;
    frame[6] = Command.InDataExchange;
    frame[7] = tg;
    frame.set(data, 8);
    // DCS = ~(the whole frame so far), as in encodeCommandWith.
    frame[len + 5] = ~this.sum(frame);
    this.done = done;
    this.command = Command.InDataExchange;
    this.timeoutMs = timeoutMs;
    // len - 3: data.length, its `.length` read once (each read of a typed array's member
    // walks its prototypes).
    this.dueMs = ExchangeDueMs.Card + (len - 3) * ExchangeDueMs.AirPerByte;
    this.acked = false;
    this.fresh = true;
    this.frame = frame;
    if (this.trace && !this.traceOut(frame)) return;
    this.link.writeFrameThen(frame, this.onSent);
  }

  /** run() for a frame built by the caller: `command` its command code. */
  private runFrame(frame: Uint8Array, command: number, timeoutMs: number, done: CycleDone, dueMs: number): void {
    this.done = done;
    this.command = command;
    this.timeoutMs = timeoutMs;
    this.dueMs = dueMs;
    this.acked = false;
    this.fresh = true;
    this.frame = frame;
    // send(), inline: the first write of every cycle. Never throws: a trace that throws ends
    // the cycle (the caller holds the driver's queue until its callback).
    if (this.trace && !this.traceOut(frame)) return;
    this.link.writeFrameThen(frame, this.onSent);
  }

  /** The trace of a command frame; false when it threw (the cycle has ended with its error). */
  private traceOut(frame: Uint8Array): boolean {
    try {
      (this.trace as (out: boolean, frame: Uint8Array) => void)(true, frame);
      return true;
    } catch (e) {
      this.finish(null, e);
      return false;
    }
  }

  /** Ends the cycle; the last thing a step does (`done` may start the next cycle). */
  finish(answer: Uint8Array | null, e: unknown): void {
    const done = this.done;
    this.done = null;
    this.staleCode = answer ? -1 : this.command + 1;
    if (done) done(answer, e);
  }

  private send(): void {
    this.sends++;
    if (this.trace) this.trace(true, this.frame);
    this.link.writeFrameThen(this.frame, this.onSent);
  }

  private write(frame: Uint8Array): void {
    if (this.trace) this.trace(true, frame);
    this.link.writeFrameThen(frame, this.onWritten);
  }

  /** Waits for the next frame; while the ACK is due, a 6-byte frame (§6.2.1.2). */
  private read(): void {
    let waitMs = this.opts.ackTimeoutMs;
    if (this.acked) {
      waitMs = this.ackedAtMs + this.timeoutMs - this.clock.now();
      if (waitMs <= 0) {
        this.abort();
        return;
      }
    }
    try {
      this.link.readFrameThen(waitMs, this.acked ? 0 : 6, this.acked ? this.onAnswerRead : this.onAckRead);
    } catch (e) {
      this.finish(null, e);
    }
  }

  private fail(code: string, message: string, fields: { [field: string]: unknown }): void {
    fields.command = this.command;
    this.finish(null, codedError(code, commandName(this.command) + ": " + message, fields));
  }

  private onReadError(e: unknown): void {
    if (isTransmissionError(e)) {
      // I2C/SPI links size the frame from its header and reject a damaged one
      // (FRAME_BAD_PREAMBLE / FRAME_BAD_LCS): the bytes were read, so NACK as for a bad DCS.
      this.onDamaged(e);
    } else if (!isCoded(e, "LINK_TIMEOUT")) {
      this.finish(null, e);
    } else if (this.acked) {
      this.abort();
    } else if (this.sends <= this.opts.ackRetries) {
      this.send();
    } else {
      this.fail("PN532_NO_ACK", "no ACK", { attempts: this.sends });
    }
  }

  /** §6.2.1.3: an ACK from the host aborts the command in progress. */
  private abort(): void {
    const err = codedError("PN532_TIMEOUT", commandName(this.command) + ": no answer", {
      command: this.command,
      waitedMs: this.clock.now() - this.ackedAtMs,
    });
    if (this.trace) this.trace(true, ACK_FRAME);
    const self = this;
    this.link.writeFrameThen(ACK_FRAME, function (e) {
      if (e !== null) err.cause = e;
      self.finish(null, err);
    });
  }

  /** A frame damaged on the way (§6.2.1.4): NACK it, bounded by nackRetries. */
  private onDamaged(e: unknown): void {
    this.badFrames++;
    if (this.badFrames > this.opts.nackRetries) {
      this.fail("PN532_CHECKSUM", "damaged frames", { attempts: this.badFrames, cause: (e as CodedError).code });
      return;
    }
    // Where the ACK was due, taken for the ACK: the PN532 is sending, so it has the command;
    // writing the command again could run it twice. A resent ACK is then discarded.
    if (!this.acked) this.startAnswerWait();
    this.write(NACK_FRAME);
  }

  // The interpreter lexes a whole function body at every call, skipped branches included:
  // onAck and onAnswer hold the two frames of every cycle (the ACK, the answer in a normal
  // frame), each checked in a few native steps; the rest is in onFrame and onOtherFrame.

  /**
   * A read while the ACK is due (§6.2.1.2): the ACK 00 00 FF 00 FF 00, recognised in a few
   * native steps (no decoding, no string made, no module-level name: each costs the
   * interpreter a search of its global scope): the two FF bytes, and a sum of the six of
   * 0x1FE, so the other four are 00. The sum is the link's (E.sum on a board): one native
   * call instead of four indexed reads, and every byte of every frame received is added.
   */
  private onAck(bytes: Uint8Array | null, e: unknown): void {
    if (bytes === null || bytes.length !== 6 || bytes[2] !== 0xff || bytes[4] !== 0xff || this.sum(bytes) !== 0x1fe) {
      this.otherRead(bytes, e);
      return;
    }
    this.acked = true;
    this.ackedAtMs = this.clock.now();
    // read() with the whole answer time left (timeoutMs counts from the ACK).
    if (this.timeoutMs > 0) this.link.readFrameThen(this.timeoutMs, 0, this.onAnswerRead, this.dueMs);
    else this.abort();
  }

  /**
   * A read error or any frame but the ACK and the answer; what it throws ends the cycle. The
   * only way to the counters (resends, NACKs, discarded frames): reset here, once per cycle.
   */
  private otherRead(bytes: Uint8Array | null, e: unknown): void {
    if (this.fresh) {
      this.fresh = false;
      this.sends = 1;
      this.badFrames = 0;
      this.staleFrames = 0;
    }
    try {
      if (bytes === null) this.onReadError(e);
      else this.onFrame(bytes);
    } catch (x) {
      this.finish(null, x);
    }
  }

  /**
   * A frame after the ACK: our answer in a normal information frame (TFI D5, code =
   * command + 1, §6.2.1.1), every byte checked as decodeFrame does: preamble 00 00 FF,
   * LEN + LCS ≡ 0 (LEN ≥ 2 here, so = 0x100), postamble 00, and TFI + ΣPD + DCS ≡ 0, added
   * over the whole frame (00 + 00 + FF + 0x100 + TFI…DCS + 00 ≡ 0xFF) without a view. The
   * answer is a view of the frame: every link hands each frame in a buffer of its own (I2C
   * a fresh read, SPI and HSU a copy), so no copy (a typed array of 40 bytes or more costs
   * the interpreter a flat-string allocation, ~0.3 M instructions).
   */
  private onAnswer(b: Uint8Array | null, e: unknown): void {
    // LEN ≥ 2 here (the length, read once, > 8), so LEN + LCS ≡ 0 is LEN + LCS = 0x100;
    // 00 00 … 00 (preamble, postamble) in one sum. b[3] of a shorter array is undefined: NaN.
    if (
      b !== null &&
      b[3] + 7 === b.length &&
      b[3] > 1 &&
      b[5] === Tfi.Pn532 &&
      b[6] === this.command + 1 &&
      b[0] + b[1] + b[b[3] + 6] === 0 &&
      b[3] + b[4] === 0x100 &&
      b[2] === 0xff &&
      (this.sum(b) & 0xff) === 0xff
    ) {
      // finish(), inline: a call less per cycle.
      const done = this.done as CycleDone;
      this.done = null;
      this.staleCode = -1;
      done(b.subarray(7, b[3] + 5), null);
      return;
    }
    this.otherRead(b, e);
  }

  /** Any other frame, decoded. */
  private onFrame(bytes: Uint8Array): void {
    let f: Frame;
    try {
      f = decodeFrame(bytes);
    } catch (e) {
      if (!isTransmissionError(e)) throw e;
      this.onDamaged(e);
      return;
    }
    const expected = this.command + 1;
    // Our answer (TFI D5, code = command + 1, §6.2.1.1). Without an ACK first this is our
    // answer with the ACK lost on the way, unless the previous cycle, with the same code,
    // left its answer behind.
    if (f.kind === FrameKind.Info && f.tfi === TFI_PN532 && f.data.length > 0 && f.data[0] === expected && (this.acked || expected !== this.staleCode)) {
      this.finish(f.data.subarray(1), null);
    } else {
      this.onOtherFrame(f, expected);
    }
  }

  /** Any frame but the ACK and the answer: a duplicate ACK, the error frame, a NACK, a stale answer. */
  private onOtherFrame(f: Frame, expected: number): void {
    if (f.kind === FrameKind.Ack) {
      if (this.acked) {
        this.discard(expected, -1);
        return;
      }
      this.startAnswerWait();
      this.read();
    } else if (f.kind === FrameKind.Error) {
      this.fail("PN532_SYNTAX_ERROR", "the PN532 refused the frame", {});
    } else if (f.kind === FrameKind.Nack || f.tfi !== TFI_PN532 || f.data.length === 0) {
      this.fail("PN532_UNEXPECTED_ANSWER", "not an answer frame", { expected: expected, kind: f.kind, tfi: f.tfi, got: -1 });
    } else {
      this.discard(expected, f.data[0]);
    }
  }

  /** The ACK is in: the answer deadline runs from now. */
  private startAnswerWait(): void {
    this.acked = true;
    this.ackedAtMs = this.clock.now();
  }

  private discard(expected: number, got: number): void {
    this.staleFrames++;
    if (this.staleFrames > this.opts.staleFrameLimit) {
      this.fail("PN532_UNEXPECTED_ANSWER", "out-of-sequence frames", { expected: expected, got: got, discarded: this.staleFrames });
    } else {
      this.read();
    }
  }
}
