/**
 * The OLED screen where one is fitted: an SSD1306 on the I2C bus (src/display/ssd1306.ts)
 * drawn through Graphics (screen.ts). Only a board with a display imports this file, so the
 * driver, the layout and Graphics stay out of the other bundles.
 */
import { isCoded } from "../../bytes/coded-error";
import { Ssd1306 } from "../../display/ssd1306";
import type { Ssd1306Options } from "../../display/ssd1306";
import type { I2cBus } from "../../hal/types";
import type { GraphicsFactory } from "../../hal/ui-outputs";
import { Screen } from "./screen";
import type { ScreenOptions } from "./screen";
import { NullDisplay } from "./ui-port";
import type { UiSink } from "./ui-port";

export interface OledOptions {
  panel?: Ssd1306Options;
  screen?: ScreenOptions;
  /** Told why there is no screen (no Graphics, or SSD1306_NACK: nothing at the address). */
  onAbsent?: (reason: unknown) => void;
}

/**
 * A Screen over an initialised SSD1306, or null when `graphics` is null (no Graphics in this
 * Espruino build) or nothing acknowledges at the panel's address (`onAbsent` told why). The
 * esp32's OLED part calls this: a board without a display then lets the part go.
 * @throws other errors from init() (a bus fault that is not a missing device).
 */
export function openScreen(bus: I2cBus, graphics: GraphicsFactory | null, opts?: OledOptions): Screen | null {
  const o = opts ?? {};
  if (!graphics) {
    if (o.onAbsent) o.onAbsent(null);
    return null;
  }
  const panel = new Ssd1306(bus, o.panel);
  try {
    panel.init();
  } catch (e) {
    if (!isCoded(e, "SSD1306_NACK")) throw e;
    if (o.onAbsent) o.onAbsent(e);
    return null;
  }
  return new Screen(graphics.create(panel.width, panel.height), panel, o.screen);
}

/** openScreen, with a NullDisplay where there is no screen. */
export function openOled(bus: I2cBus, graphics: GraphicsFactory | null, opts?: OledOptions): UiSink {
  return openScreen(bus, graphics, opts) || new NullDisplay();
}
