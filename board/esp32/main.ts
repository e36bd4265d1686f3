/**
 * Board `esp32` (board.ts): the terminal with every reader link (I2C by default, SPI or HSU
 * by config), the OLED, WiFi with SNTP. The console till: sale(1250), cancel(), status(), last();
 * the merchant's till over HTTP once WiFi is up (till.ts).
 */
import { openOled } from "../../src/app/ui/oled";
import { espruinoSerial, espruinoSpi } from "../../src/hal/espruino/buses";
import { espruinoGraphics } from "../../src/hal/espruino/ui-outputs";
import { HsuLink } from "../../src/pn532/link-hsu";
import { I2cLink } from "../../src/pn532/link-i2c";
import { SpiLink } from "../../src/pn532/link-spi";
import { esp32Board } from "./board";
import { startBoard } from "./compose";
import { esp32Till } from "./till";

startBoard({
  spec: esp32Board(),
  link: function (kind, i2c, clock, pin, irq) {
    if (kind === "spi") {
      SPI1.setup({ sck: pin("sck") as Pin, miso: pin("miso") as Pin, mosi: pin("mosi") as Pin, baud: 1000000, mode: 0 });
      return new SpiLink(espruinoSpi(SPI1, pin("cs") as Pin), clock, { irq: irq, reverseBits: true, sum: E.sum });
    }
    if (kind === "hsu") {
      const port = espruinoSerial(Serial2, pin("rx") as Pin, pin("tx") as Pin);
      port.setBaudRate(115200); // the PN532 UART after reset
      return new HsuLink(port, clock);
    }
    return new I2cLink(i2c, clock, { irq: irq, sum: E.sum });
  },
  oled: function (i2c, address, onAbsent) {
    return openOled(i2c, espruinoGraphics(), { panel: { address: address }, onAbsent: onAbsent });
  },
  wifi: function () {
    return require("Wifi");
  },
  till: esp32Till,
});
