/**
 * Board `espruino-wifi` (board.ts): the terminal on the PN532's I2C link only, no display.
 * WiFi through the EspruinoWiFi module (no SNTP there: the clock comes from the acquirer's
 * Date header at TerminalAuth's boot). The console till: sale(1250), cancel(), status(), last().
 */
import { I2cLink } from "../../src/pn532/link-i2c";
import { startBoard } from "../esp32/compose";
import { ESPRUINO_WIFI_BOARD } from "./board";

startBoard({
  spec: ESPRUINO_WIFI_BOARD,
  link: function (kind, i2c, clock, pin, irq) {
    return kind === "i2c" ? new I2cLink(i2c, clock, { irq: irq }) : null;
  },
  oled: null,
  wifi: function () {
    const w = require("EspruinoWiFi");
    return {
      connect: (ssid: string, o: { password: string }, cb: (err: string | null) => void) => w.connect(ssid, o, cb),
      disconnect: (cb?: () => void) => w.disconnect(cb),
      setSNTP: function () {},
      on: function (event: string, l: (details?: unknown) => void) {
        if (w.on) w.on(event, l);
      },
    };
  },
});
