/**
 * What the PN532 driver needs from a transport (docs/architecture.md "Conventions" §2): send one frame, receive one
 * frame. One implementation per host interface — I2C (link-i2c.ts), SPI (link-spi.ts),
 * HSU (link-hsu.ts) — each over a `hal` bus. PN532 User Manual UM0701-02 §6.2.
 */
import type { ByteSum } from "../hal/types";

export interface Pn532Link {
  /** Short name for traces and errors: "i2c", "spi", "hsu". */
  readonly kind: string;
  /**
   * Writes one complete host frame (preamble to postamble, as built by frame.ts), adding
   * whatever the transport needs around it (SPI data-write prefix, HSU wake-up bytes).
   */
  writeFrame(frame: Uint8Array): Promise<void>;
  /**
   * Waits until the PN532 has a frame for the host (I2C status byte bit 0, SPI status read,
   * IRQ line, or HSU bytes) and resolves with exactly one frame's bytes, from the 00 00 FF
   * start to the postamble: ACK, NACK, error frame, normal or extended information frame.
   * Checksums are not verified here (the driver decodes and may answer with a NACK).
   * Rejects with code LINK_TIMEOUT (field `waitedMs`) when nothing arrives in `timeoutMs`.
   * `expectBytes`: the frame size the caller expects (6 while an ACK is due), a hint that
   * lets the I2C link read status and frame in one transaction; links may ignore it.
   */
  readFrame(timeoutMs: number, expectBytes?: number): Promise<Uint8Array>;
  /** Wakes the PN532 from power-down (HSU: `55 55 00…` preamble; others: no-op or IRQ pulse). */
  wakeUp(): Promise<void>;
  /**
   * HSU only: switches the host UART to `baud` (called by the driver after the
   * SetSerialBaudRate answer and the host's ACK, UM0701-02 §7.2.13). Others: no-op.
   */
  setHostBaudRate(baud: number): void;
  /**
   * Optional callback forms of writeFrame and readFrame, same behaviour, for the driver's
   * command cycle: each promise costs one turn of Espruino's event loop and each closure is
   * lexed where it is made, so the cycle runs on these where a link has them (I2C) and
   * adapts the promise forms otherwise (`callbackLink` in exchange.ts).
   */
  writeFrameThen?(frame: Uint8Array, done: WriteDone): void;
  /**
   * `dueMs`: when the caller expects the frame, ms from now (0: no estimate), a hint that
   * lets a polling link (I2C) poll first when the frame is likely in; links may ignore it.
   */
  readFrameThen?(timeoutMs: number, expectBytes: number, done: ReadDone, dueMs?: number): void;
  /**
   * How the driver adds up frame bytes for its checksums (§6.2.1.1), handed to the link by
   * the board: Espruino's native E.sum there. Absent: a JavaScript loop (frame.ts sumBytes).
   */
  readonly sum?: ByteSum;
}

/** Called once: `error` null when the frame was written. */
export type WriteDone = (error: unknown) => void;
/** Called once: `frame` null when `error` says why there is none. */
export type ReadDone = (frame: Uint8Array | null, error: unknown) => void;
