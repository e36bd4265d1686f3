/**
 * What a hostile or broken client gets, over real sockets: malformed JSON and bad fields
 * (400 naming them), card data smuggled into iccData, unknown paths and methods, an
 * oversize body (413, connection closed, announced or streamed), and slowloris clients
 * that trickle headers or a body (others are served meanwhile; the host cuts them).
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../host/acquirer/server";
import { authBody, newId, send, startTest, tapRecord, tempDir, type TestAcquirer } from "./helpers";

const tmp = tempDir();
let t: TestAcquirer;
let good: { [k: string]: unknown };

beforeAll(async () => {
  t = await startTest(tmp.dir, { headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  good = authBody(await tapRecord("card-visa", 1250, 0x60), 1250);
});
afterAll(async () => {
  await t.stop();
  tmp.remove();
});

const post = (text: string) => send(t.port, "POST", "/v1/authorizations", text);

/** A raw connection and everything it receives until the server closes it (bounded wait). */
function raw(): { socket: Socket; closed: Promise<string> } {
  const socket = connect(t.port, "127.0.0.1");
  const parts: Buffer[] = [];
  socket.on("data", (c: Buffer) => parts.push(c));
  const closed = new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error("the server did not close the connection within 10 s"));
    }, 10000);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(guard);
      resolve(Buffer.concat(parts).toString("latin1"));
    });
  });
  return { socket: socket, closed: closed };
}

describe("malformed requests", () => {
  it("answers malformed JSON with 400 and the reason", async () => {
    for (const text of ["{", "not json", "[1,2]", "null", '"text"']) {
      const a = await post(text);
      expect(a.status).toBe(400);
      expect(a.json).toEqual({ error: "bad_request", reason: "malformed JSON" });
    }
  });

  it.each([
    ["amountMinor", -5],
    ["amountMinor", 12.5],
    ["amountMinor", "1250"],
    ["clientTransactionId", "ABC"],
    ["stan", "42"],
    ["currency", "EUR"],
    ["expiry", "2813"],
    ["kernel", 0],
    ["iccData", "9F2608"],
    ["localDateTime", "2026-13-01T00:00:00"],
  ])("names the bad field %s (%j)", async (field, value) => {
    const a = await post(JSON.stringify({ ...good, clientTransactionId: newId(), [field]: value }));
    expect(a.status).toBe(400);
    expect(a.json).toEqual({ error: "bad_request", field: field });
  });

  it("names a missing field, an unknown field, and card data inside iccData", async () => {
    const { stan: _unused, ...noStan } = good;
    expect((await post(JSON.stringify({ ...noStan, clientTransactionId: newId() }))).json).toEqual({ error: "bad_request", field: "stan" });
    expect((await post(JSON.stringify({ ...good, cvv: "123" }))).json).toEqual({ error: "bad_request", field: "cvv" });
    const withPan = String(good.iccData) + "5A084761739001010010";
    expect((await post(JSON.stringify({ ...good, iccData: withPan }))).json).toEqual({ error: "bad_request", field: "iccData" });
    expect(t.store.countAuthorizations()).toBe(0);
  });

  it("refuses a terminal id that is not the key's terminal", async () => {
    const a = await post(JSON.stringify({ ...good, terminalId: "OTHER01" }));
    expect(a.json).toEqual({ error: "bad_request", field: "terminalId" });
  });

  it("answers unknown paths 404 and wrong methods 405", async () => {
    expect((await send(t.port, "GET", "/v2/things", null)).json).toEqual({ error: "not_found" });
    expect((await send(t.port, "GET", "/v1/authorizations", null)).status).toBe(405);
    expect((await send(t.port, "DELETE", "/v1/authorizations/" + newId(), null)).status).toBe(405);
  });
});

describe("oversize bodies", () => {
  it("answers 413 and closes the connection for a body announced over 16 KiB", async () => {
    const { socket, closed } = raw();
    const body = "x".repeat(MAX_BODY_BYTES + 1);
    socket.write(`POST /v1/authorizations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body);
    const text = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('{"error":"too_large"}');
  });

  it("answers 413 and closes for a chunked body that grows past 16 KiB", async () => {
    const { socket, closed } = raw();
    socket.write("POST /v1/authorizations HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    const chunk = "y".repeat(4096);
    for (let i = 0; i < 5 && !socket.destroyed; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const text = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("accepts a body of exactly 16 KiB as far as the size goes (then judges its JSON)", async () => {
    const text = JSON.stringify({ pad: "z".repeat(MAX_BODY_BYTES - 10) });
    expect(text.length).toBe(MAX_BODY_BYTES);
    const a = await post(text);
    expect(a.status).toBe(400);
    expect(a.json).toEqual({ error: "bad_request", field: "pad" });
  });
});

describe("slow clients", () => {
  it("serves other requests while one client trickles its headers, then cuts the slow one", async () => {
    const slow = raw();
    slow.socket.write("POST /v1/authorizations HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Trickle one header byte every 50 ms, a bounded number of times, while others are served.
    let n = 0;
    const drip = setInterval(() => {
      if (n++ >= 100 || slow.socket.destroyed) clearInterval(drip);
      else slow.socket.write("X");
    }, 50);
    const ok = await send(t.port, "GET", "/v1/authorizations/" + newId(), null);
    expect(ok.status).toBe(404);
    const approved = await post(JSON.stringify({ ...good, clientTransactionId: newId() }));
    expect(approved.json.responseCode).toBe("00");
    // headersTimeout (1 s here) ends the slow connection, well before the trickle would.
    const text = await slow.closed;
    clearInterval(drip);
    expect(n).toBeLessThan(100);
    expect(text === "" || /^HTTP\/1\.1 408 /.test(text)).toBe(true);
    expect(t.logs.some((l) => / 408 client error ERR_HTTP_REQUEST_TIMEOUT$/.test(l))).toBe(true);
  });

  it("cuts a client that sends its headers and then trickles the body", async () => {
    const slow = raw();
    slow.socket.write("POST /v1/authorizations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{");
    let n = 0;
    const drip = setInterval(() => {
      if (n++ >= 200 || slow.socket.destroyed) clearInterval(drip);
      else slow.socket.write(" ");
    }, 50);
    const ok = await send(t.port, "GET", "/v1/authorizations/" + newId(), null);
    expect(ok.status).toBe(404);
    await slow.closed;
    clearInterval(drip);
    expect(n).toBeLessThan(200);
  });
});
