/**
 * Board `selftest`: an Espruino with ~16,000 JsVars (ESP32, or the Linux build) and no NFC
 * hardware. Runs the simulated PN532 + phone scenario, then the whole terminal composition
 * (src/app/terminal.ts) selling to transcript phones, from a timer once loaded; prints each
 * step, process.memory() and one SELFTEST PASS/FAIL line, and leaves no timer pending.
 * At ~98 KB it runs from Storage (load()) on the 16,383-JsVar build; as a plain file there the
 * text alone fills RAM, so dist/selftest.js installs this bundle into Storage and load()s it
 * (build/self-install.mjs).
 */
import { useNativeHex } from "../../src/bytes/hex";
import { runBoardSelftest } from "../../src/sim/selftest-all";

// Hex through E.mapInPlace, as every board does (src/bytes/hex.ts useNativeHex).
useNativeHex(E.mapInPlace, E.toString);

// Started from a timer, once the load is over: measured with espruino-esp32 (2v29, 16,383
// JsVars), a 75.2 KB bundle ran out of memory when the steps began during the load (file
// text and new objects at once) and passed, 7,968 JsVars free at the end, from a timer.
setTimeout(function () {
  runBoardSelftest({
    print: function (line: string) {
      print(line);
    },
    memory: function () {
      const m = process.memory(true);
      return "free " + m.free + " usage " + m.usage + " total " + m.total;
    },
    defer: function (fn: () => void) {
      setTimeout(fn, 0);
    },
  });
}, 0);
