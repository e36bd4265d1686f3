/**
 * Pn532Link over HSU, the PN532's UART (UM0701-02 §6.2.3; 115200 baud 8N1 at power-up).
 * Received bytes go through a FrameReader (resync after noise); complete frames wait in a
 * short queue for readFrame. Writing a frame first drops frames and partial bytes still
 * queued (a stale answer must not pass for the next ACK). Asleep — at power-up (the C106
 * starts in a low-power state) and after PowerDown — the chip listens only for a 0x55 byte
 * (§7.2.11), so before the next frame the link sends the wake-up preamble 55 55 followed by
 * fourteen 00 (the "long preamble" libnfc sends; 00 bytes are frame preamble to an awake
 * chip, §6.2.1.6) and waits WAKE_DELAY_MS.
 */
import { codedError } from "../bytes/coded-error";
import type { Clock, SerialPort } from "../hal/types";
import { FrameReader } from "./hsu-frame-reader";
import { delay, isPowerDown, linkTimeout, WAKE_DELAY_MS } from "./link-common";
import type { Pn532Link } from "./link";

export const HSU_WAKE_UP = new Uint8Array([0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
/** Frames kept when nobody is reading (ACK + answer + one spare). */
const MAX_QUEUED = 3;

export interface HsuLinkOptions {
  /** Wait after the wake-up preamble, ms (2). */
  wakeDelayMs?: number;
}

export class HsuLink implements Pn532Link {
  readonly kind = "hsu";
  private port: SerialPort;
  private clock: Clock;
  private wakeDelayMs: number;
  private reader: FrameReader;
  private frames: Uint8Array[];
  private waiter: ((frame: Uint8Array) => void) | null = null;
  private asleep = true;

  constructor(port: SerialPort, clock: Clock, opts?: HsuLinkOptions) {
    this.port = port;
    this.clock = clock;
    this.frames = [];
    this.wakeDelayMs = (opts ?? {}).wakeDelayMs ?? WAKE_DELAY_MS;
    this.reader = new FrameReader((f) => {
      const w = this.waiter;
      this.waiter = null;
      if (w) w(f);
      else if (this.frames.length < MAX_QUEUED) this.frames.push(f);
    });
    port.onData((chunk) => this.reader.push(chunk));
  }

  writeFrame(frame: Uint8Array): Promise<void> {
    return (this.asleep ? this.wakeUp() : Promise.resolve()).then(() => {
      this.frames = [];
      this.reader.reset();
      this.port.write(frame);
      if (isPowerDown(frame)) this.asleep = true;
    });
  }

  /** @throws LINK_TIMEOUT (waitedMs); LINK_BUSY when a readFrame is already waiting. */
  readFrame(timeoutMs: number): Promise<Uint8Array> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    if (this.waiter) return Promise.reject(codedError("LINK_BUSY", "readFrame already waiting"));
    return new Promise<Uint8Array>((resolve, reject) => {
      const start = this.clock.now();
      const timer = this.clock.setTimer(timeoutMs, () => {
        this.waiter = null;
        reject(linkTimeout(this.clock.now() - start));
      });
      this.waiter = (frame) => {
        this.clock.clearTimer(timer);
        resolve(frame);
      };
    });
  }

  wakeUp(): Promise<void> {
    return Promise.resolve().then(() => {
      this.port.write(HSU_WAKE_UP);
      this.asleep = false;
      return delay(this.clock, this.wakeDelayMs);
    });
  }

  /** Switches the host UART (after the SetSerialBaudRate answer and the host's ACK, §7.2.13). */
  setHostBaudRate(baud: number): void {
    this.reader.reset();
    this.port.setBaudRate(baud);
  }
}
