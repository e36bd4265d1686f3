/**
 * Pn532Link over I2C (UM0701-02 §6.2.4). Address 0x24 (7-bit); the bus speed (≤ 400 kHz) is
 * set where the bus is made. Every read from the PN532 starts with a status byte, bit 0 RDY,
 * followed by the waiting frame in the same read. So a poll is one read of status + the
 * frame's expected size: when RDY is set the frame is already in hand (no separate 1-byte
 * status read per poll, each of which costs a round of interpreter work). The expected size
 * is the caller's hint (6 for an ACK) or `firstReadBytes`. A longer frame is lost by that
 * short read, so the link writes a NACK (§6.2.1.4: "send the last response again") and reads
 * status + the full size, which the header told. Polls start `pollMs` after the call (a frame
 * is never ready at once after a write) and the interval doubles up to `maxPollMs`: an answer
 * that takes the card 100 ms costs ~15 polls, not 100, for at most maxPollMs of latency.
 * With an IrqPin the link waits for the P70_IRQ falling edge instead and reads once.
 * The chip may be asleep (at power-up, after PowerDown): before the next frame the link
 * wakes it with a status read (address match, §7.2.11) and waits WAKE_DELAY_MS.
 */
import type { Clock, I2cBus, IrqPin } from "../hal/types";
import { frameSize, NACK_FRAME } from "./frame";
import { delay, isPowerDown, linkTimeout, waitReady, WAKE_DELAY_MS } from "./link-common";
import type { Pn532Link } from "./link";

export interface I2cLinkOptions {
  /** 7-bit address (0x24). */
  address?: number;
  /** P70_IRQ; when given, no status polling. */
  irq?: IrqPin | null;
  /** First status poll interval, ms (1). */
  pollMs?: number;
  /** Longest poll interval, ms (8): the interval doubles from pollMs up to this. */
  maxPollMs?: number;
  /**
   * Frame bytes read after the status byte when the caller gives no size (128, at least 8):
   * most EMV answers fit (a longer one costs a NACK and a second read).
   */
  firstReadBytes?: number;
}

export class I2cLink implements Pn532Link {
  readonly kind = "i2c";
  private bus: I2cBus;
  private clock: Clock;
  private address: number;
  private irq: IrqPin | null;
  private pollMs: number;
  private maxPollMs: number;
  private firstRead: number;
  /** The chip may be asleep: wake it before the next frame. */
  private asleep = true;

  constructor(bus: I2cBus, clock: Clock, opts?: I2cLinkOptions) {
    const o = opts ?? {};
    this.bus = bus;
    this.clock = clock;
    this.address = o.address ?? 0x24;
    this.irq = o.irq ?? null;
    this.pollMs = o.pollMs ?? 1;
    this.maxPollMs = Math.max(this.pollMs, o.maxPollMs ?? 8);
    this.firstRead = Math.max(8, o.firstReadBytes ?? 128);
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    if (this.asleep) {
      const self = this;
      return this.wakeUp().then(function () {
        self.writeNow(frame);
      });
    }
    // Awake: the write is synchronous, so no extra promise turn (one event-loop round each).
    try {
      this.writeNow(frame);
    } catch (e) {
      return Promise.reject(e);
    }
    return Promise.resolve();
  }

  private writeNow(frame: Uint8Array): void {
    this.bus.write(this.address, frame);
    if (isPowerDown(frame)) this.asleep = true;
  }

  /**
   * @param expectBytes the frame size the caller expects (6 while an ACK is due); 0 or
   *   absent: firstReadBytes.
   * @throws LINK_TIMEOUT (waitedMs); FRAME_BAD_PREAMBLE / FRAME_BAD_LCS / FRAME_TOO_LONG from the header.
   */
  readFrame(timeoutMs: number, expectBytes?: number): Promise<Uint8Array> {
    const clock = this.clock;
    const start = clock.now();
    const deadline = start + timeoutMs;
    let want = expectBytes && expectBytes >= 6 ? expectBytes : this.firstRead;
    if (this.irq) return this.readAfterIrq(start, deadline, want);
    const bus = this.bus;
    const address = this.address;
    const pollMs = this.pollMs;
    const maxPollMs = this.maxPollMs;
    let waitMs = pollMs;
    return new Promise<Uint8Array>((resolve, reject) => {
      const poll = (): void => {
        try {
          const r = bus.read(address, want + 1);
          if ((r[0] & 1) === 1) {
            const size = frameSize(r, 1);
            if (size <= want) {
              resolve(r.subarray(1, 1 + size));
              return;
            }
            bus.write(address, NACK_FRAME);
            want = size;
            waitMs = pollMs;
          }
        } catch (e) {
          reject(e);
          return;
        }
        const left = deadline - clock.now();
        if (left <= 0) {
          reject(linkTimeout(clock.now() - start));
          return;
        }
        clock.setTimer(waitMs < left ? waitMs : left, poll);
        if (waitMs < maxPollMs) waitMs = waitMs * 2 < maxPollMs ? waitMs * 2 : maxPollMs;
      };
      clock.setTimer(pollMs, poll);
    });
  }

  /** With P70_IRQ: wait for the edge, read status + `want` bytes, NACK and re-read when longer. */
  private readAfterIrq(start: number, deadline: number, want: number): Promise<Uint8Array> {
    const self = this;
    function ready(): boolean {
      return (self.bus.read(self.address, 1)[0] & 1) === 1;
    }
    return waitReady(this.clock, ready, this.irq, start, deadline, this.pollMs).then(function (): Uint8Array | Promise<Uint8Array> {
      const r = self.bus.read(self.address, want + 1);
      if ((r[0] & 1) === 0) {
        // IRQ low but no frame (a stuck or floating P70_IRQ, no chip): the deadline still holds.
        if (self.clock.now() >= deadline) throw linkTimeout(self.clock.now() - start);
        return delay(self.clock, self.pollMs).then(function () {
          return self.readAfterIrq(start, deadline, want);
        });
      }
      const size = frameSize(r, 1);
      if (size <= want) return r.subarray(1, 1 + size);
      self.bus.write(self.address, NACK_FRAME);
      return self.readAfterIrq(start, deadline, size);
    });
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
