/**
 * The Espruino WiFi's ESP8266 wiring (espruino.com/WiFi, and its EspruinoWiFi module's pin
 * use): the module's UART on Serial2 (STM32 A2 TX → ESP RX, A3 RX ← ESP TX) at 115200 baud,
 * CH_PD (enable) on A14, GPIO0 on A13 held high (run the AT firmware, not the boot loader).
 * The board passes the pins in; this adapter and `espruinoNetwork` are the only places that
 * name Espruino's Serial, Pin and NetworkJS for the modem. Unproven on hardware.
 */
import type { ModemPort } from "./esp8266-at";
import type { NetCallbacks } from "./esp8266-net";

export interface ModemPins {
  rx: Pin;
  tx: Pin;
  enable: Pin;
  /** GPIO0: high at power-up to run the firmware; null when not wired. */
  boot: Pin | null;
}

export function espruinoModemPort(serial: EspruinoSerial, pins: ModemPins, baud?: number): ModemPort {
  pins.enable.write(false); // off until the driver powers it up
  if (pins.boot) pins.boot.write(true);
  serial.setup(baud || 115200, { rx: pins.rx, tx: pins.tx });
  const box = { listener: null as ((chunk: string) => void) | null };
  serial.on("data", function (d: string) {
    if (box.listener) box.listener(d);
  });
  return {
    write: function (d: string) {
      serial.write(d);
    },
    onData: function (l) {
      box.listener = l;
    },
    power: function (on: boolean) {
      pins.enable.write(on);
    },
  };
}

/** Makes the driver Espruino's network: the built-in http (and TLS) then run over it. */
export function espruinoNetwork(net: NetCallbacks): void {
  require("NetworkJS").create(net);
}
