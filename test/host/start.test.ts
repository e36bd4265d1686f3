/**
 * `npm start -- --amount … --tap …` (host/start.ts, host/terminal/scripted.ts): one sale
 * through the terminal composition (src/app/terminal.ts) on the PN532 simulator and the
 * reference acquirer on loopback, as real processes over real sockets. Every profile with its
 * outcome, a decline by test amount, the See Phone restart, two sales on one state folder,
 * usage errors. The other modes: start-modes.test.ts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../host/espruino-dir";
import { CLEAR_PANS } from "../helpers/clear-pans";
import { PROFILE_NAMES } from "../../src/sim/profiles";

const root = mkdtempSync(join(tmpdir(), "tappos-start-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "host/run.mjs"), "host/start.ts", ...args], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 100000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs `jobs` at most `n` at a time (the machine has 2 cores). */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}


function noClearPan(text: string): void {
  expect(CLEAR_PANS.length).toBeGreaterThanOrEqual(13);
  for (const pan of CLEAR_PANS) expect(text).not.toContain(pan);
  // No 13–19 digit run at all: a masked PAN has its middle starred (or F nibbles in hex).
  expect(text).not.toMatch(/"pan":\s*"\d{13,19}"/);
}

interface Json {
  outcome: { outcome: string; reason: string; maskedPan: string | null; stan: string | null } | null;
  note: string | null;
  request: { pan?: string; amountMinor: number; stan: string } | null;
  answer: { outcome: string; responseCode: string | null; message: string } | null;
  events: { kind: string; text: string }[];
  exitCode: number;
}

const APPROVED = ["applepay-visa", "googlepay-mastercard", "quickpass-unionpay", "jd-flashpay", "card-visa", "card-mastercard", "card-unionpay", "cobadged", "broken-no-ppse"];

describe("npm start -- --amount --tap (scripted)", () => {
  it("every profile: the wallets and cards approved by the acquirer, the broken ones asked for another card and cancelled", async () => {
    const runs = await pool(
      PROFILE_NAMES.map((name) => () => start(["--amount", "12.34", "--tap", name, "--json", "--state", join(root, "p-" + name)])),
      3,
    );
    PROFILE_NAMES.forEach((name, i) => {
      const r = runs[i];
      expect(r.stderr, name).toBe("");
      noClearPan(r.stdout);
      const j = JSON.parse(r.stdout) as Json;
      const states = j.events.filter((e) => e.kind === "state").map((e) => e.text);
      if (APPROVED.indexOf(name) >= 0) {
        expect([name, r.status, j.outcome?.outcome]).toEqual([name, 0, "approved"]);
        expect(j.answer?.responseCode).toBe("00");
        expect(j.request?.amountMinor).toBe(1234);
        expect(j.request?.pan ?? "").toMatch(/^\d{6}\*+\d{4}$/);
        expect(states).toContain("authorising");
        expect(j.events.some((e) => e.kind === "apdu" && / GENERATE AC | GET PROCESSING OPTIONS /.test(" " + e.text.split(": ")[1] + " "))).toBe(true);
      } else {
        // Try another card (bad TLV, missing tag, wrong AID) or present again (card gone): no card is left to tap.
        expect([name, r.status, j.outcome?.outcome, j.outcome?.reason]).toEqual([name, 1, "cancelled", "CANCELLED"]);
        expect(j.note).toContain("another card");
        expect(j.request).toBeNull();
        expect(j.events.some((e) => e.kind === "display" && /Try Another Card|Present Card Again/.test(e.text))).toBe(true);
      }
    });
  }, 300000);

  it("declines a test amount ending in .51 (insufficient funds), prints the request as sent with the PAN masked and the answer; exit 1", async () => {
    const r = await start(["--amount", "20.51", "--tap", "card-visa", "--state", join(root, "decline")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    noClearPan(r.stdout);
    expect(r.stdout).toMatch(/^acquirer listening on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toMatch(/^outcome: declined 20\.51 978 476173\*{6}0010 \(declined\) stan 000001$/m);
    expect(r.stdout).toMatch(/^request as sent \(PAN masked\): \{.*"pan":"476173\*{6}0010".*\}$/m);
    expect(r.stdout).toMatch(/^answer: \{.*"responseCode":"51".*"message":"insufficient funds"/m);
    expect(r.stdout).toMatch(/^display +Not Authorised +20\.51 EUR/m);
    expect(r.stdout).toMatch(/^buzzer +750 Hz \d+ ms$/m);
  }, 120000);

  it("a .91 amount the acquirer never answers: not authorised after --answer-ms, the reversal written first and acknowledged before exit", async () => {
    const r = await start(["--amount", "4.91", "--tap", "card-unionpay", "--answer-ms", "1000", "--json", "--state", join(root, "no-answer")]);
    expect(r.status).toBe(1);
    noClearPan(r.stdout);
    const j = JSON.parse(r.stdout) as Json & { reversalQueue: { acknowledged: string[]; left: number } };
    expect([j.outcome?.outcome, j.outcome?.reason]).toEqual(["notAuthorised", "no_answer"]);
    expect(j.answer?.outcome).toBe("not_authorised");
    const id = (j.request as unknown as { clientTransactionId: string }).clientTransactionId;
    expect(j.reversalQueue).toEqual({ acknowledged: [id], left: 0, error: null });
    expect(j.events.some((e) => e.kind === "online" && e.text === `reversal ${id} acknowledged by the acquirer`)).toBe(true);
  }, 120000);

  it("a recorded transcript (.apdu) replayed: read to its Online Request with the masked PAN, which the acquirer refuses; exit 1", async () => {
    const r = await start(["--amount", "12.50", "--tap", "src/sim/transcripts/applepay-visa.apdu", "--json", "--state", join(root, "transcript")]);
    expect(r.status).toBe(1);
    noClearPan(r.stdout);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.events.filter((e) => e.kind === "apdu" && e.text.includes("GET PROCESSING OPTIONS")).length).toBeGreaterThanOrEqual(1);
    expect(j.request?.pan).toBe("476173******0110");
    expect(j.outcome?.outcome).not.toBe("approved");
  }, 120000);

  it("Apple Pay asks to see the phone: field off, the phone unlocked and tapped again, then approved", async () => {
    const r = await start(["--amount", "12.34", "--tap", "applepay-visa", "--json", "--state", join(root, "see-phone")]);
    const j = JSON.parse(r.stdout) as Json;
    expect(r.status).toBe(0);
    const states = j.events.filter((e) => e.kind === "state").map((e) => e.text);
    expect(states.slice(0, 8)).toEqual(["amountEntered", "presentCard", "reading", "fieldOff", "presentCard", "reading", "cardReadOk", "authorising"]);
    expect(j.events.some((e) => e.kind === "field" && e.text.includes('"see phone"'))).toBe(true);
    expect(j.events.filter((e) => e.kind === "display" && e.text.startsWith("See Phone for Instructions")).length).toBeGreaterThanOrEqual(1);
    expect(j.events.filter((e) => e.kind === "apdu" && e.text.includes("SELECT 2PAY.SYS.DDF01")).length).toBe(2);
    expect(j.outcome?.outcome).toBe("approved");
  }, 120000);

  it("two sales on one state folder: the next STAN, a new ATC (not declined as a replay)", async () => {
    const state = join(root, "twice");
    const stans: string[] = [];
    const atcs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await start(["--amount", "3.00", "--tap", "card-mastercard", "--json", "--state", state]);
      const j = JSON.parse(r.stdout) as Json;
      expect(r.status).toBe(0);
      stans.push(j.outcome?.stan ?? "");
      const ac = j.events.find((e) => e.kind === "apdu" && e.text.includes("GENERATE AC"));
      atcs.push((ac?.text.match(/9F36=([0-9A-F]{4})/) ?? ["", ""])[1]);
    }
    expect(stans).toEqual(["000001", "000002"]);
    expect(parseInt(atcs[1], 16)).toBe(parseInt(atcs[0], 16) + 1);
  }, 120000);

  it("usage errors exit 2: --amount without --tap, an unknown profile, --state without a folder, a bad amount", async () => {
    const cases: [string[], string][] = [
      [["--amount", "1.00"], "needs both --amount and --tap"],
      [["--amount", "1.00", "--tap", "no-such-phone"], 'unknown profile "no-such-phone"'],
      [["--state"], "--state needs a value"],
      [["--amount", "1.234", "--tap", "card-visa"], "has 3 decimal(s)"],
      [["--bogus"], 'unknown argument "--bogus"'],
    ];
    const runs = await pool(cases.map((c) => () => start([...c[0], "--state", join(root, "usage")].slice(0, c[0][0] === "--state" ? 1 : undefined))), 2);
    runs.forEach((r, i) => {
      expect([cases[i][0].join(" "), r.status]).toEqual([cases[i][0].join(" "), 2]);
      expect(r.stderr).toContain(cases[i][1]);
      expect(r.stderr).toContain("usage: npm start");
    });
  }, 120000);
});
