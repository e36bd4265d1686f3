/**
 * `npm start` as a person or a service runs it (host/start.ts, host/terminal/): headless
 * (one line per event until SIGTERM), interactive over pipes (--interactive) and through a
 * pseudo-terminal (util-linux `script`: stdin is a TTY, so interactive without the flag),
 * a process killed mid-authorization and restarted on the same state folder (one reversal,
 * delivered once), and the selftest still reachable.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { CLEAR_PANS } from "../helpers/clear-pans";
import { defaultConfig } from "../../host/acquirer/config";
import { openSqliteStore } from "../../host/acquirer/store";

const root = mkdtempSync(join(tmpdir(), "tappos-start-modes-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

const RUN = join(PROJECT_ROOT, "host/run.mjs");
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

interface Proc {
  child: ChildProcess;
  /** Everything printed so far, ANSI sequences and CRs removed. */
  out(): string;
  /** Resolves once `re` matches the output (rejects after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function proc(cmd: string, args: string[]): Proc {
  const child = spawn(cmd, args, { cwd: PROJECT_ROOT, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let text = "";
  const waiters: { re: RegExp; done: () => void }[] = [];
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].re.test(text)) {
        waiters[i].done();
        waiters.splice(i, 1);
      }
    }
  };
  const add = (d: Buffer): void => {
    text += d.toString("utf8").replace(ANSI, "").replace(/\r/g, "");
    check();
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return {
    child,
    out: () => text,
    waitFor: (re, ms) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms ?? 60000} ms; output:\n${text}`)), ms ?? 60000);
        waiters.push({ re, done: () => (clearTimeout(timer), resolve()) });
      }),
    exited,
  };
}

const start = (args: string[]): Proc => proc(process.execPath, [RUN, "host/start.ts", ...args]);
const send = (p: Proc, line: string): void => void p.child.stdin?.write(line + "\n");

describe("npm start: headless, interactive, restart", () => {
  it("headless without a terminal on stdin: one line per event, keeps running, stops the acquirer on SIGTERM", async () => {
    const p = start(["--state", join(root, "headless")]);
    await p.waitFor(/^headless: running/m);
    const url = (p.out().match(/^acquirer listening on (http:\/\/127\.0\.0\.1:\d+)$/m) ?? [])[1];
    expect(url).toBeDefined();
    expect(p.out()).toMatch(/^boot +PN532 v1\.6 on a simulated I2C bus$/m);
    expect(p.out()).toMatch(/^display +Welcome$/m);
    expect(p.out()).toMatch(/^leds +●○○○ LED1 flashing \(idle\)$/m);
    // It serves: the acquirer answers while the terminal idles.
    const r = await fetch(url + "/v1/authorizations/00000000000000000000000000000000");
    expect(r.status).toBe(401);
    await new Promise((res) => setTimeout(res, 300));
    expect(p.child.exitCode).toBeNull();
    p.child.kill("SIGTERM");
    const end = await p.exited;
    expect(end.code).toBe(0);
    expect(p.out()).toMatch(/^headless: stopped by SIGTERM, acquirer closed$/m);
    // Every event is one line: kind, spaces, text.
    for (const line of p.out().trim().split("\n")) expect(line).toMatch(/^(acquirer|headless:|till:|[a-z]+ +\S)/);
  }, 120000);

  it("interactive over pipes (--interactive): help, a sale tapped with a picked profile, status, last, a cancelled sale, try another card then a good one, quit", async () => {
    const p = start(["--interactive", "--state", join(root, "interactive")]);
    await p.waitFor(/^tappos> /m);
    expect(p.out()).toContain("12.34        start a sale of 12.34 EUR");
    send(p, "12.34");
    await p.waitFor(/13 broken-early-removal/);
    expect(p.out()).toMatch(/^ +5 card-visa/m);
    send(p, "5");
    await p.waitFor(/result +approved 12\.34 978 476173\*{6}0010 stan 000001/);
    expect(p.out()).toMatch(/field +card-visa held out to the reader/);
    expect(p.out()).toMatch(/display +Present Card +12\.34 EUR/);
    expect(p.out()).toMatch(/apdu +card-visa: GET PROCESSING OPTIONS → 9000 OK/);
    expect(p.out()).toMatch(/online +answer approved 00/);
    send(p, "l");
    await p.waitFor(/^(tappos> )?approved 12\.34 978 476173\*{6}0010 stan 000001 auth \w+$/m);
    send(p, "7.00");
    await p.waitFor(/sale 7\.00: presentCard 7\.00/);
    send(p, "s");
    await p.waitFor(/^(tappos> )?presentCard 7\.00$/m);
    send(p, "c");
    await p.waitFor(/result +cancelled 7\.00 978 \(CANCELLED\)/);
    // A broken card: "try another card", the profiles offered again, a good card approved.
    send(p, "5.00");
    await p.waitFor(/sale 5\.00: presentCard 5\.00/);
    send(p, "9");
    await p.waitFor(/display +Try Another Card +5\.00 EUR/);
    await p.waitFor(/(tap which\?[\s\S]*){4}13 broken-early-removal/);
    expect(p.out().match(/tap which\?/g)?.length).toBe(4); // 12.34, 7.00, 5.00, and again after the broken card
    send(p, "5");
    await p.waitFor(/result +approved 5\.00 978 476173\*{6}0010 stan 000002/);
    send(p, "q");
    const end = await p.exited;
    expect(end.code).toBe(0);
    expect(p.out()).toMatch(/^(tappos> )?bye$/m);
    for (const pan of CLEAR_PANS) expect(p.out()).not.toContain(pan);
  }, 120000);

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("through a pseudo-terminal (script): interactive without the flag, a Google Pay sale with its See Phone restart", async () => {
    const p = proc("script", ["-qfec", `${process.execPath} ${RUN} host/start.ts --state ${join(root, "pty")}`, "/dev/null"]);
    await p.waitFor(/tappos> /);
    expect(p.out()).toContain("c            cancel");
    p.child.stdin?.write("9.99\r");
    await p.waitFor(/tap which\?/);
    p.child.stdin?.write("2\r");
    await p.waitFor(/result +approved 9\.99 978 541333\*{6}0035/);
    expect(p.out()).toMatch(/"see phone": the holder unlocks it/);
    expect(p.out()).toMatch(/state +fieldOff/);
    p.child.stdin?.write("q\r");
    const end = await p.exited;
    expect(end.code).toBe(0);
    expect(p.out()).toMatch(/bye/);
    for (const pan of CLEAR_PANS) expect(p.out()).not.toContain(pan);
  }, 120000);

  it("killed mid-authorization and restarted on the same state folder: the request in flight is reversed, once", async () => {
    const state = join(root, "killed");
    // .91: the acquirer records the approval and never answers; the process dies while it waits.
    const p = start(["--amount", "0.91", "--tap", "card-visa", "--state", state]);
    await p.waitFor(/^state +authorising$/m);
    await p.waitFor(/POST \/v1\/authorizations .*delivery=hold/);
    p.child.kill("SIGKILL");
    await p.exited;
    const again = start(["--amount", "1.00", "--tap", "card-visa", "--state", state]);
    const r1 = await again.exited;
    expect(r1.code).toBe(0);
    expect(again.out()).toMatch(/^boot +power cut found: recoverPending · last: notAuthorised 0\.91 978 476173\*{6}0010 \(POWER_CUT_REVERSED\) stan 000001 reversal queued$/m);
    const id = (again.out().match(/^online +reversal ([0-9a-f]{32}) acknowledged by the acquirer$/m) ?? [])[1];
    expect(id).toBeDefined();
    expect(again.out()).toMatch(/^outcome: approved 1\.00 978 476173\*{6}0010 stan 000002/m);
    const third = start(["--amount", "1.00", "--tap", "card-visa", "--state", state]);
    expect((await third.exited).code).toBe(0);
    expect(third.out()).not.toMatch(/power cut found|acknowledged by the acquirer/);
    const ledger = openSqliteStore(join(state, "acquirer"), defaultConfig().hostSecret);
    try {
      expect(ledger.countReversals()).toBe(1);
      expect(ledger.getAuthorization(id as string)?.reversed).toBe(true);
    } finally {
      ledger.close();
    }
  }, 180000);

  it("--selftest runs the selftest scenario of the selftest board", async () => {
    const p = start(["--selftest"]);
    const end = await p.exited;
    expect(end.code).toBe(0);
    expect(p.out()).toMatch(/SELFTEST PASS \d+\/\d+/);
  }, 180000);
});
