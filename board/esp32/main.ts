/**
 * Board `esp32` (board.ts): the terminal with every reader link (I2C by default, SPI or HSU
 * by config), the OLED, WiFi with SNTP. The console till: sale(1250), cancel(), status(), last();
 * the merchant's till over HTTP once WiFi is up (till.ts).
 * What a config may leave unused is a part in Storage (parts/*.ts, docs/architecture.md
 * "Parts: code loaded from Storage"), loaded only when the config asks for it: the SPI and HSU
 * links, the OLED, the till; the config check is loaded for the boot and freed after it; the
 * card reader (everything a tap runs) is loaded when a sale polls and freed once the card is
 * read (authorising) or the terminal is back to idle.
 */
import { loadPart, loadRootPart, unloadPart } from "../../src/hal/espruino/parts";
import { I2cLink } from "../../src/pn532/link-i2c";
import { esp32Board } from "./board";
import { coreParts, startBoard, type PartTypes } from "./compose";

function part<K extends keyof PartTypes>(name: K): PartTypes[K] {
  return loadPart<PartTypes[K]>(name);
}

// The config check for the boot; the card reader and everything a tap runs while a sale polls and reads.
const core = coreParts(part, loadRootPart);

startBoard({
  spec: esp32Board(),
  config: core.config,
  reader: core.reader,
  auth: core.auth,
  card: core.card,
  link: function (kind, i2c, clock, pin, irq) {
    if (kind === "i2c") return new I2cLink(i2c, clock, { irq: irq, sum: E.sum });
    return part(kind === "spi" ? "spi" : "hsu")(kind, i2c, clock, pin, irq);
  },
  oled: function (i2c, address, onAbsent) {
    const screen = part("oled")(i2c, address, onAbsent);
    if (screen === null) unloadPart("oled"); // no display answered: nothing holds the part
    return screen;
  },
  wifi: function () {
    return require("Wifi");
  },
  till: function (c) {
    return part("till")(c);
  },
});
