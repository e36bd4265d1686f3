// Test-only UI helpers: a recording I2C bus, a tiny stand-in for Espruino's Graphics.
import type { I2cBus } from "../../src/hal/types";
import type { MonoGraphics } from "../../src/hal/ui-outputs";
import { hx } from "../sim/sim-helpers";

/** Wraps an I2cBus: `log` gets one "W <addr> <hex>" line per write (the bytes copied as sent). */
export function recordWrites(bus: I2cBus, log: string[]): I2cBus {
  return {
    write(a, d) {
      log.push("W " + a.toString(16).toUpperCase() + " " + hx(d));
      bus.write(a, d);
    },
    read(a, n) {
      return bus.read(a, n);
    },
  };
}

/** The 5 columns of a test glyph: non-zero, distinct per character and column. */
export function glyphColumn(ch: string, k: number): number {
  return ((ch.charCodeAt(0) * (k + 3) * 37) & 0xfe) | 0x01;
}

/**
 * A 1-bpp surface with Espruino's `vertical_byte` layout (byte x + (y >> 3) * width, bit y & 7)
 * and a fake "6x8" font: each character is 5 columns of glyphColumn() and 1 blank column.
 */
export class TestGraphics implements MonoGraphics {
  readonly buffer: ArrayBuffer;
  readonly calls: string[] = [];
  private bytes: Uint8Array;
  font = "4x6";

  constructor(
    private width: number,
    private height: number,
  ) {
    this.buffer = new ArrayBuffer((width * height) >> 3);
    this.bytes = new Uint8Array(this.buffer);
  }

  getWidth(): number {
    return this.width;
  }
  getHeight(): number {
    return this.height;
  }
  clear(): void {
    this.calls.push("clear");
    this.bytes.fill(0);
  }
  setFont(name: string): void {
    this.calls.push("setFont " + name);
    this.font = name;
  }
  stringWidth(text: string): number {
    return text.length * 6;
  }
  drawString(text: string, x: number, y: number): void {
    this.calls.push(`drawString ${JSON.stringify(text)} ${x} ${y}`);
    for (let i = 0; i < text.length; i++) {
      for (let k = 0; k < 5; k++) {
        const col = glyphColumn(text[i], k);
        for (let bit = 0; bit < 8; bit++) if ((col >> bit) & 1) this.set(x + i * 6 + k, y + bit);
      }
    }
  }
  private set(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.bytes[x + (y >> 3) * this.width] |= 1 << (y & 7);
  }
}
