// The system under test, as separate OS processes the way `npm start -- --validators 4` runs it:
// four `vivim start` validators (createDevnet homes on free ports, production timeouts), a private
// redis-server, the workers supervisor (`vivim workers run`, which forks one process per agent) and
// the MCP server (`vivim mcp serve`). Each process can be stopped, SIGKILLed, paused (SIGSTOP) and
// restarted; a validator can be cut off from its peers (see isolate()). Logs go to <out>/logs.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchAccount } from "../bench/keys.mjs";
import { benchSocialGenesis, generousRateLimits } from "../bench/social-genesis.mjs";
import { NODE_V8_FLAGS } from "../lib/node-flags.mjs";
import { freePort } from "../lib/ports.mjs";
import { ROOT } from "../lib/setup.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Where the run's bin/ and dist/ are: the checkout's until snapshotBuild() copies them. */
let BUILD = ROOT;

/**
 * Copies bin/ and dist/ to <root>/.vivim/qa-build-<pid> and runs everything from there: a process
 * restarted by a perturbation then runs the code the run started with, even if dist/ is rebuilt
 * meanwhile (a shared checkout, a developer's `npm run build`). Returns the directory.
 */
export function snapshotBuild() {
  const dir = path.join(ROOT, ".vivim", `qa-build-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  cpSync(path.join(ROOT, "bin"), path.join(dir, "bin"), { recursive: true });
  BUILD = dir;
  return dir;
}

export function dropBuildSnapshot() {
  if (BUILD !== ROOT) rmSync(BUILD, { recursive: true, force: true });
}

/** Imports a compiled module of the run's build: load("chain", "node", "devnet.js"). */
export const load = (...p) => import(path.join(BUILD, "dist", ...p));
export const log = (...m) =>
  process.stderr.write(`[qa ${new Date().toISOString().slice(11, 19)}] ${m.join(" ")}\n`);

/** One JSON-RPC call with a deadline (a SIGSTOPped node would otherwise hold the caller forever). */
export async function rpcCall(url, method, params = {}, timeoutMs = 3000) {
  const r = await fetch(url, {
    method: "POST",
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    headers: { "content-type": "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await r.json();
  if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ""}`);
  return body.result;
}

/** Many JSON-RPC calls in one batch request; answers in the calls' order (an error answer → null). */
export async function rpcBatch(url, calls, timeoutMs = 20_000) {
  if (calls.length === 0) return [];
  const r = await fetch(url, {
    method: "POST",
    body: JSON.stringify(calls.map(([method, params], id) => ({ jsonrpc: "2.0", id, method, params }))),
    headers: { "content-type": "application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answers = await r.json();
  const byId = new Map((Array.isArray(answers) ? answers : [answers]).map((a) => [a.id, a]));
  return calls.map((_, id) => byId.get(id)?.result ?? null);
}

export async function heightOf(url) {
  const s = await rpcCall(url, "status", {}, 1500);
  return Number(s.sync_info.latest_block_height);
}

/** A `vivim <args>` process with its output appended to `logFile`; restartable. */
class VivimProcess {
  constructor(name, args, logFile) {
    this.name = name;
    this.args = args;
    this.logFile = logFile;
    this.child = undefined;
    this.paused = false;
    this.stopping = false;
    /** Exits nobody asked for: { at, code } (a crash, or a start that failed). */
    this.unexpectedExits = [];
  }

  start(args = this.args) {
    const fd = openSync(this.logFile, "a");
    this.child = spawn(process.execPath, [...NODE_V8_FLAGS, path.join(BUILD, "bin", "vivim.js"), ...args], {
      stdio: ["ignore", fd, fd],
    });
    this.exited = new Promise((r) =>
      this.child.once("exit", (code, signal) => {
        if (!this.stopping) this.unexpectedExits.push({ at: new Date().toISOString(), code: code ?? signal });
        r(code ?? signal);
      }),
    );
    this.paused = false;
    this.stopping = false;
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(sig) {
    if (!this.running) return;
    this.child.kill(sig);
    if (sig === "SIGSTOP") this.paused = true;
    if (sig === "SIGCONT") this.paused = false;
  }

  /** Stops the process (SIGKILL when `signal` says so, or after `timeoutMs`) and waits for its exit. */
  async stop(signal = "SIGTERM", timeoutMs = 15_000) {
    if (!this.running) return;
    if (this.paused) this.signal("SIGCONT");
    this.stopping = true;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Adds the load accounts to the devnet's genesis: funded, with profiles, members of the bench
 * communities c0..c3, and rate limits raised for everyone (the QA measures the system, not the
 * posting policy). Everything else stays the devnet's: demo accounts, workers' identities, #ops.
 */
async function addLoadAccounts(devnet, accounts) {
  const { loadGenesis } = await load("chain", "config", "genesis.js");
  const { homePaths, writeGenesis } = await load("chain", "config", "home.js");
  const genesis = loadGenesis(homePaths(devnet.nodes[0].home).genesisFile, {
    validateAppState: () => undefined,
  });
  const addresses = accounts.map((a) => a.address);
  const bench = benchSocialGenesis(addresses);
  const s = genesis.app_state;
  s.bank.balances.push(
    ...addresses.map((address) => ({ address, coins: [{ denom: "uvivim", amount: "1000000000000000" }] })),
  );
  s.identity.profiles.push(...bench.identity.profiles);
  // First, so that they get ids 1..4, the ids the bench mix posts to.
  s.social.communities.unshift(...bench.social.communities);
  s.social.params = { ...s.social.params, rate_limits: generousRateLimits() };
  s.reputation.params = { ...s.reputation.params, ...bench.reputation.params };
  s.reputation.pretrusted = [...(s.reputation.pretrusted ?? []), ...bench.reputation.pretrusted];
  for (const n of devnet.nodes) writeGenesis(n.home, genesis);
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/**
 * Creates and starts the whole system. `accounts` load accounts are added to genesis. Returns the
 * handles the load, perturbations and invariants use, and `stop()`.
 */
export async function startCluster({ outDir, validators = 4, accounts: accountCount }) {
  const { createDevnet, setDevnetRedis } = await load("chain", "node", "devnet.js");
  const { defaultConfig, loadConfig, renderConfig } = await load("chain", "config", "config.js");
  const { homePaths } = await load("chain", "config", "home.js");
  const { RedisServer } = await load("workers", "redis", "redis-server.js");
  const logs = path.join(outDir, "logs");
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
  const home = mkdtempSync(path.join(tmpdir(), "vivim-qa-"));
  const ports = [];
  for (let i = 0; i < validators; i++)
    ports.push({ rpc: await freePort(), p2p: await freePort(), api: await freePort() });
  const base = defaultConfig();
  let devnet = await createDevnet(home, {
    validators,
    ports: (i) => ports[i],
    config: { ...base, log_level: "info" },
  });
  const accounts = Array.from({ length: accountCount }, (_, i) => benchAccount(i));
  await addLoadAccounts(devnet, accounts);

  const redisDir = path.join(home, "redis");
  const redisPort = await freePort();
  const newRedis = () => new RedisServer({ dataDir: redisDir, port: redisPort });
  let redis = newRedis();
  await redis.start();
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  devnet = setDevnetRedis(home, devnet, redisUrl);
  const mcpPort = await freePort();
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;

  const nodes = devnet.nodes.map(
    (n, i) =>
      new VivimProcess(`validator-${i}`, ["start", "--home", n.home], path.join(logs, `validator-${i}.log`)),
  );
  const rpcUrls = devnet.nodes.map((n) => n.rpc);
  const mcp = new VivimProcess(
    "mcp",
    [
      "mcp",
      "serve",
      "--home",
      devnet.nodes[0].home,
      "--node",
      rpcUrls[0],
      "--api",
      devnet.api,
      "--keyring-backend",
      "test",
      "--laddr",
      `127.0.0.1:${mcpPort}`,
      "--redis",
      redisUrl,
    ],
    path.join(logs, "mcp.log"),
  );
  const workers = new VivimProcess(
    "workers",
    [
      "workers",
      "run",
      "--node",
      rpcUrls[0],
      "--nodes",
      rpcUrls.join(","),
      "--redis",
      redisUrl,
      "--home",
      home,
      "--mcp",
      mcpUrl,
      "--mcp-keys",
      path.join(home, "devnet.json"),
    ],
    path.join(logs, "workers.log"),
  );
  const { Redis } = await import("ioredis");
  const redisClient = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redisClient.on("error", () => undefined); // reconnects by itself across the redis restart
  const { readStatus } = await load("workers", "supervisor", "control.js");
  async function stopAll() {
    await Promise.all([workers.stop(), mcp.stop()]);
    await Promise.all(nodes.map((n) => n.stop()));
    redisClient.disconnect();
    await redis.stop();
  }
  try {
    for (const n of nodes) n.start();
    await waitFor(
      "the first block on every validator",
      async () => (await Promise.all(rpcUrls.map(heightOf))).every((h) => h >= 1),
      120_000,
    );

    mcp.start();
    workers.start();
    await waitFor(
      "every worker agent running",
      async () => {
        const s = await readStatus(redisClient, "vivim");
        return s.agents.length === 4 && s.agents.every((a) => a.status === "running" && a.pid);
      },
      120_000,
    );
  } catch (err) {
    await stopAll();
    rmSync(home, { recursive: true, force: true });
    throw err;
  }

  /** Which validators are perturbed right now: the load sends nothing to them. */
  const perturbed = new Set();
  const configFile = (i) => homePaths(devnet.nodes[i].home).configFile;

  return {
    home,
    devnet,
    accounts,
    rpcUrls,
    apiUrls: devnet.nodes.map((n) => n.api),
    redisUrl,
    redisClient,
    mcpUrl,
    mcpKeys: devnet.mcpKeys,
    nodes,
    mcp,
    workers,
    perturbed,
    healthyRpcUrls: () => rpcUrls.filter((_, i) => !perturbed.has(i)),
    workerStatus: () => readStatus(redisClient, "vivim"),
    async restartRedis() {
      await redis.stop();
      redis = newRedis();
      await redis.start();
    },
    /**
     * Cuts validator i off: it is restarted listening on a port no peer knows, with no persistent
     * peers. Nothing can reach it (its peers keep dialling the old address) and it dials nobody.
     * The connection gater always admits genesis validators, so a config cannot refuse them;
     * changing where the node listens is the process-level equivalent of pulling its cable.
     * Returns `reconnect()`, which restarts it with its own config again.
     */
    async isolate(i) {
      const file = configFile(i);
      const { writeFileSync } = await import("node:fs");
      const own = loadConfig(file);
      await nodes[i].stop();
      const lonely = {
        ...own,
        p2p: { ...own.p2p, laddr: `tcp://127.0.0.1:${await freePort()}`, persistent_peers: "" },
      };
      writeFileSync(file, renderConfig(lonely));
      nodes[i].start();
      return async () => {
        await nodes[i].stop();
        writeFileSync(file, renderConfig(own));
        nodes[i].start();
      };
    },
    async stop({ keepHome = false } = {}) {
      await stopAll();
      if (!keepHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

export { sleep, waitFor };
