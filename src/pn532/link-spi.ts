/**
 * Pn532Link over SPI (UM0701-02 §6.2.5): mode 0, LSB first, each transaction under NSS opens
 * with a prefix byte — 02 status read (answer bit 0 = ready), 01 data write + frame, 03 data
 * read. readFrame waits for ready (IRQ or status polls every pollMs), then in one transaction
 * reads the header (6 bytes: a whole ACK/NACK; 2 more for an extended header) and the rest of
 * the frame. `reverseBits` is for a master that only shifts MSB first: every byte is
 * bit-reversed both ways. NSS low wakes a sleeping chip (§7.2.11): the link does that with an
 * empty transaction and waits WAKE_DELAY_MS before the first frame and after PowerDown.
 */
import { concat, cloneBytes } from "../bytes/hex";
import type { ByteSum, Clock, IrqPin, SpiBus } from "../hal/types";
import { frameSize } from "./frame";
import { delay, isPowerDown, waitReady, WAKE_DELAY_MS } from "./link-common";
import type { Pn532Link } from "./link";

/** Mirrors the bit order of a byte (LSB-first device on an MSB-first master). */
export function reverseBits(b: number): number {
  b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
  b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
  return ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
}

export interface SpiLinkOptions {
  irq?: IrqPin | null;
  /** Status poll interval, ms (1). */
  pollMs?: number;
  /** The master shifts MSB first: reverse the bits of every byte (false). */
  reverseBits?: boolean;
  /** Frame checksum adder for the driver (Pn532Link.sum): E.sum on a board; absent, JavaScript. */
  sum?: ByteSum;
}

export class SpiLink implements Pn532Link {
  readonly kind = "spi";
  readonly sum?: ByteSum;
  private bus: SpiBus;
  private clock: Clock;
  private irq: IrqPin | null;
  private pollMs: number;
  private rev: boolean;
  private asleep = true;

  constructor(bus: SpiBus, clock: Clock, opts?: SpiLinkOptions) {
    const o = opts ?? {};
    this.bus = bus;
    this.clock = clock;
    this.irq = o.irq ?? null;
    this.pollMs = o.pollMs ?? 1;
    this.rev = o.reverseBits ?? false;
    if (o.sum) this.sum = o.sum;
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    return (this.asleep ? this.wakeUp() : Promise.resolve()).then(() => {
      this.transaction(() => this.xfer(concat([[0x01], frame])));
      if (isPowerDown(frame)) this.asleep = true;
    });
  }

  /** @throws LINK_TIMEOUT (waitedMs); FRAME_BAD_PREAMBLE / FRAME_BAD_LCS / FRAME_TOO_LONG from the header. */
  readFrame(timeoutMs: number): Promise<Uint8Array> {
    const start = this.clock.now();
    const ready = (): boolean => (this.transaction(() => this.xfer(new Uint8Array([0x02, 0x00])))[1] & 1) === 1;
    return waitReady(this.clock, ready, this.irq, start, start + timeoutMs, this.pollMs).then(() =>
      this.transaction(() => {
        let f = this.xfer(new Uint8Array([0x03, 0, 0, 0, 0, 0, 0])).subarray(1);
        let size = frameSize(f, 0);
        if (size < 0) {
          f = concat([f, this.xfer(new Uint8Array(2))]);
          size = frameSize(f, 0);
        }
        return size > f.length ? concat([f, this.xfer(new Uint8Array(size - f.length))]) : cloneBytes(f, 0, size);
      }),
    );
  }

  wakeUp(): Promise<void> {
    return Promise.resolve().then(() => {
      this.bus.select();
      this.bus.deselect();
      this.asleep = false;
      return delay(this.clock, WAKE_DELAY_MS);
    });
  }

  setHostBaudRate(baud: number): void {}

  private transaction(fn: () => Uint8Array): Uint8Array {
    this.bus.select();
    try {
      return fn();
    } finally {
      this.bus.deselect();
    }
  }

  private xfer(data: Uint8Array): Uint8Array {
    if (!this.rev) return this.bus.transfer(data);
    return this.bus.transfer(data.map(reverseBits)).map(reverseBits);
  }
}
