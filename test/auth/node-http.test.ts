/**
 * The host HttpClient (host/auth/node-http.ts) over real loopback sockets: TLS verified
 * against a pinned CA made by openssl at test time (and refused under another CA), plain
 * HTTP refused off loopback, and each phase bounded with `sent` telling whether request
 * bytes may have left.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpAnswer, HttpTimeouts } from "../../src/hal/types";
import { nodeHttpClient, type NodeHttpOptions } from "../../host/auth/node-http";
import { makeTestCerts, type TestCerts } from "./test-certs";

const T: HttpTimeouts = { connectMs: 2000, sendMs: 2000, answerMs: 2000 };

type Got = { error: (Error & { code?: string; sent?: boolean; phase?: string; cause?: string }) | null; answer: HttpAnswer | null };

function call(opts: NodeHttpOptions, method: string, url: string, body: string | null, t: HttpTimeouts = T): Promise<Got> {
  return new Promise((resolve) => {
    nodeHttpClient(opts).request(method, url, { "X-Test": "1" }, body, t, (error, answer) => resolve({ error: error as Got["error"], answer: answer }));
  });
}

let certs: TestCerts;
let tlsServer: https.Server;
let plainServer: http.Server;
let tlsUrl = "";
let plainUrl = "";
const sockets = new Set<import("node:net").Socket>();

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    if (req.url === "/hold") return; // never answers
    if (req.url === "/drop") {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ method: req.method, url: req.url, body: body, test: req.headers["x-test"] }));
  });
}

function listen(s: http.Server): Promise<number> {
  s.on("connection", (c) => {
    sockets.add(c);
    c.on("close", () => sockets.delete(c));
  });
  return new Promise((r) => s.listen(0, "127.0.0.1", () => r((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  certs = makeTestCerts();
  tlsServer = https.createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, handler);
  plainServer = http.createServer(handler);
  tlsUrl = `https://127.0.0.1:${await listen(tlsServer)}`;
  plainUrl = `http://127.0.0.1:${await listen(plainServer)}`;
});

afterAll(() => {
  for (const s of sockets) s.destroy();
  tlsServer.close();
  plainServer.close();
  rmSync(certs.dir, { recursive: true, force: true });
});

describe("node HttpClient", () => {
  it("talks HTTPS to a server whose certificate the pinned CA signed", async () => {
    const g = await call({ ca: certs.caPem }, "POST", tlsUrl + "/v1/authorizations", '{"a":1}');
    expect(g.error).toBeNull();
    expect(g.answer!.status).toBe(200);
    expect(JSON.parse(g.answer!.body)).toEqual({ method: "POST", url: "/v1/authorizations", body: '{"a":1}', test: "1" });
    expect(g.answer!.headers["content-type"]).toBe("application/json");
  });

  it("refuses the same server under another CA, before sending anything", async () => {
    const g = await call({ ca: certs.otherCaPem }, "POST", tlsUrl + "/v1/authorizations", "{}");
    expect(g.answer).toBeNull();
    expect(g.error!.code).toBe("HTTP_CONNECT");
    expect(g.error!.sent).toBe(false);
    expect(String(g.error!.cause)).toMatch(/CERT|SIGNATURE|ISSUER/);
  });

  it("refuses https without a pinned CA and plain http off loopback (no silent fallback)", async () => {
    const a = await call({}, "GET", tlsUrl + "/x", null);
    expect(a.error!.code).toBe("HTTP_NO_CA");
    const b = await call({ ca: certs.caPem }, "POST", "http://acquirer.example.com/v1/authorizations", "{}");
    expect(b.error!.code).toBe("HTTP_INSECURE");
    expect(b.error!.sent).toBe(false);
  });

  it("talks plain HTTP to loopback", async () => {
    const g = await call({}, "GET", plainUrl + "/v1/authorizations/ab", null);
    expect(g.answer!.status).toBe(200);
    expect(JSON.parse(g.answer!.body).method).toBe("GET");
  });

  it("bounds the answer phase: a held request times out with sent = true", async () => {
    const g = await call({}, "POST", plainUrl + "/hold", "{}", { connectMs: 1000, sendMs: 1000, answerMs: 200 });
    expect(g.error!.code).toBe("HTTP_TIMEOUT");
    expect(g.error!.phase).toBe("answer");
    expect(g.error!.sent).toBe(true);
  });

  it("reports a connection dropped after the request as HTTP_CLOSED, sent = true", async () => {
    const g = await call({ ca: certs.caPem }, "POST", tlsUrl + "/drop", "{}");
    expect(g.error!.code).toBe("HTTP_CLOSED");
    expect(g.error!.sent).toBe(true);
  });

  it("reports a refused connection as HTTP_CONNECT, sent = false", async () => {
    const s = http.createServer();
    const port = await listen(s);
    await new Promise((r) => s.close(r));
    const g = await call({}, "POST", `http://127.0.0.1:${port}/v1/authorizations`, "{}");
    expect(g.error!.code).toBe("HTTP_CONNECT");
    expect(g.error!.sent).toBe(false);
  });
});
