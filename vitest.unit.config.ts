/**
 * Fast loop for pure code: the `*.spec.ts` files beside the sources, without the global build that
 * the process-level tests need (`npx vitest run --config vitest.unit.config.ts [path]`).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "chain/**/*.spec.ts",
      "contracts/**/*.spec.ts",
      "client/**/*.spec.ts",
      "mcp-server/**/*.spec.ts",
      "workers/**/*.spec.ts",
    ],
    testTimeout: 60_000,
    pool: "forks",
  },
});
