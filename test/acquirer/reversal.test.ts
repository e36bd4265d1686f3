/**
 * POST /v1/reversals over real sockets: a reversal cancels the approval it names, is
 * idempotent, acknowledges a declined or unknown transaction without cancelling anything,
 * and an unknown one recorded first makes a late authorization with that id a decline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authBody, newId, reversalBody, send, startTest, tapRecord, tempDir, type TestAcquirer } from "./helpers";

const tmp = tempDir();
let t: TestAcquirer;
let nextAtc = 0x200;

beforeAll(async () => {
  t = await startTest(tmp.dir, { holdMs: 500 });
});
afterAll(async () => {
  await t.stop();
  tmp.remove();
});

async function body(amountMinor: number, id = newId()): Promise<{ [k: string]: unknown }> {
  nextAtc += 2;
  return authBody(await tapRecord("card-mastercard", amountMinor, nextAtc), amountMinor, id);
}

const authorize = (b: unknown) => send(t.port, "POST", "/v1/authorizations", JSON.stringify(b));
const reverse = (b: unknown) => send(t.port, "POST", "/v1/reversals", JSON.stringify(b));
const status = (id: string) => send(t.port, "GET", "/v1/authorizations/" + id, null);

describe("reversals", () => {
  it("cancels an approval: reversed true, and the status query shows it", async () => {
    const b = await body(1250);
    const id = b.clientTransactionId as string;
    expect((await authorize(b)).json.responseCode).toBe("00");
    const r = await reverse(reversalBody(id, 1250, "merchant_void"));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ clientTransactionId: id, reversed: true, message: "reversed" });
    expect((await status(id)).json).toMatchObject({ approved: true, reversed: true });
  });

  it("is idempotent: the same reversal twice is one reversal with the same answer", async () => {
    const b = await body(1250);
    const id = b.clientTransactionId as string;
    await authorize(b);
    const before = t.store.countReversals();
    const r1 = await reverse(reversalBody(id, 1250));
    const r2 = await reverse(reversalBody(id, 1250));
    expect(r1.json).toEqual({ clientTransactionId: id, reversed: true, message: "reversed" });
    expect(r2.json).toEqual(r1.json);
    expect(t.store.countReversals()).toBe(before + 1);
  });

  it("reverses a .91 approval whose answer the terminal never got", async () => {
    const b = await body(1291);
    const id = b.clientTransactionId as string;
    await authorize(b).catch(() => undefined);
    expect((await status(id)).json).toMatchObject({ approved: true, reversed: false });
    expect((await reverse(reversalBody(id, 1291, "no_answer"))).json.reversed).toBe(true);
  });

  it("acknowledges a reversal of a decline without cancelling anything", async () => {
    const b = await body(1251);
    const id = b.clientTransactionId as string;
    expect((await authorize(b)).json.responseCode).toBe("51");
    expect((await reverse(reversalBody(id, 1251))).json).toEqual({ clientTransactionId: id, reversed: false, message: "nothing to cancel: declined" });
  });

  it("records a reversal for an unknown id, then refuses the late authorization with 12", async () => {
    const b = await body(1250);
    const id = b.clientTransactionId as string;
    const r = await reverse(reversalBody(id, 1250, "no_answer"));
    expect(r.json).toEqual({ clientTransactionId: id, reversed: false, message: "no authorization: recorded" });
    expect((await status(id)).status).toBe(404);
    const late = await authorize(b);
    expect(late.json).toMatchObject({ clientTransactionId: id, approved: false, responseCode: "12", message: "reversed before authorization" });
    // Its retry gets the same stored answer.
    expect((await authorize(b)).json).toEqual(late.json);
    expect((await reverse(reversalBody(id, 1250))).json).toEqual(r.json);
  });

  it("refuses a reversal with another amount than the authorization's (409)", async () => {
    const b = await body(1250);
    await authorize(b);
    const r = await reverse(reversalBody(b.clientTransactionId as string, 999));
    expect(r.status).toBe(409);
    expect(r.json).toEqual({ error: "conflict" });
  });

  it("refuses a malformed reversal naming the field", async () => {
    const r = await reverse({ ...reversalBody(newId(), 1250), reason: "because" });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: "bad_request", field: "reason" });
    const pan = await reverse({ ...reversalBody(newId(), 1250), pan: "4761739001010010" });
    expect(pan.json).toEqual({ error: "bad_request", field: "pan" });
  });
});
