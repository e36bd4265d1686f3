/**
 * Pn532Link over I2C (UM0701-02 §6.2.4). Address 0x24 (7-bit); the bus speed (≤ 400 kHz) is
 * set where the bus is made. Every read from the PN532 starts with a status byte, bit 0 RDY,
 * followed by the waiting frame in the same read. So a poll is one read of status + the
 * frame's expected size: when RDY is set the frame is already in hand (no separate 1-byte
 * status read per poll, each of which costs a round of interpreter work). The expected size
 * is the caller's hint (6 for an ACK) or `firstReadBytes`. A longer frame is lost by that
 * short read, so the link writes a NACK (§6.2.1.4: "send the last response again") and reads
 * status + the full size, which the header told. Polls start `pollMs` after the call for an
 * ACK (it comes within ~1 ms), `answerPollMs` for any other frame, and the interval doubles
 * up to `answerPollMs`; when the caller says when it expects the frame (`dueMs`: the command
 * cycle does for the answers it can estimate) the first poll is then. After an empty poll the
 * next comes after half the time waited so far (at least the current interval, at most
 * `maxPollMs`): each poll is a turn of the interpreter's event loop and costs about as much
 * CPU as a few ms of waiting, so polls grow with the log of the wait (a 222 ms answer with
 * WTX, as a phone's GPO, ~9 polls, not 20 at 8 ms) for a latency of at most about a third of
 * it.
 * With an IrqPin the link reads at once when P70_IRQ is low, else waits for its falling edge
 * (a watch callback made once) up to the deadline: one status + frame read per frame, no
 * empty poll.
 * The chip may be asleep (at power-up, after PowerDown): before the next frame the link
 * wakes it with a status read (address match, §7.2.11) and waits WAKE_DELAY_MS.
 */
import type { ByteSum, Clock, I2cBus, IrqPin, TimerHandle } from "../hal/types";
import { frameSize, NACK_FRAME } from "./frame";
import { delay, isPowerDown, linkTimeout, WAKE_DELAY_MS } from "./link-common";
import type { Pn532Link, ReadDone, WriteDone } from "./link";

export interface I2cLinkOptions {
  /** 7-bit address (0x24). */
  address?: number;
  /** P70_IRQ; when given, no status polling. */
  irq?: IrqPin | null;
  /** First status poll for an ACK and the shortest interval between ACK polls, ms (1). */
  pollMs?: number;
  /** Longest poll interval, ms (32). */
  maxPollMs?: number;
  /**
   * First poll for any frame but an ACK when the caller gives no `dueMs`, and the shortest
   * interval between answer polls, ms (8, at least pollMs, at most maxPollMs). An ACK is
   * polled from pollMs (1, then +1, +1.5, +2.3 … as half the time waited grows).
   */
  answerPollMs?: number;
  /**
   * Frame bytes read after the status byte when the caller gives no size (128, at least 8):
   * most EMV answers fit (a longer one costs a NACK and a second read).
   */
  firstReadBytes?: number;
  /** Frame checksum adder for the driver (Pn532Link.sum): E.sum on a board; absent, JavaScript. */
  sum?: ByteSum;
}

export class I2cLink implements Pn532Link {
  readonly kind: string;
  readonly sum?: ByteSum;
  private bus: I2cBus;
  private address: number;
  /** The read in progress (readFrameThen): its size, callback, start, timeout, poll interval. */
  private rWant: number;
  private rDone: ReadDone | null;
  private clock: Clock;
  /**
   * The timer callback, made once (a closure is lexed where it is made): poll(), or with
   * P70_IRQ irqCheck().
   */
  private readonly pollNow: () => void;
  private rStart: number;
  private rTimeout: number;
  private rWait: number;
  /** With P70_IRQ: the timer of a wait for the line (its deadline), -1 while none waits for it. */
  private rTimer: TimerHandle;
  private pollMs: number;
  private answerPollMs: number;
  private firstRead: number;
  private maxPollMs: number;
  private irq: IrqPin | null;
  /** The chip may be asleep: wake it before the next frame. */
  private asleep: boolean;

  constructor(bus: I2cBus, clock: Clock, opts?: I2cLinkOptions) {
    const o = opts ?? {};
    const irq = o.irq ?? null;
    const poll = o.pollMs ?? 1;
    const max = Math.max(poll, o.maxPollMs ?? 32);
    // Made in the order the hot paths use them: `this.x` scans the instance's own fields in
    // the order they were made, then the prototype (docs/espruino-notes.md "CPU").
    this.bus = bus;
    this.address = o.address ?? 0x24;
    this.rWant = 0;
    this.rDone = null;
    this.clock = clock;
    // Bound, not wrapped: a wrapper closure is one more function lexed and called per poll.
    // With P70_IRQ every read waits for the line: chosen here, not tested at each read.
    this.pollNow = (irq ? this.irqCheck : this.poll).bind(this);
    this.rStart = 0;
    this.rTimeout = 0;
    // With P70_IRQ, a low line with no frame (a stuck or floating P70_IRQ, no chip behind it):
    // notReady's polls from pollMs, each looking at the line first (irqCheck); the deadline holds.
    this.rWait = poll;
    this.rTimer = -1;
    this.pollMs = poll;
    this.answerPollMs = Math.min(max, Math.max(poll, o.answerPollMs ?? 8));
    this.firstRead = Math.max(8, o.firstReadBytes ?? 128);
    this.maxPollMs = max;
    this.irq = irq;
    this.asleep = true;
    this.sum = o.sum;
    this.kind = "i2c";
    if (irq) {
      this.readFrameThen = this.readIrqThen;
      irq.onAssert(this.onEdge.bind(this));
    }
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.writeFrameThen(frame, function (e) {
        if (e === null) resolve();
        else reject(e);
      });
    });
  }

  /** writeFrame with a callback: synchronous when the chip is awake (no event-loop turn). */
  writeFrameThen(frame: Uint8Array, done: WriteDone): void {
    if (this.asleep) {
      this.wakeThenWrite(frame, done);
      return;
    }
    try {
      this.bus.write(this.address, frame);
    } catch (e) {
      done(e);
      return;
    }
    // After PowerDown (D4 16, §7.2.11) the chip sleeps.
    if (frame[6] === 0x16 && isPowerDown(frame)) this.asleep = true;
    done(null);
  }

  /** writeFrameThen for a sleeping chip: wake it first (out of the hot path, lexed only then). */
  private wakeThenWrite(frame: Uint8Array, done: WriteDone): void {
    const self = this;
    this.wakeUp().then(function () {
      self.writeFrameThen(frame, done);
    }, done);
  }

  /**
   * @param expectBytes the frame size the caller expects (6 while an ACK is due); 0 or
   *   absent: firstReadBytes.
   * @throws LINK_TIMEOUT (waitedMs); FRAME_BAD_PREAMBLE / FRAME_BAD_LCS / FRAME_TOO_LONG from the header.
   */
  readFrame(timeoutMs: number, expectBytes?: number): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      this.readFrameThen(timeoutMs, expectBytes || 0, function (f, e) {
        if (f) resolve(f);
        else reject(e);
      });
    });
  }

  /**
   * readFrame with a callback. One read at a time (the driver runs one command cycle at a time).
   * @param dueMs when the frame is expected, ms from now (the command cycle's estimate): the
   *   first poll then; 0 or absent: pollMs for an ACK, answerPollMs for other frames.
   */
  readFrameThen(timeoutMs: number, expectBytes: number, done: ReadDone, dueMs?: number): void {
    const w = expectBytes === 6 ? this.pollMs : this.answerPollMs;
    this.rStart = this.clock.now();
    this.rTimeout = timeoutMs;
    this.rWant = expectBytes >= 6 ? expectBytes : this.firstRead;
    this.rWait = w;
    this.rDone = done;
    this.clock.setTimer(dueMs || w, this.pollNow);
  }

  /**
   * One poll: status + rWant bytes in one read (§6.2.4); RDY (status bit 0): the frame is in
   * hand. Each poll is a timer turn, so this stays short: the rare cases are in notReady and
   * otherFrame.
   */
  private poll(): void {
    let r: Uint8Array;
    try {
      r = this.bus.read(this.address, this.rWant + 1);
    } catch (e) {
      this.readDone(null, e);
      return;
    }
    if (!(r[0] & 1)) {
      this.notReady();
      return;
    }
    // RDY: the frame's size from its header (§6.2.1.1), after 00 00 FF: LEN 0 is the ACK (LCS
    // FF, 6 bytes), any other LEN a normal information frame (LEN + LCS = 0x100, LEN + 7
    // bytes). Such a frame that fits the read ends it, here (a call less per frame); anything
    // else goes to otherFrame.
    const len = r[4];
    const size = len ? len + 7 : 6;
    if (len + r[5] !== (len ? 256 : 255) || size > this.rWant || r[3] !== 0xff || r[1] + r[2] !== 0) {
      this.otherFrame(r);
      return;
    }
    const done = this.rDone as ReadDone;
    this.rDone = null;
    done(r.subarray(1, 1 + size), null);
  }

  /**
   * No frame yet: the next poll after half the time waited, at least rWait (pollMs while an
   * ACK is due or with P70_IRQ, else answerPollMs), at most maxPollMs and what is left; or
   * LINK_TIMEOUT at the deadline.
   */
  private notReady(): void {
    const waited = this.clock.now() - this.rStart;
    const left = this.rTimeout - waited;
    if (left <= 0) {
      this.readDone(null, linkTimeout(waited));
      return;
    }
    let next = waited / 2;
    if (next < this.rWait) next = this.rWait;
    if (next > this.maxPollMs) next = this.maxPollMs;
    this.clock.setTimer(next < left ? next : left, this.pollNow);
  }

  /**
   * A NACK, an extended frame, a damaged header (frameSize throws: the read ends with its
   * error) or a frame longer than the read: NACK (§6.2.1.4: "send the last response again")
   * and the next poll reads status + the size the header told.
   */
  private otherFrame(r: Uint8Array): void {
    let size: number;
    try {
      size = frameSize(r, 1);
    } catch (e) {
      this.readDone(null, e);
      return;
    }
    if (size > this.rWant) this.readAgain(size);
    else this.readDone(r.subarray(1, 1 + size), null);
  }

  /** A frame longer than the read: NACK (§6.2.1.4), then read status + `size` at the next poll. */
  private readAgain(size: number): void {
    try {
      this.bus.write(this.address, NACK_FRAME);
    } catch (e) {
      this.readDone(null, e);
      return;
    }
    this.rWant = size;
    this.rWait = this.pollMs;
    // The PN532 sends the frame again at once: poll from pollMs, as for an ACK; with
    // P70_IRQ, wait for the line.
    if (this.irq) this.irqCheck();
    else this.clock.setTimer(this.pollMs, this.pollNow);
  }

  private readDone(frame: Uint8Array | null, e: unknown): void {
    const done = this.rDone as ReadDone;
    this.rDone = null;
    done(frame, e);
  }

  /**
   * readFrameThen with P70_IRQ (§6.2.4: the PN532 pulls it low while a frame waits; the
   * constructor puts this in readFrameThen's place). Line low: status + frame in one read at
   * once (the frame is in). Else the link waits for the falling edge (onEdge) with a timer at
   * the deadline: no status read before the frame, no promise or closure per wait.
   */
  private readIrqThen(timeoutMs: number, expectBytes: number, done: ReadDone): void {
    this.rStart = this.clock.now();
    this.rTimeout = timeoutMs;
    this.rWant = expectBytes >= 6 ? expectBytes : this.firstRead;
    this.rDone = done;
    if ((this.irq as IrqPin).isAsserted()) this.poll();
    else this.rTimer = this.clock.setTimer(timeoutMs, this.pollNow);
  }

  /** The IRQ watch callback (made once): a falling edge while a read waits for it ends the wait. */
  private onEdge(): void {
    const t = this.rTimer;
    // No read waiting for the line (none at all, or one under way): nothing to do.
    if (t < 0) return;
    this.rTimer = -1;
    this.clock.clearTimer(t);
    this.poll();
  }

  /**
   * With P70_IRQ, pollNow (the deadline, a retry): the line low, read; else wait for the edge
   * up to the deadline, or LINK_TIMEOUT there.
   */
  private irqCheck(): void {
    this.rTimer = -1;
    if ((this.irq as IrqPin).isAsserted()) {
      this.poll();
      return;
    }
    // From the absolute deadline, as the timer was set: no residue of rounding left to wait.
    const now = this.clock.now();
    const left = this.rStart + this.rTimeout - now;
    if (left <= 0) this.readDone(null, linkTimeout(now - this.rStart));
    else this.rTimer = this.clock.setTimer(left, this.pollNow);
  }

  wakeUp(): Promise<void> {
    return Promise.resolve().then(() => {
      this.bus.read(this.address, 1);
      this.asleep = false;
      return delay(this.clock, WAKE_DELAY_MS);
    });
  }

  setHostBaudRate(baud: number): void {}
}
