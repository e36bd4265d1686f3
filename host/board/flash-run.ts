/**
 * `npm run flash -- --board esp32 --port /dev/ttyUSB0`: check the port, build, check the
 * bundle (budget, built-in modules), upload it with the espruino CLI and save it to flash
 * (SAVE_ON_SEND=1, the board's `.bootcde`); on a board whose code is built into its firmware
 * (espruino-wifi: board/<name>/firmware.json, npm run firmware) check that the firmware carries
 * this bundle and save only `require("tappos");` (flash-firmware.ts); on a board with parts (build/parts.mjs: esp32)
 * after writing each dist/<board>/<part>.js into Storage as `tpp.<part>`, checked by CRC32 (the
 * saved code runs at once and its boot loads them); on a board
 * that serves the till page (boards.ts
 * TILL_PAGE_BOARDS: esp32) write dist/till.html.gz into Storage as `till.html.gz`, checked by
 * CRC32 (storage-file.ts); then ask the board whether it has a configuration in Storage
 * (`tpconf`). Every failure is one line on stderr and a non-zero exit status; nothing is
 * uploaded after a failed check.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../espruino-dir";
import { FLASH_USAGE, parseBoardArgs, type BoardArgs } from "./args";
import { boardInfo, checkBundle, partsByPlace, partsToWrite, TILL_PAGE_FILE, type BoardInfo } from "./boards";
import { runEspruinoCli, type CliResult } from "./cli";
import { BoardToolError, exitCodeOf } from "./errors";
import { readFirmwareSpec } from "./firmware-board";
import { flashFirmwareBoard } from "./flash-firmware";
import { checkPort, parsePort, type PortSpec } from "./port";
import { checkStoredFile, storageFileScript } from "./storage-file";

export interface ToolIo {
  out(line: string): void;
  err(line: string): void;
}

export const consoleIo: ToolIo = {
  out: (l) => console.log(l),
  err: (l) => console.error(l),
};

/** The CLI's connection arguments for a port (baud only for serial), the board JSON, its local modules. */
export function connectArgs(port: PortSpec, board: BoardInfo, baud: number): string[] {
  const a = ["-p", port.path];
  if (port.kind === "serial") a.push("-b", String(baud));
  return a.concat(["--board", board.boardJson, "--config", `MODULES_CWD=${board.dir}`]);
}

/** Runs `npm run build`'s script (node build.mjs); throws with its problem lines on failure. */
export function buildBundles(io: ToolIo): void {
  const r = spawnSync(process.execPath, [resolve(PROJECT_ROOT, "build.mjs")], { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 300000 });
  const last = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  if (r.status !== 0) {
    for (const l of (r.stderr ?? "").trim().split("\n").slice(0, 20)) if (l) io.err(l);
    throw new BoardToolError("BOARD_BUILD_FAILED", `build failed (${last || "no output"}): nothing flashed`);
  }
  io.out(last);
}

/** What the board says of its Storage: is there a tpconf, and how long is its saved code. */
export interface BoardStatus {
  configured: boolean;
  savedCodeBytes: number;
}

const STATUS_EXPR = 'var s=require("Storage");print("TPSTAT "+JSON.stringify({conf:s.read("tpconf")!==undefined,boot:(s.read(".bootcde")||"").length}))';

export async function boardStatus(port: PortSpec, board: BoardInfo, args: BoardArgs): Promise<BoardStatus | null> {
  const r = await runEspruinoCli({ args: connectArgs(port, board, args.baud).concat(["-e", STATUS_EXPR]), timeoutMs: args.timeoutMs });
  return parseStatus(r);
}

export function parseStatus(r: CliResult): BoardStatus | null {
  for (const l of r.boardLines) {
    const m = /TPSTAT (\{.*\})/.exec(l);
    if (!m) continue;
    try {
      const v = JSON.parse(m[1]) as { conf?: unknown; boot?: unknown };
      return { configured: v.conf === true, savedCodeBytes: typeof v.boot === "number" ? v.boot : 0 };
    } catch {
      return null;
    }
  }
  return null;
}

/** The page to write (null: none), checked before any upload: it exists and is gzip. */
export function pageToWrite(board: BoardInfo, args: BoardArgs): string | null {
  if (args.noPage) return null;
  if (args.page !== null && board.defaultPage === null) {
    throw new BoardToolError("BOARD_USAGE", `--page: ${board.name} does not serve the till page (no room in its Storage)`);
  }
  const page = args.page !== null ? resolve(args.page) : board.defaultPage;
  if (page === null) return null;
  if (!existsSync(page)) throw new BoardToolError("BOARD_PAGE_MISSING", `till page ${page} does not exist: run npm run build (or pass --page FILE, or --no-page): nothing flashed`);
  const head = readFileSync(page).subarray(0, 2);
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) throw new BoardToolError("BOARD_PAGE_MISSING", `till page ${page} is not gzip: nothing flashed`);
  return page;
}

/** Writes `data` into Storage as `name` (no reset, nothing saved to .bootcde), CRC32 checked. */
async function writeStorageFile(port: PortSpec, board: BoardInfo, args: BoardArgs, name: string, data: Buffer, what: string): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "tappos-flash-"));
  try {
    const script = join(tmp, "file.js");
    writeFileSync(script, storageFileScript(name, data));
    const r = await runEspruinoCli({ args: connectArgs(port, board, args.baud).concat(["--config", "RESET_BEFORE_SEND=0", "--config", "SAVE_ON_SEND=0", script]), timeoutMs: args.timeoutMs });
    if (!r.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `writing ${what} failed: ${r.failure}`);
    checkStoredFile(r, name, data);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function flashMain(argv: readonly string[], io: ToolIo = consoleIo): Promise<number> {
  try {
    const args = parseBoardArgs(argv, "flash");
    if (args.help) {
      io.out(FLASH_USAGE);
      return 0;
    }
    const board = boardInfo(args.board);
    const port = parsePort(args.port);
    checkPort(port);
    if (!args.noBuild) buildBundles(io);
    const bundle = args.bundle !== null ? resolve(args.bundle) : board.defaultBundle;
    const checked = checkBundle(board, bundle);
    const page = pageToWrite(board, args);
    const parts = partsToWrite(board, args.parts, args.noParts);
    const firmware = readFirmwareSpec(board.dir);
    if (firmware !== null) {
      // The code is inside the board's firmware (npm run firmware): only the boot line goes up,
      // after the parts the board keeps in its Storage (the boot loads tpp.conf).
      io.out(`checking that ${board.name} on ${port.path} runs the firmware with ${bundle} (${checked.bytes} of ${board.budget} bytes) built in…`);
      const placed = partsByPlace(board, parts, true);
      const writeStorageParts = async (): Promise<void> => {
        for (const p of placed.storage) {
          await writeStorageFile(port, board, args, p.storage, p.data, `part ${p.storage}`);
          io.out(`part written to Storage "${p.storage}" (${p.data.length} bytes, CRC32 checked)`);
        }
      };
      for (const l of await flashFirmwareBoard(board, firmware, port, args, bundle, placed.firmware, connectArgs(port, board, args.baud), writeStorageParts)) io.out(l);
    } else {
      io.out(`flashing ${bundle} (${checked.bytes} of ${board.budget} bytes) to ${board.name} on ${port.path}…`);
      // The parts before the code: saved code runs at once, and its boot loads tpp.conf.
      for (const p of parts) {
        await writeStorageFile(port, board, args, p.storage, p.data, `part ${p.storage}`);
        io.out(`part written to Storage "${p.storage}" (${p.data.length} bytes, CRC32 checked)`);
      }
      const up = await runEspruinoCli({ args: connectArgs(port, board, args.baud).concat(["--config", "SAVE_ON_SEND=1", bundle]), timeoutMs: args.timeoutMs });
      if (!up.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `flash failed: ${up.failure}`);
      for (const w of up.warnings) io.out(`note: the espruino CLI said "${w}" (its parser predates class fields; the bundle went up unchanged)`);
    }
    if (page !== null) {
      const data = readFileSync(page);
      await writeStorageFile(port, board, args, TILL_PAGE_FILE, data, "the till page");
      io.out(`till page written to Storage "${TILL_PAGE_FILE}" (${data.length} bytes, CRC32 checked)`);
    }
    else if (board.defaultPage === null) io.out(`no till page on ${board.name} (no room in its Storage): its till is the console, sale(1250)`);
    const status = await boardStatus(port, board, args);
    if (status === null) {
      io.out(`uploaded and saved to flash; the board did not answer the Storage question afterwards (check with the console: require("Storage").list())`);
      return 0;
    }
    io.out(`uploaded and saved to flash (.bootcde, ${status.savedCodeBytes} bytes)`);
    if (!status.configured) {
      io.out(`the board has no configuration yet (no "tpconf" in Storage): copy config.example.json to config.json, fill it in, then`);
      io.out(`  npm run configure -- --board ${board.name} --port ${port.path} --config config.json`);
    } else {
      io.out(`the board has a configuration ("tpconf" in Storage); npm run configure replaces it`);
    }
    return 0;
  } catch (e) {
    return reportError(e, io, FLASH_USAGE);
  }
}

/** One line for a BoardToolError (usage errors add the usage); anything else is a bug: rethrown. */
export function reportError(e: unknown, io: ToolIo, usage: string): number {
  if (!(e instanceof BoardToolError)) throw e;
  io.err(`error: ${e.message}`);
  if (e.code === "BOARD_USAGE") io.err(usage);
  return exitCodeOf(e);
}
