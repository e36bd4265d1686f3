/**
 * HMAC-SHA-256 of the firmware (src/auth/hmac.ts) on the hal SHA-256: RFC 4231 §4 vectors on
 * Node's SHA-256, agreement with Node's own createHmac, base64 per RFC 4648 §10, and the same
 * vectors in the Espruino 2v29 interpreter through src/hal/espruino/sha256.ts (its native
 * `require("crypto").SHA256`), bundled under the board rules.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prng, randomBytes } from "../../host/fuzz/prng";
import { buildBoard } from "../../build.mjs";
import { fromHex, toHex } from "../../src/bytes/hex";
import { base64, binaryString, hmacKey, hmacSha256 } from "../../src/auth/hmac";
import { signatureHeaders, signingString } from "../../src/auth/signed-http";
import { espruinoBinary, espruinoSkipReason, PROJECT_ROOT, silentStdin } from "../../host/espruino-dir";
import { hmacSha256 as nodeHmac } from "../../host/crypto/hmac";
import { nodeSha256 } from "../../host/auth/node-hal";

const ascii = (s: string): string => toHex(Buffer.from(s, "latin1"));

/** RFC 4231 §4.2–4.8: key hex, data hex, HMAC-SHA-256 hex (case 5 truncated to 128 bits). */
const RFC4231: [string, string, string][] = [
  ["0b".repeat(20), ascii("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
  [ascii("Jefe"), ascii("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
  ["aa".repeat(20), "dd".repeat(50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
  ["0102030405060708090a0b0c0d0e0f10111213141516171819", "cd".repeat(50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
  ["0c".repeat(20), ascii("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"],
  ["aa".repeat(131), ascii("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
  [
    "aa".repeat(131),
    ascii("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
  ],
];

function mac(keyHex: string, dataHex: string): string {
  return Buffer.from(hmacSha256(nodeSha256, hmacKey(nodeSha256, fromHex(keyHex)), binaryString(fromHex(dataHex))), "latin1").toString("hex");
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("HMAC-SHA-256 on the hal SHA-256", () => {
  it("gives the RFC 4231 test vectors", () => {
    for (const [k, d, want] of RFC4231) expect(mac(k, d).substring(0, want.length)).toBe(want);
  });

  it("agrees with Node's createHmac for keys and messages of every size around the block", () => {
    const rand = prng(4231);
    const bytes = (n: number) => randomBytes(rand, n);
    for (const kl of [0, 1, 31, 32, 63, 64, 65, 200]) {
      for (const dl of [0, 1, 55, 56, 64, 119, 1000]) {
        const k = bytes(kl);
        const d = bytes(dl);
        expect(toHex(Buffer.from(hmacSha256(nodeSha256, hmacKey(nodeSha256, k), binaryString(d)), "latin1"))).toBe(toHex(nodeHmac(k, d)));
      }
    }
  });

  it("writes base64 with padding (RFC 4648 §10) and signs METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY", () => {
    const cases: [string, string][] = [["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"]];
    for (const [t, b] of cases) expect(base64(t)).toBe(b);
    const d = fromHex("00ff10fe7f80" + "ab".repeat(26));
    expect(base64(binaryString(d))).toBe(Buffer.from(d).toString("base64"));
    expect(signingString("GET", "/v1/authorizations/ab", "1796501492", "n1", "")).toBe("GET\n/v1/authorizations/ab\n1796501492\nn1\n");
  });

  it("signs in signatureHeaders the HMAC of signingString (Node's createHmac), whatever the body", () => {
    const rand = prng(2104);
    for (const bl of [0, 1, 64, 700]) {
      const k = randomBytes(rand, 32);
      const body = binaryString(randomBytes(rand, bl));
      const h = signatureHeaders(nodeSha256, "kid", hmacKey(nodeSha256, k), "POST", "/v1/authorizations", "1768473000", "ab12p0", body);
      const want = nodeHmac(k, Buffer.from(signingString("POST", "/v1/authorizations", "1768473000", "ab12p0", body), "latin1"));
      expect(h).toEqual({ "X-Tappos-Key-Id": "kid", "X-Tappos-Timestamp": "1768473000", "X-Tappos-Nonce": "ab12p0", "X-Tappos-Signature": Buffer.from(want).toString("base64") });
    }
  });
});

const NO_ESPRUINO = espruinoSkipReason("espruino");

describe("HMAC-SHA-256 in the Espruino interpreter", () => {
  it.skipIf(NO_ESPRUINO)(`gives the RFC 4231 vectors on require("crypto").SHA256${NO_ESPRUINO ? " (skipped: " + NO_ESPRUINO + ")" : ""}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tappos-hmac-"));
    dirs.push(dir);
    const src = (m: string): string => JSON.stringify(relative(dir, join(PROJECT_ROOT, "src", m)).split(sep).join("/"));
    writeFileSync(
      join(dir, "main.ts"),
      [
        `import { fromHex } from ${src("bytes/hex")};`,
        `import { base64, binaryString, hmacKey, hmacSha256 } from ${src("auth/hmac")};`,
        `import { espruinoSha256 } from ${src("hal/espruino/sha256")};`,
        "declare function print(s: string): void;",
        `const V: string[][] = ${JSON.stringify(RFC4231)};`,
        "const sha = espruinoSha256();",
        "function hex(s: string): string { let o = ''; for (let i = 0; i < s.length; i++) o += (s.charCodeAt(i) < 16 ? '0' : '') + s.charCodeAt(i).toString(16); return o; }",
        "for (let i = 0; i < V.length; i++) print(hex(hmacSha256(sha, hmacKey(sha, fromHex(V[i][0])), binaryString(fromHex(V[i][1])))));",
        'print(base64(hmacSha256(sha, hmacKey(sha, fromHex("746170706f73")), "POST\\n/v1/authorizations\\n1796501492\\nabc\\n{}")));',
      ].join("\n"),
    );
    const r = await buildBoard({ entry: join(dir, "main.ts"), name: "hmac-check", write: false, budget: 1 << 20 });
    expect(r.problems).toEqual([]);
    writeFileSync(join(dir, "code.js"), r.code);
    const stdin = silentStdin();
    const run = spawnSync(espruinoBinary("espruino") as string, ["code.js"], { cwd: dir, stdio: [stdin.fd, "pipe", "pipe"], timeout: 60000, killSignal: "SIGKILL", encoding: "utf8" });
    stdin.close();
    const lines = run.stdout.replace(/\r/g, "").split("\n").map((l) => l.trim());
    for (const [, , want] of RFC4231) expect(lines.some((l) => l.startsWith(want))).toBe(true);
    const sig = Buffer.from(nodeHmac(fromHex("746170706f73"), Buffer.from("POST\n/v1/authorizations\n1796501492\nabc\n{}"))).toString("base64");
    expect(lines).toContain(sig);
  }, 60000);
});
