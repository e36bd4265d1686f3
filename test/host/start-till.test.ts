/**
 * `npm start` without a terminal on stdin serves the till (issue 10): it prints
 * "till: http://127.0.0.1:<port>/#token=<token>", serves the page and the API there until
 * killed, keeps the token across a restart on the same state folder, falls back to a free
 * port when the one asked for is busy, and offers the host-only virtual phone routes.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { PROFILE_NAMES } from "../../src/sim/profiles";
import { DEFAULT_TILL_PORT, parseStartArgs } from "../../host/terminal/args";
import { tillLine, tillToken } from "../../host/terminal/till-token";
import { startTill, type StartedTill } from "../browser/start-till";

const T = 90000;
const root = mkdtempSync(join(tmpdir(), "tappos-start-till-"));
const running: StartedTill[] = [];
afterAll(async () => {
  for (const t of running) await t.stop();
  rmSync(root, { recursive: true, force: true });
});

async function started(state: string, extra?: string[]): Promise<StartedTill> {
  const t = await startTill(state, extra);
  running.push(t);
  return t;
}

const auth = (t: StartedTill): { headers: { Authorization: string } } => ({ headers: { Authorization: "Bearer " + t.token } });

function usage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isCoded(e, "START_USAGE")) return e.message;
    throw e;
  }
  return "no error";
}

describe("the till's parts of npm start", () => {
  it("--port N: 0..65535, for the interactive and headless modes only", () => {
    expect(parseStartArgs([], false).port).toBeNull();
    expect(parseStartArgs(["--port", "0"], false).port).toBe(0);
    expect(parseStartArgs(["--port", "9000", "--interactive"], false).port).toBe(9000);
    expect(usage(() => parseStartArgs(["--port", "x"], false))).toMatch(/not a port number/);
    expect(usage(() => parseStartArgs(["--port", "65536"], false))).toMatch(/not a port number/);
    expect(usage(() => parseStartArgs(["--port"], false))).toMatch(/needs a value/);
    expect(usage(() => parseStartArgs(["--port", "9000", "--amount", "1.00", "--tap", "card-visa"], false))).toMatch(/not a scripted sale/);
  });

  it("the token: made once (mode 0600), kept, remade when the file holds no token", () => {
    const dir = join(root, "token");
    const t = tillToken(dir);
    expect(t).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(statSync(join(dir, "till-token")).mode & 0o777).toBe(0o600);
    expect(tillToken(dir)).toBe(t);
    writeFileSync(join(dir, "till-token"), "no good\n");
    const u = tillToken(dir);
    expect(u).not.toBe(t);
    expect(u).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it("the printed line says which port", () => {
    expect(tillLine(DEFAULT_TILL_PORT, "tok", null, DEFAULT_TILL_PORT)).toBe(`till: http://127.0.0.1:${DEFAULT_TILL_PORT}/#token=tok  (the default port; open it in a browser)`);
    expect(tillLine(41234, "tok", null, DEFAULT_TILL_PORT)).toContain(`(port ${DEFAULT_TILL_PORT} was busy: another free port;`);
    expect(tillLine(9000, "tok", 9000, DEFAULT_TILL_PORT)).toContain("(--port 9000;");
    expect(tillLine(41234, "tok", 0, DEFAULT_TILL_PORT)).toContain("(any free port (--port 0);");
  });
});

describe("npm start serves the till", () => {
  it("prints the URL, serves the page and the API until killed, and says how it stopped", async () => {
    const state = join(root, "a");
    const t = await started(state);
    expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/#token=[A-Za-z0-9_-]{16,}$/);
    expect(t.out()).toMatch(/till: \S+ +\(any free port \(--port 0\)/);

    const page = await fetch(t.origin + "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("<title>tappos till</title>");
    expect(html).not.toContain(t.token); // the page holds no secret

    const status = await fetch(t.origin + "/api/status", auth(t));
    expect(status.status).toBe(200);
    const s = (await status.json()) as { state: string; currencyLabel: string; exponent: number };
    expect(s.state).toBe("idle");
    expect(s.currencyLabel).toBe("EUR");
    expect(s.exponent).toBe(2);

    expect((await fetch(t.origin + "/api/status")).status).toBe(401);
    expect((await fetch(t.origin + "/api/status", { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await fetch(t.origin + "/api/sim/profiles")).status).toBe(401);

    // Still serving a while later: headless runs until a signal, stdin's end is no reason to stop.
    await t.waitFor(/headless: running/);
    expect((await fetch(t.origin + "/api/status", auth(t))).status).toBe(200);

    expect(await t.stop()).toBe(0);
    expect(t.out()).toMatch(/stopped by SIGTERM/);
    await expect(fetch(t.origin + "/api/status", auth(t))).rejects.toThrow();
  }, T);

  it("interactive (--interactive over pipes) serves it too, until q", async () => {
    const t = await startTill(join(root, "i"), ["--interactive", "--port", "0"], "pipe");
    running.push(t);
    expect((await fetch(t.origin + "/api/status", auth(t))).status).toBe(200);
    // A sale started on the page shows on the prompt's terminal: one terminal, two tills.
    const sale = await fetch(t.origin + "/api/sales", { method: "POST", headers: { Authorization: "Bearer " + t.token, "Idempotency-Key": "k1", "Content-Type": "application/json" }, body: '{"amountMinor":250}' });
    expect(sale.status).toBe(201);
    await t.waitFor(/state +presentCard/);
    t.child.stdin?.write("c\nq\n");
    await t.waitFor(/bye\n/);
    expect(await new Promise((resolve) => (t.child.exitCode !== null ? resolve(t.child.exitCode) : t.child.on("exit", resolve)))).toBe(0);
  }, T);

  it("keeps the token in the state folder across a restart", async () => {
    const state = join(root, "b");
    const first = await started(state);
    expect(readFileSync(join(state, "till-token"), "utf8").trim()).toBe(first.token);
    await first.stop();
    const second = await started(state);
    expect(second.token).toBe(first.token);
    await second.stop();
  }, T);

  it("takes another free port when the one asked for is busy, and says so", async () => {
    const busy: Server = createServer((_, res) => res.end());
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const t = await started(join(root, "c"), ["--port", String(port)]);
      expect(t.origin).not.toBe(`http://127.0.0.1:${port}`);
      expect(t.out()).toContain(`port ${port} was busy: another free port`);
      expect((await fetch(t.origin + "/api/status", auth(t))).status).toBe(200);
      await t.stop();
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  }, T);

  it("offers the virtual phones and puts a named one in the field; nothing else", async () => {
    const t = await started(join(root, "d"));
    const profiles = await fetch(t.origin + "/api/sim/profiles", auth(t));
    expect(profiles.status).toBe(200);
    expect(((await profiles.json()) as { profiles: string[] }).profiles).toEqual(PROFILE_NAMES);

    const post = (body: string): Promise<Response> =>
      fetch(t.origin + "/api/sim/tap", { method: "POST", headers: { Authorization: "Bearer " + t.token, "Content-Type": "application/json" }, body });
    const unknown = await post(JSON.stringify({ profile: "../../etc/passwd" }));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "BAD_REQUEST", field: "profile" });
    const broken = await post("{");
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: "BAD_REQUEST", field: "body" });

    const ok = await post(JSON.stringify({ profile: "card-visa" }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ profile: "card-visa" });
    await t.waitFor(/card-visa\S* held out to the reader \(till page\)|held out to the reader \(till page\)/);
    await t.stop();
  }, T);
});
