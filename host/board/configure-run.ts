/**
 * `npm run configure -- --board esp32 --port /dev/ttyUSB0 --config config.json [--rotate-token] [--rotate-key]`:
 * validates the local config (src/app/config-store.ts `checkConfig`, the checker the board
 * runs at boot: each bad field by its path, never its value), then writes the file's JSON to
 * the board's Storage as `tpconf` and checks it arrived byte for byte (CRC32 on the board,
 * `E.CRC32`, against the host's). The code on the board is not touched (no reset, nothing
 * saved to `.bootcde`).
 *
 * Secrets (wifi.password, acquirer.key, till.token) are never printed: they travel only in a
 * temporary file (mode 0600, deleted after the run) that the CLI uploads, and every line of
 * the CLI's output is masked. `--rotate-token` puts a fresh till token (till.token: 24 random
 * bytes, base64url, 32 characters; the till API's bearer token, README "The till on the board") into
 * config.json before the upload and prints it once, for the merchant to type into the till
 * page. `--rotate-key` replaces acquirer.key by 32 fresh random bytes the same way (register
 * the new key with the acquirer).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { checkConfig, CONFIG_FILE } from "../../src/app/config-store";
import { CONFIGURE_USAGE, parseBoardArgs } from "./args";
import { boardInfo } from "./boards";
import { runEspruinoCli } from "./cli";
import { BoardToolError } from "./errors";
import { connectArgs, consoleIo, reportError, type ToolIo } from "./flash-run";
import { checkPort, parsePort } from "./port";

type Obj = { [k: string]: unknown };

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads and parses the config file; one-line errors. */
export function readConfigFile(path: string): Obj {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new BoardToolError("BOARD_CONFIG_READ", `cannot read ${path} (copy config.example.json to config.json and fill it in)`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new BoardToolError("BOARD_CONFIG_READ", `${path} is not JSON: ${(e as Error).message}`);
  }
  if (!isObj(v)) throw new BoardToolError("BOARD_CONFIG_INVALID", `${path}: (file): a JSON object`);
  return v;
}

/** The secrets of a config (to mask in any output). */
export function secretsOf(config: Obj): string[] {
  const out: string[] = [];
  const w = config.wifi;
  const a = config.acquirer;
  if (isObj(w) && typeof w.password === "string") out.push(w.password);
  if (isObj(a) && typeof a.key === "string") out.push(a.key);
  const t = config.till;
  if (isObj(t) && typeof t.token === "string") out.push(t.token);
  return out;
}

/** Problems by field path (config-store.ts), or throws BOARD_CONFIG_INVALID listing them. */
export function validateConfigFile(path: string, config: Obj): void {
  const { problems } = checkConfig(config);
  if (problems.length > 0) {
    throw new BoardToolError("BOARD_CONFIG_INVALID", `${path}: ${problems.length} bad field(s): ${problems.join("; ")}`);
  }
}

/** The Storage text: the config's JSON, non-ASCII escaped so the board's bytes equal the host's. */
export function storageText(config: Obj): string {
  return JSON.stringify(config).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** The script the CLI sends: Storage.write in chunks, then the CRC32 of what is stored. */
export function writeScript(text: string, chunk = 1024): string {
  let s = 'var s=require("Storage");s.erase("' + CONFIG_FILE + '");\n';
  for (let i = 0; i < text.length; i += chunk) {
    s += `s.write("${CONFIG_FILE}",${JSON.stringify(text.slice(i, i + chunk))},${i},${text.length});\n`;
  }
  return s + `print("TPCONF_CRC "+(E.CRC32(s.read("${CONFIG_FILE}"))>>>0)+" "+s.read("${CONFIG_FILE}").length);\n`;
}

/** Writes `text` to `path` through a temporary file, keeping the file's mode. */
function rewriteFile(path: string, text: string): void {
  const mode = statSync(path).mode & 0o777;
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

const mask = (s: string): string => (s.length === 0 ? "(empty)" : `**** (${s.length} characters)`);

export async function configureMain(argv: readonly string[], io: ToolIo = consoleIo): Promise<number> {
  let tmp: string | null = null;
  try {
    const args = parseBoardArgs(argv, "configure");
    if (args.help) {
      io.out(CONFIGURE_USAGE);
      return 0;
    }
    const board = boardInfo(args.board);
    const port = parsePort(args.port);
    const path = resolve(args.config as string);
    const config = readConfigFile(path);
    validateConfigFile(path, config);
    checkPort(port);
    let token: string | null = null;
    if (args.rotateToken) {
      token = randomBytes(24).toString("base64url");
      config.till = { ...(isObj(config.till) ? config.till : {}), token };
    }
    if (args.rotateKey) {
      const acquirer = config.acquirer as Obj;
      acquirer.key = randomBytes(32).toString("hex");
      io.out(`acquirer.key rotated: a new random 32-byte key is in ${path} (register it with the acquirer for key id ${String(acquirer.keyId)})`);
    }
    if (args.rotateToken || args.rotateKey) rewriteFile(path, JSON.stringify(config, null, 2) + "\n");
    const secrets = secretsOf(config);
    const text = storageText(config);
    tmp = mkdtempSync(join(tmpdir(), "tappos-configure-"));
    chmodSync(tmp, 0o700);
    const script = join(tmp, "tpconf.js");
    writeFileSync(script, writeScript(text), { mode: 0o600 });
    const r = await runEspruinoCli({
      args: connectArgs(port, board, args.baud).concat(["--config", "RESET_BEFORE_SEND=0", "--config", "SAVE_ON_SEND=0", script]),
      timeoutMs: args.timeoutMs,
      secrets,
    });
    if (!r.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `configure failed: ${r.failure}`);
    const want = crc32(Buffer.from(text, "latin1")) >>> 0;
    const line = r.boardLines.map((l) => /TPCONF_CRC (\d+) (\d+)/.exec(l)).find((m) => m !== null);
    if (!line) throw new BoardToolError("BOARD_CONFIG_MISMATCH", "configure failed: the board did not report what it stored");
    if (Number(line[1]) !== want || Number(line[2]) !== text.length) {
      throw new BoardToolError("BOARD_CONFIG_MISMATCH", `configure failed: the board stored ${line[2]} bytes with CRC32 ${line[1]}, expected ${text.length} bytes with CRC32 ${want}`);
    }
    const w = config.wifi as Obj;
    const a = config.acquirer as Obj;
    io.out(`configuration written to ${board.name} Storage "${CONFIG_FILE}" (${text.length} bytes, CRC32 checked)`);
    io.out(`  wifi ${String(w.ssid)}, password ${mask(String(w.password))}; acquirer ${String(a.url)}, terminal ${String(a.terminalId)}, merchant ${String(a.merchantId)}, key id ${String(a.keyId)}, key ${mask(String(a.key))}`);
    const till = config.till;
    const tillOn = isObj(till) && typeof till.token === "string";
    if (token !== null) io.out(`till token (shown once; also in ${path}): ${token}`);
    if (board.defaultPage === null) io.out(`  no HTTP till on ${board.name} (its till is the console): till.token is not used there`);
    else io.out(tillOn ? `  till on: the page at http://<board address>/ asks for the till token once` : `  till off: no till.token (npm run configure -- … --rotate-token makes one)`);
    io.out(`the terminal reads it at boot: press the board's reset button or power-cycle it`);
    return 0;
  } catch (e) {
    return reportError(e, io, CONFIGURE_USAGE);
  } finally {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
}
