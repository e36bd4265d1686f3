/**
 * Test-only entry (test/build/root-part.test.ts): the root-part loaders of
 * src/hal/espruino/parts.ts in the Espruino interpreter, over a small root part in Storage
 * (`tpp.x`, made by build/root-part.mjs). Each step prints one line:
 *   STORAGE  loadRootPart: the value once its top level has run at the root (its globals
 *            defined meanwhile), then after unload (none left);
 *   FLASH    loadFirmwareRootPart with `tpAt` where a stand-in E.memoryArea holds the text;
 *   MOVED    the same with a CRC32 that does not match: the module instead;
 *   MISSING  a part neither built in nor in Storage: BOARD_PART_MISSING;
 *   BROKEN   a part whose top level throws (`tpp.bad`): `failed`, and no hook left behind.
 */
import { loadFirmwareRootPart, loadRootPart } from "../../src/hal/espruino/parts";

type Probe = { hello: (n: number) => number };
const g = global as unknown as { [k: string]: unknown };

function globalsOf(): string {
  return Object.keys(global)
    .filter(function (k) {
      return k.charAt(0) === "_" && k.charAt(1) !== "_";
    })
    .join(",");
}

function step(label: string, load: (ready: (v: Probe, unload: () => void) => void, failed: () => void) => void, next: () => void): void {
  try {
    load(function (v, unload) {
      const during = globalsOf() + (g["tpp.x"] !== undefined ? " hook" : "");
      const r = v.hello(2);
      unload();
      print(label + " " + r + " [" + during + "] after [" + globalsOf() + "]" + (g["tpp.x"] !== undefined ? " hook" : ""));
      next();
    }, function () {
      print(label + " failed, hook " + typeof g["tpReady"]);
      next();
    });
  } catch (e) {
    print(label + " " + (e as Error).message);
    next();
  }
}

const text = require("Storage").read("tpp.x") as string;
const crc = E.CRC32(text);
E.memoryArea = function (a: number, l: number) {
  return a === 0x08050000 && l === text.length ? text : "";
};
step("STORAGE", function (ready, failed) {
  loadRootPart<Probe>("x", ready, failed);
}, function () {
  g["tpAt"] = { "tpp.x": [0x08050000, text.length, crc] };
  step("FLASH", function (ready, failed) {
    loadFirmwareRootPart<Probe>("x", ready, failed);
  }, function () {
    g["tpAt"] = { "tpp.x": [0x08050000, text.length, crc + 1] };
    step("MOVED", function (ready, failed) {
      loadFirmwareRootPart<Probe>("x", ready, failed);
    }, function () {
      step("MISSING", function (ready, failed) {
        loadFirmwareRootPart<Probe>("nope", ready, failed);
      }, function () {
        step("BROKEN", function (ready, failed) {
          loadRootPart<Probe>("bad", ready, failed);
        }, function () {
          print("PROBE DONE");
        });
      });
    });
  });
});
