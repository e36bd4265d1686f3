// The simulated PN532's initiator commands, UM0701-02 §7.3: InListPassiveTarget polling against
// targets' arrival/leave times, InDataExchange with ISO-DEP timing, MI chaining both ways,
// release/deselect, Diagnose presence check, RFConfiguration.
import { describe, it, expect } from "vitest";
import { fromHex, toHex } from "../../src/bytes/hex";
import { simpleTarget } from "../../src/sim/simple-target";
import { chainMs, fwtMs, POLL_TRY_MS, wtxMs } from "../../src/sim/sim-timing";
import type { VirtualTarget } from "../../src/sim/virtual-target";
import { ACK, ans, chipFixture } from "./chip-fixture";

const PHONE_LISTED = "4B01" + "01" + "0004" + "20" + "04" + "08123456" + "0578807002";
const SELECT_PPSE = "00A404000E325041592E5359532E444446303100";

function listed(f: ReturnType<typeof chipFixture>): void {
  f.send("4A0100");
  expect(f.frames()).toEqual([ACK, ans(PHONE_LISTED)]);
}

describe("InListPassiveTarget (§7.3.5)", () => {
  it("lists a phone: Tg, SENS_RES, SEL_RES, NFCID1 and the ATS with TL", () => {
    listed(chipFixture({ targets: [simpleTarget()] }));
  });

  it("without a target and MxRtyPassiveActivation 00 answers NbTg 0 after one attempt", () => {
    const f = chipFixture();
    f.send("3205FF0100");
    f.run();
    const t = f.clock.now();
    f.send("4A0100");
    expect(f.run()).toEqual([t + 1 + " " + ACK, t + 1 + POLL_TRY_MS + " " + ans("4B00")]);
  });

  it("with MxRtyPassiveActivation FF waits for a target arriving later", () => {
    const f = chipFixture({ targets: [simpleTarget({ arriveAtMs: 1000 })] });
    f.send("4A0100");
    const out = f.run();
    expect(out[1].split(" ")[1]).toBe(ans(PHONE_LISTED));
    expect(+out[1].split(" ")[0]).toBeGreaterThanOrEqual(1000);
    expect(+out[1].split(" ")[0]).toBeLessThan(1000 + POLL_TRY_MS + 10);
  });

  it("sees a target added while it waits", () => {
    const f = chipFixture();
    f.send("4A0100");
    f.clock.advanceAndRun(200);
    expect(f.run()).toEqual(["1 " + ACK]);
    f.chip.addTarget(simpleTarget({ arriveAtMs: 300 }));
    const out = f.run();
    expect(out.length).toBe(1);
    expect(out[0].split(" ")[1]).toBe(ans(PHONE_LISTED));
  });

  it("misses a target that left before the first attempt", () => {
    const f = chipFixture({ targets: [simpleTarget({ leaveAtMs: 0.5 })] });
    f.send("3205FF0102");
    f.run();
    f.send("4A0100");
    expect(f.frames()[1]).toBe(ans("4B00"));
  });

  it("lists two targets with MaxTg 2, one with MaxTg 1", () => {
    const a = simpleTarget();
    const b = simpleTarget({ uid: fromHex("04A1B2C3D4E5F6"), atqa: fromHex("0044"), sak: 0x00, ats: null });
    const f = chipFixture({ targets: [a, b] });
    f.send("4A0200");
    expect(f.frames()[1]).toBe(ans("4B02" + PHONE_LISTED.substring(4) + "02" + "0044" + "00" + "07" + "04A1B2C3D4E5F6"));
    f.send("4A0100");
    expect(f.frames()[1]).toBe(ans(PHONE_LISTED));
  });

  it("leaves out the ATS when SetParameters clears fAutomaticRATS", () => {
    const f = chipFixture({ targets: [simpleTarget()] });
    f.send("1200");
    f.run();
    f.send("4A0100");
    expect(f.frames()[1]).toBe(ans("4B0101000420" + "04" + "08123456"));
  });

  it("finds only type A targets: BrTy 03 answers NbTg 0 after the retries", () => {
    const f = chipFixture({ targets: [simpleTarget()] });
    f.send("3205FF0101");
    f.run();
    f.send("4A0103");
    expect(f.frames()[1]).toBe(ans("4B00"));
  });
});

describe("InDataExchange (§7.3.8)", () => {
  it("exchanges an APDU; answer time = RF time + processing time, from first principles", () => {
    const seen: string[] = [];
    const f = chipFixture({
      targets: [simpleTarget({ processingMs: 7, answer: (c) => (seen.push(toHex(c)), fromHex("6F0A84085041592E4E46439000")) })],
    });
    listed(f);
    const t0 = f.clock.now() + 1;
    f.send("4001" + SELECT_PPSE);
    const out = f.run();
    expect(seen).toEqual([SELECT_PPSE]);
    expect(out[1].split(" ")[1]).toBe(ans("4100" + "6F0A84085041592E4E46439000"));
    const rf = chainMs(20, 256).ms + chainMs(13, 64).ms;
    expect(+out[1].split(" ")[0]).toBeCloseTo(t0 + rf + 7, 2);
    expect(f.chip.lastExchange).toEqual({ rfMs: expect.closeTo(rf, 9), processingMs: 7, blocksOut: 1, blocksIn: 1, wtx: 0, status: 0 });
  });

  it("a 258-byte answer (extended frame) costs 5 blocks in with FSD 64, each S(WTX) a round trip", () => {
    const resp = new Uint8Array(258);
    resp[256] = 0x90;
    const f = chipFixture({ targets: [simpleTarget({ wtx: 2, answer: () => resp })] });
    listed(f);
    f.send("400100B2010C00");
    const a = f.frames()[1];
    expect(a.substring(0, 16)).toBe("0000FFFFFF0105FA"); // LEN 0x105 = TFI + 41 + status + 258
    const x = f.chip.lastExchange!;
    expect([x.blocksOut, x.blocksIn, x.wtx]).toEqual([1, 5, 2]);
    expect(x.rfMs).toBeCloseTo(chainMs(5, 256).ms + chainMs(258, 64).ms + wtxMs(2), 9);
  });

  it("chains PCD blocks by the card's FSC: 200 bytes to an FSC-64 card take 4 blocks", () => {
    const f = chipFixture({ targets: [simpleTarget({ ats: fromHex("0575807002") })] });
    f.send("4A0100");
    f.run();
    f.send("4001" + "00".repeat(200));
    f.run();
    expect(f.chip.lastExchange!.blocksOut).toBe(4);
  });

  it("answers 27 for a Tg that is not active, and after InRelease (reset() called)", () => {
    let resets = 0;
    const t = simpleTarget();
    t.reset = () => resets++;
    const f = chipFixture({ targets: [t] });
    f.send("4001" + SELECT_PPSE);
    expect(f.frames()[1]).toBe(ans("4127"));
    listed(f);
    f.send("4002" + SELECT_PPSE);
    expect(f.frames()[1]).toBe(ans("4127"));
    f.send("5201");
    expect(f.frames()[1]).toBe(ans("5300"));
    expect(resets).toBe(1);
    f.send("4001" + SELECT_PPSE);
    expect(f.frames()[1]).toBe(ans("4127"));
    f.send("5201");
    expect(f.frames()[1]).toBe(ans("5327"));
  });

  it("InDeselect 00 deselects all targets", () => {
    const f = chipFixture({ targets: [simpleTarget()] });
    listed(f);
    f.send("4400");
    expect(f.frames()[1]).toBe(ans("4500"));
    expect(f.chip.active).toEqual([null, null]);
  });

  it("a mute target: status 01 after FWT", () => {
    const f = chipFixture({ targets: [simpleTarget({ answer: () => null })] });
    listed(f);
    const t0 = f.clock.now() + 1;
    f.send("4001" + SELECT_PPSE);
    const out = f.run();
    expect(out[1].split(" ")[1]).toBe(ans("4101"));
    expect(+out[1].split(" ")[0]).toBeCloseTo(t0 + chainMs(20, 256).ms + fwtMs(fromHex("0578807002")), 2);
  });

  it("a target gone between APDUs: timeout status (01 by default, or the configured one)", () => {
    for (const st of [undefined, 0x2b]) {
      const f = chipFixture({ targets: [simpleTarget({ leaveAtMs: 30 })], goneStatus: st });
      listed(f);
      f.clock.advanceAndRun(40);
      let called = 0;
      f.chip.targets[0].handle = () => (called++, null);
      f.send("4001" + SELECT_PPSE);
      expect(f.frames()[1]).toBe(ans("41" + (st === undefined ? "01" : "2B")));
      expect(called).toBe(0);
    }
  });

  it("a target leaving during its processing: the answer is lost", () => {
    const f = chipFixture({ targets: [simpleTarget({ processingMs: 50 })] });
    listed(f);
    f.chip.targets[0].leaveAtMs = f.clock.now() + 20;
    f.send("4001" + SELECT_PPSE);
    expect(f.frames()[1]).toBe(ans("4101"));
    expect(f.chip.lastExchange!.status).toBe(1);
  });

  it("MI to the host: an answer longer than the host buffer comes in parts with status 40, fetched by D4 40 Tg", () => {
    const resp = new Uint8Array(258);
    for (let i = 0; i < resp.length; i++) resp[i] = i & 0xff;
    const f = chipFixture({ targets: [simpleTarget({ answer: () => resp })], hostBufferBytes: 100 });
    listed(f);
    f.send("400100B2010C00");
    const p1 = f.frames()[1];
    f.send("4001");
    const p2 = f.frames()[1];
    f.send("4001");
    const p3 = f.frames()[1];
    expect([p1, p2, p3]).toEqual([
      ans("4140" + toHex(resp.subarray(0, 100))),
      ans("4140" + toHex(resp.subarray(100, 200))),
      ans("4100" + toHex(resp.subarray(200))),
    ]);
  });

  it("MI from the host: Tg | 40 parts are answered 00 and the card gets the whole APDU once", () => {
    const seen: string[] = [];
    const f = chipFixture({ targets: [simpleTarget({ answer: (c) => (seen.push(toHex(c)), fromHex("9000")) })] });
    listed(f);
    const apdu = new Uint8Array(300).fill(0x5a);
    f.send("4041" + toHex(apdu.subarray(0, 200)));
    expect(f.frames()[1]).toBe(ans("4100"));
    f.send("4001" + toHex(apdu.subarray(200)));
    expect(f.frames()[1]).toBe(ans("41009000"));
    expect(seen).toEqual([toHex(apdu)]);
    expect(f.chip.lastExchange!.blocksOut).toBe(2); // FSC 256: 253 + 47
  });
});

describe("Diagnose, RFConfiguration", () => {
  it("Diagnose 06: 00 while the active target is in the field, 01 once it left", () => {
    const f = chipFixture({ targets: [simpleTarget({ leaveAtMs: 100 })] });
    listed(f);
    f.send("0006");
    expect(f.frames()[1]).toBe(ans("0100"));
    f.clock.advanceAndRun(200);
    f.send("0006");
    expect(f.frames()[1]).toBe(ans("0101"));
  });

  it("Diagnose 00 echoes the communication line test data", () => {
    const f = chipFixture();
    f.send("0000CAFE");
    expect(f.frames()[1]).toBe(ans("0100CAFE"));
  });

  it("RF field off (item 01) deactivates the targets", () => {
    let resets = 0;
    const t: VirtualTarget = simpleTarget();
    t.reset = () => resets++;
    const f = chipFixture({ targets: [t] });
    listed(f);
    f.send("320100");
    expect(f.frames()[1]).toBe(ans("33"));
    expect(f.chip.rfOn).toBe(false);
    expect(resets).toBe(1);
  });

  it("accepts timings (item 02) and MxRtyCOM (item 04); MxRtyCOM stretches the mute timeout", () => {
    const f = chipFixture({ targets: [simpleTarget({ answer: () => null })] });
    f.send("3202000B0A");
    expect(f.frames()[1]).toBe(ans("33"));
    f.send("320402");
    f.run();
    listed(f);
    const t0 = f.clock.now() + 1;
    f.send("4001" + SELECT_PPSE);
    const out = f.run();
    expect(+out[1].split(" ")[0]).toBeCloseTo(t0 + chainMs(20, 256).ms + 3 * fwtMs(fromHex("0578807002")), 2);
  });
});
