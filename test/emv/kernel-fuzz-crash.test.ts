// The kernel fuzz must see a crash (issue 6, item 11). The entry point turns every exception
// into an Outcome, so a fuzz that only asks "did an Outcome come back?" passes with a bug in a
// kernel. Here a real TypeError is injected — in kernel C-3, in the PPSE directory reader, in
// the FCI reader — and the fuzz must report it as a violation with seed, case and input.
import { afterEach, describe, expect, it, vi } from "vitest";
import { benchFuzz, fuzzTables } from "../../host/bench/fuzz";
import { runKernelFuzz } from "../../host/fuzz/kernel-fuzz";

const inject = vi.hoisted(() => ({ kernel: false, ppse: false, collect: false }));

/** A genuine TypeError, as a bug would raise it: a property read on undefined. */
function bug(): never {
  const missing: { field: { x: number } } | undefined = [undefined][0];
  throw missing!.field; // TypeError: Cannot read properties of undefined
}

vi.mock("../../src/emv/kernels/c3-visa", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/emv/kernels/c3-visa")>();
  return {
    ...real,
    // At the end of C-3, in the tap's flow (src/emv/flow.ts), once its Outcome is there.
    runC3: (ctx: Parameters<typeof real.runC3>[0]) =>
      ctx.flow.within(
        () => real.runC3(ctx),
        (o) => {
          if (inject.kernel) bug();
          return o;
        },
        null,
      ),
  };
});

vi.mock("../../src/emv/ppse", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/emv/ppse")>();
  return {
    ...real,
    readDirectory: (fci: Uint8Array) => {
      if (inject.ppse) bug();
      return real.readDirectory(fci);
    },
  };
});

vi.mock("../../src/emv/kernel", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/emv/kernel")>();
  return {
    ...real,
    collect: (...args: Parameters<typeof real.collect>) => {
      if (inject.collect && args[2] === 0x6f) bug();
      return real.collect(...args);
    },
  };
});

afterEach(() => {
  inject.kernel = inject.ppse = inject.collect = false;
});

describe("the kernel fuzz sees crashes, not only missing Outcomes", () => {
  it("without an injected fault: no violation (the same cases as below)", async () => {
    const c = await runKernelFuzz(11, 60);
    expect(c.violations).toEqual([]);
  });

  it("a TypeError in kernel C-3 (→ End Application EMV_INTERNAL) is a violation, with seed, case and input", async () => {
    inject.kernel = true;
    const c = await runKernelFuzz(11, 60);
    // Every Visa case that reaches the end of C-3 crashes; UnionPay and Mastercard do not.
    expect(c.violationCount).toBeGreaterThan(0);
    expect(c.violations.length).toBe(Math.min(20, c.violationCount));
    for (const v of c.violations) {
      expect(v).toMatch(/^11\/\d+: visa: crash: uncoded exception → END_APPLICATION EMV_INTERNAL .*"code":"UNCODED".*; answers [0-9A-F]/);
      // the case number is a Visa case (every third, from 0)
      expect(Number(v.split(/[/:]/)[1]) % 3).toBe(0);
    }
    expect(c.byReason["EMV_INTERNAL"]).toBe(c.violationCount);
  });

  it("a TypeError while reading the PPSE directory is a violation, not a silent fall-back to the AID list", async () => {
    inject.ppse = true;
    const c = await runKernelFuzz(11, 60);
    expect(c.violationCount).toBeGreaterThan(20);
    expect(c.violations[0]).toMatch(/^11\/\d+: (visa|unionpay|mastercard): crash: uncoded exception → END_APPLICATION EMV_INTERNAL/);
  });

  it("a TypeError while reading the FCI (the candidate is dropped, EMV_NO_CANDIDATE) is a violation", async () => {
    inject.collect = true;
    const c = await runKernelFuzz(11, 60);
    expect(c.violationCount).toBeGreaterThan(20);
    expect(c.violations[0]).toMatch(/crash: uncoded exception or unmapped code behind EMV_NO_CANDIDATE/);
  });

  it("npm run bench's fuzz section counts crashes by the same rule and lists them", async () => {
    inject.kernel = true;
    const f = await benchFuzz({ cases: 60, seed: 11, chunk: 30 });
    expect(f.violationCount).toBeGreaterThan(0);
    const notes = fuzzTables(f)[0].notes.filter((n) => n.startsWith("VIOLATION "));
    expect(notes.length).toBe(Math.min(20, f.violationCount));
    expect(notes[0]).toMatch(/^VIOLATION 1[12]\/\d+: visa: crash: uncoded exception/);
  });
});
