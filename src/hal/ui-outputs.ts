/**
 * The narrow outputs of the user interface (docs/architecture.md "Conventions" §1, §2): status
 * LEDs, a buzzer, and a 1-bit drawing surface for a display. Implemented for Espruino in
 * src/hal/espruino/ui-outputs.ts; tests bring their own. Kept apart from hal/types.ts so that a
 * board without a display or buzzer pulls in nothing more than the pin interface.
 */

/** A digital output (an LED through its resistor). */
export interface OutputPin {
  /** true: driven to its active level (LED lit). */
  write(on: boolean): void;
}

/**
 * A square-wave output driving a passive buzzer (through a transistor). Espruino:
 * `analogWrite(pin, duty, { freq })`.
 */
export interface ToneOutput {
  /** Starts (or retunes) a tone: `freqHz` > 0, `duty` in (0, 1), 0.5 loudest for a square wave. */
  tone(freqHz: number, duty: number): void;
  /** Silence: the output held at its inactive level. */
  off(): void;
}

/**
 * A 1 bit-per-pixel drawing surface whose buffer is laid out in pages (`vertical_byte`: byte
 * x + (y >> 3) * width, bit y & 7 — the SSD1306 GDDRAM layout). The subset of Espruino's
 * built-in `Graphics` the screen uses.
 */
export interface MonoGraphics {
  /** width × height / 8 bytes, the whole frame. */
  readonly buffer: ArrayBuffer;
  getWidth(): number;
  getHeight(): number;
  /** All pixels off. */
  clear(): void;
  /** A font by name ("6x8", "4x6"). */
  setFont(name: string): void;
  /** Width in pixels of `text` in the current font. */
  stringWidth(text: string): number;
  /** Draws `text` with its top-left corner at (x, y). */
  drawString(text: string, x: number, y: number): void;
}

/** Makes drawing surfaces. Espruino: `Graphics.createArrayBuffer(w, h, 1, { vertical_byte: true, msb: false })`. */
export interface GraphicsFactory {
  create(width: number, height: number): MonoGraphics;
}
