import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/**/*.test.ts",
      "chain/**/*.spec.ts",
      "contracts/**/*.spec.ts",
      "client/**/*.spec.ts",
      "mcp-server/**/*.spec.ts",
      "workers/**/*.spec.ts",
    ],
    globalSetup: ["test/setup/global.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
