/**
 * Adapters from Espruino's I2C, SPI, Serial and pins to the hal interfaces. The board's
 * main.ts sets the buses up (pins, bitrate) and hands them here. Unproven on hardware.
 */
import { I2cBus, IrqPin, SerialPort, SpiBus } from "../types";

function toBytes(data: Uint8Array | number[] | number | string): Uint8Array {
  if (typeof data === "string") return E.toUint8Array(data);
  if (typeof data === "number") return new Uint8Array([data]);
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** I2C1.setup({ scl, sda, bitrate: 400000 }) first: the PN532 runs I2C up to 400 kHz. */
export function espruinoI2c(i2c: EspruinoI2C): I2cBus {
  return {
    write: function (address: number, data: Uint8Array) {
      i2c.writeTo(address, data);
    },
    read: function (address: number, length: number): Uint8Array {
      return toBytes(i2c.readFrom(address, length));
    },
  };
}

/** SPI mode 0; `spi.setup({ order: "lsb" })` where the port supports it, else the link reverses bits. */
export function espruinoSpi(spi: EspruinoSPI, cs: Pin): SpiBus {
  return {
    select: function () {
      digitalWrite(cs, 0);
    },
    transfer: function (data: Uint8Array): Uint8Array {
      return toBytes(spi.send(data));
    },
    deselect: function () {
      digitalWrite(cs, 1);
    },
  };
}

/** HSU: the PN532 UART runs 115200 8N1 after reset. */
export function espruinoSerial(serial: EspruinoSerial, rx: Pin, tx: Pin): SerialPort {
  let listener: ((chunk: Uint8Array) => void) | null = null;
  serial.on("data", function (s: string) {
    if (listener) listener(E.toUint8Array(s));
  });
  return {
    setBaudRate: function (baud: number) {
      serial.setup(baud, { rx: rx, tx: tx });
    },
    write: function (data: Uint8Array) {
      serial.write(data);
    },
    onData: function (l: ((chunk: Uint8Array) => void) | null) {
      listener = l;
    },
  };
}

/**
 * P70_IRQ: low while the PN532 has a frame for the host (UM0701-02 §6.2.3). The listener is
 * the watch's own callback (set when the link registers it, once): no wrapper called per edge.
 * clearWatch() with no id clears every watch, so only an id is passed.
 */
export function espruinoIrqPin(pin: Pin): IrqPin {
  let watch = 0;
  pinMode(pin, "input_pullup");
  return {
    isAsserted: function () {
      return !digitalRead(pin);
    },
    onAssert: function (l: (() => void) | null) {
      if (watch) clearWatch(watch);
      watch = l ? setWatch(l, pin, { repeat: true, edge: "falling" }) : 0;
    },
  };
}
