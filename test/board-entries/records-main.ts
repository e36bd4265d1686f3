/**
 * Test-only entry (test/build/mangle-props.test.ts): runs test/board-entries/records.ts in the
 * Espruino interpreter, with Espruino's native SHA-256 (crypto.SHA256) and the config text from the Storage
 * file `tpconf`, written before the bundle is load()ed.
 */
import { runRecords } from "./records";

declare function print(line: string): void;
// Espruino's native SHA-256 as src/hal/espruino/sha256.ts uses it (declared here: test/'s
// TypeScript project does not know Espruino's globals).
declare const E: { toString(b: unknown): string };
const crypto = require("crypto") as { SHA256(data: string): unknown };

const flash = require("Storage") as { read(n: string): string | undefined };
setTimeout(function () {
  runRecords({
    print: function (line: string) {
      print(line);
    },
    sha: {
      digest: function (data: string): string {
        return E.toString(crypto.SHA256(data));
      },
    },
    defer: function (fn: () => void) {
      setTimeout(fn, 0);
    },
    configText: flash.read("tpconf") || "",
    done: function () {},
  });
}, 0);
