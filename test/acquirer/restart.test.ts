/**
 * A restart loses nothing: the server and its store are closed and reopened on the same
 * data folder, and every stored answer, reversal, card ATC and nonce is still there; the
 * ledger never holds a clear PAN.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { authBody, newId, reversalBody, send, startTest, tapRecord, tempDir, type TestAcquirer } from "./helpers";

const tmp = tempDir();
let t: TestAcquirer | null = null;
afterAll(async () => {
  if (t) await t.stop();
  tmp.remove();
});

describe("restart", () => {
  it("keeps authorizations, reversals, ATCs and nonces across a close and reopen", async () => {
    t = await startTest(tmp.dir);
    const rec = await tapRecord("googlepay-mastercard", 1250, 0x300);
    const approved = authBody(rec, 1250);
    const a1 = await send(t.port, "POST", "/v1/authorizations", JSON.stringify(approved));
    expect(a1.json.responseCode).toBe("00");
    const voided = authBody(await tapRecord("card-visa", 2000, 0x300), 2000);
    await send(t.port, "POST", "/v1/authorizations", JSON.stringify(voided));
    const r1 = await send(t.port, "POST", "/v1/reversals", JSON.stringify(reversalBody(voided.clientTransactionId as string, 2000)));
    expect(r1.json.reversed).toBe(true);
    const nonce = "SurvivesRestart0001";
    expect((await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { nonce: nonce })).status).toBe(404);
    await t.stop();
    t = null;

    t = await startTest(tmp.dir);
    expect(t.store.countAuthorizations()).toBe(2);
    expect(t.store.countReversals()).toBe(1);
    // The stored answer, again, and no second authorization for a duplicate send.
    const s = await send(t.port, "GET", "/v1/authorizations/" + String(approved.clientTransactionId), null);
    expect(s.json).toEqual({ ...a1.json, reversed: false });
    const dup = await send(t.port, "POST", "/v1/authorizations", JSON.stringify(approved));
    expect(dup.json).toEqual(a1.json);
    expect(t.store.countAuthorizations()).toBe(2);
    // The reversal's answer and its effect.
    expect((await send(t.port, "GET", "/v1/authorizations/" + String(voided.clientTransactionId), null)).json.reversed).toBe(true);
    const r2 = await send(t.port, "POST", "/v1/reversals", JSON.stringify(reversalBody(voided.clientTransactionId as string, 2000)));
    expect(r2.json).toEqual(r1.json);
    // The card's last ATC: the same cryptogram under a new id is a replay.
    const replay = await send(t.port, "POST", "/v1/authorizations", JSON.stringify(authBody(rec, 1250)));
    expect(replay.json).toMatchObject({ responseCode: "82", message: "ATC replayed" });
    // The nonce.
    expect((await send(t.port, "GET", "/v1/authorizations/" + newId(), null, { nonce: nonce })).json).toEqual({ error: "replayed_nonce" });
  });

  it("stores the masked PAN and a keyed hash, never the PAN, in a WAL-journalled database", () => {
    const files = readdirSync(tmp.dir);
    expect(files).toContain("ledger.sqlite");
    for (const f of files) {
      const bytes = readFileSync(join(tmp.dir, f)).toString("latin1");
      for (const pan of ["5413330000000035", "4761739001010010"]) expect(bytes).not.toContain(pan);
    }
    const db = new Database(join(tmp.dir, "ledger.sqlite"), { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const rows = db.prepare("SELECT masked_pan, pan_hash FROM authorizations ORDER BY masked_pan").all() as { masked_pan: string; pan_hash: string }[];
      expect(rows.map((r) => r.masked_pan)).toEqual(["476173******0010", "541333******0035", "541333******0035"]);
      for (const r of rows) expect(r.pan_hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      db.close();
    }
  });
});
