/**
 * Board `espruino-wifi`: the Espruino WiFi (STM32F411, 8,190 JsVars, an ESP8266 for WiFi) with a
 * PN532 module on I2C, four status LEDs and a buzzer; no display, no SPI or HSU link (the
 * bundle leaves that code out). Data only: main.ts composes it (board/esp32/compose.ts).
 * A suggested wiring, unproven on hardware:
 *   I2C1  SCL B6, SDA B7, 400 kHz: the PN532 (0x24); PN532 IRQ A8 (optional), RSTPDN B1
 *   LED1…LED4 B13 B14 B15 A5, buzzer B3 (a PWM pin)
 * The ESP8266 is on the board itself (espruino.com/WiFi): its UART on Serial2 (A2 TX, A3 RX)
 * at 115200 baud, CH_PD on A14, GPIO0 on A13; main.ts names those pins (A2, A3, A13, A14 are
 * the PCB's, not a wiring choice), driven by src/hal/espruino/esp8266-*.ts over AT commands.
 */
import type { BoardSpec } from "../esp32/compose";

/** Made when called (once, at boot): no object of pins is held in RAM after it. */
export function espruinoWifiBoard(): BoardSpec {
  return {
    name: "espruino-wifi",
    pins: {
      sda: "B7",
      scl: "B6",
      pn532Irq: "A8",
      pn532Rst: "B1",
      led1: "B13",
      led2: "B14",
      led3: "B15",
      led4: "A5",
      buzzer: "B3",
    },
    i2cBitrate: 400000,
    oledAddress: null,
    fitted: { display: false, leds: true, buzzer: true },
  };
}
