/**
 * `npm start` as a test runs it for the till: host/start.ts through host/run.mjs, stdin not a
 * terminal (so headless), its own state folder and a free port (--port 0 unless told), until
 * stopped with SIGTERM. The "till: http://127.0.0.1:<port>/#token=<token>" line gives the URL.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../host/espruino-dir";

export interface StartedTill {
  child: ChildProcess;
  /** The URL as printed, with its #token= fragment. */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  token: string;
  /** Everything printed so far. */
  out(): string;
  /** Resolves once `re` matches the output. */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** The printed line: "till: http://127.0.0.1:8640/#token=abc  (…)". */
export const TILL_LINE = /till: (http:\/\/127\.0\.0\.1:([0-9]+))\/#token=([A-Za-z0-9_-]+)/;

/** `stdin: "pipe"` keeps the child's input open (child.stdin) for --interactive. */
export async function startTill(stateDir: string, extra: string[] = ["--port", "0"], stdin: "ignore" | "pipe" = "ignore"): Promise<StartedTill> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "host/run.mjs"), "host/start.ts", "--state", stateDir, ...extra], {
    cwd: PROJECT_ROOT,
    stdio: [stdin, "pipe", "pipe"],
  });
  let text = "";
  const waiters: { re: RegExp; done: (s: string) => void }[] = [];
  const add = (d: Buffer): void => {
    text += d.toString("utf8");
    for (let i = waiters.length - 1; i >= 0; i--) {
      const m = waiters[i].re.exec(text);
      if (m) {
        waiters[i].done(m[0]);
        waiters.splice(i, 1);
      }
    }
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  const waitFor = (re: RegExp, ms = 60000): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const m = re.exec(text);
      if (m) return resolve(m[0]);
      const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms; output:\n${text}`)), ms);
      waiters.push({ re, done: (s) => (clearTimeout(timer), resolve(s)) });
      void exited.then(() => reject(new Error(`npm start exited before ${re}; output:\n${text}`)));
    });
  const line = await waitFor(TILL_LINE);
  const m = TILL_LINE.exec(line) as RegExpExecArray;
  return {
    child,
    url: m[0].substring("till: ".length),
    origin: m[1],
    token: m[3],
    out: () => text,
    waitFor,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
