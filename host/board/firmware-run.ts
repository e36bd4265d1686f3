/**
 * `npm run firmware -- --board espruino-wifi --espruino ~/src/Espruino`: the board's firmware
 * with the tappos bundle built in (docs/architecture.md "The Espruino WiFi: tappos inside the
 * firmware"). Steps: check the checkout and the ARM toolchain, build the bundle (npm run build)
 * and check it (budget, built-in modules), write the two module files and the derived board
 * file (firmware-board.ts) into the checkout, `make clean` and `make` that board (RELEASE=1),
 * read Espruino's own size check, copy the binary to dist/<board>-firmware.bin. Every failure
 * is one line on stderr and a non-zero exit status.
 *
 * `TAPPOS_MAKE` and `TAPPOS_ARM_GCC` name other programs for `make` and `arm-none-eabi-gcc`
 * (the tests run fakes).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { PROJECT_ROOT } from "../espruino-dir";
import { positiveInt } from "./args";
import { boardInfo, checkBundle, partsByPlace, partsToWrite } from "./boards";
import { BoardToolError } from "./errors";
import { firmwareId, idModuleSource, parseSizeCheck, readFirmwareSpec, tapposBoardFile, tapposBoardName, type FirmwareSpec } from "./firmware-board";
import { buildBundles, consoleIo, reportError, type ToolIo } from "./flash-run";

export const FIRMWARE_USAGE = `usage: npm run firmware -- --board espruino-wifi --espruino DIR [--out FILE] [--bundle FILE] [--parts DIR] [--no-build] [--jobs N]
  builds the board's Espruino firmware from DIR, a checkout of github.com/espruino/Espruino,
  with the tappos bundle (dist/<board>.js, or --bundle FILE) built in as the module "tappos"
  and its parts (dist/<board>/<part>.js, or DIR/<part>.js) as modules "tpp.<part>":
  the code runs from the firmware's flash and the board's Storage keeps only its config and
  files. Needs make, python3 and the ARM toolchain (Debian: gcc-arm-none-eabi
  libnewlib-arm-none-eabi). Writes dist/<board>-firmware.bin (or --out FILE; make's output beside
  it, .log; what it carries, .json); flash that with
  the Espruino Web IDE's firmware updater, then npm run flash -- --board <board> --port ….`;

export interface FirmwareArgs {
  board: string;
  espruino: string;
  out: string | null;
  bundle: string | null;
  /** The folder of the board's parts (default dist/<board>/). */
  parts: string | null;
  noBuild: boolean;
  jobs: number;
  help: boolean;
}

export function parseFirmwareArgs(argv: readonly string[]): FirmwareArgs {
  const a: FirmwareArgs = { board: "", espruino: "", out: null, bundle: null, parts: null, noBuild: false, jobs: Math.max(1, cpus().length), help: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === "--help" || k === "-h") a.help = true;
    else if (k === "--no-build") a.noBuild = true;
    else if (k === "--board" || k === "--espruino" || k === "--out" || k === "--bundle" || k === "--parts" || k === "--jobs") {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new BoardToolError("BOARD_USAGE", `${k} needs a value`);
      if (k === "--board") a.board = v;
      else if (k === "--espruino") a.espruino = v;
      else if (k === "--out") a.out = v;
      else if (k === "--bundle") a.bundle = v;
      else if (k === "--parts") a.parts = v;
      else a.jobs = positiveInt(k, v);
    } else throw new BoardToolError("BOARD_USAGE", `unknown argument ${k}`);
  }
  if (a.help) return a;
  if (a.board === "") throw new BoardToolError("BOARD_USAGE", "--board is required");
  if (a.espruino === "") throw new BoardToolError("BOARD_USAGE", "--espruino is required (a checkout of github.com/espruino/Espruino)");
  if (a.bundle !== null) a.noBuild = true;
  return a;
}

/** The checkout's board file, refused with the reason when DIR is not an Espruino checkout. */
function espruinoBoardSource(dir: string, spec: FirmwareSpec): string {
  const file = join(dir, "boards", spec.espruinoBoard + ".py");
  if (!existsSync(join(dir, "Makefile")) || !existsSync(file)) {
    throw new BoardToolError("BOARD_ESPRUINO_MISSING", `${dir} is not a checkout of espruino/Espruino (no Makefile or boards/${spec.espruinoBoard}.py): git clone https://github.com/espruino/Espruino`);
  }
  return readFileSync(file, "utf8");
}

function checkToolchain(): void {
  const gcc = process.env.TAPPOS_ARM_GCC || "arm-none-eabi-gcc";
  const r = spawnSync(gcc, ["--version"], { encoding: "utf8", timeout: 30000 });
  if (r.error || r.status !== 0) {
    throw new BoardToolError("BOARD_TOOLCHAIN_MISSING", `${gcc} not found: install the ARM toolchain (Debian: apt install gcc-arm-none-eabi libnewlib-arm-none-eabi)`);
  }
}

/** Runs make in the checkout; its whole output goes to `log`. */
function make(dir: string, args: string[], log: string): { ok: boolean; text: string; why: string } {
  const r = spawnSync(process.env.TAPPOS_MAKE || "make", args, { cwd: dir, encoding: "utf8", timeout: 60 * 60 * 1000, maxBuffer: 256 * 1024 * 1024 });
  const text = (r.stdout ?? "") + (r.stderr ?? "");
  writeFileSync(log, text);
  return { ok: !r.error && r.status === 0, text, why: r.error ? ` (${r.error.message})` : "" };
}

/** A failed make: its last lines on stderr, one coded line. */
function makeFailed(args: string[], built: { text: string; why: string }, log: string, io: ToolIo): BoardToolError {
  for (const l of built.text.trim().split("\n").slice(-12)) io.err(l);
  return new BoardToolError("BOARD_FIRMWARE_FAILED", `make ${args.join(" ")} failed${built.why}: the whole output is in ${log}`);
}

export async function firmwareMain(argv: readonly string[], io: ToolIo = consoleIo): Promise<number> {
  try {
    const args = parseFirmwareArgs(argv);
    if (args.help) {
      io.out(FIRMWARE_USAGE);
      return 0;
    }
    const board = boardInfo(args.board);
    const spec = readFirmwareSpec(board.dir);
    if (spec === null) throw new BoardToolError("BOARD_USAGE", `${board.name} runs its code from Storage (npm run flash): it has no firmware build`);
    const dir = resolve(args.espruino);
    const source = espruinoBoardSource(dir, spec);
    checkToolchain();
    if (!args.noBuild) buildBundles(io);
    const bundle = args.bundle !== null ? resolve(args.bundle) : board.defaultBundle;
    const checked = checkBundle(board, bundle);
    // Not the parts the board keeps in its Storage (build/budgets.mjs STORAGE_PARTS): npm run flash writes those.
    const parts = partsByPlace(board, partsToWrite(board, args.parts, false), true).firmware;
    const code = readFileSync(bundle);
    const id = firmwareId(code, parts);
    // The modules inside the checkout, named relative to it: make splits its variables on spaces.
    mkdirSync(join(dir, "tappos"), { recursive: true });
    const files: { name: string; data: Buffer | string }[] = [{ name: spec.module, data: code }];
    for (const p of parts) files.push({ name: p.storage, data: p.data });
    files.push({ name: spec.idModule, data: idModuleSource(id) });
    for (const f of files) writeFileSync(join(dir, "tappos", f.name + ".js"), f.data);
    const name = tapposBoardName(spec);
    const modules = files.map((f) => ({ name: f.name, path: "tappos/" + f.name + ".js" }));
    writeFileSync(join(dir, "boards", name + ".py"), tapposBoardFile(source, spec, modules));
    const out = args.out !== null ? resolve(args.out) : resolve(PROJECT_ROOT, "dist", `${board.name}-firmware.bin`);
    const stem = out.replace(/\.bin$/, "");
    mkdirSync(dirname(out), { recursive: true });
    const log = stem + ".log";
    io.out(`building Espruino for ${name} in ${dir} with ${relative(PROJECT_ROOT, bundle) || bundle} (${checked.bytes} bytes) as module "${spec.module}"` + parts.map((p) => `, ${p.storage} (${p.data.length} bytes)`).join("") + "…");
    // Objects of another board (or of the stock board) must not be linked in.
    const clean = [`BOARD=${name}`, "RELEASE=1", "clean"];
    const cleaned = make(dir, clean, log);
    if (!cleaned.ok) throw makeFailed(clean, cleaned, log, io);
    const all = ["-j" + args.jobs, `BOARD=${name}`, "RELEASE=1"];
    const built = make(dir, all, log);
    const size = parseSizeCheck(built.text);
    if (size !== null && !size.ok) {
      throw new BoardToolError("BOARD_FIRMWARE_FAILED", `the firmware is ${size.size} bytes, over the board's ${size.max} for code: take more out (board/${board.name}/firmware.json) or shrink the bundle`);
    }
    if (!built.ok) throw makeFailed(all, built, log, io);
    if (size === null) throw new BoardToolError("BOARD_FIRMWARE_FAILED", `make gave no size check (Checking size of … PASS/FAIL): the whole output is in ${log}`);
    copyFileSync(resolve(dir, size.file), out);
    writeFileSync(stem + ".json", JSON.stringify({ board: board.name, espruinoBoard: name, module: spec.module, parts: parts.map((p) => p.storage), bytes: id.bytes, crc32: id.crc, firmwareBytes: size.size, firmwareMax: size.max }, null, 2) + "\n");
    io.out(`firmware ${out}: ${size.size} of ${size.max} bytes (${size.max - size.size} to spare), tappos ${id.bytes} bytes inside (CRC32 ${id.crc})`);
    io.out(`flash it with the Espruino Web IDE (Settings → Flasher, the board in its bootloader), then`);
    io.out(`  npm run flash -- --board ${board.name} --port /dev/ttyACM0`);
    return 0;
  } catch (e) {
    return reportError(e, io, FIRMWARE_USAGE);
  }
}
