#!/usr/bin/env -S node --max-semi-space-size=64
// The `vivim` CLI: runs the compiled program in dist/ (built by `npm run build`).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/chain/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  console.error(`vivim: the CLI is not built (${fileURLToPath(main)} is missing).`);
  console.error(`Run \`npm run build\` in ${root} first.`);
  process.exit(1);
}
const { runCli } = await import(main.href);
await runCli(process.argv);
