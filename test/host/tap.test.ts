/**
 * `npm run tap`, called in-process through runTap: every named profile to its outcome, exit
 * statuses, the JSON shape, no clear PAN anywhere in what it prints, amount parsing, and the
 * sample transcripts replayed (also a record-then-replay round trip).
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTap } from "../../host/tap/run-tap";
import { currencyFromText, formatAmount, parseAmount } from "../../host/tap/amount";
import { ARRIVE_MS, runSession, WAIT_MS } from "../../host/tap/session";
import { loadTarget } from "../../host/tap/target";
import { seededRandom } from "../../host/tap/determinism";
import { defaultEntryPointConfig } from "../../src/app/terminal-config";
import { PROFILE_NAMES, profileByName } from "../../src/sim/profiles";

const TRANSCRIPTS = fileURLToPath(new URL("../../src/sim/transcripts/", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "tappos-tap-"));
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
async function tapJson(...args: string[]): Promise<{ code: number; j: any; out: string }> {
  const r = await tap(...args, "--json");
  expect(r.err).toBe("");
  return { code: r.code, j: JSON.parse(r.out), out: r.out };
}

/** Every clear PAN a profile holds: its keys and the 5A / 57 / 9F6B values of its templates. */
function clearPans(name: string): string[] {
  const pans = new Set<string>();
  const walk = (node: unknown): void => {
    if (!Array.isArray(node)) return;
    if ((node[0] === "5A" || node[0] === "57" || node[0] === "9F6B") && typeof node[1] === "string" && /^[0-9]/.test(node[1])) {
      pans.add(node[1].split("D")[0].replace(/F+$/, ""));
    }
    for (const child of node) walk(child);
  };
  const p = profileByName(name) as any;
  walk(p.ppse);
  for (const app of p.apps) {
    pans.add(app.keys.pan);
    walk(app.fci);
    walk(app.gpo.data);
    walk(app.genAc ?? null);
    for (const r of app.records ?? []) walk(r.data);
  }
  return [...pans];
}

/** The PAN's digits as they could show: plain, and as spaced hex bytes of the BCD. */
function leaks(text: string, pan: string): boolean {
  const spaced = (pan.length % 2 ? pan + "F" : pan).replace(/(..)(?!$)/g, "$1 ");
  return text.includes(pan) || text.includes(spaced);
}

// [profile, final outcome, reason, taps, first tap's reason]
const EXPECTED: [string, string, string, number, string][] = [
  ["applepay-visa", "ONLINE_REQUEST", "OK", 2, "EMV_SEE_PHONE"],
  ["googlepay-mastercard", "ONLINE_REQUEST", "OK", 2, "EMV_SEE_PHONE"],
  ["quickpass-unionpay", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["jd-flashpay", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["card-visa", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["card-mastercard", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["card-unionpay", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["cobadged", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["broken-bad-tlv", "END_APPLICATION", "EMV_TLV_INVALID", 1, "EMV_TLV_INVALID"],
  ["broken-missing-tag", "END_APPLICATION", "EMV_MISSING_TAG", 1, "EMV_MISSING_TAG"],
  ["broken-wrong-aid", "END_APPLICATION", "EMV_NO_CANDIDATE", 1, "EMV_NO_CANDIDATE"],
  // Without a PPSE the terminal falls back to its AID list (Book B §3.3.3) and succeeds.
  ["broken-no-ppse", "ONLINE_REQUEST", "OK", 1, "OK"],
  ["broken-early-removal", "TRY_AGAIN", "EMV_CARD_GONE", 1, "EMV_CARD_GONE"],
];

describe("tap: every profile", () => {
  it("has an expectation for every name in PROFILE_NAMES", () => {
    expect(EXPECTED.map((e) => e[0]).sort()).toEqual([...PROFILE_NAMES].sort());
  });

  for (const [name, outcome, reason, taps, firstReason] of EXPECTED) {
    it(`${name}: ${outcome} ${reason} after ${taps} tap(s), exit ${outcome === "ONLINE_REQUEST" ? 0 : 1}`, async () => {
      const { code, j, out } = await tapJson(name);
      expect(code).toBe(outcome === "ONLINE_REQUEST" ? 0 : 1);
      expect(j.exitCode).toBe(code);
      expect([j.outcome, j.reason]).toEqual([outcome, reason]);
      expect(j.taps.map((t: any) => t.reason)).toEqual(taps === 2 ? [firstReason, reason] : [reason]);
      if (outcome === "ONLINE_REQUEST") {
        expect(j.record.token).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
        expect(j.uiMessages.at(-1)).toMatchObject({ id: "1B", text: "Authorising Please Wait", when: "outcome" });
      } else {
        expect(j.record).toBeNull();
        if (outcome === "END_APPLICATION") expect(j.uiMessages.at(-1)).toMatchObject({ id: "1C", text: "Insert, Swipe or Try Another Card" });
      }
      const text = (await tap(name)).out;
      for (const pan of clearPans(name)) {
        expect(leaks(out, pan), "JSON shows " + pan).toBe(false);
        expect(leaks(text, pan), "text shows " + pan).toBe(false);
      }
    });
  }

  it("see phone: the UI says See Phone, the same phone comes back after the unlock delay, Entry Point restarts", async () => {
    const { j } = await tapJson("applepay-visa");
    expect(j.uiMessages.map((u: any) => [u.id, u.when, u.tap])).toEqual([
      ["15", "start", 1],
      ["20", "outcome", 1],
      ["20", "restart", 1],
      ["1B", "outcome", 2],
    ]);
    expect(j.uiMessages[1].text).toBe("See Phone for Instructions");
    const [first, second] = j.taps;
    expect(first.detail).toMatchObject({ sw: "6986", step: "GPO" });
    expect(second.detectedAtMs - first.endedAtMs).toBeGreaterThanOrEqual(1500);
    // A phone draws a new random UID at each activation; the ATC went on (one GPO refused, one served).
    expect(second.target.uid).not.toBe(first.target.uid);
    expect(j.trace.filter((t: any) => t.name === "GET PROCESSING OPTIONS").map((t: any) => t.sw)).toEqual(["6986", "9000"]);
  });

  it("broken-missing-tag and broken-early-removal say where it went wrong", async () => {
    expect((await tapJson("broken-missing-tag")).j.detail).toMatchObject({ tag: "9F26" });
    const r = await tapJson("broken-early-removal");
    expect(r.j.detail).toMatchObject({ code: "ISODEP_TIMEOUT", step: "READ" });
    expect(r.j.trace.at(-1)).toMatchObject({ name: "READ RECORD SFI 2 record 1", response: null, error: "ISODEP_TIMEOUT" });
  });
});

describe("tap: output", () => {
  it("JSON: outcome, reason, UI messages, kernel, AID, masked record with ICC data, decoded trace, timing", async () => {
    const { j } = await tapJson("card-mastercard");
    expect(j).toMatchObject({ outcome: "ONLINE_REQUEST", reason: "OK", kernel: 2, aid: "A0000000041010", cvm: "NO_CVM" });
    expect(j.amount).toEqual({ minor: 1250, text: "12.50", currency: 978, alpha: "EUR", exponent: 2 });
    expect(j.record).toMatchObject({ token: "541333******0434", expiry: expect.stringMatching(/^[0-9]{4}$/) });
    expect(Object.keys(j.record.icc)).toEqual(expect.arrayContaining(["9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82", "84"]));
    expect(j.record.icc["9F02"]).toBe("000000001250");
    expect(j.record.icc["5F2A"]).toBe("0978");
    expect(j.trace.map((t: any) => t.name)).toEqual([
      "SELECT 2PAY.SYS.DDF01 (PPSE)",
      "SELECT A0000000041010",
      "GET PROCESSING OPTIONS",
      "READ RECORD SFI 2 record 1",
      "READ RECORD SFI 3 record 1",
      "READ RECORD SFI 3 record 2",
      "GENERATE AC ARQC",
    ]);
    const gac = j.trace.at(-1);
    expect(gac.commandData.map((d: any) => d.tag)).toContain("9F37");
    expect(gac.data[0]).toMatchObject({ tag: "77", name: "Response Tmpl Format 2" });
    expect(gac.data[0].children.map((d: any) => d.tag)).toContain("9F26");
    expect(j.timing.totalMs).toBeGreaterThan(j.timing.firstCardMs);
    expect(j.timing.transactionMs).toHaveLength(1);
    expect(j.timing.transactionMs[0]).toBeGreaterThan(0);
  });

  it("text: named commands, tag names, masked Track 2, the outcome and the timing", async () => {
    const r = await tap("quickpass-unionpay");
    expect(r.code).toBe(0);
    expect(r.out).toContain("# SELECT 2PAY.SYS.DDF01 (PPSE)");
    expect(r.out).toContain("# GET PROCESSING OPTIONS");
    expect(r.out).toContain("9F26 Appl Cryptogram: ");
    expect(r.out).toContain("57 Track 2 Equivalent Data: 623456FFFFFF0123D");
    expect(r.out).toContain("Outcome: ONLINE_REQUEST · OK · kernel 7 · AID A000000333010101");
    expect(r.out).toContain("Data record: token 623456******0123");
    expect(r.out).toMatch(/Timing: [0-9.]+ ms simulated/);
  });

  it("is reproducible: same seed and date, same output; another seed, another unpredictable number", async () => {
    const a = (await tap("card-visa")).out;
    expect((await tap("card-visa")).out).toBe(a);
    const un = (s: string) => (JSON.parse(s).record.icc as { [t: string]: string })["9F37"];
    const one = (await tapJson("card-visa", "--seed", "1")).out;
    const two = (await tapJson("card-visa", "--seed", "2")).out;
    expect(un(one)).not.toBe(un(two));
    const dated = (await tapJson("card-visa", "--date", "2027-02-03T04:05:06")).j;
    expect(dated.record.icc["9A"]).toBe("270203");
  });
});

describe("tap: arguments", () => {
  // [arguments, what the message says]
  const usage: [string[], string][] = [
    [[], "which profile"],
    [["nope"], 'unknown profile "nope"'],
    [["card-visa", "extra"], "one profile or file only"],
    [["card-visa", "--amount", "12.345"], "has 3 decimal(s)"],
    [["card-visa", "--amount", "-1"], "not a decimal number"],
    [["card-visa", "--amount"], "--amount needs a value"],
    [["card-visa", "--currency", "999"], 'unknown currency "999"'],
    [["card-visa", "--amount", "1.5", "--currency", "JPY"], "has 1 decimal(s); the currency has 0"],
    [["card-visa", "--bogus"], "unknown option --bogus"],
    [["card-visa", "--clear"], "--clear only makes sense with --record"],
    [["card-visa", "--date", "2026-02-30"], 'date "2026-02-30"'],
    [["card-visa", "--seed", "x"], '--seed "x"'],
    [["card-visa", "--online", "http://x"], "--online is not available"],
    [[join(tmp, "missing.apdu")], "cannot read"],
    [[join(tmp, "missing.json")], "cannot read"],
  ];
  for (const [args, message] of usage) {
    it(`exit 2 for ${JSON.stringify(args)}`, async () => {
      const r = await tap(...args);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toContain(message);
      expect(r.err).toContain("usage: npm run tap");
    });
  }

  it("--help prints the usage and exits 0", async () => {
    const r = await tap("--help");
    expect([r.code, r.out.startsWith("usage: npm run tap")]).toEqual([0, true]);
  });

  it("--amount and --currency reach the terminal data (9F02, 5F2A, 9F1A)", async () => {
    const yen = (await tapJson("card-unionpay", "--amount", "1250", "--currency", "392", "--country", "392")).j;
    expect([yen.record.icc["9F02"], yen.record.icc["5F2A"], yen.record.icc["9F1A"]]).toEqual(["000000001250", "0392", "0392"]);
    const dinar = (await tapJson("card-visa", "--amount=1.234", "--currency=BHD")).j;
    expect([dinar.amount.minor, dinar.record.icc["9F02"], dinar.record.icc["5F2A"]]).toEqual([1234, "000000001234", "0048"]);
  });
});

describe("tap: other inputs", () => {
  it("plays a profile file (.json); refuses one that is not JSON or not a profile (exit 2)", async () => {
    const good = join(tmp, "my-visa.json");
    writeFileSync(good, JSON.stringify(profileByName("card-visa")));
    const r = await tapJson(good);
    expect([r.code, r.j.source.kind, r.j.outcome, r.j.record.token]).toEqual([0, "profile", "ONLINE_REQUEST", "476173******0010"]);
    const notJson = join(tmp, "not.json");
    writeFileSync(notJson, "{ nope");
    const bad = join(tmp, "bad-profile.json");
    writeFileSync(bad, JSON.stringify({ name: "x", apps: [] }));
    for (const f of [notJson, bad]) {
      const u = await tap(f);
      expect([u.code, u.out]).toEqual([2, ""]);
      expect(u.err).toContain(f);
    }
  });

  it("no ISO-DEP card within the polling time: NO_CARD, exit 1, and why", async () => {
    const path = join(tmp, "not-iso-dep.apdu");
    writeFileSync(path, readFileSync(join(TRANSCRIPTS, "quickpass-unionpay.apdu"), "utf8").replace("# sak 20", "# sak 00"));
    const r = await tapJson(path);
    expect([r.code, r.j.outcome, r.j.reason, r.j.taps]).toEqual([1, "NO_CARD", "TAP_NO_CARD", []]);
    expect(r.j.notes).toEqual(["a target without ISO-DEP (SAK 00) was ignored"]);
    expect(r.j.timing.totalMs).toBeGreaterThanOrEqual(WAIT_MS);
  });

  it("leaves no simulated timer behind, restarts included", async () => {
    for (const name of ["applepay-visa", "broken-early-removal"]) {
      const res = await runSession({
        tapTarget: loadTarget(name, seededRandom(7), ARRIVE_MS),
        config: defaultEntryPointConfig(),
        amountMinor: 100,
        startMs: Date.UTC(2026, 0, 1),
        random: seededRandom(1),
        mask: null,
        header: [],
      });
      expect(res.pendingTimers, name).toBe(0);
      expect(res.outcome).not.toBeNull();
    }
  });
});

describe("tap: amounts", () => {
  // [text, exponent, minor units]
  const valid: [string, number, number][] = [
    ["12.34", 2, 1234],
    ["12.3", 2, 1230],
    ["12", 2, 1200],
    ["0.01", 2, 1],
    ["0", 2, 0],
    ["007.50", 2, 750],
    ["1250", 0, 1250],
    ["1.234", 3, 1234],
    ["9999999999.99", 2, 999999999999],
    ["000000000000001.00", 2, 100],
  ];
  for (const [text, exp, minor] of valid) {
    it(`"${text}" with exponent ${exp} is ${minor} minor units`, () => {
      expect(parseAmount(text, exp)).toBe(minor);
      expect(parseAmount(formatAmount(minor, exp), exp)).toBe(minor);
    });
  }

  const invalid: [string, number][] = [
    ["12.345", 2],
    ["1.5", 0],
    ["-1", 2],
    ["+1", 2],
    ["1,50", 2],
    ["1e3", 2],
    ["12.", 2],
    [".5", 2],
    ["", 2],
    [" 12", 2],
    ["12.3.4", 2],
    ["abc", 2],
    ["0x10", 2],
    ["10000000000.00", 2],
    ["1000000000000", 0],
    ["12.34", 0],
  ];
  for (const [text, exp] of invalid) {
    it(`"${text}" with exponent ${exp} is refused (TAP_USAGE)`, () => {
      expect(() => parseAmount(text, exp)).toThrow(expect.objectContaining({ code: "TAP_USAGE" }));
    });
  }

  it("formats minor units back to text; finds currencies by number or letters", () => {
    expect([formatAmount(1234, 2), formatAmount(5, 3), formatAmount(1250, 0), formatAmount(0, 2)]).toEqual(["12.34", "0.005", "1250", "0.00"]);
    expect([currencyFromText("156").alpha, currencyFromText("048").exponent, currencyFromText("jpy").code]).toEqual(["CNY", 3, 392]);
  });
});

describe("tap: transcripts", () => {
  const files = readdirSync(TRANSCRIPTS).filter((f) => f.endsWith(".apdu"));

  it("has the sample transcripts of the three kernels", () => {
    expect(files.sort()).toEqual(["applepay-visa.apdu", "googlepay-mastercard.apdu", "quickpass-unionpay.apdu"]);
  });

  for (const f of files) {
    it(`${f} replays to Online Request with the masked PAN`, async () => {
      const path = join(TRANSCRIPTS, f);
      const text = readFileSync(path, "utf8");
      expect(text).toMatch(/^# atqa [0-9A-F]{4}$/m);
      expect(text).toMatch(/^# uid [0-9A-F]+$/m);
      expect(text).toContain("PANs masked");
      const { code, j } = await tapJson(path);
      expect(j.replay).toMatchObject({ ok: true, leftovers: 0, failures: [] });
      expect([code, j.outcome, j.reason]).toEqual([0, "ONLINE_REQUEST", "OK"]);
      expect(j.record.token).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
      for (const pan of clearPans(f.replace(".apdu", ""))) expect(text.replaceAll(" ", "")).not.toContain(pan);
    });
  }

  it("record, then replay: the same outcome, AID and masked token; the clear fixture holds the PAN", async () => {
    const masked = join(tmp, "gp.apdu");
    const clear = join(tmp, "gp-clear.apdu");
    const live = (await tapJson("googlepay-mastercard", "--record", masked)).j;
    const clearRun = await tap("googlepay-mastercard", "--record", clear, "--clear");
    expect(clearRun.code).toBe(0);
    expect(leaks(clearRun.out, "5413330000000035")).toBe(false);
    expect(readFileSync(clear, "utf8").replaceAll(" ", "")).toContain("5413330000000035");
    expect(readFileSync(masked, "utf8").replaceAll(" ", "")).not.toContain("5413330000000035");
    for (const file of [clear, masked]) {
      const replayed = (await tapJson(file)).j;
      expect(replayed.replay.ok).toBe(true);
      expect([replayed.outcome, replayed.aid, replayed.record.token, replayed.taps.length]).toEqual([live.outcome, live.aid, live.record.token, 2]);
    }
  });

  it("a transcript that leaves the recorded path exits 1 and says where", async () => {
    const path = join(tmp, "diverted.apdu");
    // The recorded final SELECT names another AID than the one the PPSE answer leads to.
    const text = readFileSync(join(TRANSCRIPTS, "quickpass-unionpay.apdu"), "utf8").replace("=> 00 A4 04 00 08 A0 00 00 03 33 01 01 01 00", "=> 00 A4 04 00 07 A0 00 00 00 03 10 10 00");
    expect(text).toContain("=> 00 A4 04 00 07 A0 00 00 00 03 10 10 00");
    writeFileSync(path, text);
    const r = await tapJson(path);
    expect(r.code).toBe(1);
    expect(r.j.replay.ok).toBe(false);
    expect(r.j.replay.failures[0]).toMatchObject({ code: "SIM_TRANSCRIPT_MISMATCH" });
  });
});
