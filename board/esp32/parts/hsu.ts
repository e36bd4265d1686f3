/** Part `tpp.hsu`: the PN532 over its UART (src/pn532/link-hsu.ts), loaded when tpconf says reader.link "hsu". */
import { espruinoSerial } from "../../../src/hal/espruino/buses";
import { HsuLink } from "../../../src/pn532/link-hsu";

tpPart("hsu", function (kind, i2c, clock, pin, irq) {
  const port = espruinoSerial(Serial2, pin("rx") as Pin, pin("tx") as Pin);
  port.setBaudRate(115200); // the PN532 UART after reset
  return new HsuLink(port, clock);
});
