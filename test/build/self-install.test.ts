// build/self-install.mjs: the installer writes the bundle into Storage piece by piece; the
// pieces, decoded as the interpreter decodes string literals, are the bundle byte for byte.
import { describe, expect, it } from "vitest";
import { installedBundle, PIECE, selfInstaller } from "../../build/self-install.mjs";

/** Runs the installer against a fake Storage, as the interpreter would, and returns the file. */
function install(src: string, globals?: { [name: string]: unknown }): { file: string; name: string; loaded: string | null; printed: string[] } {
  let file = "";
  let size = -1;
  let name = "";
  let loaded: string | null = null;
  const printed: string[] = [];
  const Storage = {
    erase: (n: string) => { name = n; file = ""; },
    write: (n: string, data: string, offset: number, total?: number) => {
      if (total !== undefined) size = total;
      expect(n).toBe(name);
      expect(offset).toBe(file.length);
      file += data;
    },
  };
  const g = globals ?? {};
  const run = new Function("require", "setTimeout", "load", "print", ...Object.keys(g), src);
  run(() => Storage, (f: () => void) => f(), (n: string) => { loaded = n; }, (s: string) => printed.push(s), ...Object.values(g));
  expect(file.length).toBe(size);
  return { file, name, loaded, printed };
}

describe("self-installing bundle", () => {
  it("writes the bundle in pieces to the named Storage file, then load()s it", () => {
    const code = 'print("a \\"quoted\\" \\\\ line");\n'.repeat(400) + "var x = `t${1}`;\n";
    expect(code.length).toBeGreaterThan(3 * PIECE);
    const r = install(selfInstaller(code, "selftest.js"));
    expect(r.name).toBe("selftest.js");
    // One line for the forwarded globals (none here), then the bundle byte for byte.
    expect(r.file).toBe("\n" + code);
    expect(r.loaded).toBe("selftest.js");
    expect(r.printed).toEqual([]);
  });

  it("says SELFTEST FAIL when Storage refuses", () => {
    const src = selfInstaller("print(1);", "selftest.js");
    const printed: string[] = [];
    const full = { erase: () => undefined, write: () => { throw new Error("Not enough free space"); } };
    new Function("require", "setTimeout", "load", "print", src)(() => full, () => undefined, () => undefined, (s: string) => printed.push(s));
    expect(printed).toEqual(["SELFTEST FAIL install into Storage selftest.js: Not enough free space"]);
  });

  it("forwards the globals it is told to across load(), as var statements before the bundle", () => {
    const src = selfInstaller("print(BENCH_TAPS);", "bench.js", { forward: ["BENCH_TAPS", "BENCH_LAYER", "BENCH_PEAK"], label: "BENCH" });
    const r = install(src, { BENCH_TAPS: 2, BENCH_LAYER: 'full"x' });
    expect(r.file).toBe('var BENCH_TAPS=2;var BENCH_LAYER="full\\"x";\nprint(BENCH_TAPS);');
    expect(r.loaded).toBe("bench.js");
    const printed: string[] = [];
    new Function("require", "setTimeout", "load", "print", src)(() => ({ erase: () => undefined, write: () => { throw new Error("full"); } }), () => undefined, () => undefined, (s: string) => printed.push(s));
    expect(printed).toEqual(["BENCH FAIL install into Storage bench.js: full"]);
    expect(() => selfInstaller("x", "a.js", { forward: ["a-b"] })).toThrow("not a global name");
  });

  it("gives back the bundle it carries (installedBundle)", () => {
    const code = 'print("a \\"b\\" \\\\ c");\n'.repeat(500);
    expect(installedBundle(selfInstaller(code, "bench.js", { forward: ["BENCH_TAPS"] }))).toBe(code);
    expect(installedBundle(code)).toBeNull();
  });

  it("refuses non-ASCII code and names over 28 characters", () => {
    expect(() => selfInstaller("print('é')", "a.js")).toThrow("ASCII");
    expect(() => selfInstaller("print(1)", "x".repeat(29))).toThrow("28");
  });
});
