/** Shared by the board-tools tests: the fake CLI, a temp folder, captured tool output. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ToolIo } from "../../host/board/flash-run";

export const FAKE_CLI = resolve(dirname(fileURLToPath(import.meta.url)), "fake-espruino-cli.mjs");

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "tappos-board-tools-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Captured extends ToolIo {
  lines: string[];
  errors: string[];
  all(): string;
}

export function capture(): Captured {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    all: () => lines.concat(errors).join("\n"),
  };
}

/** The argv lists the fake CLI logged, one per run ([] when it never ran). */
export function fakeRuns(log: string): string[][] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
}

/** A valid config (config-store.ts checkConfig) with recognisable secrets, written to `path`. */
export const WIFI_PASSWORD = "Wifi-Secret-Pass-42";
export const HMAC_KEY = "c0ffee".repeat(10) + "abcd";

export function writeConfig(path: string, change?: (c: Record<string, unknown>) => void): Record<string, unknown> {
  const c: Record<string, unknown> = {
    wifi: { ssid: "shop-wifi", password: WIFI_PASSWORD },
    acquirer: { url: "http://127.0.0.1:8583", terminalId: "TPOS0001", merchantId: "MERCHANT0001", keyId: "tpos0001-k1", key: HMAC_KEY },
    merchantName: "CAFE TEST",
    currency: 978,
  };
  if (change) change(c);
  writeFileSync(path, JSON.stringify(c, null, 2));
  return c;
}
