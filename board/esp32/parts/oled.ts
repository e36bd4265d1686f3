/**
 * Part `tpp.oled`: the SSD1306 display (src/display/ssd1306.ts) drawn through Graphics
 * (src/app/ui/screen.ts), loaded when the config has it fitted. Null when no display answers
 * (or no Graphics): the board then lets this part go, where a NullDisplay would hold the
 * part's whole top level at idle (~190 JsVars).
 */
import { openScreen } from "../../../src/app/ui/oled";
import { espruinoGraphics } from "../../../src/hal/espruino/ui-outputs";

tpPart("oled", function (i2c, address, onAbsent) {
  return openScreen(i2c, espruinoGraphics(), { panel: { address: address }, onAbsent: onAbsent });
});
