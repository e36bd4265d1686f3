/**
 * The UI outputs (src/hal/ui-outputs.ts) on Espruino: LEDs with digitalWrite, a passive buzzer
 * with analogWrite's PWM, and the built-in Graphics for a display. Reference:
 * espruino.com/Reference (2v29) `digitalWrite`, `analogWrite`, `Graphics.createArrayBuffer`.
 * Unproven on hardware: tested against fakes of these globals (test/ui/espruino-ui.test.ts).
 */
import type { GraphicsFactory, MonoGraphics, OutputPin, ToneOutput } from "../ui-outputs";

// Globals types/espruino-globals.d.ts does not declare yet (typed narrowly, here only).
declare function analogWrite(pin: Pin, value: number, options?: { freq?: number }): void;
declare const Graphics: { createArrayBuffer(width: number, height: number, bpp: number, options?: { vertical_byte?: boolean; msb?: boolean }): MonoGraphics } | undefined;

/**
 * An LED as an instance, not a closure: its pin and level are two fields (~5 JsVars each at
 * idle), where a closure over espruinoLed's scope held ~13.
 */
class EspruinoLed implements OutputPin {
  constructor(
    private pin: Pin,
    private low: boolean,
  ) {}

  write(on: boolean): void {
    digitalWrite(this.pin, on !== this.low ? 1 : 0);
  }
}

/** An LED on `pin` (through its resistor), lit high, or low with `activeLow`. Starts off. */
export function espruinoLed(pin: Pin, activeLow?: boolean): OutputPin {
  const low = activeLow === true;
  pinMode(pin, "output");
  digitalWrite(pin, low ? 1 : 0);
  return new EspruinoLed(pin, low);
}

/**
 * A passive buzzer on `pin` (through a transistor): a tone is a PWM square wave of the tone's
 * frequency (the ESP32's LEDC hardware); silence stops the PWM (duty 0) and holds the pin low
 * so the transistor is off.
 */
export function espruinoBuzzer(pin: Pin): ToneOutput {
  pinMode(pin, "output");
  digitalWrite(pin, 0);
  return {
    tone: function (freqHz: number, duty: number) {
      analogWrite(pin, duty, { freq: freqHz });
    },
    off: function () {
      analogWrite(pin, 0);
      digitalWrite(pin, 0);
    },
  };
}

/**
 * Graphics surfaces in the SSD1306 page layout (`vertical_byte`: one byte is 8 rows of a
 * column; `msb: false`: bit 0 is the top row, as D0 in the SSD1306's GDDRAM), or null on a
 * build without Graphics. `msb` must be given: in 2v29 a vertical_byte buffer is MSB first by
 * default (y = 0 is bit 7), which would draw every page upside down (measured in the Linux
 * build, test/ui/espruino-run.test.ts).
 */
export function espruinoGraphics(): GraphicsFactory | null {
  if (typeof Graphics === "undefined" || !Graphics) return null;
  const G = Graphics;
  return {
    create: function (width: number, height: number): MonoGraphics {
      return G.createArrayBuffer(width, height, 1, { vertical_byte: true, msb: false });
    },
  };
}
