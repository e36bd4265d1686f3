/**
 * The simulated PN532 as an SPI slave (UM0701-02 §6.2.5), behind the hal SpiBus the SPI link
 * uses. Mode 0, LSB first. A transaction (select … deselect) starts with a prefix byte:
 * 02 status read (each following byte answers 01 ready / 00), 01 data write (the rest is one
 * host frame, handed over at deselect), 03 data read (following bytes clock out the waiting
 * frame from its start, zeros after; the frame is consumed at deselect if any byte of it was
 * clocked, so a partial read loses the rest). NSS going low wakes the chip; that transaction
 * is lost. `msbFirstBus` models a master that can only shift MSB first: every byte crossing
 * the bus arrives bit-reversed. Transfers charge 8 bits per byte at `clockHz`.
 */
import type { SpiBus } from "../hal/types";
import { reverseBits } from "../pn532/link-spi";
import { WakeSource } from "./pn532-chip";
import type { Pn532Chip } from "./pn532-chip";
import type { SimClock } from "./sim-clock";

export interface SimSpiOptions {
  /** SCK frequency (1 MHz; the PN532 allows up to 5 MHz). */
  clockHz?: number;
  msbFirstBus?: boolean;
}

export class SimSpi implements SpiBus {
  readonly clockHz: number;
  private chip: Pn532Chip;
  private clock: SimClock;
  private msbFirst: boolean;
  private selected = false;
  private lost = false;
  /** Prefix of the transaction; -1 before it. */
  private prefix = -1;
  private written: number[];
  private frame: Uint8Array | null = null;
  private pos = 0;

  constructor(chip: Pn532Chip, clock: SimClock, opts?: SimSpiOptions) {
    const o = opts ?? {};
    this.chip = chip;
    this.clock = clock;
    this.written = [];
    this.clockHz = o.clockHz ?? 1000000;
    this.msbFirst = o.msbFirstBus ?? false;
  }

  select(): void {
    this.selected = true;
    this.prefix = -1;
    this.written = [];
    this.frame = null;
    this.pos = 0;
    this.lost = this.chip.wake(WakeSource.Spi);
  }

  transfer(data: Uint8Array): Uint8Array {
    this.clock.advance((8 * data.length * 1000) / this.clockHz);
    const out = new Uint8Array(data.length);
    if (!this.selected || this.lost) return out;
    for (let i = 0; i < data.length; i++) {
      const b = this.msbFirst ? reverseBits(data[i]) : data[i];
      let o = 0;
      if (this.prefix < 0) this.prefix = b;
      else if (this.prefix === 0x01) this.written.push(b);
      else if (this.prefix === 0x02) o = this.chip.ready() ? 0x01 : 0x00;
      else if (this.prefix === 0x03) {
        if (this.pos === 0) this.frame = this.chip.peek();
        const f = this.frame;
        o = f && this.pos < f.length ? f[this.pos] : 0;
        this.pos++;
      }
      out[i] = this.msbFirst ? reverseBits(o) : o;
    }
    return out;
  }

  deselect(): void {
    if (this.selected && !this.lost) {
      if (this.prefix === 0x01) this.chip.receive(new Uint8Array(this.written));
      else if (this.prefix === 0x03 && this.frame) this.chip.take();
    }
    this.selected = false;
  }
}
