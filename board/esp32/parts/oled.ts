/** Part `tpp.oled`: the SSD1306 display (src/app/ui/oled.ts), loaded when the config has it fitted. */
import { openOled } from "../../../src/app/ui/oled";
import { espruinoGraphics } from "../../../src/hal/espruino/ui-outputs";

tpPart("oled", function (i2c, address, onAbsent) {
  return openOled(i2c, espruinoGraphics(), { panel: { address: address }, onAbsent: onAbsent });
});
