// `npm test`: set up what is missing, then type-check, lint, run the whole suite and a short QA run.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ensureChromium, ensureDependencies, ensureRedisServer, ensureUiBuild, ROOT } from "./lib/setup.mjs";

ensureDependencies();
// The workers' tests start their own redis-server: install it when missing (as root; else say how).
ensureRedisServer();
// The app's browser tests drive Debian's Chromium and load the production build of ui/.
ensureChromium();
ensureUiBuild();
const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);
const steps = [
  [
    "type-check",
    process.execPath,
    [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"],
  ],
  [
    "type-check (app)",
    process.execPath,
    [
      path.join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      path.join("ui", "tsconfig.json"),
      "--noEmit",
    ],
  ],
  ["lint", bin("biome"), ["check", "."]],
  ["tests", bin("vitest"), ["run", ...process.argv.slice(2)]],
];
// The whole suite ends with a 2-minute QA run (docs/qa.md): four validators, Redis, the workers and
// the MCP server under load and faults; a failing invariant fails the tests. Not when only some
// test files were asked for.
if (process.argv.length <= 2) {
  steps.push(["qa (2 minutes)", process.execPath, [path.join(ROOT, "scripts", "qa.mjs"), "--minutes", "2"]]);
}
for (const [name, cmd, args] of steps) {
  process.stderr.write(`[vivim test] ${name}\n`);
  try {
    execFileSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
  } catch (err) {
    process.stderr.write(`[vivim test] ${name} failed\n`);
    process.exit(typeof err.status === "number" ? err.status : 1);
  }
}
