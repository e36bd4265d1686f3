/**
 * The simulated PN532 as an I2C slave (UM0701-02 §6.2.4), behind the hal I2cBus the I2C link
 * uses. Address 0x24 (7-bit; 0x48/0x49 with the R/W bit). A write is one host frame. A read
 * starts with the status byte (bit 0 RDY = a frame waits) and then clocks out the waiting
 * frame from its start, zeros after its end. A read longer than the status byte consumes the
 * frame; a read shorter than the frame loses the rest (the host NACKs to get it again). A
 * 1-byte read is a status poll and consumes nothing. Each transaction charges 9 bits per byte
 * (8 + ACK), address byte included, at `clockHz`.
 */
import { cloneBytes } from "../bytes/hex";
import { codedError } from "../bytes/coded-error";
import type { I2cBus } from "../hal/types";
import { WakeSource } from "./pn532-chip";
import type { Pn532Chip } from "./pn532-chip";
import type { SimClock } from "./sim-clock";

export interface SimI2cOptions {
  /** 7-bit address (0x24). */
  address?: number;
  /** SCL frequency (400 kHz). */
  clockHz?: number;
}

export class SimI2c implements I2cBus {
  readonly address: number;
  readonly clockHz: number;
  private chip: Pn532Chip;
  private clock: SimClock;

  constructor(chip: Pn532Chip, clock: SimClock, opts?: SimI2cOptions) {
    const o = opts ?? {};
    this.chip = chip;
    this.clock = clock;
    this.address = o.address ?? 0x24;
    this.clockHz = o.clockHz ?? 400000;
  }

  /** @throws SIM_I2C_NO_DEVICE when nothing answers at `address` (the bus NACKs). */
  write(address: number, data: Uint8Array): void {
    this.start(address, data.length);
    if (!this.chip.wake(WakeSource.I2c)) this.chip.receive(cloneBytes(data));
  }

  /** @throws SIM_I2C_NO_DEVICE when nothing answers at `address`. */
  read(address: number, length: number): Uint8Array {
    this.start(address, length);
    const out = new Uint8Array(length);
    const f = this.chip.wake(WakeSource.I2c) ? null : this.chip.peek();
    if (f && length > 0) {
      out[0] = 0x01;
      if (length > 1) {
        out.set(length - 1 < f.length ? f.subarray(0, length - 1) : f, 1);
        this.chip.take();
      }
    }
    return out;
  }

  private start(address: number, length: number): void {
    if (address !== this.address) {
      this.clock.advance((9 * 1000) / this.clockHz);
      throw codedError("SIM_I2C_NO_DEVICE", "no ACK from I2C address", { address: address });
    }
    this.clock.advance((9 * (length + 1) * 1000) / this.clockHz);
  }
}
