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
  /** Told why the screen is a NullDisplay (no Graphics, or SSD1306_NACK: nothing at the address). */
  onAbsent?: (reason: unknown) => void;
}

/**
 * A Screen over an initialised SSD1306, or a NullDisplay when `graphics` is null (no Graphics
 * in this Espruino build) or nothing acknowledges at the panel's address.
 * @throws other errors from init() (a bus fault that is not a missing device).
 */
export function openOled(bus: I2cBus, graphics: GraphicsFactory | null, opts?: OledOptions): UiSink {
  const o = opts ?? {};
  if (!graphics) {
    if (o.onAbsent) o.onAbsent(null);
    return new NullDisplay();
  }
  const panel = new Ssd1306(bus, o.panel);
  try {
    panel.init();
  } catch (e) {
    if (!isCoded(e, "SSD1306_NACK")) throw e;
    if (o.onAbsent) o.onAbsent(e);
    return new NullDisplay();
  }
  return new Screen(graphics.create(panel.width, panel.height), panel, o.screen);
}
