/**
 * Board `selftest`: an Espruino with ~16,000 JsVars (ESP32, or the Linux build) and no NFC
 * hardware. Runs the simulated PN532 + phone scenario from top-level code when loaded, prints
 * each step, process.memory() and one SELFTEST PASS/FAIL line, and leaves no timer pending.
 */
import { runFullSelftest } from "../../src/sim/selftest-all";

runFullSelftest({
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
