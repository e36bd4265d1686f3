/**
 * The host till's bearer token (issue 10): random, kept in `<state>/till-token` so a restart
 * on the same state folder keeps the URL the merchant's phone already holds. It reaches the
 * page only in the URL's fragment (`#token=…`), which a browser never sends to a server.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What a token may be made of (the page puts it in a URL fragment and a header). */
const TOKEN_RE = /^[A-Za-z0-9_-]{16,128}$/;

export function tillTokenFile(stateDir: string): string {
  return join(stateDir, "till-token");
}

/** The state folder's token, made (24 base64url characters, 144 bits) when there is none or it is malformed. */
export function tillToken(stateDir: string): string {
  const file = tillTokenFile(stateDir);
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (TOKEN_RE.test(kept)) return kept;
  }
  const token = randomBytes(18).toString("base64url");
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, token + "\n", { mode: 0o600 });
  return token;
}

/** The line `npm start` prints: "till: http://127.0.0.1:8640/#token=… (…)". */
export function tillLine(port: number, token: string, asked: number | null, defaultPort: number): string {
  const wanted = asked === null ? defaultPort : asked;
  const why = wanted === 0 ? "any free port (--port 0)" : port === wanted ? (asked === null ? "the default port" : "--port " + asked) : `port ${wanted} was busy: another free port`;
  return `till: http://127.0.0.1:${port}/#token=${token}  (${why}; open it in a browser)`;
}
