/**
 * The SQLite store behind its interface: duplicates refused with a code, the card ATC only
 * moves up, nonces are one-use and forgotten after the window, the host secret is made
 * once and kept, and a closed-then-reopened store has everything.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isCoded } from "../../src/bytes/coded-error";
import { openSqliteStore, SECRET_FILE, type AuthorizationRow } from "../../host/acquirer/store";
import { tempDir } from "./helpers";

const tmp = tempDir();
afterAll(() => tmp.remove());

function row(id: string): AuthorizationRow {
  return {
    clientTransactionId: id,
    terminalId: "TAPPOS01",
    fingerprint: "f".repeat(64),
    stan: "000001",
    amountMinor: 1250,
    currency: "978",
    maskedPan: "476173******0010",
    panHash: "a".repeat(64),
    atc: 7,
    approved: true,
    responseCode: "00",
    answer: '{"approved":true}',
    delivery: "answer",
    reversed: false,
    createdAt: "2026-12-06T20:11:32.000Z",
  };
}

describe("SQLite store", () => {
  it("refuses a second authorization with the same id (ACQ_STORE_DUPLICATE), keeping the first", () => {
    const s = openSqliteStore(join(tmp.dir, "dup"), null);
    try {
      s.addAuthorization(row("a".repeat(32)), { key: "card", atc: 7 });
      let code = "";
      try {
        s.addAuthorization({ ...row("a".repeat(32)), responseCode: "05" }, { key: "card", atc: 9 });
      } catch (e) {
        if (isCoded(e)) code = e.code;
      }
      expect(code).toBe("ACQ_STORE_DUPLICATE");
      expect(s.getAuthorization("a".repeat(32))?.responseCode).toBe("00");
      // The failed transaction did not move the ATC either.
      expect(s.lastAtc("card")).toBe(7);
      expect(s.countAuthorizations()).toBe(1);
    } finally {
      s.close();
    }
  });

  it("moves a card's last ATC only upwards", () => {
    const s = openSqliteStore(join(tmp.dir, "atc"), null);
    try {
      expect(s.lastAtc("k")).toBeNull();
      s.addAuthorization(row("1".repeat(32)), { key: "k", atc: 10 });
      s.addAuthorization(row("2".repeat(32)), { key: "k", atc: 4 });
      expect(s.lastAtc("k")).toBe(10);
      s.addAuthorization(row("3".repeat(32)), { key: "k", atc: 11 });
      expect(s.lastAtc("k")).toBe(11);
    } finally {
      s.close();
    }
  });

  it("uses a nonce once per key and forgets it after the window", () => {
    const s = openSqliteStore(join(tmp.dir, "nonce"), null);
    try {
      expect(s.useNonce("k1", "n".repeat(16), 1000, 100)).toBe(true);
      expect(s.useNonce("k1", "n".repeat(16), 1001, 100)).toBe(false);
      expect(s.useNonce("k2", "n".repeat(16), 1001, 100)).toBe(true);
      // Seen at 1000, forgotten once the cut-off passes it.
      expect(s.useNonce("k1", "n".repeat(16), 2000, 1500)).toBe(true);
    } finally {
      s.close();
    }
  });

  it("marks the authorization a reversal cancels, in one transaction", () => {
    const s = openSqliteStore(join(tmp.dir, "rev"), null);
    try {
      s.addAuthorization(row("b".repeat(32)));
      s.addReversal({
        clientTransactionId: "b".repeat(32), terminalId: "TAPPOS01", stan: "000002", amountMinor: 1250, currency: "978",
        reason: "cancelled", time: "2026-12-06T20:12:00Z", reversed: true, answer: "{}", createdAt: "2026-12-06T20:12:00.000Z",
      });
      expect(s.getAuthorization("b".repeat(32))?.reversed).toBe(true);
      expect(s.getReversal("b".repeat(32))?.reason).toBe("cancelled");
    } finally {
      s.close();
    }
  });

  it("makes the host secret once (mode 0600) and finds everything again after reopening", () => {
    const dir = join(tmp.dir, "reopen");
    const s1 = openSqliteStore(dir, null);
    s1.addAuthorization(row("c".repeat(32)), { key: "k", atc: 3 });
    const secret = Buffer.from(s1.hostSecret).toString("hex");
    s1.close();
    expect(statSync(join(dir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, SECRET_FILE), "utf8").trim()).toBe(secret);
    const s2 = openSqliteStore(dir, null);
    try {
      expect(Buffer.from(s2.hostSecret).toString("hex")).toBe(secret);
      expect(s2.getAuthorization("c".repeat(32))).toEqual(row("c".repeat(32)));
      expect(s2.lastAtc("k")).toBe(3);
    } finally {
      s2.close();
    }
  });
});
