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
    testTimeout: 20000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
