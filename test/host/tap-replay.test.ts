/**
 * `npm run tap` around transcripts (issue 6): --record refuses to overwrite or to write
 * anything but .apdu; a replay with other terminal data warns of its stale cryptogram; the
 * text says each code once and the JSON writes status words as hex; cut transcripts and bad
 * profiles are refused at load; cardholder names are masked and masked transcripts replay.
 */
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTap } from "../../host/tap/run-tap";
import { staleFields } from "../../host/tap/stale";
import type { TraceEntry } from "../../host/tap/trace";
import { fromHex } from "../../src/bytes/hex";
import { maskResponseApdu } from "../../src/emv/mask-apdu";
import { profileByName } from "../../src/sim/profiles";

const TRANSCRIPTS = fileURLToPath(new URL("../../src/sim/transcripts/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "tappos-replay-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

async function tap(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTap(
    args,
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code: code, out: out.join("\n"), err: err.join("\n") };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
async function tapJson(...args: string[]): Promise<{ code: number; j: any }> {
  const r = await tap(...args, "--json");
  expect(r.err).toBe("");
  return { code: r.code, j: JSON.parse(r.out) };
}

const hexOf = (text: string) => Buffer.from(text, "latin1").toString("hex").toUpperCase();
const bytesIn = (transcript: string) => transcript.replace(/^#.*$/gm, "").replaceAll(" ", "").replaceAll("\n", "");

describe("tap --record", () => {
  it("refuses an existing file without --force, in one line, exit 2, file untouched", async () => {
    const path = join(tmp, "kept.apdu");
    writeFileSync(path, "precious");
    const r = await tap("card-visa", "--record", path);
    expect([r.code, r.out]).toEqual([2, ""]);
    expect(r.err).toBe(`tap: --record ${path}: the file exists (add --force to replace it)`);
    expect(readFileSync(path, "utf8")).toBe("precious");
  });

  it("replaces it with --force", async () => {
    const path = join(tmp, "replaced.apdu");
    writeFileSync(path, "old");
    const r = await tap("card-visa", "--record", path, "--force");
    expect(r.code).toBe(0);
    expect(readFileSync(path, "utf8")).toMatch(/^# tappos tap transcript: card-visa/);
  });

  for (const name of ["out.json", "out.txt", "out", "dir.apdu/out.ts", ".apdu"]) {
    it(`refuses to write ${name} (only .apdu), in one line, exit 2`, async () => {
      const path = join(tmp, name);
      const r = await tap("card-visa", "--record", path);
      expect([r.code, r.out]).toEqual([2, ""]);
      expect(r.err).toBe(`tap: --record ${path}: a transcript file name must end in .apdu`);
      expect(existsSync(path)).toBe(false);
    });
  }

  it("refuses a file in a directory that does not exist before the tap runs", async () => {
    const path = join(tmp, "no-such-dir", "t.apdu");
    const r = await tap("card-visa", "--record", path);
    expect([r.code, r.out]).toEqual([2, ""]);
    expect(r.err).toBe(`tap: --record ${path}: no directory ${join(tmp, "no-such-dir")}`);
  });

  it("--force without --record is a usage error", async () => {
    const r = await tap("card-visa", "--force");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--force only makes sense with --record");
  });
});

describe("tap: replay with other terminal data (stale cryptogram)", () => {
  const gp = join(TRANSCRIPTS, "googlepay-mastercard.apdu");

  it("as recorded: no warning, staleCryptogram false", async () => {
    const { j } = await tapJson(gp);
    expect([j.staleCryptogram, j.staleFields]).toEqual([false, []]);
    expect((await tap(gp)).out).not.toContain("stale");
  });

  it("another amount, currency and date: a warning naming each field, and the JSON says which", async () => {
    const args = [gp, "--amount", "20.00", "--currency", "USD", "--date", "2027-02-03T10:30:00"];
    const { code, j } = await tapJson(...args);
    expect(code).toBe(0); // the kernel is satisfied; the issuer would not be
    expect(j.staleCryptogram).toBe(true);
    const byTag = Object.fromEntries(j.staleFields.map((f: any) => [f.tag, f]));
    expect(byTag["9F02"]).toMatchObject({ field: "amount", recorded: "000000001250", sent: "000000002000" });
    expect(byTag["5F2A"]).toMatchObject({ field: "currency", recorded: "0978", sent: "0840" });
    expect(byTag["9A"]).toMatchObject({ field: "date", recorded: "260115", sent: "270203" });
    const text = (await tap(...args)).out;
    expect(text).toContain("Warning: stale cryptogram");
    expect(text).toContain("amount 9F02: recorded 000000001250");
    expect(text).toContain("an issuer would decline it");
  });

  it("falls back on the header comment for a field no recorded command carries", () => {
    // A recorded GPO without PDOL data (83 00): only the header tells the recorded amount and date.
    const select = "6F 13 84 07 A0 00 00 00 03 10 10 A5 08 9F 38 05 9F 02 06 9A 03 90 00";
    const text = [
      "# amount 12.50 EUR (1250 minor units, currency 978, country 250)",
      "# date 2026-01-15 10:30:00 (simulated), seed 1",
      "=> 00 A4 04 00 07 A0 00 00 00 03 10 10 00",
      "<= " + select,
      "=> 80 A8 00 00 02 83 00 00",
      "<= 90 00",
    ].join("\n");
    const entry = (command: string, response: string): TraceEntry => ({
      tap: 1,
      atMs: 0,
      ms: 0,
      command: fromHex(command),
      response: maskResponseApdu(fromHex(response)),
      error: null,
    });
    const trace = [entry("00A4040007A000000003101000", select), entry("80A80000 0B 8309 000000002000 260115 00", "9000")];
    expect(staleFields(text, trace)).toEqual([{ field: "amount", tag: "9F02", recorded: "000000001250", sent: "000000002000", line: 1 }]);
  });

  it("profiles have no recorded cryptogram: staleCryptogram null", async () => {
    expect((await tapJson("card-visa", "--amount", "99")).j.staleCryptogram).toBeNull();
  });
});

describe("tap: codes said once, status words as hex", () => {
  const CODE = /\b(?:EMV|ISODEP|TLV|APDU|PN532|SIM|TAP|TRANSCRIPT)_[A-Z0-9_]+/g;
  for (const name of ["broken-missing-tag", "broken-bad-tlv", "broken-early-removal", "broken-wrong-aid", "applepay-visa", "googlepay-mastercard"]) {
    it(`${name}: no code printed twice in the text`, async () => {
      const text = (await tap(name)).out;
      const codes: string[] = text.match(CODE) ?? [];
      expect(codes.length).toBeGreaterThan(0);
      const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
      expect(twice, text).toEqual([]);
    });
  }

  it("over the contactless limit: EMV_LIMIT_EXCEEDED once, with tappos's own message E0 named", async () => {
    const text = (await tap("card-visa", "--amount", "5000")).out;
    expect(text.split("EMV_LIMIT_EXCEEDED").length - 1).toBe(1);
    expect(text).toContain('UI E0 "Amount Over Contactless Limit"');
  });

  it("JSON: every sw is 4-digit hex text, never a number", async () => {
    for (const name of ["applepay-visa", "broken-missing-tag", "broken-early-removal"]) {
      const { j } = await tapJson(name);
      const sws: unknown[] = [];
      JSON.stringify(j, (k, v) => {
        if (k === "sw") sws.push(v);
        return v;
      });
      expect(sws.length).toBeGreaterThan(0);
      for (const sw of sws) if (sw !== null) expect(sw, name).toMatch(/^[0-9A-F]{4}$/);
    }
    expect((await tapJson("applepay-visa")).j.taps[0].detail.sw).toBe("6986");
  });
});

describe("tap: refused at load (exit 2, with the line or the field)", () => {
  const cases: [string, string, string][] = [
    ["empty.apdu", "", "TRANSCRIPT_EMPTY"],
    ["no-answers.apdu", "# uid 08AABBCC\n=> 00A404000E325041592E5359532E444446303100\n# error ISODEP_TIMEOUT\n", "TRANSCRIPT_NO_ANSWER"],
    ["odd.apdu", "=> 00A40400\n<= 90 0\n", "TRANSCRIPT_SYNTAX"],
  ];
  for (const [file, text, code] of cases) {
    it(`${file}: ${code}`, async () => {
      const path = join(tmp, file);
      writeFileSync(path, text);
      const r = await tap(path);
      expect([r.code, r.out]).toEqual([2, ""]);
      expect(r.err).toContain(code);
      expect(r.err).toMatch(/\(line \d+\)/);
    });
  }

  it("a sample transcript cut in its last answer is refused with that line", async () => {
    const text = readFileSync(join(TRANSCRIPTS, "quickpass-unionpay.apdu"), "utf8").trimEnd();
    const path = join(tmp, "cut.apdu");
    writeFileSync(path, text.substring(0, text.length - 30) + "\n");
    const r = await tap(path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`TRANSCRIPT_TRUNCATED`);
    expect(r.err).toContain(`(line ${text.split("\n").length})`);
  });

  it("a profile file with an unknown formFactor or key names the field", async () => {
    const p = JSON.parse(JSON.stringify(profileByName("card-visa")));
    p.formFactor = "ring";
    const path = join(tmp, "ring.json");
    writeFileSync(path, JSON.stringify(p));
    const r = await tap(path);
    expect([r.code, r.out]).toEqual([2, ""]);
    expect(r.err).toContain("formFactor: expected one of");
    delete p.formFactor;
    p.formFactor = "card";
    p.apps[0].keys.colour = "red";
    writeFileSync(path, JSON.stringify(p));
    expect((await tap(path)).err).toContain("apps[0].keys.colour: unknown field");
  });
});

describe("tap: cardholder names masked, and masked transcripts replay", () => {
  const NAME = "TEST/VISA CARD";

  it("the name 5F20 never shows: not in the recording, the text or the JSON trace", async () => {
    const path = join(tmp, "named.apdu");
    const live = await tapJson("card-visa", "--record", path);
    const recorded = readFileSync(path, "utf8");
    expect(bytesIn(recorded)).not.toContain(hexOf(NAME));
    // Same length, "*" bytes: 5F20 0E then fourteen 2A.
    expect(bytesIn(recorded)).toContain("5F200E" + "2A".repeat(NAME.length));
    const json = JSON.stringify(live.j);
    expect(json).not.toContain(NAME);
    expect(json).not.toContain(hexOf(NAME));
    expect(json).toContain('"text":"' + "*".repeat(NAME.length) + '"');
    const text = (await tap("card-visa")).out;
    expect(text).not.toContain(NAME);
    expect(text).toContain('5F20 Cardholder Name: ' + "2A".repeat(NAME.length) + ' "' + "*".repeat(NAME.length) + '"');

    // The masked transcript replays to the same outcome, AID and masked token.
    const replay = (await tapJson(path)).j;
    expect(replay.replay).toMatchObject({ ok: true, leftovers: 0, failures: [] });
    expect([replay.outcome, replay.aid, replay.record.token]).toEqual([live.j.outcome, live.j.aid, live.j.record.token]);
  });

  it("--clear records the name as it is (test fixtures only)", async () => {
    const path = join(tmp, "named-clear.apdu");
    await tap("card-visa", "--record", path, "--clear");
    expect(bytesIn(readFileSync(path, "utf8"))).toContain(hexOf(NAME));
  });
});
