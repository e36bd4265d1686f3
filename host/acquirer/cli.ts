/**
 * `npm run acquirer -- [--port 8583] [--data DIR] [--config FILE] [--hold-ms 60000]`: parses
 * the arguments, opens the ledger, starts the server and prints
 * `acquirer listening on http://127.0.0.1:PORT` when it accepts requests. SIGINT / SIGTERM
 * close the server and the ledger.
 */
import { resolve } from "node:path";
import { codedError, isCoded } from "../../src/bytes/coded-error";
import { defaultConfig, loadConfig } from "./config";
import { startAcquirer, type RunningAcquirer } from "./server";
import { openSqliteStore, type AcquirerStore } from "./store";

export const USAGE = `usage: npm run acquirer -- [--port 8583] [--data DIR] [--config FILE] [--hold-ms 60000]
  --port N       TCP port on 127.0.0.1 (0: a free one); default 8583
  --data DIR     folder of the SQLite ledger; default .tappos/acquirer in the project
  --config FILE  terminals, issuer keys and host secret as JSON (README "Acquirer host");
                 default: the test terminal TAPPOS01 and the virtual cards' test issuers
  --hold-ms N    how long a .91 test amount is held unanswered, ms; default 60000`;

export interface AcquirerArgs {
  port: number;
  dataDir: string;
  configPath: string | null;
  holdMs: number;
  help: boolean;
}

function usage(message: string): Error {
  return codedError("ACQ_USAGE", message);
}

function intArg(name: string, v: string | undefined, max: number): number {
  if (v === undefined || !/^[0-9]{1,9}$/.test(v) || Number(v) > max) throw usage(`${name} needs a number 0..${max}`);
  return Number(v);
}

/**
 * Parses the command line.
 * @param defaultDataDir the data folder when --data is absent
 * @throws ACQ_USAGE
 */
export function parseAcquirerArgs(args: string[], defaultDataDir: string): AcquirerArgs {
  const out: AcquirerArgs = { port: 8583, dataDir: defaultDataDir, configPath: null, holdMs: 60000, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === "--help" || a === "-h") out.help = true;
    else if (a === "--port") (out.port = intArg(a, v, 65535)), i++;
    else if (a === "--hold-ms") (out.holdMs = intArg(a, v, 600000)), i++;
    else if (a === "--data" || a === "--config") {
      if (v === undefined || v.startsWith("--")) throw usage(`${a} needs a path`);
      if (a === "--data") out.dataDir = resolve(v);
      else out.configPath = resolve(v);
      i++;
    } else throw usage(`unknown argument ${a}`);
  }
  return out;
}

/**
 * Runs the acquirer until a signal; returns the running server (tests stop it themselves).
 * Exit status 2 on a usage or configuration error, 1 when the ledger or port cannot be opened.
 */
export async function runAcquirer(args: string[], defaultDataDir: string): Promise<RunningAcquirer | null> {
  let parsed: AcquirerArgs;
  try {
    parsed = parseAcquirerArgs(args, defaultDataDir);
    if (parsed.help) {
      console.log(USAGE);
      return null;
    }
  } catch (e) {
    if (!isCoded(e, "ACQ_USAGE")) throw e;
    console.error("acquirer: " + e.message.substring(e.code.length + 2) + "\n" + USAGE);
    process.exitCode = 2;
    return null;
  }
  let store: AcquirerStore;
  let running: RunningAcquirer;
  try {
    const config = parsed.configPath ? loadConfig(parsed.configPath) : defaultConfig();
    store = openSqliteStore(parsed.dataDir, config.hostSecret);
    try {
      running = await startAcquirer({ config: config, store: store, holdMs: parsed.holdMs }, parsed.port);
    } catch (e) {
      store.close();
      throw e;
    }
  } catch (e) {
    const code = isCoded(e) ? e.code : (e as { code?: string }).code ?? "ERROR";
    console.error(`acquirer: ${code} ${(e as Error).message}`);
    process.exitCode = code === "ACQ_CONFIG" ? 2 : 1;
    return null;
  }
  const stop = (): void => {
    running.close().then(() => store.close());
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  console.log(`acquirer listening on ${running.url}`);
  return running;
}
