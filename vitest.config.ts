import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20000,
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
  },
});
