/**
 * `npm run tap -- <profile> --online <url>` as real processes (node host/run.mjs host/tap.ts)
 * against the reference acquirer: approved (exit 0) with the request as sent, PAN masked, in
 * --json; the card's ATC and the terminal's STAN carried in the state folder between runs;
 * declined (exit 1); usage errors (exit 2); a terminal process killed while its request is
 * held, restarted on the same folder: the transaction becomes a reversal, delivered once.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { makeTestCerts } from "./test-certs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { removeTempDirs, startTestAcquirer, tempDir, until, type Acquirer } from "./acquirer-rig";

let acq: Acquirer | null = null;
afterEach(async () => {
  if (acq) await acq.close();
  acq = null;
});
afterAll(removeTempDirs);

const TAP = ["host/run.mjs", "host/tap.ts"];

/** One `npm run tap` process; asynchronous, so the acquirer in this process keeps answering. */
function tap(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, TAP.concat(args), { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    c.stdout.on("data", (d) => (out += d));
    c.stderr.on("data", (d) => (err += d));
    c.on("close", (code) => resolve({ code: code, out: out, err: err }));
  });
}

describe("npm run tap -- --online", () => {
  it("approves (exit 0), prints the masked request and the answer, and a second run spends a new ATC and STAN", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-state-");
    const a = await tap(["card-visa", "--amount", "12.50", "--online", acq.url, "--state", state, "--json"]);
    expect(a.err).toBe("");
    expect(a.code).toBe(0);
    expect(a.out).not.toContain("4761739001010010");
    const j = JSON.parse(a.out);
    expect(j.online.answer).toMatchObject({ outcome: "approved", responseCode: "00", httpStatus: 200, stan: "000001" });
    expect(j.online.request).toMatchObject({ terminalId: "TAPPOS01", merchantId: "MERCHANT0001", amountMinor: 1250, currency: "978", posEntryMode: "07", pan: "476173******0010", kernel: 3 });
    expect(j.online.reversal).toBeNull();
    const b = await tap(["card-visa", "--online", acq.url, "--state", state]);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/APPROVED 00 auth code [A-Z0-9]{6}/);
    expect(b.out).toContain("STAN 000002");
    const atc = JSON.parse(readFileSync(join(state, "cards", "card-visa.atc.json"), "utf8")).atc["A0000000031010"];
    expect(acq.store.countAuthorizations()).toBe(2);
    expect(atc).toBeGreaterThan(0);
  }, 120000);

  it("exits 1 on a decline with the host's code, 2 on usage errors", async () => {
    acq = await startTestAcquirer();
    const state = tempDir("tappos-state-");
    const d = await tap(["applepay-visa", "--amount", "3.51", "--online", acq.url, "--state", state]);
    expect(d.code).toBe(1);
    expect(d.out).toContain("DECLINED 51 insufficient funds");
    expect((await tap(["card-visa", "--online"])).code).toBe(2);
    const bad = await tap(["card-visa", "--online", "ftp://127.0.0.1:1"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("not an http:// or https:// URL");
    const insecure = await tap(["card-visa", "--online", "http://acquirer.example.com", "--state", state]);
    expect(insecure.code).toBe(1);
    expect(insecure.out).toContain("HTTP_INSECURE");
  }, 120000);

  it("a terminal process killed while its request is held: restarted on the same folder, it reverses that transaction once", async () => {
    acq = await startTestAcquirer({ holdMs: 20000 });
    const state = tempDir("tappos-state-");
    const child = spawn(process.execPath, TAP.concat(["card-visa", "--amount", "12.91", "--online", acq.url, "--state", state, "--answer-ms", "15000"]), { cwd: PROJECT_ROOT, stdio: "ignore" });
    const pendingFile = join(state, "terminal", "tppending");
    await until(() => existsSync(pendingFile), 30000);
    const id = JSON.parse(readFileSync(pendingFile, "utf8")).clientTransactionId as string;
    await until(() => acq!.store.getAuthorization(id) !== null, 10000);
    child.kill("SIGKILL"); // power loss: no answer, no reversal written by that process
    await new Promise((r) => child.once("exit", r));
    expect(acq.store.getReversal(id)).toBeNull();
    const next = await tap(["card-visa", "--amount", "1.00", "--online", acq.url, "--state", state, "--json"]);
    expect(next.code).toBe(0);
    const j = JSON.parse(next.out);
    expect(j.online.recovered).toMatchObject({ clientTransactionId: id, reason: "no_answer", amountMinor: 1291 });
    expect(acq.store.getAuthorization(id)!.reversed).toBe(true);
    expect((await tap(["card-visa", "--amount", "1.00", "--online", acq.url, "--state", state])).code).toBe(0);
    expect(acq.store.countReversals()).toBe(1);
  }, 120000);

  it("goes over TLS with --ca pinning the acquirer's CA; under another CA it sends nothing (no reversal)", async () => {
    acq = await startTestAcquirer();
    const certs = makeTestCerts();
    const target = new URL(acq.url);
    // A TLS front for the acquirer (test certificates made by openssl for 127.0.0.1).
    const front = https.createServer({ key: certs.serverKeyPem, cert: certs.serverCertPem }, (req, res) => {
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on("error", () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((r) => front.listen(0, "127.0.0.1", () => r()));
    const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const state = tempDir("tappos-state-");
    writeFileSync(join(state, "ca.pem"), certs.caPem);
    writeFileSync(join(state, "other.pem"), certs.otherCaPem);
    try {
      const ok = await tap(["card-visa", "--online", url, "--ca", join(state, "ca.pem"), "--state", state]);
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/APPROVED 00/);
      const refused = await tap(["card-visa", "--online", url, "--ca", join(state, "other.pem"), "--state", state, "--json"]);
      expect(refused.code).toBe(1);
      const j = JSON.parse(refused.out);
      expect(j.online.answer).toMatchObject({ outcome: "not_authorised", reason: "no_connection", error: "HTTP_CONNECT" });
      expect(j.online.reversal).toBeNull();
      const noCa = await tap(["card-visa", "--online", url, "--state", state]);
      expect(noCa.out).toContain("HTTP_NO_CA");
      expect(acq.store.countAuthorizations()).toBe(1);
    } finally {
      front.close();
      rmSync(certs.dir, { recursive: true, force: true });
    }
  }, 120000);
});
