// The scripted card of the tests (script-channel.ts) is itself checked: a replayer that let a
// wrong or missing command through would make every EMV test built on it meaningless.
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { checkScripts, Script, ScriptChannel } from "./script-channel";

function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => expect.fail("resolved"),
    (e) => e,
  );
}

describe("ScriptChannel: fails at the point of mismatch", () => {
  it("plays the answers of matching commands, with .. and a final * as wildcards", async () => {
    const s = new Script([
      ["00A4 0400 02 3F00 00", "6F00 9000"],
      ["80A8 0000 .. 83 ..", "9000"],
      ["80AE 8000 *", "77 00 9000"],
    ]);
    expect(toHex(await s.transceive(fromHex("00A40400023F0000")))).toBe("6F009000");
    expect(toHex(await s.transceive(fromHex("80A800000283AB")))).toBe("9000");
    expect(toHex(await s.transceive(fromHex("80AE80000102")))).toBe("77009000");
    s.assertDone();
  });

  it("an unexpected command rejects at once with SCRIPT_MISMATCH: step number, expected, got", async () => {
    const s = new Script([
      ["00A4040000", "9000"],
      ["00B2011C00", "9000"],
    ]);
    await s.transceive(fromHex("00A4040000"));
    const e = await rejection(s.transceive(fromHex("00B2010C00")));
    expect(e).toMatchObject({ code: "SCRIPT_MISMATCH", step: 2, expected: "00B2011C00", got: "00B2010C00" });
    expect(e.message).toBe("SCRIPT_MISMATCH: script step 2: expected 00B2011C00, got 00B2010C00");
    // kept for the end of the test, even if the code under test swallowed the rejection
    expect(() => s.assertDone()).toThrow(/script step 2: expected 00B2011C00, got 00B2010C00/);
  });

  it("a transcript names the line of the expected command", async () => {
    const s = new ScriptChannel("# card\n=> 00A4040000\n<= 9000\n\n=> 00B2011C00\n<= 6A83\n");
    await s.transceive(fromHex("00A4040000"));
    const e = await rejection(s.transceive(fromHex("00B2021C00")));
    expect(e.message).toBe("SCRIPT_MISMATCH: script step 2 (line 5): expected 00B2011C00, got 00B2021C00");
    expect(s.takeFailure()).toBe(e);
    // taking the failure does not excuse the leftover: the after-each check still sees it
    expect(() => checkScripts()).toThrow(/SCRIPT_LEFTOVER: script: 1 step\(s\) not used, from step 2 \(line 5\): 00B2011C00/);
  });

  it("a command after the last step rejects with SCRIPT_END", async () => {
    const s = new Script([["00A4040000", "9000"]]);
    await s.transceive(fromHex("00A4040000"));
    const e = await rejection(s.transceive(fromHex("80A8000000")));
    expect(e).toMatchObject({ code: "SCRIPT_END", step: 2, got: "80A8000000" });
    expect(s.report()).toMatch(/^SCRIPT_END: script: command 2 80A8000000 after the last of 1 step/);
    s.takeFailure();
  });

  it("a mismatch is not consumed: the step stays expected", async () => {
    const s = new Script([["00A4040000", "9000"]]);
    await rejection(s.transceive(fromHex("00A4040100")));
    expect(toHex(await s.transceive(fromHex("00A4040000")))).toBe("9000");
    expect(s.takeFailure()!.code).toBe("SCRIPT_MISMATCH");
    s.assertDone();
  });

  it("scripted transport failures: error:CODE and # error CODE", async () => {
    const a = new Script([["00A4040000", "error:ISODEP_TIMEOUT"]]);
    expect(await rejection(a.transceive(fromHex("00A4040000")))).toMatchObject({ code: "ISODEP_TIMEOUT", step: 1 });
    a.assertDone();
    const b = new ScriptChannel("=> 00A4040000\n# error PN532_STATUS\n");
    expect((await rejection(b.transceive(fromHex("00A4040000")))).code).toBe("PN532_STATUS");
    b.done();
  });
});

describe("ScriptChannel: leftovers fail", () => {
  it("assertDone names the steps not used (SCRIPT_LEFTOVER)", async () => {
    const s = new ScriptChannel("=> 00A4040000\n<= 9000\n=> 00B2011C00\n<= 9000\n=> 00B2021C00\n<= 9000\n");
    await s.transceive(fromHex("00A4040000"));
    expect(s.report()).toBe("SCRIPT_LEFTOVER: script: 2 step(s) not used, from step 2 (line 3): 00B2011C00");
    let caught: any = null;
    try {
      s.assertDone();
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: "SCRIPT_LEFTOVER", step: 2, left: 2 });
  });

  it("the after-each check catches a script the test did not check", async () => {
    const s = new Script([
      ["00A4040000", "9000"],
      ["00B2011C00", "9000"],
    ]);
    await s.transceive(fromHex("00A4040000"));
    // what the afterEach hook runs: throws for the unchecked script, then forgets it
    expect(() => checkScripts()).toThrow(/SCRIPT_LEFTOVER: script: 1 step\(s\) not used, from step 2: 00B2011C00/);
    expect(() => checkScripts()).not.toThrow();
  });

  it("and a swallowed mismatch", async () => {
    const s = new Script([["00A4040000", "9000"]]);
    await s.transceive(fromHex("80CA9F3600")).catch(() => undefined);
    expect(() => checkScripts()).toThrow(/SCRIPT_MISMATCH: script step 1: expected 00A4040000, got 80CA9F3600/);
  });

  it("a script used exactly passes, checked or not", async () => {
    const s = new Script([["00A4040000", "9000"]]);
    await s.transceive(fromHex("00A4040000"));
    expect(s.report()).toBe("");
    expect(() => checkScripts()).not.toThrow();
  });

  it("a malformed transcript script is refused when built", () => {
    expect(() => new ScriptChannel("=> 00A4040000\n=> 00B2011C00\n<= 9000\n")).toThrow(/script line 1/);
    checkScripts();
  });
});
