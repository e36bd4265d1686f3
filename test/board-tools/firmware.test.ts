// npm run firmware (host/board/firmware-run.ts) against a stand-in Espruino checkout and a fake
// make (TAPPOS_MAKE, fake-make.mjs) and compiler (TAPPOS_ARM_GCC): the derived board file, the
// modules built in, Espruino's size check read, each refusal one line; and npm run flash on a
// board whose code is in its firmware (flash-firmware.ts) against the fake CLI.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BoardToolError } from "../../host/board/errors";
import { bundleId, firmwareId, firmwareText, idModuleSource, parseSizeCheck, readFirmwareSpec, tapposBoardFile, type FirmwareSpec } from "../../host/board/firmware-board";
import { bootCode, firmwareQuestion, parseFirmwareAnswer } from "../../host/board/flash-firmware";
import { firmwareMain, parseFirmwareArgs } from "../../host/board/firmware-run";
import { flashMain } from "../../host/board/flash-run";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { capture, FAKE_CLI, fakeRuns, tempDir } from "./helpers";

const FAKE_MAKE = resolve(PROJECT_ROOT, "test/board-tools/fake-make.mjs");
const tmp = tempDir();
const tiny = join(tmp.dir, "tiny.js");
const other = join(tmp.dir, "other.js");
const cliLog = join(tmp.dir, "cli.log");
const makeLog = join(tmp.dir, "make.log");

/** The shape of an Espruino board file (boards/*.py), written for these tests. */
const BOARD_PY = `import pinutils;
info = {
 'name' : "Test WiFi board",
 'variables' : 8190,
 'binary_name' : 'espruino_%v_wifi.bin',
 'build' : {
   'optimizeflags' : '-Os',
   'libraries' : [
     'USB_HID',
     'NET',
     'GRAPHICS',
     'TV',
     'FILESYSTEM',
     'CRYPTO','SHA256','SHA512',
     'TLS',
     'NEOPIXEL',
     'JIT'
   ],
   'makefile' : [
     'DEFINES+=-DUSE_USB_OTG_FS=1',
     'WIZNET=1', # another network chip
     'JSMODULESOURCES+=libs/js/AT.min.js',
     'JSMODULESOURCES+=libs/js/Wifi.min.js',
   ]
  }
};
`;

function checkout(name: string): string {
  const dir = join(tmp.dir, name);
  mkdirSync(join(dir, "boards"), { recursive: true });
  writeFileSync(join(dir, "Makefile"), "# stand-in\n");
  writeFileSync(join(dir, "boards", "ESPRUINOWIFI.py"), BOARD_PY);
  return dir;
}

/** A folder with the espruino-wifi's parts, small. */
function partsOf(): string {
  const d = join(tmp.dir, "parts-small");
  mkdirSync(d, { recursive: true });
  for (const p of ["auth", "card", "conf"]) writeFileSync(join(d, p + ".js"), `module.exports=${JSON.stringify(p)};`);
  return d;
}

const spec = readFirmwareSpec(resolve(PROJECT_ROOT, "board/espruino-wifi")) as FirmwareSpec;

beforeAll(() => {
  writeFileSync(tiny, 'print("tappos tiny bundle");var TINY=1;\n');
  writeFileSync(other, 'print("another build");\n');
  process.env.TAPPOS_MAKE = FAKE_MAKE;
  process.env.TAPPOS_ARM_GCC = process.execPath; // answers --version
  process.env.FAKE_MAKE_LOG = makeLog;
  process.env.TAPPOS_ESPRUINO_CLI = FAKE_CLI;
  process.env.FAKE_ESPRUINO_LOG = cliLog;
});

afterEach(() => {
  delete process.env.FAKE_MAKE_FAIL;
  delete process.env.FAKE_MAKE_BASE;
  delete process.env.FAKE_ESPRUINO_FW;
  delete process.env.FAKE_ESPRUINO_FW_AT;
  writeFileSync(makeLog, "");
  writeFileSync(cliLog, "");
});

afterAll(() => {
  for (const k of ["TAPPOS_MAKE", "TAPPOS_ARM_GCC", "FAKE_MAKE_LOG", "TAPPOS_ESPRUINO_CLI", "FAKE_ESPRUINO_LOG"]) delete process.env[k];
  tmp.cleanup();
});

describe("the derived board file and the size check", () => {
  it("board/espruino-wifi/firmware.json: the stock board, the modules, what is taken out", () => {
    expect(spec.espruinoBoard).toBe("ESPRUINOWIFI");
    expect([spec.module, spec.idModule]).toEqual(["tappos", "tapposid"]);
    // The terminal's bundle needs NetworkJS, http, crypto and Storage: NET, CRYPTO and TLS stay.
    for (const keep of ["NET", "CRYPTO", "TLS"]) expect(spec.dropLibraries).not.toContain(keep);
    expect(readFirmwareSpec(resolve(PROJECT_ROOT, "board/esp32"))).toBeNull();
  });

  it("libraries and makefile lines taken out, defines and modules added, _tappos in the binary's name", () => {
    const out = tapposBoardFile(BOARD_PY, spec, [{ name: "tappos", path: "tappos/tappos.js" }, { name: "tapposid", path: "tappos/tapposid.js" }]);
    const libs = /'libraries' : \[([^\]]*)\]/.exec(out)?.[1] ?? "";
    expect(libs.match(/'[A-Z0-9_]+'/g)).toEqual(["'NET'", "'CRYPTO'", "'SHA256'", "'TLS'"]);
    expect(out).toContain("     'CRYPTO','SHA256',\n");
    expect(out).not.toContain("WIZNET");
    expect(out).not.toContain("AT.min.js");
    expect(out).toContain("'JSMODULESOURCES+=tappos:tappos/tappos.js', # tappos");
    expect(out).toContain("'JSMODULESOURCES+=tapposid:tappos/tapposid.js', # tappos");
    expect(out).toContain("'DEFINES+=" + spec.defines.map((d) => "-D" + d).join(" ") + "', # tappos: features the terminal does not use");
    expect(out).toContain("'DEFINES+=-DUSE_USB_OTG_FS=1',");
    expect(out).toContain("'binary_name' : 'espruino_%v_wifi_tappos.bin'");
    expect(out.split("\n")[0]).toMatch(/^# Derived from boards\/ESPRUINOWIFI\.py by tappos/);
  });

  it("a board file Espruino has changed is refused, not half edited", () => {
    const cases: [string, RegExp][] = [
      [BOARD_PY.replace("     'TV',\n", ""), /has no library 'TV' in its list/],
      [BOARD_PY.replace("     'WIZNET=1', # another network chip\n", ""), /has no makefile line with 'WIZNET=1'/],
      [BOARD_PY.replace("'binary_name' : 'espruino_%v_wifi.bin',", ""), /has no 'binary_name'/],
    ];
    for (const [source, why] of cases) {
      let err: unknown = null;
      try {
        tapposBoardFile(source, spec, []);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BoardToolError);
      expect((err as BoardToolError).code).toBe("BOARD_FIRMWARE_SOURCE");
      expect((err as BoardToolError).message).toMatch(why);
    }
  });

  it("Espruino's size check read; the identity module", () => {
    expect(parseSizeCheck("Checking size of bin/e_wifi_tappos.bin\nGENDIR not set\nPASS - size of 389252 is under 393216 bytes\n")).toEqual({ ok: true, file: "bin/e_wifi_tappos.bin", size: 389252, max: 393216 });
    expect(parseSizeCheck("Checking size of bin/x.bin\nFAIL - size of 400000 is over 393216 bytes\n")).toEqual({ ok: false, file: "bin/x.bin", size: 400000, max: 393216 });
    expect(parseSizeCheck("LD bin/x.elf\n")).toBeNull();
    const id = bundleId(Buffer.from("abc"));
    expect(id).toEqual({ crc: crc32(Buffer.from("abc")) >>> 0, bytes: 3 });
    expect(idModuleSource(id)).toBe(`exports.crc=${id.crc};exports.bytes=3;\n`);
  });
});

describe("npm run firmware (fake make and compiler)", () => {
  it("builds the derived board after make clean with the bundle and its parts, copies the binary, says what it carries", async () => {
    const dir = checkout("ok");
    const partsDir = join(tmp.dir, "parts");
    mkdirSync(partsDir, { recursive: true });
    writeFileSync(join(partsDir, "auth.js"), "module.exports=function(){return 'auth';};");
    writeFileSync(join(partsDir, "card.js"), "module.exports=function(){return 'card';};");
    writeFileSync(join(partsDir, "conf.js"), "module.exports={read:0};");
    const out = join(tmp.dir, "fw-ok.bin");
    const io = capture();
    expect(await firmwareMain(["--board", "espruino-wifi", "--espruino", dir, "--bundle", tiny, "--parts", partsDir, "--out", out, "--jobs", "3"], io)).toBe(0);
    expect(io.errors).toEqual([]);
    const runs = readFileSync(makeLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
    expect(runs).toEqual([["BOARD=ESPRUINOWIFI_TAPPOS", "RELEASE=1", "clean"], ["-j3", "BOARD=ESPRUINOWIFI_TAPPOS", "RELEASE=1"]]);
    const code = readFileSync(tiny);
    // The config check is not built in: the board keeps it in Storage (build/budgets.mjs STORAGE_PARTS).
    const parts = ["auth", "card"].map((p) => ({ data: readFileSync(join(partsDir, p + ".js")) }));
    const id = firmwareId(code, parts);
    expect(readFileSync(join(dir, "tappos", "tappos.js"))).toEqual(code);
    expect(readFileSync(join(dir, "tappos", "tpp.auth.js"))).toEqual(parts[0].data);
    expect(readFileSync(join(dir, "tappos", "tpp.card.js"))).toEqual(parts[1].data);
    expect(existsSync(join(dir, "tappos", "tpp.conf.js"))).toBe(false);
    expect(readFileSync(join(dir, "tappos", "tapposid.js"), "utf8")).toBe(idModuleSource(id));
    const board = readFileSync(join(dir, "boards", "ESPRUINOWIFI_TAPPOS.py"), "utf8");
    for (const m of ["tappos", "tpp.auth", "tpp.card", "tapposid"]) expect(board).toContain(`'JSMODULESOURCES+=${m}:tappos/${m}.js', # tappos`);
    expect(board).not.toContain("tpp.conf");
    const size = readFileSync(out).length;
    expect(size).toBe(280000 + code.length + parts[0].data.length + parts[1].data.length + idModuleSource(id).length);
    expect(JSON.parse(readFileSync(join(tmp.dir, "fw-ok.json"), "utf8"))).toEqual({ board: "espruino-wifi", espruinoBoard: "ESPRUINOWIFI_TAPPOS", module: "tappos", parts: ["tpp.auth", "tpp.card"], bytes: id.bytes, crc32: id.crc, firmwareBytes: size, firmwareMax: 393216 });
    expect(existsSync(join(tmp.dir, "fw-ok.log"))).toBe(true);
    expect(io.lines).toContain(`firmware ${out}: ${size} of 393216 bytes (${393216 - size} to spare), tappos ${id.bytes} bytes inside (CRC32 ${id.crc})`);
    expect(io.lines[io.lines.length - 1]).toBe("  npm run flash -- --board espruino-wifi --port /dev/ttyACM0");
    // What the firmware carries is what flash checks: the bundle, then the parts in order.
    expect(id).toEqual(bundleId(Buffer.concat([code, parts[0].data, parts[1].data])));
  });

  it("over the board's room for code: one line, exit 1, no binary", async () => {
    process.env.FAKE_MAKE_BASE = "393200";
    const out = join(tmp.dir, "fw-big.bin");
    const io = capture();
    expect(await firmwareMain(["--board", "espruino-wifi", "--espruino", checkout("big"), "--bundle", tiny, "--parts", partsOf(), "--out", out], io)).toBe(1);
    expect(io.errors).toHaveLength(1);
    expect(io.errors[0]).toMatch(/^error: the firmware is \d+ bytes, over the board's 393216 for code: take more out \(board\/espruino-wifi\/firmware\.json\) or shrink the bundle$/);
    expect(existsSync(out)).toBe(false);
  });

  it("make fails: its last lines, then one coded line naming the log", async () => {
    process.env.FAKE_MAKE_FAIL = "1";
    const out = join(tmp.dir, "fw-fail.bin");
    const io = capture();
    expect(await firmwareMain(["--board", "espruino-wifi", "--espruino", checkout("fail"), "--bundle", tiny, "--parts", partsOf(), "--out", out], io)).toBe(1);
    expect(io.errors).toContain("src/jsvar.c:1:1: error: expected identifier");
    expect(io.errors[io.errors.length - 1]).toBe(`error: make -j${parseFirmwareArgs(["--board", "x", "--espruino", "y"]).jobs} BOARD=ESPRUINOWIFI_TAPPOS RELEASE=1 failed: the whole output is in ${join(tmp.dir, "fw-fail.log")}`);
    expect(existsSync(out)).toBe(false);
  });

  it("refused before make: no checkout, no toolchain, a board without firmware build, usage", async () => {
    let io = capture();
    expect(await firmwareMain(["--board", "espruino-wifi", "--espruino", join(tmp.dir, "nowhere"), "--bundle", tiny], io)).toBe(1);
    expect(io.errors).toEqual([`error: ${join(tmp.dir, "nowhere")} is not a checkout of espruino/Espruino (no Makefile or boards/ESPRUINOWIFI.py): git clone https://github.com/espruino/Espruino`]);
    process.env.TAPPOS_ARM_GCC = join(tmp.dir, "no-such-gcc");
    try {
      io = capture();
      expect(await firmwareMain(["--board", "espruino-wifi", "--espruino", checkout("nogcc"), "--bundle", tiny], io)).toBe(1);
      expect(io.errors).toEqual([`error: ${join(tmp.dir, "no-such-gcc")} not found: install the ARM toolchain (Debian: apt install gcc-arm-none-eabi libnewlib-arm-none-eabi)`]);
    } finally {
      process.env.TAPPOS_ARM_GCC = process.execPath;
    }
    io = capture();
    expect(await firmwareMain(["--board", "esp32", "--espruino", checkout("esp32")], io)).toBe(2);
    expect(io.errors[0]).toBe("error: esp32 runs its code from Storage (npm run flash): it has no firmware build");
    for (const argv of [["--espruino", "x"], ["--board", "espruino-wifi"], ["--board", "espruino-wifi", "--espruino", "x", "--jobs", "0"], ["--nope"]]) {
      io = capture();
      expect(await firmwareMain(argv, io)).toBe(2);
      expect(io.errors[0]).toMatch(/^error: /);
      expect(io.errors[1]).toMatch(/^usage: npm run firmware/);
    }
    expect(readFileSync(makeLog, "utf8")).toBe("");
  });
});

describe("npm run flash on espruino-wifi: the code is in the firmware (fake CLI)", () => {
  const T = ["--board", "espruino-wifi", "--port", "tcp://127.0.0.1:2323", "--bundle", tiny, "--no-parts"];

  it("the firmware carries this bundle: only the boot line is saved", async () => {
    process.env.FAKE_ESPRUINO_FW = tiny;
    const io = capture();
    expect(await flashMain(T, io)).toBe(0);
    const runs = fakeRuns(cliLog);
    expect(runs).toHaveLength(3);
    const saved = runs[1][runs[1].length - 1];
    expect(runs[1]).toContain("SAVE_ON_SEND=1");
    expect(saved).not.toBe(tiny);
    const id = bundleId(readFileSync(tiny));
    const text = firmwareText(readFileSync(tiny));
    expect(io.lines).toContain(`the board's firmware (Espruino 2v29) carries this tappos build (${id.bytes} bytes, CRC32 ${id.crc}); saved code: the bundle's text evaluated in place at 0x08040000 (${text.length} bytes), at the root scope`);
  });

  it("the bundle's text not found in the board's flash: the module line is saved instead, and it says what that costs", async () => {
    process.env.FAKE_ESPRUINO_FW = tiny;
    process.env.FAKE_ESPRUINO_FW_AT = "null";
    const io = capture();
    expect(await flashMain(T, io)).toBe(0);
    expect(fakeRuns(cliLog)).toHaveLength(3);
    expect(io.lines.find((l) => l.startsWith("the board's firmware"))).toMatch(/; its bundle's text was not found in the board's flash: saved code: require\("tappos"\); \(a module: about 700 JsVars more\)$/);
  });

  it("a stock firmware, or another build inside it: nothing saved, one line says what to flash first", async () => {
    let io = capture();
    expect(await flashMain(T, io)).toBe(1);
    expect(io.errors).toEqual([
      `error: the board's firmware (Espruino 2v29) has no tappos built in: npm run firmware -- --board espruino-wifi --espruino DIR, then flash dist/espruino-wifi-firmware.bin (README "The Espruino WiFi's firmware"): nothing flashed`,
    ]);
    expect(fakeRuns(cliLog)).toHaveLength(1);
    writeFileSync(cliLog, "");
    process.env.FAKE_ESPRUINO_FW = other;
    io = capture();
    expect(await flashMain(T, io)).toBe(1);
    expect(io.errors[0]).toMatch(/^error: the board's firmware carries another tappos build \(\d+ bytes, CRC32 \d+; .*tiny\.js: \d+ bytes, CRC32 \d+\): npm run firmware .*: nothing flashed$/);
    expect(fakeRuns(cliLog)).toHaveLength(1);
  });
});

describe("where the bundle lies in the board's flash, and the saved code that runs it there", () => {
  it("the firmware holds a module's text stripped of surrounding whitespace, as Espruino's build (Python's str.strip) does", () => {
    expect(firmwareText(Buffer.from(" \t\nvar a=1;\nf();\r\n\x0c")).toString()).toBe("var a=1;\nf();");
    expect(firmwareText(Buffer.from("\xa0x\x1c", "latin1")).toString("latin1")).toBe("x");
    expect(firmwareText(Buffer.from("  \n")).length).toBe(0);
  });

  /**
   * The question run in Node with stand-ins for the board's E, process and require over a flash
   * image: the firmware's 384 KB at 0x08020000, a decoy (the same first 64 characters, other text: a part or an
   * older copy) before the bundle's text; a root part's text asked for too.
   */
  const long = Buffer.from("var tappos=1;/* " + "a bundle longer than the characters searched for ".repeat(4) + "*/\n");
  const card = Buffer.from("function _a(){}/* " + "the card reader, run at the root when a sale polls ".repeat(3) + "*/");
  function ask(image: Buffer, hasFirmware = true): { v: string; id: unknown; at: (number | null)[] } {
    const text = firmwareText(long);
    const printed: string[] = [];
    const board = {
      E: {
        memoryArea: (a: number, l: number) => image.subarray(a - spec.flash.base, a - spec.flash.base + l).toString("latin1"),
        CRC32: (s: string) => crc32(Buffer.from(s, "latin1")) >>> 0,
      },
      process: { env: { VERSION: "2v29", MODULES: hasFirmware ? "Storage,tappos,tapposid" : "Storage" } },
      require: (m: string) => (m === "tapposid" ? { crc: 1, bytes: 2 } : null),
    };
    new Function("print", "E", "process", "require", firmwareQuestion(spec, [{ module: "tappos", text, id: bundleId(text) }, { module: "tpp.card", text: card, id: bundleId(card) }]))((l: string) => printed.push(l), board.E, board.process, board.require);
    const a = parseFirmwareAnswer({ ok: true, failure: null, boardLines: printed } as never);
    return { v: a!.version, id: a!.id, at: a!.at };
  }

  it("the question finds each text by its first characters and CRC32, past a decoy; none found: null; no tappos: not searched", () => {
    const text = firmwareText(long);
    const image = Buffer.alloc(spec.flash.bytes, 0xff);
    const decoy = Buffer.concat([text.subarray(0, 64), Buffer.from("something else entirely")]);
    decoy.copy(image, 0x1000);
    text.copy(image, 0x30004);
    card.copy(image, 0x41a10);
    expect(ask(image)).toEqual({ v: "2v29", id: { crc: 1, bytes: 2 }, at: [spec.flash.base + 0x30004, spec.flash.base + 0x41a10] });
    expect(ask(Buffer.alloc(spec.flash.bytes, 0xff)).at).toEqual([null, null]);
    expect(ask(image, false)).toEqual({ v: "2v29", id: null, at: [] });
  });

  it("the saved code: where the root parts lie (tpAt), the bundle's text checked by CRC32 at its address and evaluated there, else the module with a line saying why; not found: the module line", () => {
    const id = bundleId(firmwareText(readFileSync(tiny)));
    const part = { module: "tpp.card", at: 0x08051000, crc: 4000000000, bytes: 39038 };
    const code = bootCode(spec, [{ module: "tappos", at: 0x0804a2c4, ...id }, part]);
    expect(code).toBe(
      `var tpAt={"tpp.card":[0x08051000,39038,4000000000]};` +
        `if(E.CRC32(E.memoryArea(0x0804a2c4,${id.bytes}))===${id.crc})eval(E.memoryArea(0x0804a2c4,${id.bytes}));` +
        `else{print("tappos: not at 0x0804a2c4 in this firmware: npm run flash again (running as a module meanwhile)");require("tappos");}\n`,
    );
    expect(bootCode(spec, [part])).toBe('var tpAt={"tpp.card":[0x08051000,39038,4000000000]};require("tappos");\n');
    expect(bootCode(spec, [])).toBe('require("tappos");\n');
  });

  it("board/espruino-wifi/firmware.json: the firmware's code in the STM32F411CE's flash, 384 KB at 0x08020000 (the size check's limit)", () => {
    expect(spec.flash).toEqual({ base: 0x08020000, bytes: 393216 });
  });
});
