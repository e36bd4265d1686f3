/**
 * Runs the `espruino` CLI (npm package `espruino`, docs/espruino-notes.md "The `espruino`
 * CLI") and judges its output. The CLI can exit 0 after a failure ("Module X not found",
 * "Unable to connect!", a refused TCP connection printed as "RECEIVE ERROR: …"), and it
 * does not always exit on its own after an upload to a TCP target: so every run has a
 * deadline (SIGKILL), a run that printed "Upload Complete" gets a short grace to exit, and
 * success needs that line and no failure line.
 *
 * The CLI is `node_modules/espruino/bin/espruino-cli.js`, run with this Node; tests point
 * `TAPPOS_ESPRUINO_CLI` (or `cliPath`) at a fake script. `--no-ble` always: the Bluetooth
 * stack (noble over D-Bus) crashes the CLI where no system bus exists, and tappos never
 * talks Bluetooth.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { PROJECT_ROOT } from "../espruino-dir";
import { BoardToolError } from "./errors";

/** Defines the global `fs` the CLI's local-modules plugin needs (see the file). */
export const CLI_PRELOAD = resolve(PROJECT_ROOT, "host/board/espruino-cli-preload.cjs");

/** Where the CLI script is: `TAPPOS_ESPRUINO_CLI`, else the installed npm package. */
export function espruinoCliPath(): string {
  const env = process.env.TAPPOS_ESPRUINO_CLI;
  if (env !== undefined && env !== "") return resolve(env);
  return resolve(PROJECT_ROOT, "node_modules/espruino/bin/espruino-cli.js");
}

export interface CliRunOptions {
  /** Arguments after `--no-ble`. */
  args: string[];
  /** Hard deadline for the whole run, ms (SIGKILL). Default 60 s. */
  timeoutMs?: number;
  /** After "Upload Complete", how long the CLI may take to exit by itself, ms. Default 1500. */
  graceMs?: number;
  /** Strings never to show (WiFi password, HMAC key): replaced by *** in `output`. */
  secrets?: string[];
  cliPath?: string;
  cwd?: string;
}

export interface CliResult {
  ok: boolean;
  /** One line: why the run failed (null when ok). */
  failure: string | null;
  /** stdout and stderr as they came, secrets masked. */
  output: string;
  /** What the board printed (lines after "--] "), secrets masked. */
  boardLines: string[];
  /** Lines the CLI warned and went on after (cliWarnings). */
  warnings: string[];
  exitCode: number | null;
  /** True when the deadline killed it before "Upload Complete". */
  timedOut: boolean;
}

/** Replaces every secret (and its base64 form, as `--storage` sends it) by ***. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of [s, Buffer.from(s).toString("base64").replace(/=+$/, "")]) out = out.split(form).join("***");
  }
  return out;
}

/** The lines the board printed, without the CLI's "--] " prefix. */
export function boardLinesOf(output: string): string[] {
  return output
    .split(/\r?\n/)
    .filter((l) => l.startsWith("--]"))
    .map((l) => l.replace(/^--\] ?/, "").replace(/\x1b\[[0-9;]*[A-Za-z]/g, ""));
}

/**
 * The first failure the output shows, as one line, or null. CLI lines (not "--]"): module
 * not found, unable to connect, a refused or failed connection, a missing file, an error;
 * board lines: an uncaught exception, an interpreter assert or out-of-memory.
 */
export function cliFailure(output: string): string | null {
  const lines = output.split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    if (line.startsWith("--]")) {
      const b = line.replace(/^--\] ?/, "");
      if (/^Uncaught\b|ASSERT|MEMORY|Out of Memory/.test(b)) return `the board reported: ${b}`;
      continue;
    }
    let m = /^Module (\S+) not found/.exec(line);
    if (m) return `module ${m[1]} not found: not built into the board JSON and the CLI cannot download it offline`;
    m = /^RECEIVE ERROR: (.*)$/.exec(line);
    if (m) {
      const code = /"code":"([A-Z_]+)"/.exec(m[1]);
      return `cannot connect: ${code ? code[1] : m[1]}`;
    }
    m = /^serial: Port "([^"]+)" not found/.exec(line);
    if (m && !/checking ports again/.test(line)) return `serial port ${m[1]} not found by the espruino CLI (it opens only ports that serialport lists: a USB serial device, udev)`;
    if (/Unable to connect/i.test(line)) return "unable to connect to the board";
    if (/Cannot lock port|Resource temporarily unavailable|EBUSY/i.test(line)) return `port busy: ${line}`;
    if (/uploading anyway/i.test(line)) continue; // a warning: cliWarnings
    if (/No such file|ENOENT/.test(line)) return line;
    if (/^(Error|TypeError|RangeError|ReferenceError)\b|\bERROR\b/.test(line)) return line;
  }
  return null;
}

/**
 * Warnings the CLI prints and goes on after. "Error parsing JavaScript, but uploading
 * anyway": its own parser (used to scan and minify) predates class fields, which Espruino
 * 2v29 runs; the bundle is uploaded unchanged.
 */
export function cliWarnings(output: string): string[] {
  const out: string[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const l = raw.trim();
    if (!l.startsWith("--]") && /uploading anyway/i.test(l)) out.push(l.replace(/<br\/?>/g, " "));
  }
  return out;
}

/** Runs the CLI once; never rejects for a failed run (see `ok`, `failure`). */
export function runEspruinoCli(options: CliRunOptions): Promise<CliResult> {
  const cli = options.cliPath ?? espruinoCliPath();
  const secrets = options.secrets ?? [];
  if (!existsSync(cli)) {
    throw new BoardToolError("BOARD_CLI_MISSING", `the espruino CLI is not installed (${cli}): run npm ci`);
  }
  const timeoutMs = options.timeoutMs ?? 60000;
  const graceMs = options.graceMs ?? 1500;
  return new Promise((done) => {
    const child = spawn(process.execPath, ["-r", CLI_PRELOAD, cli, "--no-ble", ...options.args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TAPPOS_ESPRUINO_CLI: "" },
    });
    let raw = "";
    let complete = false;
    let timedOut = false;
    let graceTimer: NodeJS.Timeout | null = null;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const deadline = setTimeout(() => {
      timedOut = !complete;
      kill();
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      raw += d.toString("utf8");
      if (!complete && /Upload Complete/.test(raw)) {
        complete = true;
        graceTimer = setTimeout(kill, graceMs);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("close", (code) => {
      clearTimeout(deadline);
      if (graceTimer) clearTimeout(graceTimer);
      const output = maskSecrets(raw, secrets);
      let failure = maskSecretsOrNull(cliFailure(raw), secrets);
      if (failure === null && timedOut) failure = `the espruino CLI did not finish within ${Math.round(timeoutMs / 1000)} s`;
      if (failure === null && !complete) failure = code !== 0 && code !== null ? `the espruino CLI exited with code ${code}` : "the espruino CLI ended without \"Upload Complete\"";
      done({ ok: failure === null, failure, output, boardLines: boardLinesOf(output), warnings: cliWarnings(output), exitCode: code, timedOut });
    });
  });
}

function maskSecretsOrNull(s: string | null, secrets: readonly string[]): string | null {
  return s === null ? null : maskSecrets(s, secrets);
}
