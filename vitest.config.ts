import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

/** `.apdu` transcripts import as text, as esbuild's text loader does for the bundles. */
const apduText = {
  name: "tappos-apdu-text",
  load(id: string) {
    if (!id.endsWith(".apdu")) return null;
    return `export default ${JSON.stringify(readFileSync(id, "utf8"))};`;
  },
};

export default defineConfig({
  plugins: [apduText],
  test: {
    include: ["test/**/*.test.ts"],
    // A hang bound, not a timing assertion: the interpreter and browser tests share the CPU
    // with every other worker, and 20 s was missed on a loaded machine.
    testTimeout: 60000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
