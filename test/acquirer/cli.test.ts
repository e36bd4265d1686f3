/**
 * `npm run acquirer` as a real process (node host/run.mjs host/acquirer.ts): the ready line,
 * a signal stop, and a restart of the process on the same data folder that loses nothing;
 * the arguments; the configuration file (terminals, issuers, host secret).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { parseAcquirerArgs } from "../../host/acquirer/cli";
import { parseConfig, TEST_TERMINAL_KEY_HEX } from "../../host/acquirer/config";
import { authBody, newId, send, startTest, tapRecord, tempDir } from "./helpers";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const tmp = tempDir();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  tmp.remove();
});

/** Starts the acquirer process; resolves with its port once it printed the ready line. */
function startProcess(dataDir: string): Promise<{ child: ChildProcess; port: number; firstLine: string }> {
  const child = spawn(process.execPath, ["host/run.mjs", "host/acquirer.ts", "--port", "0", "--data", dataDir, "--hold-ms", "500"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const guard = setTimeout(() => reject(new Error("no ready line within 15 s: " + out + err)), 15000);
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(guard);
      const firstLine = out.substring(0, nl);
      const m = /^acquirer listening on http:\/\/127\.0\.0\.1:([0-9]+)$/.exec(firstLine);
      if (m) resolve({ child: child, port: Number(m[1]), firstLine: firstLine });
      else reject(new Error("unexpected first line: " + firstLine));
    });
    child.on("exit", (code) => reject(new Error("exited " + code + ": " + err)));
  });
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    const guard = setTimeout(() => child.kill("SIGKILL"), 10000);
    child.once("exit", (code) => {
      clearTimeout(guard);
      resolve(code);
    });
    child.kill("SIGTERM");
  });
}

describe("npm run acquirer", () => {
  it("prints its URL when ready, stops on SIGTERM, and a restarted process has the whole ledger", async () => {
    const dir = join(tmp.dir, "data");
    const first = await startProcess(dir);
    expect(first.firstLine).toBe(`acquirer listening on http://127.0.0.1:${first.port}`);
    const b = authBody(await tapRecord("quickpass-unionpay", 4200, 0x90), 4200);
    const a = await send(first.port, "POST", "/v1/authorizations", JSON.stringify(b));
    expect(a.json.responseCode).toBe("00");
    expect(await stopProcess(first.child)).toBe(0);

    const second = await startProcess(dir);
    const s = await send(second.port, "GET", "/v1/authorizations/" + String(b.clientTransactionId), null);
    expect(s.json).toEqual({ ...a.json, reversed: false });
    const dup = await send(second.port, "POST", "/v1/authorizations", JSON.stringify(b));
    expect(dup.json).toEqual(a.json);
    expect(await stopProcess(second.child)).toBe(0);
  });
});

describe("arguments", () => {
  it("parses port, data, config and hold, with defaults", () => {
    expect(parseAcquirerArgs([], "/d")).toEqual({ port: 8583, dataDir: "/d", configPath: null, holdMs: 60000, help: false });
    const a = parseAcquirerArgs(["--port", "0", "--data", "/x/y", "--config", "/c.json", "--hold-ms", "250"], "/d");
    expect(a).toMatchObject({ port: 0, dataDir: "/x/y", configPath: "/c.json", holdMs: 250 });
  });

  it.each([[["--port"]], [["--port", "70000"]], [["--data"]], [["--bogus"]], [["--hold-ms", "-1"]]])("refuses %j with ACQ_USAGE", (args) => {
    let code = "";
    try {
      parseAcquirerArgs(args, "/d");
    } catch (e) {
      if (isCoded(e)) code = e.code;
    }
    expect(code).toBe("ACQ_USAGE");
  });
});

describe("configuration file", () => {
  const key = "11".repeat(32);
  const json = JSON.stringify({
    terminals: [{ terminalId: "SHOP0002", merchantId: "MERCHANT0002", keyId: "shop-2", key: key }],
    includeTestTerminal: false,
    hostSecret: "22".repeat(32),
  });

  it("serves the configured terminal with its key, and no longer the test terminal", async () => {
    const cfgPath = join(tmp.dir, "acquirer.json");
    writeFileSync(cfgPath, json);
    const cfg = parseConfig(json);
    expect(cfg.terminals.map((t) => t.keyId)).toEqual(["shop-2"]);
    expect(cfg.issuers.length).toBeGreaterThan(0);
    const t = await startTest(join(tmp.dir, "cfg"), {}, cfg);
    try {
      const b = { ...authBody(await tapRecord("card-visa", 1250, 0x99), 1250), terminalId: "SHOP0002", merchantId: "MERCHANT0002" };
      const a = await send(t.port, "POST", "/v1/authorizations", JSON.stringify(b), { keyId: "shop-2", key: Buffer.from(key, "hex") });
      expect(a.json.responseCode).toBe("00");
      const old = await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { key: Buffer.from(TEST_TERMINAL_KEY_HEX, "hex") });
      expect(old.json).toEqual({ error: "unknown_key" });
    } finally {
      await t.stop();
    }
  });

  it.each([
    ['{"terminals":[{"terminalId":"A","merchantId":"M","keyId":"k","key":"00"}]}', "terminals[0].key"],
    ['{"issuers":[{"bin":"476173","version":"visa-cvn99","imk":"' + "00".repeat(16) + '"}]}', "issuers[0].version"],
    ['{"hostSecret":"zz"}', "hostSecret"],
    ['{"port":1}', "port"],
    ["not json", "$"],
  ])("refuses %s naming %s", (text, path) => {
    let got: unknown = null;
    try {
      parseConfig(text);
    } catch (e) {
      got = isCoded(e, "ACQ_CONFIG") ? e.path : e;
    }
    expect(got).toBe(path);
  });
});
