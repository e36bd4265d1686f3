/**
 * `npm run flash` on a board whose code is built into its firmware (board/<name>/firmware.json,
 * `npm run firmware`): the board is asked which tappos build its firmware carries (the identity
 * module: CRC32 and length of the bundle and its parts), that is checked against the build here
 * (dist/<board>.js and dist/<board>/*.js), and only then is
 * the saved code (`.bootcde`) set to one line, `require("tappos");`, which runs the terminal
 * from the firmware's flash at every boot. A board without tappos in its firmware, or with
 * another build of it, gets nothing: one line says what to flash first.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BoardArgs } from "./args";
import type { BoardInfo } from "./boards";
import { runEspruinoCli, type CliResult } from "./cli";
import { BoardToolError } from "./errors";
import { firmwareId, type FirmwareSpec } from "./firmware-board";
import type { PartFile } from "./boards";
import type { PortSpec } from "./port";

/** What the board's firmware says of itself. */
export interface FirmwareAnswer {
  version: string;
  /** The identity module's numbers, null when the firmware has no tappos. */
  id: { crc: number; bytes: number } | null;
}

export function firmwareQuestion(spec: FirmwareSpec): string {
  const m = JSON.stringify(spec.idModule);
  return `print("TPFW "+JSON.stringify({v:process.env.VERSION,id:(process.env.MODULES||"").split(",").indexOf(${m})>=0?require(${m}):null}))`;
}

export function parseFirmwareAnswer(r: CliResult): FirmwareAnswer | null {
  for (const l of r.boardLines) {
    const m = /TPFW (\{.*\})/.exec(l);
    if (!m) continue;
    try {
      const v = JSON.parse(m[1]) as { v?: unknown; id?: { crc?: unknown; bytes?: unknown } | null };
      const id = v.id && typeof v.id.crc === "number" && typeof v.id.bytes === "number" ? { crc: v.id.crc, bytes: v.id.bytes } : null;
      return { version: typeof v.v === "string" ? v.v : "?", id };
    } catch {
      return null;
    }
  }
  return null;
}

/** The one line of saved code. */
export function bootLine(spec: FirmwareSpec): string {
  return `require(${JSON.stringify(spec.module)});\n`;
}

/**
 * Checks the board's firmware against `bundle` and saves the boot line; returns the lines to
 * print. `connect` gives the CLI's connection arguments.
 */
export async function flashFirmwareBoard(board: BoardInfo, spec: FirmwareSpec, port: PortSpec, args: BoardArgs, bundle: string, parts: PartFile[], connect: string[]): Promise<string[]> {
  const want = firmwareId(readFileSync(bundle), parts);
  const what = parts.length > 0 ? `${bundle} and its parts` : bundle;
  const q = await runEspruinoCli({ args: connect.concat(["-e", firmwareQuestion(spec)]), timeoutMs: args.timeoutMs });
  if (!q.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `asking the board for its firmware failed: ${q.failure}`);
  const fw = parseFirmwareAnswer(q);
  if (fw === null) throw new BoardToolError("BOARD_UPLOAD_FAILED", `the board did not say which firmware it runs (no TPFW line): nothing flashed`);
  const how = `npm run firmware -- --board ${board.name} --espruino DIR, then flash dist/${board.name}-firmware.bin (README "The Espruino WiFi's firmware")`;
  if (fw.id === null) {
    throw new BoardToolError("BOARD_FIRMWARE_MISSING", `the board's firmware (Espruino ${fw.version}) has no tappos built in: ${how}: nothing flashed`);
  }
  if (fw.id.crc !== want.crc || fw.id.bytes !== want.bytes) {
    throw new BoardToolError(
      "BOARD_FIRMWARE_MISMATCH",
      `the board's firmware carries another tappos build (${fw.id.bytes} bytes, CRC32 ${fw.id.crc}; ${what}: ${want.bytes} bytes, CRC32 ${want.crc}): ${how}: nothing flashed`,
    );
  }
  const tmp = mkdtempSync(join(tmpdir(), "tappos-flash-"));
  try {
    const file = join(tmp, "boot.js");
    writeFileSync(file, bootLine(spec));
    const up = await runEspruinoCli({ args: connect.concat(["--config", "SAVE_ON_SEND=1", file]), timeoutMs: args.timeoutMs });
    if (!up.ok) throw new BoardToolError("BOARD_UPLOAD_FAILED", `flash failed: ${up.failure}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [`the board's firmware (Espruino ${fw.version}) carries this tappos build (${want.bytes} bytes, CRC32 ${want.crc}); saved code: ${bootLine(spec).trim()}`];
}
