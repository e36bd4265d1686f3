// `npm run tap` when the session itself fails (a simulator or driver fault, not an outcome):
// exit 1 and one line naming the code once.
import { describe, expect, it, vi } from "vitest";
import { codedError } from "../../src/bytes/coded-error";

vi.mock("../../host/tap/session", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../host/tap/session")>();
  return Object.assign({}, real, { runSession: () => Promise.reject(codedError("PN532_TIMEOUT", "no ACK within 10 ms", { waitedMs: 10 })) });
});

const { runTap } = await import("../../host/tap/run-tap");

describe("tap: a failed session", () => {
  it("exits 1 with one line that says the code once", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTap(["card-visa"], (l) => out.push(l), (l) => err.push(l));
    expect([code, out]).toEqual([1, []]);
    expect(err).toEqual(["tap failed: PN532_TIMEOUT: no ACK within 10 ms"]);
  });
});
