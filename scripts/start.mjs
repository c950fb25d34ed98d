// `npm start`: the whole VIVIM network on this machine with embedded defaults. Sets itself up
// (dependencies, build, redis-server), creates the devnet on first run, runs each node as its own
// process and a private redis-server for the workers (unless REDIS_URL or --no-workers), and stops
// everything cleanly on Ctrl-C / SIGTERM.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { NODE_V8_FLAGS } from "./lib/node-flags.mjs";
import { ensureBuild, ensureDependencies, ensureRedisServer, ensureUiBuild, ROOT } from "./lib/setup.mjs";

const { values } = parseArgs({
  options: {
    validators: { type: "string", default: "1" },
    home: { type: "string", default: path.join(".vivim", "devnet") },
    fresh: { type: "boolean", default: false },
    "no-ui": { type: "boolean", default: false },
    "no-workers": { type: "boolean", default: false },
  },
  strict: true,
});

const validators = Number(values.validators);
if (!Number.isInteger(validators) || validators < 1) {
  console.error("--validators must be a positive integer");
  process.exit(2);
}

ensureDependencies();
ensureBuild();
// The app's production build, rebuilt when older than its sources (ui/src, ...).
if (!values["no-ui"]) ensureUiBuild();
const workers = !values["no-workers"];
const redisInstalled = workers ? ensureRedisServer() : false;

const home = path.resolve(ROOT, values.home);
if (values.fresh) rmSync(home, { recursive: true, force: true });
const { createDevnet, ensureDevnetMcpKeys, readDevnet, setDevnetRedis } = await import(
  path.join(ROOT, "dist", "chain", "node", "devnet.js")
);
const existing = readDevnet(home);
if (existing && existing.nodes.length !== validators && process.argv.includes("--validators")) {
  console.error(
    `${home} holds a devnet of ${existing.nodes.length} validator(s); add --fresh to replace it with ${validators}.`,
  );
  process.exit(2);
}
let devnet = existing ? ensureDevnetMcpKeys(home, existing) : await createDevnet(home, { validators });

// Redis for the workers' queues: REDIS_URL when given, else a private redis-server (append-only
// persistence under <home>/redis, noeviction) on 6379.
const REDIS_PORT = 6379;
let redisServer;
let redisNote = "";
if (!workers) {
  redisNote = "off (--no-workers)";
} else if (process.env.REDIS_URL) {
  redisNote = `${process.env.REDIS_URL} (REDIS_URL)`;
} else if (!redisInstalled) {
  redisNote = "off: redis-server is not installed (see above), so the workers cannot run";
} else {
  const { RedisServer } = await import(path.join(ROOT, "dist", "workers", "redis", "redis-server.js"));
  redisServer = new RedisServer({ dataDir: path.join(home, "redis"), port: REDIS_PORT });
  try {
    await redisServer.start();
  } catch (err) {
    console.error(
      `${err.message}\n(run with REDIS_URL=redis://host:port to use another Redis, or -- --no-workers to run without)`,
    );
    process.exit(1);
  }
  redisNote = `${redisServer.url}   (private redis-server, data in ${path.join(home, "redis")})`;
}
const redisUrl = !workers ? null : (process.env.REDIS_URL ?? redisServer?.url ?? null);
devnet = setDevnetRedis(home, devnet, redisUrl);

const vivim = (args) =>
  spawn(process.execPath, [...NODE_V8_FLAGS, path.join(ROOT, "bin", "vivim.js"), ...args], {
    stdio: "inherit",
  });
const children = devnet.nodes.map((n) => vivim(["start", "--home", n.home]));
// The MCP server of node0 (whose keyring holds the demo accounts), at devnet.mcp.
children.push(
  vivim([
    "mcp",
    "serve",
    "--home",
    devnet.nodes[0].home,
    "--node",
    devnet.rpc,
    "--api",
    devnet.api,
    "--keyring-backend",
    "test",
    "--laddr",
    new URL(devnet.mcp).host,
    ...(redisUrl ? ["--redis", redisUrl] : []),
  ]),
);
// The AI workers: their supervisor and the block bridge feeding their queues. Each agent acts as
// @operator/<agent> through MCP with its key from devnet.json; audit logs go to <home>/audit.
if (redisUrl) {
  children.push(
    vivim([
      "workers",
      "run",
      "--node",
      devnet.rpc,
      "--nodes",
      devnet.nodes.map((n) => n.rpc).join(","),
      "--redis",
      redisUrl,
      "--home",
      home,
      "--mcp",
      devnet.mcp,
      "--mcp-keys",
      path.join(home, "devnet.json"),
    ]),
  );
}

// The app (ui/dist) at http://127.0.0.1:3000, told the devnet's endpoints through /config.json.
const vaultPassphrase = process.env.VIVIM_VAULT_PASSPHRASE;
let ui;
let assistantNote = "offline assistant (no AI key in the vault, or VIVIM_VAULT_PASSPHRASE unset)";
let uiNote = "off (--no-ui)";
if (!values["no-ui"]) {
  const { startUiServer, uiConfigFromDevnet } = await import(path.join(ROOT, "ui", "server", "serve.mjs"));
  const { createChatHandler } = await import(path.join(ROOT, "ui", "server", "chat.mjs"));
  // The assistant uses a real model when the workers' AI-key vault has a key and its passphrase.
  const chat = await createChatHandler({ home, passphrase: vaultPassphrase, chainId: devnet.chainId }).catch(
    (err) => void console.warn(`[vivim] the assistant stays offline: ${err.code ?? err.message}`),
  );
  try {
    ui = await startUiServer({ config: uiConfigFromDevnet(devnet), ...(chat ? { chat } : {}) });
    if (chat) assistantNote = "assistant with the vault's AI keys";
  } catch (err) {
    uiNote = `off: could not listen on 127.0.0.1:3000 (${err.code ?? err.message})`;
  }
}

console.info(`
VIVIM devnet "${devnet.chainId}" is starting (home: ${home})
  App           ${ui ? `${ui.url}   (sign in as alice, bob or carol; ${assistantNote})` : uiNote}
  CometBFT RPC  ${devnet.rpc}
  Cosmos API    ${devnet.api}   (Prometheus metrics at ${devnet.api}/metrics)
  MCP           ${devnet.mcp}   (bearer keys for alice, @alice/scout and the workers' @operator/<agent> in devnet.json "mcpKeys")
  Redis         ${redisNote}
  workers       ${redisUrl ? `feed, moderation, reputation, health as @operator/<agent>; audit logs in ${path.join(home, "audit")}; vivim workers status` : "off"}
  validators    ${devnet.nodes.map((n) => `${n.moniker}  rpc ${n.rpc}  p2p ${n.p2p}`).join("\n                ")}
  accounts      ${devnet.accounts.map((a) => `${a.name} ${a.address}`).join("\n                ")}
  details       ${path.join(home, "devnet.json")} (mnemonics, nodes, endpoints)
Try: node bin/vivim.js status
     node bin/vivim.js tx bank send alice ${devnet.accounts[1].address} 1000uvivim --home ${devnet.nodes[0].home} --keyring-backend test
Ctrl-C stops the network; run again to continue where it stopped, or with -- --fresh to start over.
`);

let stopping = false;
let redisStopped = Promise.resolve();
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill(signal);
  if (ui) void ui.stop();
  if (redisServer) redisStopped = redisServer.stop();
}
process.on("SIGINT", () => stop("SIGTERM"));
process.on("SIGTERM", () => stop("SIGTERM"));
let exited = 0;
let failed = false;
for (const c of children) {
  c.on("exit", (code) => {
    exited += 1;
    if (code !== 0 && !stopping) {
      failed = true;
      console.error(`a devnet process exited with code ${code}; stopping the devnet`);
      stop("SIGTERM");
    }
    if (exited === children.length) {
      stop("SIGTERM");
      redisStopped.then(() => process.exit(failed ? 1 : 0));
    }
  });
}
