/**
 * Vitest global setup: compiles the project once so tests that start the node as a separate OS
 * process (kill -9, the CLI) run the same JavaScript that `npm start` runs.
 */
import { execFileSync } from "node:child_process";

export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
}
