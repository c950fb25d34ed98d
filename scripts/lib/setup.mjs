// Self-setup shared by `npm start` and `npm test`: install dependencies when they are missing or
// stale, compile the TypeScript when the build is older than the sources, and install the
// redis-server the workers need when it is missing. Plain Node, no deps.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

function say(message) {
  process.stderr.write(`[vivim setup] ${message}\n`);
}

function run(cmd, args, what) {
  try {
    execFileSync(cmd, args, { cwd: ROOT, stdio: "inherit", env: process.env });
  } catch (err) {
    say(`could not ${what} (${cmd} ${args.join(" ")} exited with ${err.status ?? err.message}).`);
    process.exit(1);
  }
}

function lockHash() {
  return createHash("sha256")
    .update(readFileSync(path.join(ROOT, "package-lock.json")))
    .digest("hex");
}

/**
 * Installs when node_modules is missing or was installed from another package-lock.json. `npm
 * install` (not `npm ci`) because npm 11 leaves other platforms' optional binaries (biome's) out of
 * the lock file and `npm ci` then refuses it; the locked versions are still what gets installed.
 */
export function ensureDependencies() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    say(`Node.js ${process.versions.node} is too old: VIVIM needs Node.js 20.19 or newer.`);
    process.exit(1);
  }
  const stamp = path.join(ROOT, "node_modules", ".vivim-lock-hash");
  const want = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return;
  say("installing dependencies (npm install) ...");
  run(
    "npm",
    ["install", "--no-audit", "--no-fund"],
    "install the npm dependencies; check that the npm registry is reachable",
  );
  writeFileSync(stamp, lockHash());
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Compiles to dist/ when any source is newer than the last build. */
export function ensureBuild() {
  const marker = path.join(ROOT, "dist", "chain", "cli", "main.js");
  const sources = Math.max(
    ...["chain", "contracts", "client", "mcp-server", "workers"].map((d) => newestMtime(path.join(ROOT, d))),
  );
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  say("compiling TypeScript ...");
  run(
    process.execPath,
    [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    "compile the project",
  );
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return true;
  }
  return false;
}

/**
 * The workers keep their queues in Redis: `npm start` runs a private redis-server and the worker
 * tests start their own. Unless REDIS_URL names a server to use instead, installs it when it is
 * missing (`apt-get install -y redis-server`, as root), or says what to run and returns false.
 * It never exits: what needs Redis reports its absence itself.
 */
export function ensureRedisServer() {
  if (process.env.REDIS_URL || onPath("redis-server")) return true;
  const install = "apt-get install -y redis-server";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !onPath("apt-get")) {
    say(
      `redis-server is not installed and this user cannot install it; run \`sudo apt-get update && sudo ${install}\`` +
        " (or set REDIS_URL to a Redis server to use). The AI workers and their tests need it.",
    );
    return false;
  }
  say(`installing redis-server for the workers' queues (apt-get update && ${install}) ...`);
  try {
    execFileSync("apt-get", ["update"], { stdio: "inherit", env: process.env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (err) {
    say(
      `could not install redis-server (apt-get exited with ${err.status ?? err.message}); run \`${install}\`` +
        " yourself or set REDIS_URL.",
    );
    return false;
  }
  if (onPath("redis-server")) return true;
  say(`apt-get finished but redis-server is still not on PATH; run \`${install}\` or set REDIS_URL.`);
  return false;
}

function newestFileMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p, { withFileTypes: true })) {
    newest = Math.max(newest, newestFileMtime(path.join(p, entry.name)));
  }
  return newest;
}

/** What the app's production build is made from: its sources and the shared definitions it bundles. */
const UI_SOURCES = [
  "ui/src",
  "ui/public",
  "ui/index.html",
  "ui/vite.config.ts",
  // What ui/src imports from outside ui/, with everything those modules import in turn (the
  // contracts' Msg modules reach identity, chain/crypto and chain/util), so whole trees.
  "contracts",
  "client",
  "chain",
  "mcp-server/tools",
];

/**
 * Builds the VIVIM app (Vite, production) into ui/dist when it is missing or older than its
 * sources, as `npm start` serves it and the browser tests load it.
 */
export function ensureUiBuild() {
  const marker = path.join(ROOT, "ui", "dist", "index.html");
  const sources = Math.max(...UI_SOURCES.map((p) => newestFileMtime(path.join(ROOT, p))));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  say("building the app (vite build ui) ...");
  run(
    process.execPath,
    [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "ui", "--logLevel", "warn"],
    "build the app",
  );
}

/** Where the browser tests find Chromium: VIVIM_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.VIVIM_CHROMIUM || "/usr/bin/chromium";

/**
 * The app's browser tests drive the machine's Chromium with playwright-core (no browser download).
 * Installs Debian's `chromium` when it is missing (`apt-get install -y chromium`, as root), or says
 * what to run and returns false. It never exits: the browser tests report the absence themselves.
 */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return true;
  const install = "apt-get install -y chromium";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (process.env.VIVIM_CHROMIUM || !isRoot || !onPath("apt-get")) {
    say(
      `Chromium is not at ${CHROMIUM_PATH} and this user cannot install it; run \`sudo apt-get update && sudo ${install}\`` +
        " (or set VIVIM_CHROMIUM to a Chromium binary). The app's browser tests need it.",
    );
    return false;
  }
  say(`installing Chromium for the app's browser tests (apt-get update && ${install}) ...`);
  try {
    execFileSync("apt-get", ["update"], { stdio: "inherit", env: process.env });
    execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (err) {
    say(
      `could not install Chromium (apt-get exited with ${err.status ?? err.message}); run \`${install}\` yourself.`,
    );
    return false;
  }
  if (existsSync(CHROMIUM_PATH)) return true;
  say(`apt-get finished but ${CHROMIUM_PATH} is still missing; run \`${install}\` or set VIVIM_CHROMIUM.`);
  return false;
}
