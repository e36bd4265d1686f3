/**
 * Board `esp32`: an ESP32 DevKit with a PN532 module, four status LEDs, a passive buzzer and
 * an SSD1306 128×64 OLED (docs/architecture.md "Boards and budgets"). Data only: main.ts
 * composes it. Pins a config may override (config-store.ts pinNames); unproven on hardware.
 *   I2C1  SDA D21, SCL D22, 400 kHz: the PN532 (0x24) and the OLED (0x3C) share it
 *   PN532 IRQ D4 (optional: without it the link polls the status byte), RSTPDN D5
 *   SPI (config reader.link "spi"): SCK D18, MISO D19, MOSI D23, SS D15; HSU ("hsu"): Serial2 RX D16, TX D17
 *   LED1…LED4 D25 D26 D27 D14 (the four-light convention, ui/indicators.ts), buzzer D13
 */
import type { BoardSpec } from "./compose";

/** Made when called (once, at boot): no object of pins is held in RAM after it. */
export function esp32Board(): BoardSpec {
  return {
    name: "esp32",
    pins: {
      sda: "D21",
      scl: "D22",
      pn532Irq: "D4",
      pn532Rst: "D5",
      sck: "D18",
      miso: "D19",
      mosi: "D23",
      cs: "D15",
      rx: "D16",
      tx: "D17",
      led1: "D25",
      led2: "D26",
      led3: "D27",
      led4: "D14",
      buzzer: "D13",
    },
    i2cBitrate: 400000,
    oledAddress: 0x3c,
    fitted: { display: true, leds: true, buzzer: true },
  };
}
