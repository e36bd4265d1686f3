/**
 * SHA-256 on Espruino's native crypto module (ESP32, Espruino WiFi, Pico: SHA1/256/512, no
 * HMAC; docs/espruino-notes.md "Boards"). `SHA256` takes a string whose chars are bytes and returns an
 * ArrayBuffer of 32 bytes, made a binary string by E.toString: the request body is never
 * walked in JS.
 */
import { Sha256 } from "../types";

export function espruinoSha256(): Sha256 {
  const crypto = require("crypto");
  return {
    digest: function (data: string): string {
      // E.toString: the ArrayBuffer as a binary string, natively.
      return E.toString(crypto.SHA256(data));
    },
  };
}
