/**
 * Request authentication over real sockets (docs/acquirer-api.md "Authentication"): each
 * 401 reason, in the documented order, and that a refused request spends nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../host/acquirer/signature";
import { authBody, newId, send, startTest, tapRecord, tempDir, TEST_KEY, type TestAcquirer } from "./helpers";

const tmp = tempDir();
let t: TestAcquirer;
let body: string;

beforeAll(async () => {
  t = await startTest(tmp.dir);
  body = JSON.stringify(authBody(await tapRecord("card-visa", 1250, 0x40), 1250));
});
afterAll(async () => {
  await t.stop();
  tmp.remove();
});

const post = (o = {}) => send(t.port, "POST", "/v1/authorizations", body, o);
const nowS = (): number => Math.floor(Date.now() / 1000);

describe("authentication", () => {
  it("refuses a wrong signature with 401 bad_signature and records nothing", async () => {
    const wrongKey = Buffer.alloc(32, 7);
    const a = await post({ key: wrongKey });
    expect(a.status).toBe(401);
    expect(a.json).toEqual({ error: "bad_signature" });
    expect(t.store.countAuthorizations()).toBe(0);
  });

  it("refuses a signature over other bytes (body changed after signing)", async () => {
    const ts = String(nowS());
    const nonce = "AbCdEfGhIjKlMnOp0001";
    const sig = signRequest(TEST_KEY, "POST", "/v1/authorizations", ts, nonce, Buffer.from(body + " "));
    const a = await post({ timestamp: ts, nonce: nonce, signature: sig });
    expect(a.json).toEqual({ error: "bad_signature" });
  });

  it("refuses a malformed nonce as bad_signature", async () => {
    expect((await post({ nonce: "short" })).json).toEqual({ error: "bad_signature" });
    expect((await post({ nonce: "x".repeat(65) })).json).toEqual({ error: "bad_signature" });
    expect((await post({ nonce: "has-a-dash-0123456789" })).json).toEqual({ error: "bad_signature" });
  });

  it("refuses an unknown key id with unknown_key", async () => {
    const a = await post({ keyId: "nobody" });
    expect(a.status).toBe(401);
    expect(a.json).toEqual({ error: "unknown_key" });
  });

  it("refuses a timestamp outside ±300 s (and a malformed one) with stale_timestamp", async () => {
    // The host's clock is frozen here, so the window's edges are exact whatever the load on
    // the machine (with the real clock, +301 s became +300 s when a second passed in between).
    const frozenS = nowS();
    const dir = tempDir();
    const frozen = await startTest(dir.dir, { now: () => frozenS * 1000 });
    try {
      for (const ts of [String(frozenS - 301), String(frozenS + 301), "soon", "-5"]) {
        const a = await send(frozen.port, "POST", "/v1/authorizations", body, { timestamp: ts });
        expect(a.status).toBe(401);
        expect(a.json).toEqual({ error: "stale_timestamp" });
      }
      const edge = await send(frozen.port, "POST", "/v1/authorizations", body, { timestamp: String(frozenS + 300) });
      expect(edge.status).toBe(200);
    } finally {
      await frozen.stop();
      dir.remove();
    }
  });

  it("accepts a timestamp inside the window", async () => {
    const a = await post({ timestamp: String(nowS() - 290) });
    expect(a.status).toBe(200);
    expect(a.json.responseCode).toBe("00");
  });

  it("refuses a replayed nonce with replayed_nonce, even for a request that is otherwise new", async () => {
    const nonce = "ReplayMe0123456789";
    const first = await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { nonce: nonce });
    expect(first.status).toBe(404);
    const again = await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { nonce: nonce });
    expect(again.status).toBe(401);
    expect(again.json).toEqual({ error: "replayed_nonce" });
  });

  it("a forged request does not spend the nonce it carries", async () => {
    const nonce = "NotSpentByForgery01";
    expect((await post({ nonce: nonce, key: Buffer.alloc(32, 1) })).json).toEqual({ error: "bad_signature" });
    const ok = await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { nonce: nonce });
    expect(ok.status).toBe(404);
  });

  it("signs the path: a signature for another path is refused", async () => {
    const ts = String(nowS());
    const nonce = "PathBound0123456789";
    const sig = signRequest(TEST_KEY, "POST", "/v1/reversals", ts, nonce, Buffer.from(body));
    const a = await post({ timestamp: ts, nonce: nonce, signature: sig });
    expect(a.json).toEqual({ error: "bad_signature" });
  });
});
