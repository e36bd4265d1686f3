/**
 * Part `tpp.oled`: the SSD1306 display (src/display/ssd1306.ts) drawn through Graphics
 * (src/app/ui/screen.ts), loaded when the config has it fitted. It opens the panel as
 * src/app/ui/oled.ts openOled does, without openOled and its NullDisplay: every function of
 * this part stays in RAM with the screen (its module scope), and neither would run again.
 * Null when no display answers (or no Graphics): the board then lets this part go, where a
 * NullDisplay would hold the part's whole top level at idle (~190 JsVars).
 */
import { Screen } from "../../../src/app/ui/screen";
import { isCoded } from "../../../src/bytes/coded-error";
import { Ssd1306 } from "../../../src/display/ssd1306";
import { espruinoGraphics } from "../../../src/hal/espruino/ui-outputs";

tpPart("oled", function (i2c, address, onAbsent) {
  const graphics = espruinoGraphics();
  if (!graphics) {
    onAbsent(null);
    return null;
  }
  const panel = new Ssd1306(i2c, { address: address });
  try {
    panel.init();
  } catch (e) {
    if (!isCoded(e, "SSD1306_NACK")) throw e;
    onAbsent(e);
    return null;
  }
  return new Screen(graphics.create(panel.width, panel.height), panel);
});
