/**
 * Pn532Link over I2C (UM0701-02 §6.2.4). Address 0x24 (7-bit); the bus speed (≤ 400 kHz) is
 * set where the bus is made. Every read from the PN532 starts with a status byte, bit 0 RDY.
 * readFrame waits for RDY — on the P70_IRQ falling edge when an IrqPin is given, else by
 * 1-byte status reads every pollMs — then reads status + the first `firstReadBytes` bytes;
 * the frame header tells its size. A longer frame is lost by that short read, so the link
 * writes a NACK (§6.2.1.4: "send the last response again"), waits for RDY and reads status +
 * the full size. RDY is checked on every data read too. The chip may be asleep (at power-up,
 * after PowerDown): before the next frame the link wakes it with a status read (address
 * match, §7.2.11) and waits WAKE_DELAY_MS.
 */
import { copyBytes } from "../bytes/hex";
import type { Clock, I2cBus, IrqPin } from "../hal/types";
import { frameSize, NACK_FRAME } from "./frame";
import { delay, isPowerDown, waitReady, WAKE_DELAY_MS } from "./link-common";
import type { Pn532Link } from "./link";

export interface I2cLinkOptions {
  /** 7-bit address (0x24). */
  address?: number;
  /** P70_IRQ; when given, no status polling. */
  irq?: IrqPin | null;
  /** Status poll interval, ms (1). */
  pollMs?: number;
  /** Frame bytes read after the status byte in the first read (64, at least 8). */
  firstReadBytes?: number;
}

export class I2cLink implements Pn532Link {
  readonly kind = "i2c";
  private bus: I2cBus;
  private clock: Clock;
  private address: number;
  private irq: IrqPin | null;
  private pollMs: number;
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
    this.firstRead = Math.max(8, o.firstReadBytes ?? 64);
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    return (this.asleep ? this.wakeUp() : Promise.resolve()).then(() => {
      this.bus.write(this.address, frame);
      if (isPowerDown(frame)) this.asleep = true;
    });
  }

  /** @throws LINK_TIMEOUT (waitedMs); FRAME_BAD_PREAMBLE / FRAME_BAD_LCS / FRAME_TOO_LONG from the header. */
  readFrame(timeoutMs: number): Promise<Uint8Array> {
    const start = this.clock.now();
    const ready = (): boolean => (this.bus.read(this.address, 1)[0] & 1) === 1;
    const readSized = (n: number): Promise<Uint8Array> => {
      return waitReady(this.clock, ready, this.irq, start, start + timeoutMs, this.pollMs).then(() => {
        const r = this.bus.read(this.address, n + 1);
        if ((r[0] & 1) === 0) return delay(this.clock, this.pollMs).then(() => readSized(n));
        const size = frameSize(r, 1);
        if (size <= n) return copyBytes(r, 1, size);
        this.bus.write(this.address, NACK_FRAME);
        return readSized(size);
      });
    };
    return readSized(this.firstRead);
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
