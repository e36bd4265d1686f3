/**
 * Writes a binary file into a board's Storage with the espruino CLI and checks it arrived
 * byte for byte: a script of `Storage.write(name, atob(…), offset, size)` lines (base64, so
 * any byte crosses the console as ASCII), then the board prints the CRC32 (`E.CRC32`) and
 * length of what it stored, compared with the host's (node:zlib crc32). Used by
 * `npm run flash` for the till page (`till.html.gz`).
 */
import { crc32 } from "node:zlib";
import type { CliResult } from "./cli";
import { BoardToolError } from "./errors";

/** Bytes per Storage.write line (1,024 base64 characters). */
const CHUNK = 768;

/** The script: erase, the writes, then `TPFILE_CRC <crc32> <length>`. */
export function storageFileScript(name: string, data: Buffer): string {
  const n = JSON.stringify(name);
  let s = `var s=require("Storage");s.erase(${n});\n`;
  for (let i = 0; i < data.length; i += CHUNK) {
    s += `s.write(${n},atob(${JSON.stringify(data.subarray(i, i + CHUNK).toString("base64"))}),${i},${data.length});\n`;
  }
  return s + `var f=s.read(${n})||"";print("TPFILE_CRC "+(E.CRC32(f)>>>0)+" "+f.length);\n`;
}

/** Throws BOARD_FILE_MISMATCH unless the board reported `data`'s CRC32 and length. */
export function checkStoredFile(r: CliResult, name: string, data: Buffer): void {
  const m = r.boardLines.map((l) => /TPFILE_CRC (\d+) (\d+)/.exec(l)).find((x) => x !== null);
  if (!m) throw new BoardToolError("BOARD_FILE_MISMATCH", `writing ${name} to Storage failed: the board did not report what it stored`);
  const want = crc32(data) >>> 0;
  if (Number(m[1]) !== want || Number(m[2]) !== data.length) {
    throw new BoardToolError("BOARD_FILE_MISMATCH", `writing ${name} to Storage failed: the board stored ${m[2]} bytes with CRC32 ${m[1]}, expected ${data.length} bytes with CRC32 ${want}`);
  }
}
