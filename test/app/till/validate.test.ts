/**
 * The till API's pure pieces: the body validator fuzzed with random bytes (never a throw,
 * always 400 naming a field or a valid amount), the key check, the constant-time compare,
 * SSE framing, scheme/wallet/CVM tables.
 */
import { describe, expect, it } from "vitest";
import { isIdent, sameSecret, saleBody, sseFrame } from "../../../src/app/till/http";
import { cvmLine, schemeOf, walletOf } from "../../../src/app/till/card";
import { prng } from "../../../host/fuzz/prng";
import { AUTH, call, tillRig } from "./rig";

const MAX = 999999999999;

describe("saleBody fuzzed", () => {
  it("random bytes: never throws; 400 naming a field, or a whole amount in range", () => {
    const r = prng(0x7111);
    let valid = 0;
    for (let n = 0; n < 8000; n++) {
      const len = r.int(40);
      const b = r.bytes(len);
      const text = Buffer.from(b).toString("latin1");
      const out = saleBody(text, MAX);
      if (typeof out === "number") {
        valid++;
        expect(Number.isInteger(out) && out >= 1 && out <= MAX).toBe(true);
      } else {
        expect(out.status).toBe(400);
        const j = JSON.parse(out.body);
        expect(j.error).toBe("BAD_REQUEST");
        expect(typeof j.field).toBe("string");
      }
    }
    expect(valid).toBe(0); // random bytes are not a sale
  });

  it("mutated valid bodies: the same rule", () => {
    const r = prng(42);
    const base = '{"amountMinor":1250}';
    const alphabet = '{}[]":,0123456789-.eE amountMinor\\u0000nulltrue';
    let valid = 0;
    for (let n = 0; n < 8000; n++) {
      const a = base.split("");
      const edits = 1 + r.int(3);
      for (let k = 0; k < edits; k++) {
        const i = r.int(a.length + 1);
        const c = alphabet[r.int(alphabet.length)];
        const op = r.int(3);
        if (op === 0) a.splice(i, 1);
        else if (op === 1) a.splice(i, 0, c);
        else a[i] = c;
      }
      const out = saleBody(a.join(""), MAX);
      if (typeof out === "number") {
        valid++;
        expect(Number.isInteger(out) && out >= 1 && out <= MAX).toBe(true);
      } else expect(out.status).toBe(400);
    }
    expect(valid).toBeGreaterThan(0);
  });

  it("random bodies through handle(): only 400, 201 or 409, never 500", async () => {
    const t = tillRig();
    const r = prng(9);
    for (let n = 0; n < 500; n++) {
      const text = Buffer.from(r.bytes(r.int(60))).toString("latin1");
      const a = await call(t.api, "POST", "/api/sales", text, { ...AUTH, "idempotency-key": "fz" + n });
      expect([400, 201, 409]).toContain(a.status);
    }
  });
});

describe("pieces", () => {
  it("isIdent: 1..max of A-Za-z0-9_-", () => {
    expect(isIdent("a", 64)).toBe(true);
    expect(isIdent("A-z_9", 5)).toBe(true);
    expect(isIdent("A-z_9", 4)).toBe(false);
    for (const bad of ["", " ", "a.b", "a:b", "é", "a\u0000", 5, null, undefined]) expect(isIdent(bad, 64)).toBe(false);
  });

  it("sameSecret: equal only when equal, whatever the lengths", () => {
    expect(sameSecret("Bearer abc", "Bearer abc")).toBe(true);
    for (const x of ["", "Bearer ab", "Bearer abcd", "Bearer abd", "bearer abc", "Bearer abc\u0000"]) expect(sameSecret(x, "Bearer abc")).toBe(false);
    expect(sameSecret("", "")).toBe(true);
  });

  it("sseFrame", () => {
    expect(sseFrame("status", '{"a":1}')).toBe('event: status\ndata: {"a":1}\n\n');
  });

  it("scheme from the RID, wallet from the token requestor, CVM lines", () => {
    const rows: [string, string | null][] = [
      ["A0000000031010", "visa"],
      ["a0000000032010", "visa"],
      ["A0000000041010", "mastercard"],
      ["A000000333010101", "unionpay"],
      ["A00000002501", "amex"],
      ["A0000000651010", "jcb"],
      ["A0000001523010", "discover"],
      ["A0000009999999", null],
      ["A00000", null],
    ];
    for (const [aid, s] of rows) expect(schemeOf(aid), aid).toBe(s);
    expect(schemeOf(null)).toBe(null);
    expect(walletOf("40010030273")).toBe("Apple Pay");
    expect(walletOf("50120834693")).toBe("Google Pay");
    expect(walletOf("12345678901")).toBe(null);
    expect(walletOf("4001003027")).toBe(null);
    expect(walletOf(null)).toBe(null);
    expect(cvmLine("CDCVM")).toBe("verified by device");
    expect(cvmLine("NO_CVM")).toBe("no signature required");
    expect(cvmLine("SIGNATURE")).toBe("signature");
    expect(cvmLine("ONLINE_PIN")).toBe("online PIN");
    expect(cvmLine("NA")).toBe("");
  });
});
