/**
 * The ESP8266 driver in the Espruino 2v29 Linux interpreter, registered with its real built-in
 * NetworkJS, so that its real built-in `http` module (through src/hal/espruino/http.ts, as the
 * board uses it) runs over the driver's sockets, over AT bytes to the simulated ESP8266
 * (src/sim/esp8266-sim.ts, bundled alongside), whose simulated network holds a small acquirer
 * stand-in written in the test entry (it reads the HTTP request, answers with a Date header
 * and a JSON body, then closes). Checked: the join, a signed POST with its exact body byte for
 * byte at the peer, the answer's status, headers and body; a peer dropping the connection
 * (HTTP_CLOSED); a refused connection; a request before the join (HTTP_CONNECT, nothing sent).
 * Also what NetworkJS hands `create` (host as a string, the port). Unproven on hardware.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBoard } from "../../build.mjs";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT, silentStdin } from "../../host/espruino-dir";

const NO_ESPRUINO = espruinoSkipReason("espruino");
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function entry(dir: string): string {
  const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
  return `
import { find } from ${src("bytes/find")};
import { espruinoClock } from ${src("hal/espruino/clock")};
import { espruinoHttp } from ${src("hal/espruino/http")};
import { esp8266 } from ${src("hal/espruino/esp8266-net")};
import { espruinoNetwork } from ${src("hal/espruino/esp8266-port")};
import { Esp8266Sim } from ${src("sim/esp8266-sim")};
declare function print(s: string): void;
const clock = espruinoClock();
/** The acquirer stand-in on 127.0.0.1:8583: one request, then its answer and close. */
function acquirer(link: any, drop: boolean): any {
  const box = { got: "" };
  return {
    send: function (d: string) {
      box.got += d;
      const end = find(box.got, "\\r\\n\\r\\n", 0);
      if (end < 0) return;
      const cl = find(box.got.toLowerCase(), "content-length: ", 0);
      const len = cl < 0 ? 0 : parseInt(box.got.substring(cl + 16), 10);
      if (box.got.length < end + 4 + len) return;
      print("PEER " + JSON.stringify(box.got));
      if (drop) return link.closed();
      const body = '{"responseCode":"00","echo":' + JSON.stringify(box.got.substring(end + 4)) + "}";
      link.data("HTTP/1.1 201 Created\\r\\nContent-Type: application/json\\r\\nDate: Sun, 06 Dec 2026 22:41:00 GMT\\r\\nContent-Length: " + body.length + "\\r\\nConnection: close\\r\\n\\r\\n" + body);
      link.closed();
    },
    close: function () {},
  };
}
const sim = new Esp8266Sim(clock, {
  aps: { shop: "pw" },
  connect: function (host: string, port: number, link: any) {
    print("CONNECT " + host + " " + port);
    if (port === 8583) return acquirer(link, false);
    if (port === 8584) return acquirer(link, true);
    return "refused";
  },
}, { chunk: 13, bootMs: 50, joinMs: 100 });
const esp = esp8266(sim.port(), clock);
const net: any = esp.net;
const create = net.create;
net.create = function (host: any, port: any, type: any) {
  print("CREATE " + typeof host + " " + host + " " + port + " " + type);
  return create(host, port, type);
};
espruinoNetwork(net);
const client = espruinoHttp(clock, {});
const T = { connectMs: 3000, sendMs: 3000, answerMs: 3000 };
function show(name: string, next: () => void) {
  return function (e: any, a: any) {
    print(name + " " + (e ? e.code + " sent=" + e.sent : a.status + " " + a.headers["content-type"] + " " + a.headers["date"] + " " + a.body));
    next();
  };
}
const body = '{"amountMinor":1250,"pan":"476173******0010","x":"' + "y".repeat(700) + '"}';
const steps: any[] = [
  function (next: () => void) { client.request("GET", "http://127.0.0.1:8583/early", {}, null, T, show("early", next)); },
  function (next: () => void) { esp.wifi.connect("shop", { password: "pw" }, function (err) { print("join " + err); next(); }); },
  function (next: () => void) { client.request("POST", "http://127.0.0.1:8583/v1/authorizations", { "Content-Type": "application/json", "X-Tappos-Signature": "c2ln" }, body, T, show("post", next)); },
  function (next: () => void) { client.request("POST", "http://127.0.0.1:8584/drop", {}, "{}", T, show("drop", next)); },
  function (next: () => void) { client.request("GET", "http://127.0.0.1:9999/none", {}, null, T, show("refused", next)); },
];
let k = 0;
function next() { if (k < steps.length) steps[k++](next); else { print("DONE"); } }
next();
`;
}

function run(code: string, dir: string): Promise<string> {
  writeFileSync(join(dir, "code.js"), code);
  return new Promise((resolve) => {
    const stdin = silentStdin();
    const c = spawn(espruinoBinary("espruino") as string, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"] });
    let out = "";
    const onData = (d: Buffer): void => {
      out += d.toString("latin1");
      if (out.includes("DONE")) c.kill("SIGKILL");
    };
    c.stdout!.on("data", onData);
    c.stderr!.on("data", onData);
    const guard = setTimeout(() => c.kill("SIGKILL"), 60000);
    c.on("close", () => {
      clearTimeout(guard);
      stdin.close();
      resolve(out.replace(/\r/g, ""));
    });
  });
}

describe("ESP8266 driver under Espruino's NetworkJS and http, in the interpreter", () => {
  it.skipIf(NO_ESPRUINO)(`joins, POSTs through AT bytes to the simulated acquirer, reads the answer; drop, refusal, no WiFi${NO_ESPRUINO ? " (skipped: " + NO_ESPRUINO + ")" : ""}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-esp8266-"));
    dirs.push(dir);
    writeFileSync(join(dir, "main.ts"), entry(dir));
    const b = await buildBoard({ entry: join(dir, "main.ts"), name: "esp8266-check", write: false, budget: 1 << 20 });
    expect(b.problems).toEqual([]);
    expect(b.modules).toEqual(["NetworkJS", "http"]);
    const out = await run(b.code, dir);
    const lines = out.split("\n").map((l) => l.replace(/^>?(\x1b\[J)?/, "").trim());
    expect(lines.filter((l) => /Uncaught|ASSERT|MEMORY/.test(l)), out).toEqual([]);
    const results = lines.filter((l) => /^(early|join|post|drop|refused|DONE)/.test(l));
    const body = '{"amountMinor":1250,"pan":"476173******0010","x":"' + "y".repeat(700) + '"}';
    expect(results, out).toEqual([
      "early HTTP_CONNECT sent=false",
      "join null",
      `post 201 application/json Sun, 06 Dec 2026 22:41:00 GMT {"responseCode":"00","echo":${JSON.stringify(body)}}`,
      "drop HTTP_CLOSED sent=true",
      "refused HTTP_CLOSED sent=true",
      "DONE",
    ]);
    const peer = lines.filter((l) => l.startsWith("PEER "));
    const request = JSON.parse(peer[0].substring(5)) as string;
    expect(request.startsWith("POST /v1/authorizations HTTP/1.")).toBe(true);
    expect(request).toContain("\r\nX-Tappos-Signature: c2ln\r\n");
    expect(request).toContain("\r\nContent-Length: " + body.length + "\r\n");
    expect(request.endsWith("\r\n\r\n" + body)).toBe(true);
    // NetworkJS hands create() the host name as a string and the port.
    expect(lines.filter((l) => l.startsWith("CREATE "))[0]).toMatch(/^CREATE string 127\.0\.0\.1 8583 /);
    console.log("NetworkJS create calls: " + lines.filter((l) => l.startsWith("CREATE ")).join("; "));
  }, 90000);
});
