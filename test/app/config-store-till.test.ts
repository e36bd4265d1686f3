// The till's bearer token in the Storage config (src/app/config-store.ts `till.token`):
// optional (absent: the board's till is off), 16..128 printable characters, a bad one named
// by its path without its value.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../src/app/config-store";

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, "../../config.example.json"), "utf8")) as Record<string, unknown>;

function withTill(till: unknown): Record<string, unknown> {
  return { ...EXAMPLE, till };
}

describe("config-store till.token", () => {
  it("absent: the config is usable and the till is off (token null)", () => {
    const r = checkConfig(EXAMPLE);
    expect(r.problems).toEqual([]);
    expect(r.config?.till).toEqual({ token: null, port: 80 });
  });

  it("16 and 128 characters are taken as they are", () => {
    for (const token of ["0123456789abcdef", "A".repeat(128), "Zm9vYmFyLWJhei1xdXV4LTAxMjM0NTY3"]) {
      const r = checkConfig(withTill({ token }));
      expect(r.problems).toEqual([]);
      expect(r.config?.till.token).toBe(token);
    }
  });

  it("too short, too long, not text, not printable: one problem by path, never the value", () => {
    for (const token of ["0123456789abcde", "A".repeat(129), 1234567890123456789, "tab\there-0123456789"]) {
      const r = checkConfig(withTill({ token }));
      expect(r.config).toBeNull();
      expect(r.problems).toEqual(["till.token: text of 16..128 printable ASCII characters"]);
    }
  });

  it("till.port: 1..65535, default 80", () => {
    expect(checkConfig(withTill({ token: "0123456789abcdef", port: 8080 })).config?.till).toEqual({ token: "0123456789abcdef", port: 8080 });
    expect(checkConfig(withTill({ port: 0 })).problems).toEqual(["till.port: whole number 1..65535"]);
  });

  it("till that is not an object is a problem; an empty till object means off", () => {
    expect(checkConfig(withTill("tok")).problems).toEqual(["till: an object"]);
    expect(checkConfig(withTill({})).config?.till.token).toBeNull();
  });
});

describe("config-store currencyLabel (the till page's label)", () => {
  it("EUR for 978 by default, the number otherwise, or as configured (1..8 characters)", () => {
    expect(checkConfig(EXAMPLE).config?.currencyLabel).toBe("EUR");
    expect(checkConfig({ ...EXAMPLE, currency: 826 }).config?.currencyLabel).toBe("826");
    expect(checkConfig({ ...EXAMPLE, currency: 826, currencyLabel: "GBP" }).config?.currencyLabel).toBe("GBP");
    expect(checkConfig({ ...EXAMPLE, currencyLabel: "" }).problems).toEqual(["currencyLabel: text of 1..8 printable ASCII characters"]);
  });
});
