/**
 * What the terminal does with an Online Request before it sends anything (docs/online.md):
 * the authorization request from the data record, its exact body, and the four X-Tappos-*
 * headers signed with HMAC-SHA-256 on Espruino's native crypto.SHA256 (src/auth). The bench
 * counts it in every full tap (the CPU budget counts the request once it exists). Not counted
 * here: the Storage writes of STAN and pending id before sending, and the socket itself.
 * The key is a bench constant, not a terminal's key: nothing is sent.
 */
import { hexLower, hmacKey, type HmacKey } from "../../src/auth/hmac";
import { buildAuthRequest, requestBody } from "../../src/auth/request";
import { signatureHeaders } from "../../src/auth/signed-http";
import type { Outcome } from "../../src/emv/outcome";
import type { Random, Sha256 } from "../../src/hal/types";

export interface BenchSigner {
  sha: Sha256;
  key: HmacKey;
  random: Random;
  stan: number;
}

/** Pads made once at boot, as SignedHttp does. */
export function benchSigner(sha: Sha256, random: Random): BenchSigner {
  const key = new Uint8Array(32);
  for (let i = 0; i < 32; i++) key[i] = i * 7 + 1;
  return { sha: sha, key: hmacKey(sha, key), random: random, stan: 0 };
}

/** Builds and signs the request for `outcome`; returns the body's length (checked by the caller). */
export function signRequest(s: BenchSigner, outcome: Outcome): number {
  if (outcome.record === null) throw new Error("Online Request without a data record");
  s.stan++;
  const id = hexLower(s.random.bytes(16));
  const stan = ("00000" + s.stan).substring(("" + s.stan).length - 1);
  const body = requestBody(
    buildAuthRequest(outcome.record, {
      terminalId: "BENCH001",
      merchantId: "BENCHMERCHANT",
      stan: stan,
      clientTransactionId: id,
      amountMinor: 1250,
      currency: 978,
      country: 250,
      time9f21: "103000",
    }),
  );
  const headers = signatureHeaders(s.sha, "bench-key", s.key, "POST", "/v1/authorizations", "1768473000", id + "p0", body);
  if (headers["X-Tappos-Signature"].length !== 44) throw new Error("signature is not 32 bytes of base64");
  return body.length;
}
