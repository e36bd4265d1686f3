/**
 * SSD1306 OLED controller (128×64 or 128×32, internal charge pump) over I2C, after the Solomon
 * Systech SSD1306 datasheet rev 1.1: §8.1.5 I2C interface, §9 Table 9-1 command table, §10.1
 * fundamental commands, and the "Charge Pump Regulator" application note §2 (8D 14 before
 * display on). Handed its bus (docs/architecture.md "Conventions" §1); no timers, no globals.
 *
 * Every I2C write is START, slave address (0x3C with SA0 low, 0x3D high; §8.1.5.1), a control
 * byte and bytes (§8.1.5.2): control byte 0x00 (Co = 0, D/C# = 0) makes every following byte
 * of the transaction a command byte, command arguments included; 0x40 (Co = 0, D/C# = 1) makes
 * them GDDRAM data. The driver sends one command (opcode + arguments) per write, and the frame
 * in writes of `chunkBytes` data bytes each.
 *
 * Unproven on hardware: tested byte for byte against src/sim/ssd1306-sim.ts.
 */
import { codedError } from "../bytes/coded-error";
import type { I2cBus } from "../hal/types";

/** §9 Table 9-1 / §10.1 command opcodes used here. */
export const enum Ssd1306Cmd {
  /** §10.1.3: 1 argument, 00 horizontal, 01 vertical, 02 page addressing. */
  MemoryMode = 0x20,
  /** §10.1.4: start and end column (horizontal/vertical addressing). */
  ColumnAddress = 0x21,
  /** §10.1.5: start and end page. */
  PageAddress = 0x22,
  /** §10.1.6: display start line 0 (0x40 | line). */
  StartLine = 0x40,
  /** §10.1.7: 1 argument, 00–FF. */
  Contrast = 0x81,
  /** Application note "Charge Pump Regulator" §2: 1 argument, 14 enable, 10 disable. */
  ChargePump = 0x8d,
  /** §10.1.8: column 127 mapped to SEG0 (A1), so x = 0 is on the left of a module. */
  SegmentRemap = 0xa1,
  /** §10.1.9: output follows RAM (A4); A5 would light every pixel. */
  DisplayResume = 0xa4,
  /** §10.1.10: normal (A6), not inverse (A7). */
  NormalDisplay = 0xa6,
  /** §10.1.11: 1 argument, multiplex ratio − 1 (3F for 64 rows). */
  Multiplex = 0xa8,
  /** §10.1.12: display off (sleep). */
  DisplayOff = 0xae,
  /** §10.1.12: display on. */
  DisplayOn = 0xaf,
  /** §10.1.14: COM scan from COM[N−1] to COM0 (C8), so y = 0 is at the top. */
  ComScanDec = 0xc8,
  /** §10.1.15: 1 argument, vertical shift by COM. */
  DisplayOffset = 0xd3,
  /** §10.1.16: 1 argument, divide ratio (low nibble) and oscillator frequency (high nibble). */
  ClockDivide = 0xd5,
  /** §10.1.17: 1 argument, phase 1 (low nibble) and phase 2 (high nibble) in DCLKs. */
  Precharge = 0xd9,
  /** §10.1.18: 1 argument, 12 alternative COM pins (128×64), 02 sequential (128×32). */
  ComPins = 0xda,
  /** §10.1.19: 1 argument, VCOMH deselect level. */
  Vcomh = 0xdb,
}

/** §8.1.5.2 control bytes: Co = 0, D/C# = 0 (commands) or 1 (GDDRAM data). */
export const CONTROL_COMMANDS = 0x00;
export const CONTROL_DATA = 0x40;

export interface Ssd1306Options {
  /** 7-bit address: 0x3C (SA0 low, the default) or 0x3D (SA0 high). */
  address?: number;
  /** Rows: 64 (default) or 32. Columns are always 128. */
  height?: number;
  /** GDDRAM data bytes per I2C write (32; 1–1024), the control byte not counted. */
  chunkBytes?: number;
  /** Contrast sent by init() (0xCF, the value usual with the internal charge pump). */
  contrast?: number;
}

export const SSD1306_WIDTH = 128;

/**
 * The init sequence, one command (opcode + arguments) per entry, for `height` rows with the
 * internal charge pump: §9 Table 9-1 values and the application note's order (charge pump
 * enabled before display on).
 */
export function initCommands(height: number, contrast: number): number[][] {
  return [
    [Ssd1306Cmd.DisplayOff],
    [Ssd1306Cmd.ClockDivide, 0x80], // reset value: divide ratio 1, Fosc 8
    [Ssd1306Cmd.Multiplex, height - 1],
    [Ssd1306Cmd.DisplayOffset, 0x00],
    [Ssd1306Cmd.StartLine | 0],
    [Ssd1306Cmd.ChargePump, 0x14],
    [Ssd1306Cmd.MemoryMode, 0x00], // horizontal: one flush walks the whole frame
    [Ssd1306Cmd.SegmentRemap],
    [Ssd1306Cmd.ComScanDec],
    [Ssd1306Cmd.ComPins, height === 64 ? 0x12 : 0x02],
    [Ssd1306Cmd.Contrast, contrast],
    [Ssd1306Cmd.Precharge, 0xf1], // phase 1 = 1, phase 2 = 15 DCLKs (internal VCC)
    [Ssd1306Cmd.Vcomh, 0x40],
    [Ssd1306Cmd.DisplayResume],
    [Ssd1306Cmd.NormalDisplay],
    [Ssd1306Cmd.DisplayOn],
  ];
}

export class Ssd1306 {
  readonly address: number;
  readonly width: number;
  readonly height: number;
  private bus: I2cBus;
  private chunkBytes: number;
  private initialContrast: number;
  /** One reused write buffer: control byte 0x40 + one chunk. */
  private scratch: Uint8Array;

  /** @throws SSD1306_BAD_OPTION for an address, height, chunk size or contrast out of range. */
  constructor(bus: I2cBus, opts?: Ssd1306Options) {
    const o = opts ?? {};
    const address = o.address ?? 0x3c;
    const height = o.height ?? 64;
    const chunk = o.chunkBytes ?? 32;
    const contrast = o.contrast ?? 0xcf;
    if (address !== 0x3c && address !== 0x3d) throw badOption("address", address);
    if (height !== 64 && height !== 32) throw badOption("height", height);
    if (!isByteRange(chunk, 1, 1024)) throw badOption("chunkBytes", chunk);
    if (!isByteRange(contrast, 0, 255)) throw badOption("contrast", contrast);
    this.bus = bus;
    this.address = address;
    this.width = SSD1306_WIDTH;
    this.height = height;
    this.chunkBytes = chunk;
    this.initialContrast = contrast;
    this.scratch = new Uint8Array(chunk + 1);
    this.scratch[0] = CONTROL_DATA;
  }

  /** Frame size in bytes: 128 columns × height/8 pages. */
  frameBytes(): number {
    return (this.width * this.height) >> 3;
  }

  /**
   * Sends the init sequence (display off, timing, charge pump, addressing, display on).
   * @throws SSD1306_NACK (address, cause) when nothing acknowledges: no display fitted.
   */
  init(): void {
    const cmds = initCommands(this.height, this.initialContrast);
    for (let i = 0; i < cmds.length; i++) this.command(cmds[i]);
  }

  /**
   * Writes a whole frame: column window 0–127 and page window 0–(pages−1) (§10.1.4, §10.1.5),
   * which also puts the RAM pointer at column 0, page 0; then the bytes, page by page, in
   * horizontal addressing order (§10.1.3).
   * @throws SSD1306_BAD_BUFFER when `frame` is not frameBytes() long; SSD1306_NACK.
   */
  flush(frame: Uint8Array): void {
    const total = this.frameBytes();
    if (frame.length !== total) throw codedError("SSD1306_BAD_BUFFER", "frame must be " + total + " bytes", { length: frame.length, expected: total });
    this.command([Ssd1306Cmd.ColumnAddress, 0, this.width - 1]);
    this.command([Ssd1306Cmd.PageAddress, 0, (this.height >> 3) - 1]);
    const n = this.chunkBytes;
    const scratch = this.scratch;
    for (let at = 0; at < total; at += n) {
      const len = total - at < n ? total - at : n;
      scratch.set(frame.subarray(at, at + len), 1);
      this.write(len === n ? scratch : scratch.subarray(0, len + 1));
    }
  }

  /**
   * §10.1.7: contrast 0–255.
   * @throws SSD1306_BAD_OPTION; SSD1306_NACK.
   */
  contrast(level: number): void {
    if (!isByteRange(level, 0, 255)) throw badOption("contrast", level);
    this.command([Ssd1306Cmd.Contrast, level]);
  }

  /** §10.1.12 display on. @throws SSD1306_NACK */
  on(): void {
    this.command([Ssd1306Cmd.DisplayOn]);
  }

  /** §10.1.12 display off (sleep; GDDRAM kept). @throws SSD1306_NACK */
  off(): void {
    this.command([Ssd1306Cmd.DisplayOff]);
  }

  /** One command with its arguments in one write after control byte 0x00. */
  private command(bytes: number[]): void {
    const out = new Uint8Array(bytes.length + 1);
    out[0] = CONTROL_COMMANDS;
    for (let i = 0; i < bytes.length; i++) out[i + 1] = bytes[i];
    this.write(out);
  }

  private write(data: Uint8Array): void {
    try {
      this.bus.write(this.address, data);
    } catch (e) {
      throw codedError("SSD1306_NACK", "no acknowledge from the SSD1306 at I2C address 0x" + this.address.toString(16), { address: this.address, cause: e });
    }
  }
}

function isByteRange(v: number, min: number, max: number): boolean {
  return typeof v === "number" && v === Math.floor(v) && v >= min && v <= max;
}

function badOption(name: string, value: unknown): Error {
  return codedError("SSD1306_BAD_OPTION", name + " out of range", { option: name, value: value });
}
