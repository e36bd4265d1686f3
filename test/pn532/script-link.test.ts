// The scripted link must fail loudly, or the transcripts would prove nothing.
import { describe, it, expect } from "vitest";
import { fromHex } from "../../src/bytes/hex";
import { FakeClock } from "../helpers/fake-clock";
import { ScriptLink } from "./script-link";
import { setup } from "./setup";

describe("ScriptLink", () => {
  it("rejects an unexpected host frame, naming the line, and keeps the failure for done()", async () => {
    const { clock, link, pn } = setup(`
      # line 2
      => D4 02                                      # line 3
    `);
    await expect(clock.run(pn.samConfiguration(1, 0, false))).rejects.toThrow(/line 3: expected host frame 0000FF02FED4022A00, got 0000FF05FBD4140100001700/);
    expect(() => link.done()).toThrow(/line 3/);
  });

  it("rejects a read where the script has the host write", async () => {
    const link = new ScriptLink("=> D4 02", new FakeClock());
    await expect(link.readFrame(30)).rejects.toThrow(/line 1: expected "=> D4 02", got readFrame\(30\)/);
    expect(() => link.done()).toThrow();
  });

  it("reports steps left over", async () => {
    const link = new ScriptLink("=> D4 02\n<= ACK\n<= D5 03 32 01 06 07", new FakeClock());
    await link.writeFrame(fromHex("0000FF02FED4022A00"));
    expect(() => link.done()).toThrow(/left over\nline 2: <= ACK\nline 3/);
  });

  it("times out on the fake clock, continues frames over lines, and refuses unknown lines", async () => {
    const clock = new FakeClock();
    const link = new ScriptLink("<= timeout\n<= D5 4B 01\n   01 00 04", clock);
    await expect(link.readFrame(30)).rejects.toMatchObject({ code: "LINK_TIMEOUT", waitedMs: 30 });
    expect(clock.now()).toBe(30);
    expect(await link.readFrame(30)).toEqual(fromHex("0000FF06FAD54B01010004DA00"));
    link.done();
    expect(() => new ScriptLink("<= ACK\nbogus", clock)).toThrow(/line 2/);
  });
});

describe("FakeClock", () => {
  it("fires due timers in time order, ties in the order set, and not cleared ones", () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push("b@" + clock.now()));
    clock.setTimer(10, () => fired.push("a@" + clock.now()));
    clock.setTimer(20, () => fired.push("c@" + clock.now()));
    const gone = clock.setTimer(15, () => fired.push("gone"));
    clock.clearTimer(gone);
    clock.advance(19);
    expect(fired).toEqual(["a@10"]);
    clock.advance(5);
    expect(fired).toEqual(["a@10", "b@20", "c@20"]);
    expect(clock.now()).toBe(24);
    expect(clock.pending()).toBe(0);
  });

  it("run() fails on a promise that can never settle", async () => {
    await expect(new FakeClock().run(new Promise(() => {}))).rejects.toThrow(/never happens/);
  });
});
