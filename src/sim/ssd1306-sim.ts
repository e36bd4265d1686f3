/**
 * The SSD1306 as an I2C slave behind the hal I2cBus (docs/architecture.md "Conventions" §8): a
 * stateful model of its command parser and GDDRAM, after the SSD1306 datasheet rev 1.1 §8.1.5
 * (I2C: slave address, control byte Co and D/C#), §8.7 (GDDRAM: 8 pages of 128 columns, one
 * byte = 8 rows of a column, bit 0 on top), §9 Table 9-1 (commands and their argument counts),
 * §10.1.3–§10.1.5 (page, horizontal and vertical addressing and their windows).
 *
 * Strict like the chip's datasheet, stricter than the chip: an opcode outside Table 9-1 is
 * refused (SIM_SSD1306_UNKNOWN_COMMAND), as is a read (the I2C interface of the SSD1306 is
 * write-only, §8.1.5) and a transaction without its control byte. Parser state (a command
 * waiting for its arguments) survives across writes, as on the chip: a driver may send
 * `00 81` and `00 CF` as two writes.
 */
import { codedError } from "../bytes/coded-error";
import type { I2cBus } from "../hal/types";

/** Argument bytes after each opcode (Table 9-1); opcodes absent here are unknown. */
function argumentCount(op: number): number {
  if (op <= 0x1f) return 0; // 00–0F lower, 10–1F higher column start (page addressing)
  if (op >= 0x40 && op <= 0x7f) return 0; // display start line
  if (op >= 0xb0 && op <= 0xb7) return 0; // page start (page addressing)
  switch (op) {
    case 0x20: case 0x81: case 0x8d: case 0xa8: case 0xd3: case 0xd5: case 0xd9: case 0xda: case 0xdb:
      return 1;
    case 0x21: case 0x22: case 0xa3:
      return 2;
    case 0x26: case 0x27:
      return 6;
    case 0x29: case 0x2a:
      return 5;
    case 0x2e: case 0x2f: case 0xa0: case 0xa1: case 0xa4: case 0xa5: case 0xa6: case 0xa7:
    case 0xae: case 0xaf: case 0xc0: case 0xc8: case 0xe3:
      return 0;
  }
  return -1;
}

export interface Ssd1306SimOptions {
  /** 7-bit address: 0x3C (default) or 0x3D. */
  address?: number;
}

export class Ssd1306Sim implements I2cBus {
  readonly address: number;
  /** GDDRAM, 8 pages × 128 columns: byte page * 128 + column. */
  readonly ram: Uint8Array;
  /** Every command executed (opcode and arguments), in order, for tests. */
  readonly commands: number[][];
  displayOn = false;
  contrast = 0x7f;
  chargePump = false;
  /** 0 horizontal, 1 vertical, 2 page (the reset value). */
  memoryMode = 2;
  multiplex = 63;
  displayOffset = 0;
  startLine = 0;
  segmentRemap = false;
  comScanDec = false;
  comPins = 0x12;
  clockDivide = 0x80;
  precharge = 0x22;
  vcomh = 0x20;
  entireOn = false;
  inverse = false;
  colStart = 0;
  colEnd = 127;
  pageStart = 0;
  pageEnd = 7;
  col = 0;
  page = 0;
  /** Page addressing's column start (00–0F low nibble, 10–17 high nibble, §10.1.1–§10.1.2). */
  pageColStart = 0;
  /** The command being collected (opcode first) and how many bytes it still needs. */
  private pending: number[];
  private need = 0;

  constructor(opts?: Ssd1306SimOptions) {
    const o = opts ?? {};
    this.address = o.address ?? 0x3c;
    this.ram = new Uint8Array(1024);
    this.commands = [];
    this.pending = [];
  }

  /**
   * One write transaction, parsed control byte by control byte (§8.1.5.2).
   * @throws SIM_I2C_NO_DEVICE for another address (the bus NACKs); SIM_SSD1306_NO_CONTROL
   *   for an empty transaction; SIM_SSD1306_UNKNOWN_COMMAND.
   */
  write(address: number, data: Uint8Array): void {
    if (address !== this.address) throw codedError("SIM_I2C_NO_DEVICE", "no ACK from I2C address", { address: address });
    if (data.length === 0) throw codedError("SIM_SSD1306_NO_CONTROL", "a transaction needs its control byte");
    let i = 0;
    while (i < data.length) {
      const control = data[i++];
      if ((control & 0x3f) !== 0) throw codedError("SIM_SSD1306_BAD_CONTROL", "control byte bits 5 to 0 must be 0", { control: control, offset: i - 1 });
      const continuation = (control & 0x80) !== 0; // Co
      const isData = (control & 0x40) !== 0; // D/C#
      // Co = 1: one byte, then another control byte; Co = 0: the rest of the transaction.
      const end = continuation ? Math.min(i + 1, data.length) : data.length;
      for (; i < end; i++) {
        if (isData) this.dataByte(data[i]);
        else this.commandByte(data[i]);
      }
    }
  }

  /** @throws SIM_SSD1306_NO_READ: the SSD1306's I2C interface cannot be read. */
  read(address: number, length: number): Uint8Array {
    if (address !== this.address) throw codedError("SIM_I2C_NO_DEVICE", "no ACK from I2C address", { address: address });
    throw codedError("SIM_SSD1306_NO_READ", "the SSD1306 I2C interface is write-only", { address: address });
  }

  /** The pixel at (x, y) as the RAM holds it (before segment remap and COM scan). */
  pixel(x: number, y: number): boolean {
    return ((this.ram[(y >> 3) * 128 + x] >> (y & 7)) & 1) === 1;
  }

  private commandByte(b: number): void {
    if (this.need === 0) {
      const n = argumentCount(b);
      if (n < 0) throw codedError("SIM_SSD1306_UNKNOWN_COMMAND", "opcode not in Table 9-1", { opcode: b });
      this.pending = [b];
      this.need = n;
    } else {
      this.pending.push(b);
      this.need--;
    }
    if (this.need === 0) this.execute(this.pending);
  }

  private execute(c: number[]): void {
    this.commands.push(c);
    const op = c[0];
    if (op <= 0x0f) this.col = this.pageColStart = (this.pageColStart & 0xf0) | op;
    else if (op <= 0x1f) this.col = this.pageColStart = (((op & 0x07) << 4) | (this.pageColStart & 0x0f));
    else if (op >= 0x40 && op <= 0x7f) this.startLine = op & 0x3f;
    else if (op >= 0xb0 && op <= 0xb7) this.page = op & 7;
    else {
      switch (op) {
        case 0x20: this.memoryMode = c[1] & 3; break;
        case 0x21: this.colStart = c[1] & 0x7f; this.colEnd = c[2] & 0x7f; this.col = this.colStart; break;
        case 0x22: this.pageStart = c[1] & 7; this.pageEnd = c[2] & 7; this.page = this.pageStart; break;
        case 0x81: this.contrast = c[1]; break;
        case 0x8d: this.chargePump = (c[1] & 0x04) !== 0; break;
        case 0xa0: case 0xa1: this.segmentRemap = op === 0xa1; break;
        case 0xa4: case 0xa5: this.entireOn = op === 0xa5; break;
        case 0xa6: case 0xa7: this.inverse = op === 0xa7; break;
        case 0xa8: this.multiplex = c[1] & 0x3f; break;
        case 0xae: case 0xaf: this.displayOn = op === 0xaf; break;
        case 0xc0: case 0xc8: this.comScanDec = op === 0xc8; break;
        case 0xd3: this.displayOffset = c[1] & 0x3f; break;
        case 0xd5: this.clockDivide = c[1]; break;
        case 0xd9: this.precharge = c[1]; break;
        case 0xda: this.comPins = c[1]; break;
        case 0xdb: this.vcomh = c[1]; break;
        // Scrolling (26/27/29/2A/2E/2F/A3) and NOP (E3) are parsed, not modelled.
      }
    }
  }

  /** One GDDRAM byte at the pointer, which then moves as the addressing mode says (§10.1.3). */
  private dataByte(b: number): void {
    this.ram[this.page * 128 + this.col] = b;
    if (this.memoryMode === 0) {
      if (this.col < this.colEnd) this.col++;
      else {
        this.col = this.colStart;
        this.page = this.page < this.pageEnd ? this.page + 1 : this.pageStart;
      }
    } else if (this.memoryMode === 1) {
      if (this.page < this.pageEnd) this.page++;
      else {
        this.page = this.pageStart;
        this.col = this.col < this.colEnd ? this.col + 1 : this.colStart;
      }
    } else {
      // Page addressing: past column 127 the pointer goes back to the column start, the page
      // stays (§10.1.3, Figure 10-2).
      this.col = this.col < 127 ? this.col + 1 : this.pageColStart;
    }
  }
}
