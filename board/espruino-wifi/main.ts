/**
 * Board `espruino-wifi` (board.ts): the terminal on the PN532's I2C link only, no display.
 * WiFi through tappos's own ESP8266 AT driver (src/hal/espruino/esp8266-*.ts), registered as
 * Espruino's network with the built-in NetworkJS so that the built-in http (and TLS) run over
 * it: no module outside the firmware is needed. No SNTP: the clock comes from the acquirer's
 * Date header at TerminalAuth's boot. The console till: sale(1250), cancel(), status(), last().
 */
import { pn532Reader } from "../../src/app/card-reader";
import { notConfiguredAuth, readConfig, settingsOf } from "../../src/app/config-store";
import { espruinoClock } from "../../src/hal/espruino/clock";
import { esp8266 } from "../../src/hal/espruino/esp8266-net";
import { espruinoModemPort, espruinoNetwork } from "../../src/hal/espruino/esp8266-port";
import { I2cLink } from "../../src/pn532/link-i2c";
import { startBoard } from "../esp32/compose";
import { espruinoWifiBoard } from "./board";

startBoard({
  spec: espruinoWifiBoard(),
  // One Storage page holds everything here: the config check stays in the bundle.
  config: {
    load: function () {
      return { read: readConfig, settings: settingsOf, refuse: notConfiguredAuth };
    },
    done: function () {},
  },
  reader: pn532Reader,
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
