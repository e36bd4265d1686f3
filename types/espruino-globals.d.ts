/**
 * Espruino globals and built-in modules. Only `src/hal/espruino/` and `board/` may use
 * them (build.mjs refuses them elsewhere). Typed narrowly: what tappos uses.
 * Reference: espruino.com/Reference (2v29).
 */
interface Pin {
  read(): boolean;
  write(value: boolean): void;
  set(): void;
  reset(): void;
  mode(mode: string): void;
}
declare function digitalWrite(pin: Pin, value: boolean | number): void;
declare function digitalRead(pin: Pin): number;
declare function pinMode(pin: Pin, mode: string): void;
declare function setWatch(fn: (e: { state: boolean; time: number; lastTime: number }) => void, pin: Pin, options?: { repeat?: boolean; edge?: string; debounce?: number }): number;
declare function clearWatch(id: number): void;
declare function getTime(): number;
declare function print(...text: any[]): void;

interface I2CSetup { scl?: Pin; sda?: Pin; bitrate?: number }
interface EspruinoI2C {
  setup(options: I2CSetup): void;
  writeTo(address: number, data: Uint8Array | number[] | number): void;
  readFrom(address: number, quantity: number): Uint8Array;
}
declare var I2C1: EspruinoI2C;
declare var I2C2: EspruinoI2C;
declare var I2C: { new (): EspruinoI2C };

interface SPISetup { sck?: Pin; miso?: Pin; mosi?: Pin; baud?: number; mode?: number; order?: "msb" | "lsb" }
interface EspruinoSPI {
  setup(options: SPISetup): void;
  send(data: Uint8Array | number[] | number, nss?: Pin): Uint8Array;
  write(data: Uint8Array | number[] | number, nss?: Pin): void;
}
declare var SPI1: EspruinoSPI;
declare var SPI2: EspruinoSPI;
declare var SPI: { new (): EspruinoSPI };

interface SerialSetupOptions { rx?: Pin; tx?: Pin; bytesize?: number; parity?: string | null; stopbits?: number }
interface EspruinoSerial {
  setup(baudrate: number, options?: SerialSetupOptions): void;
  write(data: string | Uint8Array | number[] | number): void;
  on(event: "data", cb: (data: string) => void): void;
  removeAllListeners(event?: string): void;
}
declare var Serial1: EspruinoSerial;
declare var Serial2: EspruinoSerial;

interface EspruinoE {
  toUint8Array(...data: any[]): Uint8Array;
  toString(...data: any[]): string;
  /** Each `bits`-bit group of `from` (MSB first; LSB first when negative) looked up in `map`, written to `to`, natively. */
  mapInPlace(from: Uint8Array, to: Uint8Array, map: Uint8Array, bits: number): void;
  hwRand(): number;
  /** Σ of the elements of an array, typed array or string's char codes, in native code. */
  sum(data: ArrayLike<number> | string): number;
  getSerial(): string;
  setFlags(flags: { [name: string]: number }): void;
  on(event: string, cb: (...args: any[]) => void): void;
  /** A string over `len` bytes of memory at `addr` (on an STM32 its flash, read in place). */
  memoryArea(addr: number, len: number): string;
  /** The standard CRC-32 of a string's bytes, unsigned. */
  CRC32(data: string | Uint8Array): number;
}
declare var E: EspruinoE;

interface EspruinoProcess {
  readonly version: string;
  readonly env: { [key: string]: any };
  memory(gc?: boolean): { free: number; usage: number; total: number; history: number; gc?: number; gctime?: number; blocksize?: number };
}
declare var process: EspruinoProcess;

interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readJSON(name: string, noExceptions?: boolean): any;
  write(name: string, data: string | Uint8Array, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  list(pattern?: string): string[];
  getFree(): number;
}
interface CryptoModule {
  SHA256(data: string | Uint8Array): ArrayBuffer;
  SHA1(data: string | Uint8Array): ArrayBuffer;
}
declare function require(name: "Storage"): StorageModule;
declare function require(name: "crypto"): CryptoModule;
declare function require(name: "Wifi" | "http"): any;
/** Espruino's module cache: a part loaded from Storage (src/hal/espruino/parts.ts) is freed by removeCached. */
declare const Modules: { removeCached(name: string): void };
/** A string callback: Espruino evaluates it at the root scope when the timer fires (a root part, src/hal/espruino/parts.ts). */
declare function setTimeout(code: string, ms?: number): number;
