/**
 * Test-only certificates, made at test time with the `openssl` CLI in a temp folder (never
 * committed): a CA and a server certificate for 127.0.0.1 signed by it, and a second,
 * unrelated CA that must not be trusted.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  dir: string;
  caPem: string;
  otherCaPem: string;
  serverKeyPem: string;
  serverCertPem: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "tappos-certs-"));
  openssl(dir, ["req", "-x509", ...EC, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=tappos TEST-ONLY CA"]);
  openssl(dir, ["req", "-x509", ...EC, "-keyout", "other.key", "-out", "other.pem", "-days", "2", "-subj", "/CN=tappos other TEST-ONLY CA"]);
  openssl(dir, ["req", ...EC, "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  openssl(dir, ["x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "2", "-extfile", "ext.cnf"]);
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return { dir: dir, caPem: read("ca.pem"), otherCaPem: read("other.pem"), serverKeyPem: read("srv.key"), serverCertPem: read("srv.pem") };
}
