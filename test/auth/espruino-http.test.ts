/**
 * The board's HttpClient (src/hal/espruino/http.ts) in the Espruino 2v29 Linux interpreter,
 * over real loopback sockets to a Node server in this process: a POST with its headers and
 * exact body, the answer's status, headers and body; a connection dropped after the request
 * (HTTP_CLOSED, sent); a held request bounded by the clock (HTTP_TIMEOUT); a refused
 * connection (HTTP_CONNECT, nothing sent); plain HTTP off loopback and https without a CA
 * refused before any socket. TLS itself is not exercised (unproven on hardware).
 */
import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT } from "../../host/espruino-dir";

const NO_ESPRUINO = espruinoSkipReason("espruino");
const dirs: string[] = [];
const sockets = new Set<Socket>();
let server: http.Server;
let port = 0;
const seen: { method: string; url: string; body: string; sig: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("latin1");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body: body, sig: String(req.headers["x-tappos-signature"]) });
      if (req.url === "/hold") return;
      if (req.url === "/drop") return void req.socket.destroy();
      res.writeHead(201, { "Content-Type": "application/json", "X-Echo": "yes" });
      res.end(JSON.stringify({ got: body }));
    });
  });
  server.on("connection", (c) => {
    sockets.add(c);
    c.on("close", () => sockets.delete(c));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function entry(dir: string, refusedPort: number): string {
  const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
  const base = `http://127.0.0.1:${port}`;
  return [
    `import { espruinoHttp } from ${src("hal/espruino/http")};`,
    `import { espruinoClock } from ${src("hal/espruino/clock")};`,
    "declare function print(s: string): void;",
    "const client = espruinoHttp(espruinoClock(), {});",
    "const T = { connectMs: 300, sendMs: 300, answerMs: 400 };",
    "function show(name: string) { return function (e: any, a: any) {",
    "  print(name + ' ' + (e ? e.code + ' sent=' + e.sent : a.status + ' ' + a.headers['x-echo'] + ' ' + a.headers['content-type'] + ' ' + a.body));",
    "}; }",
    "const steps: any[] = [",
    `  function (next: any) { client.request('POST', '${base}/v1/authorizations', { 'X-Tappos-Signature': 'c2ln' }, '{"a":"\\u00e9"}', T, function (e: any, a: any) { show('post')(e, a); next(); }); },`,
    `  function (next: any) { client.request('POST', '${base}/drop', {}, '{}', T, function (e: any, a: any) { show('drop')(e, a); next(); }); },`,
    `  function (next: any) { client.request('GET', '${base}/hold', {}, null, T, function (e: any, a: any) { show('hold')(e, a); next(); }); },`,
    `  function (next: any) { client.request('POST', 'http://127.0.0.1:${refusedPort}/x', {}, '{}', T, function (e: any, a: any) { show('refused')(e, a); next(); }); },`,
    "  function (next: any) { client.request('POST', 'http://acquirer.example.com/x', {}, '{}', T, function (e: any, a: any) { show('insecure')(e, a); next(); }); },",
    "  function (next: any) { client.request('POST', 'https://acquirer.example.com/x', {}, '{}', T, function (e: any, a: any) { show('noca')(e, a); next(); }); },",
    "];",
    "let k = 0;",
    "function next() { if (k < steps.length) steps[k++](next); else print('DONE'); }",
    "next();",
  ].join("\n");
}

function run(code: string, dir: string): Promise<string[]> {
  writeFileSync(join(dir, "code.js"), code);
  return new Promise((resolve) => {
    const c = spawn(espruinoBinary("espruino") as string, ["code.js"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] /* stdin open and silent: host/espruino-dir.ts silentStdin */ });
    let out = "";
    c.stdout.on("data", (d) => {
      out += d;
      if (out.includes("DONE")) c.kill("SIGKILL");
    });
    const guard = setTimeout(() => c.kill("SIGKILL"), 30000);
    c.on("close", () => {
      clearTimeout(guard);
      resolve(out.replace(/\r/g, "").split("\n").map((l) => l.replace(/^>?(\x1b\[J)?/, "").trim()).filter((l) => /^(post|drop|hold|refused|insecure|noca|DONE)/.test(l)));
    });
  });
}

describe("Espruino HttpClient in the interpreter", () => {
  it.skipIf(NO_ESPRUINO)(`exchanges over loopback and bounds or refuses the rest${NO_ESPRUINO ? " (skipped: " + NO_ESPRUINO + ")" : ""}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-ehttp-"));
    dirs.push(dir);
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const refusedPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    writeFileSync(join(dir, "main.ts"), entry(dir, refusedPort));
    const b = await buildBoard({ entry: join(dir, "main.ts"), name: "http-check", write: false, budget: 1 << 20 });
    expect(b.problems).toEqual([]);
    const lines = await run(b.code, dir);
    expect(lines).toEqual([
      'post 201 yes application/json {"got":"{\\"a\\":\\"\u00e9\\"}"}',
      "drop HTTP_CLOSED sent=true",
      "hold HTTP_TIMEOUT sent=true",
      "refused HTTP_CONNECT sent=false",
      "insecure HTTP_INSECURE sent=false",
      "noca HTTP_NO_CA sent=false",
      "DONE",
    ]);
    expect(seen[0]).toEqual({ method: "POST", url: "/v1/authorizations", body: '{"a":"\u00e9"}', sig: "c2ln" });
  }, 60000);
});
