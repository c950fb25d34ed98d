// `npm run bench:mcp`: the MCP server under many agents.
//
// A one-validator network (production timeouts) and the MCP server (`vivim mcp serve`) run as their
// own processes; `--sessions` agents (default 50), each with its own chain identity, keyring key and
// bearer key, connect over Streamable HTTP from a minimal JSON-RPC load generator (`--client raw`,
// the default: it measures the server, taking little of the two shared cores) or with the MCP SDK's
// own client (`--client sdk`, from `--client-procs` processes, default 1; the SDK client's own CPU
// per call then limits the figure on this machine). Then:
//   1. writes: every session calls create_post `--posts` times back to back; each call is timed from
//      the call to its committed result (p50/p99 over all calls);
//   2. reads: for `--seconds`, every session alternates get_feed (hot, one community) and get_thread
//      (a post from phase 1) — or the `--read-tools` given (also chain_status, whoami); prints
//      calls/s overall and per tool, with latencies.
// The last line printed is the JSON summary.
import { fork, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ensureBuild, ensureDependencies, ROOT } from "./lib/setup.mjs";

const { values: args } = parseArgs({
  options: {
    sessions: { type: "string", default: "50" },
    posts: { type: "string", default: "4" },
    seconds: { type: "string", default: "10" },
    port: { type: "string", default: "38808" },
    "read-tools": { type: "string", default: "get_feed,get_thread" },
    "client-procs": { type: "string", default: "1" },
    client: { type: "string", default: "raw" },
  },
});
ensureDependencies();
ensureBuild();

const DIST = path.join(ROOT, "dist");
const load = (...p) => import(path.join(DIST, ...p));
const log = (...m) => process.stderr.write(`[bench:mcp] ${m.join(" ")}\n`);
const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const round = (x) => Number(x.toFixed(1));
const SESSIONS = Number(args.sessions);
const POSTS = Number(args.posts);
const SECONDS = Number(args.seconds);

const { Bip39, EnglishMnemonic } = await import("@cosmjs/crypto");
const { DirectSecp256k1HdWallet } = await import("@cosmjs/proto-signing");
const { startBenchNetwork } = await import("./bench/network.mjs");
const { benchSocialGenesis } = await import("./bench/social-genesis.mjs");
const { devnetAppState } = await load("chain", "node", "devnet-genesis.js");
const { Keyring } = await load("chain", "keys", "keyring.js");
const { McpKeyStore } = await load("mcp-server", "auth", "key-store.js");

// Deterministic agents: mnemonics from fixed entropy, so runs are comparable.
log(`deriving ${SESSIONS} agent keys`);
const mnemonics = Array.from({ length: SESSIONS }, (_, i) =>
  Bip39.encode(createHash("sha256").update(`vivim-bench-mcp-${i}`).digest().subarray(0, 16)).toString(),
);
const accounts = await Promise.all(
  mnemonics.map(async (m) => {
    const [a] = await (await DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: "vivim" })).getAccounts();
    return { address: a.address };
  }),
);
const addresses = accounts.map((a) => a.address);
const net = await startBenchNetwork({
  validators: 1,
  accounts,
  appState: (funded) => ({ ...devnetAppState(funded), ...benchSocialGenesis(addresses) }),
});
const nodeHome = path.join(net.home, "node0");
const keyring = new Keyring({ home: nodeHome, backend: "test" });
const store = new McpKeyStore(nodeHome);
const bearers = [];
for (const [i, m] of mnemonics.entries()) {
  await keyring.import(`agent${i}`, new EnglishMnemonic(m).toString());
  bearers.push(
    store.create({
      label: `bench-${i}`,
      address: addresses[i],
      owner: addresses[i],
      keyName: `agent${i}`,
      scopes: ["read", "social"],
    }).key,
  );
}

// VIVIM_BENCH_MCP_ARGS passes Node flags to the MCP server process only (e.g. "--cpu-prof").
const mcpArgs = (process.env.VIVIM_BENCH_MCP_ARGS ?? "").split(" ").filter(Boolean);
const mcp = spawn(
  process.execPath,
  [
    ...mcpArgs,
    path.join(ROOT, "bin", "vivim.js"),
    "mcp",
    "serve",
    "--home",
    nodeHome,
    "--node",
    net.rpcUrl,
    "--keyring-backend",
    "test",
    "--laddr",
    `127.0.0.1:${args.port}`,
    "--log-level",
    "warn",
  ],
  { stdio: ["ignore", "pipe", "pipe"] },
);
const mcpLog = createWriteStream(path.join(net.home, "mcp.log"));
mcp.stdout.pipe(mcpLog);
mcp.stderr.pipe(mcpLog);
const url = new URL(`http://127.0.0.1:${args.port}/mcp`);

/** Client processes, each holding a share of the sessions (see scripts/bench/mcp-client.mjs). */
const procs = await Promise.all(
  Array.from(
    { length: Math.min(Number(args["client-procs"]), SESSIONS) },
    () =>
      new Promise((resolve) => {
        const p = fork(path.join(ROOT, "scripts", "bench", "mcp-client.mjs"));
        p.once("message", () => resolve(p));
      }),
  ),
);
let nextId = 0;
function ask(proc, phase, params) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m.id !== id) return;
      proc.off("message", onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve(m.result);
    };
    proc.on("message", onMessage);
    proc.send({ id, phase, params });
  });
}
const shareOf = (p) => {
  const size = Math.ceil(SESSIONS / procs.length);
  return { first: p * size, bearers: bearers.slice(p * size, (p + 1) * size) };
};
const all = (phase, params) => Promise.all(procs.map((proc, p) => ask(proc, phase, params(p))));

try {
  const opened = await all("open", (p) => ({
    url: url.href,
    bearers: shareOf(p).bearers,
    kind: args.client,
  }));
  log(`${opened.reduce((n, o) => n + o.sessions, 0)} sessions open in ${procs.length} client processes`);

  // 1. create_post, call → committed, every session at once.
  const wStart = performance.now();
  const written = await all("write", (p) => ({ posts: POSTS, first: shareOf(p).first }));
  const writeWall = (performance.now() - wStart) / 1000;
  const writeMs = written.flatMap((w) => w.latencies).sort((a, b) => a - b);
  const postIds = written.flatMap((w) => w.postIds);
  const writes = {
    calls: writeMs.length,
    p50Ms: round(pct(writeMs, 50)),
    p99Ms: round(pct(writeMs, 99)),
    maxMs: round(writeMs.at(-1)),
    committedPerSec: round(writeMs.length / writeWall),
  };
  log("create_post", JSON.stringify(writes));

  // 2. reads: the --read-tools in turn (default get_feed, get_thread), for SECONDS.
  const tools = args["read-tools"].split(",");
  const rStart = performance.now();
  const read = await all("read", (p) => ({ tools, seconds: SECONDS, postIds, first: shareOf(p).first }));
  const readWall = (performance.now() - rStart) / 1000;
  const lat = Object.fromEntries(tools.map((t) => [t, read.flatMap((r) => r.latencies[t])]));
  const summary = (xs) => {
    xs.sort((a, b) => a - b);
    return {
      calls: xs.length,
      perSec: round(xs.length / readWall),
      p50Ms: round(pct(xs, 50)),
      p99Ms: round(pct(xs, 99)),
    };
  };
  const reads = {
    callsPerSec: round(Object.values(lat).reduce((n, xs) => n + xs.length, 0) / readWall),
    ...Object.fromEntries(tools.map((t) => [t, summary(lat[t])])),
  };
  log("reads", JSON.stringify(reads));
  await all("close", () => ({}));
  process.stdout.write(
    `${JSON.stringify({ sessions: SESSIONS, client: args.client, createPost: writes, reads })}\n`,
  );
} finally {
  for (const p of procs) p.kill();
  mcp.kill("SIGTERM");
  await new Promise((r) => mcp.once("exit", r));
  await net.stop();
}
