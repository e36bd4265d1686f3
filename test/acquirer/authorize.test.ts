/**
 * POST /v1/authorizations over real loopback sockets, with genuine ARQCs from taps of the
 * virtual cards: approval with a verifiable ARPC, the decline amounts, a bad cryptogram, a
 * replayed ATC, idempotency (one authorization for a duplicate send, 409 for a different
 * body), status queries, and the failure amounts (.91 held, .96 500, .97 dropped).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { nodeCardCrypto } from "../../host/crypto";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";
import { authBody, failure, newId, send, startTest, tapRecord, tempDir, type TestAcquirer } from "./helpers";

const tmp = tempDir();
let t: TestAcquirer;
/** Each tap gets an ATC above the last one, so no test sees another's as a replay. */
let nextAtc = 0x100;

beforeAll(async () => {
  t = await startTest(tmp.dir, { holdMs: 1500 });
});
afterAll(async () => {
  await t.stop();
  tmp.remove();
});

async function body(profile: string, amountMinor: number, id = newId()): Promise<{ [k: string]: unknown }> {
  nextAtc += 3;
  return authBody(await tapRecord(profile, amountMinor, nextAtc), amountMinor, id);
}

const post = (b: unknown, o = {}) => send(t.port, "POST", "/v1/authorizations", JSON.stringify(b), o);

describe("approve and decline", () => {
  it.each(["card-visa", "applepay-visa", "card-mastercard", "googlepay-mastercard", "card-unionpay", "quickpass-unionpay", "jd-flashpay"])(
    "approves a genuine ARQC from %s with an ARPC the card accepts",
    async (profile) => {
      const b = await body(profile, 1250);
      const a = await post(b);
      expect(a.status).toBe(200);
      expect(a.json).toMatchObject({ clientTransactionId: b.clientTransactionId, approved: true, responseCode: "00", message: "approved" });
      expect(a.json.authCode).toMatch(/^[A-Z0-9]{6}$/);
      expect(a.json.arpc).toMatch(/^([0-9A-F]{2})+$/);
      // Issuer Authentication Data = ARPC‖ARC (8+2 bytes) or ARPC‖CSU (4+4, Visa CVN 18).
      expect([16, 20]).toContain((a.json.arpc as string).length);
    },
  );

  it.each([
    [1251, "51", "insufficient funds"],
    [1205, "05", "do not honour"],
  ])("declines amount %i with %s", async (amount, code, message) => {
    const a = await post(await body("card-visa", amount));
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ approved: false, responseCode: code, message: message });
    expect(a.json.authCode).toBeUndefined();
    expect(a.json.arpc).toBeDefined();
  });

  it("declines a bad ARQC with 82 cryptogram not verified", async () => {
    const b = await body("card-visa", 1250);
    const icc = b.iccData as string;
    // 9F26 08 is first: flip the cryptogram's last byte.
    const at = icc.indexOf("9F2608") + 6 + 14;
    b.iccData = icc.substring(0, at) + (icc.substring(at, at + 2) === "00" ? "01" : "00") + icc.substring(at + 2);
    const a = await post(b);
    expect(a.json).toMatchObject({ approved: false, responseCode: "82", message: "cryptogram not verified" });
    expect(a.json.arpc).toBeUndefined();
  });

  it("declines an amount that differs from the one the card signed (13)", async () => {
    const b = await body("card-visa", 1250);
    b.amountMinor = 1;
    const a = await post(b);
    expect(a.json).toMatchObject({ approved: false, responseCode: "13" });
  });

  it("declines a PAN outside every BIN range with 15", async () => {
    const b = await body("card-visa", 1250);
    b.pan = "9999990000000000";
    delete b.track2;
    const a = await post(b);
    expect(a.json).toMatchObject({ approved: false, responseCode: "15", message: "no such issuer" });
  });

  it("declines a replayed ATC: a second request with the same cryptogram, or an older ATC", async () => {
    const rec = await tapRecord("jd-flashpay", 1250, 0x800);
    const first = await post(authBody(rec, 1250));
    expect(first.json.responseCode).toBe("00");
    const again = await post(authBody(rec, 1250));
    expect(again.json).toMatchObject({ approved: false, responseCode: "82", message: "ATC replayed" });
    const older = await post(authBody(await tapRecord("jd-flashpay", 1250, 0x700), 1250));
    expect(older.json).toMatchObject({ approved: false, responseCode: "82", message: "ATC replayed" });
    const newer = await post(authBody(await tapRecord("jd-flashpay", 1250, 0x801), 1250));
    expect(newer.json.responseCode).toBe("00");
  });
});

describe("idempotency and status", () => {
  it("a duplicate send gets the same answer and makes one authorization", async () => {
    const b = await body("card-visa", 1250);
    const before = t.store.countAuthorizations();
    const a1 = await post(b);
    const a2 = await post(b);
    // Key order does not matter: the same request, reordered.
    const reordered = Object.fromEntries(Object.entries(b).reverse());
    const a3 = await post(reordered);
    expect(a1.json.responseCode).toBe("00");
    expect(a2.json).toEqual(a1.json);
    expect(a3.json).toEqual(a1.json);
    expect(t.store.countAuthorizations()).toBe(before + 1);
  });

  it("the same id with a different body is a 409 conflict", async () => {
    const b = await body("card-visa", 1250);
    expect((await post(b)).status).toBe(200);
    const c = await post({ ...b, stan: "000099" });
    expect(c.status).toBe(409);
    expect(c.json).toEqual({ error: "conflict" });
  });

  it("answers a status query from the ledger, 404 for an unknown id", async () => {
    const b = await body("card-mastercard", 1250);
    const a = await post(b);
    const s = await send(t.port, "GET", "/v1/authorizations/" + String(b.clientTransactionId), null);
    expect(s.status).toBe(200);
    expect(s.json).toEqual({ ...a.json, reversed: false });
    const u = await send(t.port, "GET", "/v1/authorizations/" + newId(), null);
    expect(u.status).toBe(404);
    expect(u.json).toEqual({ error: "not_found" });
  });
});

describe("failure amounts", () => {
  it(".96 answers HTTP 500 and records nothing", async () => {
    const b = await body("card-visa", 1296);
    const before = t.store.countAuthorizations();
    const a = await post(b);
    expect(a.status).toBe(500);
    expect(a.json).toEqual({ error: "internal" });
    expect(t.store.countAuthorizations()).toBe(before);
  });

  it(".97 destroys the connection after reading the request; the approval is in the ledger", async () => {
    const b = await body("card-visa", 1297);
    const code = await failure(post(b));
    expect(["ECONNRESET", "ERR_STREAM_PREMATURE_CLOSE"]).toContain(code);
    const s = await send(t.port, "GET", "/v1/authorizations/" + String(b.clientTransactionId), null);
    expect(s.json).toMatchObject({ approved: true, responseCode: "00", reversed: false });
  });

  it(".91 gets no answer: the terminal times out first, and the host closes the connection after its hold bound", async () => {
    const b = await body("card-visa", 1291);
    // The terminal's timeout (300 ms) is shorter than the hold (1.5 s): it gives up.
    expect(await failure(post(b, { timeoutMs: 300 }))).toBe("CLIENT_TIMEOUT");
    // A patient client sees the host close the connection once the hold bound passes.
    expect(await failure(post(b, { timeoutMs: 10000 }))).toBe("ECONNRESET");
    const s = await send(t.port, "GET", "/v1/authorizations/" + String(b.clientTransactionId), null);
    expect(s.json).toMatchObject({ approved: true, reversed: false });
  });

  it("other requests are answered while a .91 request is held", async () => {
    const held = post(await body("card-visa", 1391), { timeoutMs: 10000 });
    const a = await post(await body("card-visa", 1250));
    expect(a.json.responseCode).toBe("00");
    expect(await failure(held)).toBe("ECONNRESET");
  });

  it("every log line masks the PAN", () => {
    const all = t.logs.join("\n");
    expect(all).toMatch(/pan=476173\*{6}0010/);
    for (const name of PROFILE_NAMES) {
      for (const app of profileByName(name)?.apps ?? []) expect(all).not.toContain(app.keys.pan);
    }
  });
});

// The card's side of the ARPC (what a card computes to check it), from the profile's keys.
describe("ARPC", () => {
  it.each([
    ["card-visa", "visa-cvn18"],
    ["card-mastercard", "mastercard-cvn16"],
    ["card-unionpay", "unionpay-cvn01"],
  ])("%s: the Issuer Authentication Data is the ARPC the card computes (%s)", async (profile, version) => {
    nextAtc += 3;
    const rec = await tapRecord(profile, 1250, nextAtc);
    const a = await post(authBody(rec, 1250));
    const keys = profileByName(profile)!.apps[0].keys;
    expect(keys.version).toBe(version);
    const ctx = {
      version: keys.version,
      issuerMasterKey: fromHex(keys.imk),
      pan: keys.pan,
      psn: keys.psn,
      atc: fromHex(rec.icc["9F36"]),
      un: fromHex(rec.icc["9F37"]),
      arqc: fromHex(rec.icc["9F26"]),
    };
    const iad = a.json.arpc as string;
    if (version === "visa-cvn18") {
      expect(iad.substring(8)).toBe("00800000");
      expect(iad.substring(0, 8)).toBe(toHex(nodeCardCrypto.arpc({ ...ctx, csu: fromHex("00800000") })));
    } else {
      expect(iad.substring(16)).toBe("3030");
      expect(iad.substring(0, 16)).toBe(toHex(nodeCardCrypto.arpc({ ...ctx, arc: fromHex("3030") })));
    }
  });
});
