/**
 * Part `tpp.oled`: the SSD1306 display (src/app/ui/oled.ts), loaded when the config has it fitted.
 * Null when no display answers (or no Graphics): the board then lets this part go, where a
 * NullDisplay would hold the part's whole top level at idle (~190 JsVars).
 */
import { openOled } from "../../../src/app/ui/oled";
import { espruinoGraphics } from "../../../src/hal/espruino/ui-outputs";

tpPart("oled", function (i2c, address, onAbsent) {
  let absent = false;
  const sink = openOled(i2c, espruinoGraphics(), {
    panel: { address: address },
    onAbsent: function (why) {
      absent = true;
      onAbsent(why);
    },
  });
  return absent ? null : sink;
});
