/**
 * Signed exchanges with the acquirer (docs/acquirer-api.md "Signature"): HMAC-SHA-256 over
 * `METHOD\nPATH\nTIMESTAMP\nNONCE\nBODY` (the exact body bytes; empty for GET) under the
 * terminal's key, base64, with its key id, Unix-seconds timestamp and a random nonce.
 * Every exchange is bounded twice: each phase by the HttpClient, and the whole by a timer
 * on the injected Clock, so a stuck socket can never hold a sale.
 */
import { find } from "../bytes/find";
import { codedError } from "../bytes/coded-error";
import type { Clock, HttpAnswer, HttpClient, HttpTimeouts, Random, Sha256, WallClock } from "../hal/types";
import { hexLower, hmacKey, type HmacKey } from "./hmac";
import { parseHttpDate, type SettableWallClock } from "./time";

export interface SigningKey {
  /** Key id known to the acquirer ("test-key-1"). */
  keyId: string;
  /** The terminal's HMAC key. Never in the bundle or the repository: from Storage / a key file. */
  key: Uint8Array;
}

export interface SignedHttpDeps {
  http: HttpClient;
  sha: Sha256;
  wall: WallClock;
  random: Random;
  clock: Clock;
}

/** Slack on top of the three phases before the whole-exchange timer fires, ms. */
const DEADLINE_SLACK_MS = 250;

/** The string that is signed (docs/acquirer-api.md). */
export function signingString(method: string, path: string, timestamp: string, nonce: string, body: string): string {
  return method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + body;
}

/** The four X-Tappos-* headers for one request, under a key prepared by hmacKey. */
export function signatureHeaders(sha: Sha256, keyId: string, key: HmacKey, method: string, path: string, timestamp: string, nonce: string, body: string): { [name: string]: string } {
  return {
    "X-Tappos-Key-Id": keyId,
    "X-Tappos-Timestamp": timestamp,
    "X-Tappos-Nonce": nonce,
    // base64(hmacSha256(signingString …)) written out: three calls fewer on the tap path (~14,000 interpreter instructions each).
    "X-Tappos-Signature": btoa(sha.digest(key.outer + sha.digest(key.inner + method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + body))),
  };
}

export class SignedHttp {
  readonly origin: string;
  readonly basePath: string;
  /** The key id (not named keyId: a name that reaches JSON, kept whole by the build). */
  private kid: string;
  /** Pads made once: signing is then native digests only. */
  private prepared: HmacKey;
  private deps: SignedHttpDeps;
  private timeouts: HttpTimeouts;
  /** Set from an answer's `Date` header while it has no valid time (no SNTP). */
  private settable: SettableWallClock | null;
  constructor(
    deps: SignedHttpDeps,
    key: SigningKey,
    baseUrl: string,
    timeouts: HttpTimeouts,
    /** Set from an answer's `Date` header while it has no valid time (no SNTP). */
    settable: SettableWallClock | null,
  ) {
    this.deps = deps;
    this.timeouts = timeouts;
    this.settable = settable;
    this.kid = key.keyId;
    this.prepared = hmacKey(deps.sha, key.key);
    // "https://h:1/base" → origin "https://h:1", base path "/base" (no trailing slash).
    const scheme = find(baseUrl, "://", 0);
    const slash = scheme < 0 ? -1 : baseUrl.indexOf("/", scheme + 3);
    let base = slash < 0 ? "" : baseUrl.substring(slash);
    while (base.endsWith("/")) base = base.substring(0, base.length - 1);
    this.origin = slash < 0 ? baseUrl : baseUrl.substring(0, slash);
    this.basePath = base;
  }

  /**
   * Sends one signed request to `basePath + path`.
   * @returns the answer, whatever its status; rejects with the HttpClient's coded error or
   *   HTTP_TIMEOUT (`phase` "deadline", `sent` true) when the whole exchange overran;
   *   AUTH_NO_CLOCK when there is no valid time to sign with.
   * @param nonce unique per request of this key: by default 16 random bytes as hex; the
   *   authorizer passes its fresh random id plus an attempt letter (saves the random draw
   *   on the tap path; never reused, since an id's POSTs are never resent after a reboot).
   */
  send(method: string, path: string, body: string | null, nonce?: string): Promise<HttpAnswer> {
    const ms = this.deps.wall.unixMs();
    if (ms === null) return Promise.reject(codedError("AUTH_NO_CLOCK", "no valid time to sign the request"));
    const full = this.basePath + path;
    const headers = signatureHeaders(this.deps.sha, this.kid, this.prepared, method, full, "" + Math.floor(ms / 1000), nonce || hexLower(this.deps.random.bytes(16)), body === null ? "" : body);
    if (body !== null) headers["Content-Type"] = "application/json";
    return this.exchange(method, full, headers, body);
  }

  /** One unsigned GET of `path`, only to read the acquirer's `Date` header at boot. */
  syncClock(path: string): Promise<boolean> {
    return this.exchange("GET", this.basePath + path, {}, null).then(
      () => this.deps.wall.unixMs() !== null,
      () => false,
    );
  }

  private exchange(method: string, path: string, headers: { [name: string]: string }, body: string | null): Promise<HttpAnswer> {
    const t = this.timeouts;
    const clock = this.deps.clock;
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = clock.setTimer(t.connectMs + t.sendMs + t.answerMs + DEADLINE_SLACK_MS, () => {
        if (done) return;
        done = true;
        reject(codedError("HTTP_TIMEOUT", "no answer in time", { phase: "deadline", sent: true }));
      });
      this.deps.http.request(method, this.origin + path, headers, body, t, (error, answer) => {
        if (done) return;
        done = true;
        clock.clearTimer(timer);
        if (error || !answer) {
          reject(error || codedError("HTTP_CLOSED", "no answer", { sent: true }));
          return;
        }
        // No valid time yet (no SNTP): the answer's Date header sets the wall clock.
        const settable = this.settable;
        if (settable && settable.unixMs() === null) {
          const date = answer.headers["date"];
          const ms = date === undefined ? null : parseHttpDate(date);
          if (ms !== null) settable.set(ms);
        }
        resolve(answer);
      });
    });
  }
}
