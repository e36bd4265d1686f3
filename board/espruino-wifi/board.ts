/**
 * Board `espruino-wifi`: the Espruino WiFi (STM32F411, 8,190 JsVars, ESP8266 for WiFi) with a
 * PN532 module on I2C, four status LEDs and a buzzer; no display, no SPI or HSU link (the
 * bundle leaves that code out). Data only: main.ts composes it (board/esp32/compose.ts).
 * A suggested wiring, unproven on hardware:
 *   I2C1  SCL B6, SDA B7, 400 kHz: the PN532 (0x24); PN532 IRQ A8 (optional), RSTPDN B1
 *   LED1…LED4 B13 B14 B15 A5, buzzer B3 (a PWM pin)
 */
import type { BoardSpec } from "../esp32/compose";

export const ESPRUINO_WIFI_BOARD: BoardSpec = {
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
