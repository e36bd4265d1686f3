// host/run.mjs: runs a host TypeScript entry on Node 20 with the user's arguments.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO, makeFixture, removeTempDirs } from "./helpers";

const run = (entry: string, args: string[]) =>
  spawnSync(process.execPath, [join(REPO, "host/run.mjs"), entry, ...args], { cwd: REPO, encoding: "utf8", timeout: 20000 });

afterAll(removeTempDirs);

describe("host/run.mjs", () => {
  const root = makeFixture({
    "lib.ts": "export const here: string = import.meta.url;\nexport function twice(x: number): number { return x * 2; }\n",
    "entry.ts": [
      'import { twice, here } from "./lib";',
      'import { pathToFileURL } from "node:url";',
      "const args: string[] = process.argv.slice(2);",
      "const isMain = import.meta.url === pathToFileURL(process.argv[1]).href;",
      "console.log(JSON.stringify({ args, doubled: twice(21), here, isMain }));",
      'if (args[0] === "throw") throw new Error("boom from entry");',
      "",
    ].join("\n"),
    "broken.ts": "export const x = ;\n",
  });

  it("bundles the TypeScript entry, runs it and passes the arguments through", () => {
    const r = run(join(root, "entry.ts"), ["--amount", "12.34", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      args: ["--amount", "12.34", "--json"],
      doubled: 42,
      here: "file://" + join(root, "lib.ts"), // import.meta.url names the source file, not the cache
      isMain: true,
    });
  });

  it("exits 1 with a source-mapped stack when the entry throws", () => {
    const r = run(join(root, "entry.ts"), ["throw"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/boom from entry/);
    expect(r.stderr).toContain(join(root, "entry.ts"));
  });

  it("exits 1 on a syntax error, and 2 without an entry", () => {
    const broken = run(join(root, "broken.ts"), []);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/broken\.ts/);
    expect(run("", []).status).toBe(2);
  });
});
