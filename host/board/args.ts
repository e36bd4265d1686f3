/** Command-line arguments of `npm run flash` and `npm run configure` (exit 2 on a usage error). */
import { BoardToolError } from "./errors";

export interface BoardArgs {
  board: string;
  port: string;
  /** flash: the bundle to upload (default dist/<board>.js, built first). */
  bundle: string | null;
  /** flash: skip `npm run build` (implied by --bundle). */
  noBuild: boolean;
  /** configure: the local config file. */
  config: string | null;
  /** configure: a fresh till API token (till.token), written to the board and the file, printed once. */
  rotateToken: boolean;
  /** configure: a fresh HMAC key for the terminal (acquirer.key), written to the board and the file. */
  rotateKey: boolean;
  /** flash: the gzipped till page to write to Storage (default dist/till.html.gz where the board serves one). */
  page: string | null;
  /** flash: do not write the page. */
  noPage: boolean;
  /** flash: the folder of the board's parts (default dist/<board>/ on a board with parts, build/parts.mjs). */
  parts: string | null;
  /** flash: do not write the parts. */
  noParts: boolean;
  baud: number;
  /** Deadline of one CLI run, ms. */
  timeoutMs: number;
  help: boolean;
}

export const FLASH_USAGE = `usage: npm run flash -- --board <esp32|espruino-wifi> --port </dev/ttyUSB0|tcp://host:port>
         [--bundle FILE] [--no-build] [--page FILE | --no-page] [--parts DIR | --no-parts]
         [--baud 115200] [--timeout SECONDS]
  builds (npm run build), checks the bundle against its budget (build/budgets.mjs), uploads it
  with the espruino CLI and saves it to flash (SAVE_ON_SEND); --bundle uploads FILE as is.
  A board that serves the till page (esp32) also gets dist/till.html.gz (or --page FILE) in
  Storage as "till.html.gz"; --no-page leaves Storage's page alone. A board with parts (esp32:
  the config check, the till, the OLED, the SPI and HSU links) gets each dist/<board>/<part>.js
  (or DIR/<part>.js) in Storage as "tpp.<part>", checked by CRC32; --no-parts leaves them alone.
  espruino-wifi runs its code from its firmware (npm run firmware): flash checks that the board's
  firmware carries this bundle and saves only require("tappos") as its code.`;

export const CONFIGURE_USAGE = `usage: npm run configure -- --board <esp32|espruino-wifi> --port </dev/ttyUSB0|tcp://host:port>
         --config config.json [--rotate-token] [--rotate-key] [--baud 115200] [--timeout SECONDS]
  validates config.json (see config.example.json) and writes it to the board's Storage as
  "tpconf"; --rotate-token first puts a fresh random till token (till.token, the till API's
  bearer token) into config.json and prints it once; --rotate-key replaces acquirer.key by a
  fresh random key in config.json (register it with the acquirer).`;

const VALUE_FLAGS = new Set(["--board", "--port", "--bundle", "--page", "--parts", "--config", "--baud", "--timeout"]);

/** Parses argv for `tool`; throws BOARD_USAGE with the problem (print it with the usage). */
export function parseBoardArgs(argv: readonly string[], tool: "flash" | "configure"): BoardArgs {
  const out: BoardArgs = { board: "", port: "", bundle: null, noBuild: false, config: null, rotateToken: false, rotateKey: false, page: null, noPage: false, parts: null, noParts: false, baud: 115200, timeoutMs: 60000, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      out.help = true;
      continue;
    }
    if (VALUE_FLAGS.has(a)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw new BoardToolError("BOARD_USAGE", `${a} needs a value`);
      i++;
      if (a === "--board") out.board = v;
      else if (a === "--port") out.port = v;
      else if (a === "--bundle" && tool === "flash") out.bundle = v;
      else if (a === "--page" && tool === "flash") out.page = v;
      else if (a === "--parts" && tool === "flash") out.parts = v;
      else if (a === "--config" && tool === "configure") out.config = v;
      else if (a === "--baud") out.baud = positiveInt(a, v);
      else if (a === "--timeout") out.timeoutMs = positiveInt(a, v) * 1000;
      else throw new BoardToolError("BOARD_USAGE", `${a} is not an option of ${tool}`);
      continue;
    }
    if (a === "--no-build" && tool === "flash") out.noBuild = true;
    else if (a === "--no-page" && tool === "flash") out.noPage = true;
    else if (a === "--no-parts" && tool === "flash") out.noParts = true;
    else if (a === "--rotate-token" && tool === "configure") out.rotateToken = true;
    else if (a === "--rotate-key" && tool === "configure") out.rotateKey = true;
    else throw new BoardToolError("BOARD_USAGE", `unknown argument ${a}`);
  }
  if (out.help) return out;
  if (out.board === "") throw new BoardToolError("BOARD_USAGE", "--board is required");
  if (out.port === "") throw new BoardToolError("BOARD_USAGE", "--port is required");
  if (tool === "configure" && out.config === null) throw new BoardToolError("BOARD_USAGE", "--config is required");
  if (out.page !== null && out.noPage) throw new BoardToolError("BOARD_USAGE", "--page and --no-page together");
  if (out.parts !== null && out.noParts) throw new BoardToolError("BOARD_USAGE", "--parts and --no-parts together");
  if (out.bundle !== null) out.noBuild = true;
  return out;
}

/** `v` as a positive whole number; BOARD_USAGE naming `flag` otherwise. */
export function positiveInt(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new BoardToolError("BOARD_USAGE", `${flag} takes a positive whole number, not ${v}`);
  return Number(v);
}
