import { describe, expect, it } from "vitest";
import { runKernelFuzz } from "../../host/fuzz/kernel-fuzz";

describe("entry point and kernels under mutated card answers", () => {
  for (const seed of [1, 2024, 0xc0ffee]) {
    it(`seed ${seed}: 1500 cases, always an Outcome, online only with the mandatory data`, async () => {
      const c = await runKernelFuzz(seed, 1500);
      expect(c.violations).toEqual([]);
      expect(c.cases).toBe(1500);
      // The mutations reach the interesting places: faults of several kinds and some cards still going online.
      expect(c.byType["ONLINE_REQUEST"] ?? 0).toBeGreaterThan(0);
      expect(c.byType["END_APPLICATION"] ?? 0).toBeGreaterThan(100);
      for (const reason of ["EMV_TLV_INVALID", "EMV_MISSING_TAG", "EMV_CARD_GONE", "EMV_SEE_PHONE", "EMV_NO_CANDIDATE"]) {
        expect(c.byReason[reason] ?? 0, reason).toBeGreaterThan(0);
      }
    });
  }

  it("is reproducible from its seed", async () => {
    const a = await runKernelFuzz(7, 300);
    const b = await runKernelFuzz(7, 300);
    expect(a).toEqual(b);
  });
});
