// The espruino CLI runner against a fake CLI that prints what the real one prints: success
// needs "Upload Complete" and no failure line, whatever the exit code says.
import { afterEach, describe, expect, it } from "vitest";
import { boardLinesOf, cliFailure, cliWarnings, espruinoCliPath, maskSecrets, runEspruinoCli } from "../../host/board/cli";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { FAKE_CLI, tempDir } from "./helpers";

function run(mode: string, extra: { timeoutMs?: number; graceMs?: number; secrets?: string[] } = {}) {
  process.env.FAKE_ESPRUINO_MODE = mode;
  return runEspruinoCli({ args: ["-p", "tcp://127.0.0.1:2323", "-e", "print(1)"], cliPath: FAKE_CLI, timeoutMs: 10000, ...extra });
}

afterEach(() => {
  delete process.env.FAKE_ESPRUINO_MODE;
});

describe("runEspruinoCli (fake CLI)", () => {
  it("success: Upload Complete, exit 0, the board's lines without the --] prefix", async () => {
    const r = await run("ok");
    expect(r.ok).toBe(true);
    expect(r.failure).toBeNull();
    expect(r.exitCode).toBe(0);
    expect(r.boardLines).toContain(">");
  });

  it('"Module FooMod not found" with exit 0 is a failure', async () => {
    const r = await run("module");
    expect(r.exitCode).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.failure).toMatch(/^module FooMod not found/);
  });

  it('"Unable to connect!" with exit 0 is a failure (the missing serial port named)', async () => {
    const r = await run("unable");
    expect(r.exitCode).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.failure).toBe("serial port tcp://127.0.0.1:2323 not found by the espruino CLI (it opens only ports that serialport lists: a USB serial device, udev)");
  });

  it("a refused TCP connection (RECEIVE ERROR, exit 0) is a failure", async () => {
    const r = await run("refused");
    expect(r.ok).toBe(false);
    expect(r.failure).toBe("cannot connect: ECONNREFUSED");
  });

  it("a CLI that never exits after Upload Complete is killed after the grace and counts as done", async () => {
    const t0 = Date.now();
    const r = await run("hang", { graceMs: 300 });
    expect(r.ok).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it("a CLI that prints nothing more is killed at the deadline: failure", async () => {
    const r = await run("silent", { timeoutMs: 1500 });
    expect(r.ok).toBe(false);
    expect(r.timedOut).toBe(true);
    expect(r.failure).toBe("the espruino CLI did not finish within 2 s");
  });

  it("a crash (exit 7) is a failure", async () => {
    const r = await run("crash");
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(7);
    expect(r.failure).toMatch(/ENOENT|exited with code 7/);
  });

  it("an uncaught exception on the board is a failure", async () => {
    const r = await run("uncaught");
    expect(r.ok).toBe(false);
    expect(r.failure).toBe("the board reported: Uncaught Error: Can't read property 'x' of undefined");
  });

  it("secrets the board echoes back are masked in the output", async () => {
    const { dir, cleanup } = tempDir();
    const f = join(dir, "up.js");
    writeFileSync(f, 'var pw="Wifi-Secret-Pass-42";\n');
    process.env.FAKE_ESPRUINO_MODE = "echo";
    const r = await runEspruinoCli({ args: ["-p", "tcp://127.0.0.1:2323", f], cliPath: FAKE_CLI, secrets: ["Wifi-Secret-Pass-42"] });
    cleanup();
    expect(r.ok).toBe(true);
    expect(r.boardLines).toContain('var pw="***";');
    expect(r.output).not.toContain("Wifi-Secret-Pass-42");
  });

  it("a missing CLI is a coded error", () => {
    expect(() => runEspruinoCli({ args: [], cliPath: "/nonexistent/espruino-cli.js" })).toThrow(expect.objectContaining({ code: "BOARD_CLI_MISSING" }));
  });
});

describe("cliFailure on lines the real CLI 0.1.67 printed", () => {
  const header = 'Espruino Command-line Tool 0.1.67\n-----------------------------------\n\nExplicit board JSON supplied: "board.json"\n';
  it("success output has no failure", () => {
    expect(cliFailure(header + "Connecting to 'tcp://127.0.0.1:2323'\nConnected\n--] >\n--] hello from flash\n--] >\nUpload Complete\nYou have pre-1v96 firmware. Upload size is limited by available RAM\n")).toBeNull();
  });
  it('"Error parsing JavaScript, but uploading anyway" (class fields) is a warning, not a failure', () => {
    const out = header + "Connected\nError parsing JavaScript, but uploading anyway.<br/>SyntaxError: Unexpected token (1:66682)\n--] >\nUpload Complete\n";
    expect(cliFailure(out)).toBeNull();
    expect(cliWarnings(out)).toEqual(["Error parsing JavaScript, but uploading anyway. SyntaxError: Unexpected token (1:66682)"]);
  });

  it("each failure", () => {
    expect(cliFailure(header + "Writing output to out2.js\nModule FooMod not found\n")).toMatch(/^module FooMod not found/);
    expect(cliFailure(header + "Connecting to '/dev/ttyUSB_nope'\nserial: Port \"/dev/ttyUSB_nope\" not found\nUnable to connect!\n")).toMatch(/^serial port \/dev\/ttyUSB_nope not found by the espruino CLI/);
    expect(cliFailure("Unable to connect!\n")).toBe("unable to connect to the board");
    // a USB device still enumerating: the CLI retries; only its last word counts
    expect(cliFailure('serial: Port "/dev/ttyUSB0" not found - checking ports again (5 attempts left)\nConnected\nUpload Complete\n')).toBeNull();
    expect(cliFailure("Error: Error Resource temporarily unavailable Cannot lock port\n")).toMatch(/^port busy/);
    expect(cliFailure("--] Uncaught SyntaxError: Got ')' expected EOF\n")).toMatch(/^the board reported: Uncaught SyntaxError/);
  });
});

describe("masking", () => {
  it("a secret and its base64 form (as --storage sends it) become ***", () => {
    const s = "Wifi-Secret-Pass-42";
    const b64 = Buffer.from(s).toString("base64").replace(/=+$/, "");
    expect(maskSecrets(`pw=${s} atob("${b64}")`, [s])).toBe('pw=*** atob("***")');
    expect(boardLinesOf("x\n--] a\n--]  b\r\n")).toEqual(["a", " b"]);
  });
});

describe("the real espruino CLI, offline, without a board (-n -o)", () => {
  it("inlines a module from MODULES_CWD/modules/ instead of downloading it (the preload's global fs)", async () => {
    const { dir, cleanup } = tempDir();
    mkdirSync(join(dir, "modules"));
    writeFileSync(join(dir, "modules", "FooMod.js"), "exports.hi=function(){return 1;};\n");
    writeFileSync(join(dir, "app.js"), 'var f=require("FooMod");print(f.hi());\n');
    const out = join(dir, "out.js");
    const r = await runEspruinoCli({
      args: ["-n", "--board", resolve(PROJECT_ROOT, "board/espruino-wifi/espruino-board.json"), "--config", `MODULES_CWD=${dir}`, "-o", out, join(dir, "app.js")],
      cliPath: espruinoCliPath(),
      timeoutMs: 30000,
    });
    const sent = readFileSync(out, "utf8");
    cleanup();
    expect(r.output).not.toMatch(/Module FooMod not found|getURL/);
    expect(sent).toContain('Modules.addCached("FooMod",function(){exports.hi=function(){return 1}});');
  });
});
