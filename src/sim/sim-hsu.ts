/**
 * The simulated PN532 on its HSU (UART, UM0701-02 §6.2.3): the serial line between the host's
 * UART (`port`, handed to the HSU link) and the chip. Each direction is a wire busy for 10 bit
 * times per byte (start, 8 data, stop) at the sender's baud rate; bytes arrive in chunks of
 * at most `chunkBytes` when their last bit is in, through clock timers (the UARTs work while
 * the CPUs do something else). A byte received at a baud rate other than the one it was sent
 * at arrives garbled (modelled as its top bit set: never a 00, so never a frame).
 * The chip side finds frames with the same FrameReader as the link. Asleep, the chip listens
 * only for a 0x55 byte (§7.2.11); the bytes until it is awake (WAKE_MS) are lost, which the
 * 00 bytes of the wake-up preamble cover.
 */
import { cloneBytes } from "../bytes/hex";
import type { Clock, SerialPort } from "../hal/types";
import { FrameReader } from "../pn532/hsu-frame-reader";
import { WakeSource } from "./pn532-chip";
import type { Pn532Chip } from "./pn532-chip";

export class SimHsu {
  /** The host's UART. */
  readonly port: SerialPort;
  hostBaud = 115200;
  private chip: Pn532Chip;
  private clock: Clock;
  private chunk: number;
  private listener: ((chunk: Uint8Array) => void) | null = null;
  private reader: FrameReader;
  /** Time each wire is free again: [host → chip, chip → host]. */
  private free: number[];

  constructor(chip: Pn532Chip, clock: Clock, chunkBytes?: number) {
    this.chip = chip;
    this.clock = clock;
    this.free = [0, 0];
    this.chunk = chunkBytes ?? 16;
    this.reader = new FrameReader((f) => chip.receive(f));
    chip.onOutput = () => {
      while (chip.ready()) {
        const f = chip.peek() as Uint8Array;
        chip.take();
        this.send(f, 1);
      }
    };
    this.port = {
      setBaudRate: (baud) => {
        this.hostBaud = baud;
      },
      write: (data) => this.send(data, 0),
      onData: (l) => {
        this.listener = l;
      },
    };
  }

  /** Sends `data` on wire `dir` (0 host → chip, 1 chip → host). */
  private send(data: Uint8Array, dir: number): void {
    const baud = dir ? this.chip.baud : this.hostBaud;
    const byteMs = 10000 / baud;
    const now = this.clock.now();
    let t = Math.max(now, this.free[dir]);
    for (let i = 0; i < data.length; i += this.chunk) {
      const part = cloneBytes(data, i, i + this.chunk);
      t += part.length * byteMs;
      this.clock.setTimer(t - now, () => this.arrive(part, baud, dir));
    }
    this.free[dir] = t;
  }

  private arrive(part: Uint8Array, baud: number, dir: number): void {
    const bytes = baud === (dir ? this.hostBaud : this.chip.baud) ? part : part.map((b) => b | 0x80);
    if (dir) {
      if (this.listener) this.listener(bytes);
    } else if (this.chip.asleep) {
      this.reader.reset();
      if (bytes.indexOf(0x55) >= 0) this.chip.wake(WakeSource.Hsu);
    } else this.reader.push(bytes);
  }
}
