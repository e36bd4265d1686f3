/**
 * The narrow hardware interfaces every driver receives as arguments (docs/architecture.md "Conventions" §1, §2).
 * Implemented for Espruino in src/hal/espruino/, for simulation in src/sim/, for Node in host/.
 * Times are milliseconds (fractional allowed).
 */

export type TimerHandle = number;

/** Monotonic time and timers. Drivers never call setTimeout or Date directly. */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; never goes backwards. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancels a timer; unknown or already-fired handles are ignored. */
  clearTimer(handle: TimerHandle): void;
}

/** Wall-clock date for transaction date/time (9A, 9F21), separate from the monotonic Clock. */
export interface Calendar {
  /** Local date and time now. */
  today(): { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Random bytes from the hardware RNG (E.hwRand on Espruino, crypto on Node). */
export interface Random {
  bytes(count: number): Uint8Array;
}

/** An I2C master, one synchronous transaction per call (Espruino's I2C is synchronous). */
export interface I2cBus {
  /** One write transaction: START, address+W, data, STOP. */
  write(address: number, data: Uint8Array): void;
  /** One read transaction: START, address+R, `length` bytes, STOP. */
  read(address: number, length: number): Uint8Array;
}

/**
 * An SPI master with explicit chip select, so one transaction may span several transfers.
 * Bit order is the bus's own: a link for an LSB-first device reverses bits itself when the
 * bus can only do MSB first.
 */
export interface SpiBus {
  /** Drives chip select low (active). */
  select(): void;
  /** Full-duplex transfer while selected; returns as many bytes as sent. */
  transfer(data: Uint8Array): Uint8Array;
  /** Drives chip select high. */
  deselect(): void;
}

/**
 * Σ of every byte of `bytes` (no modulo): Espruino's native `E.sum` on a board, a JavaScript
 * loop elsewhere. Frame checksums take it from the board (src/ may not name Espruino globals):
 * in the interpreter a loop costs ~1,000 instructions per token it runs, ~6 tokens per byte.
 */
export type ByteSum = (bytes: Uint8Array) => number;

/** A UART. Bytes arrive through the listener in chunks of any size. */
export interface SerialPort {
  setBaudRate(baud: number): void;
  write(data: Uint8Array): void;
  /** Sets the one receive listener (replacing any earlier one); null removes it. */
  onData(listener: ((chunk: Uint8Array) => void) | null): void;
}

/** An input pin wired to an active-low interrupt line (the PN532 P70_IRQ). */
export interface IrqPin {
  /** True while the line is low (asserted). */
  isAsserted(): boolean;
  /** Calls `listener` on each falling edge; null removes it. */
  onAssert(listener: (() => void) | null): void;
}

/** Key-value persistent storage (Espruino `Storage`, a directory on Node). */
export interface KeyValueStore {
  read(name: string): string | undefined;
  write(name: string, data: string): void;
  erase(name: string): void;
  list(prefix: string): string[];
}

/** SHA-256 (FIPS 180-4): Espruino's native `crypto.SHA256` on the board, Node's createHash on the host. */
export interface Sha256 {
  /**
   * The 32-byte digest of a binary string (each char code 0–255 is one byte), as a binary
   * string: strings in and out keep the hashing in native code on Espruino (no JS per byte).
   */
  digest(data: string): string;
}

/** Real time (UTC), for request signatures and the transaction's 9A/9F21. */
export interface WallClock {
  /** Milliseconds since 1970-01-01T00:00:00Z, or null while no valid time is known. */
  unixMs(): number | null;
}

/** Each phase of one HTTP exchange is bounded (ms). */
export interface HttpTimeouts {
  /** TCP (and TLS) connection established. */
  connectMs: number;
  /** Request written to the socket. */
  sendMs: number;
  /** Whole answer read, counted from the end of the send. */
  answerMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Header names in lower case. */
  headers: { [name: string]: string };
  /** The body as a binary string. */
  body: string;
}

/**
 * One HTTP(S) exchange. `callback` runs exactly once: with the answer, or with a coded
 * error (HTTP_CONNECT: nothing was sent; HTTP_TIMEOUT with `phase`; HTTP_CLOSED; HTTP_INSECURE)
 * whose `sent` field tells whether request bytes may have left the terminal.
 */
export interface HttpClient {
  request(
    method: string,
    url: string,
    headers: { [name: string]: string },
    body: string | null,
    timeouts: HttpTimeouts,
    callback: (error: Error | null, answer: HttpAnswer | null) => void,
  ): void;
}

export type WifiStatus = "off" | "connecting" | "connected" | "disconnected";

/** The station link (Espruino `Wifi` on the ESP32): connects, reconnects, reports. */
export interface Wifi {
  status(): WifiStatus;
  /** Sets the one status listener (replacing any earlier one); null removes it. */
  onStatus(listener: ((status: WifiStatus) => void) | null): void;
}
