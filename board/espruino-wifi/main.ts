/**
 * Board `espruino-wifi` (board.ts): the terminal on the PN532's I2C link only, no display.
 * WiFi through tappos's own ESP8266 AT driver (src/hal/espruino/esp8266-*.ts), registered as
 * Espruino's network with the built-in NetworkJS so that the built-in http (and TLS) run over
 * it: no module outside the firmware is needed. No SNTP: the clock comes from the acquirer's
 * Date header at TerminalAuth's boot. The console till: sale(1250), cancel(), status(), last().
 * Its code is built into the board's firmware (npm run firmware, board/espruino-wifi/firmware.json):
 * this bundle as the module "tappos" (.bootcde is `require("tappos");`) and its parts (parts/*.ts)
 * as modules "tpp.card" and "tpp.conf"; its one Storage page keeps the config and the files.
 */
import { espruinoClock } from "../../src/hal/espruino/clock";
import { esp8266 } from "../../src/hal/espruino/esp8266-net";
import { espruinoModemPort, espruinoNetwork } from "../../src/hal/espruino/esp8266-port";
import { loadFirmwarePart, loadFirmwareRootPart } from "../../src/hal/espruino/parts";
import { I2cLink } from "../../src/pn532/link-i2c";
import { coreParts, startBoard, type PartTypes } from "../esp32/compose";
import { espruinoWifiBoard } from "./board";

function part<K extends keyof PartTypes>(name: K): PartTypes[K] {
  return loadFirmwarePart<PartTypes[K]>(name);
}

const core = coreParts(part, loadFirmwareRootPart);

startBoard({
  spec: espruinoWifiBoard(),
  // Parts built into the firmware with the bundle (npm run firmware), as the esp32's are in
  // Storage: the config check for the boot only; the card reader while a sale polls and reads.
  config: core.config,
  reader: core.reader,
  auth: core.auth,
  card: core.card,
  link: function (kind, i2c, clock, pin, irq) {
    return kind === "i2c" ? new I2cLink(i2c, clock, { irq: irq, sum: E.sum }) : null;
  },
  oled: null,
  wifi: function () {
    const esp = esp8266(espruinoModemPort(Serial2, { rx: A3, tx: A2, enable: A14, boot: A13 }), espruinoClock());
    espruinoNetwork(esp.net);
    const w = esp.wifi;
    return {
      connect: function (ssid: string, o: { password: string }, cb: (err: string | null) => void) {
        w.connect(ssid, o, function (err) {
          if (err) print("wifi: " + err); // a coded reason (WIFI_JOIN, ESP_TIMEOUT…), never the password
          cb(err);
        });
      },
      disconnect: w.disconnect,
      setSNTP: w.setSNTP,
      on: w.on,
    };
  },
});
