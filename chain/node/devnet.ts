/**
 * The local devnet `npm start` runs: one validator home per validator (`--validators N`), funded
 * demo accounts kept in node0's `test` keyring, and `<home>/devnet.json` describing it all. Node i's
 * validator is operated by the account `operator<i>` (in node i's keyring), which therefore holds
 * that validator's council power in governance.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BASE_DENOM } from "../../contracts/lib/coins.js";
import { McpKeyStore } from "../../mcp-server/auth/key-store.js";
import type { Scope } from "../../mcp-server/auth/scopes.js";
import { defaultConfig, loadConfig, type NodeConfig, renderConfig } from "../config/config.js";
import { loadGenesis } from "../config/genesis.js";
import { initHome, writeGenesis } from "../config/home.js";
import { ADDRESS_PREFIX } from "../crypto/address.js";
import { Keyring } from "../keys/keyring.js";
import { DEVNET_GOV, devnetAppState } from "./devnet-genesis.js";
import { WORKER_AGENT_NAMES, type WorkerAgentName } from "./devnet-social.js";

export const DEVNET_CHAIN_ID = "vivim-devnet-1";
export const DEVNET_ACCOUNTS = ["alice", "bob", "carol"] as const;
/** Alice's agent @alice/scout: its key lives in node0's keyring under this name. */
export const DEVNET_AGENT = "scout";
/** Where `npm start` serves MCP (Streamable HTTP). */
export const DEVNET_MCP_URL = "http://127.0.0.1:8808/mcp";
const ACCOUNT_FUNDS = 1_000_000_000_000n; // 1,000,000 VIVIM
const OPERATOR_FUNDS = 100_000_000_000n;
const WORKER_FUNDS = 10_000_000_000n;

/** node0's keyring name of a service worker's key (its identity is @operator/<agent>). */
export const workerKeyName = (agent: WorkerAgentName) => `worker-${agent}`;
/** Where devnet.json keeps a service worker's MCP key: mcpKeys["operator/<agent>"]. */
export const workerMcpKeyName = (agent: WorkerAgentName) => `operator/${agent}`;

export interface DevnetNode {
  moniker: string;
  home: string;
  nodeId: string;
  rpc: string;
  api: string;
  p2p: string;
  operator: { name: string; address: string };
}

export interface DevnetDescriptor {
  chainId: string;
  prefix: string;
  denom: string;
  rpc: string;
  api: string;
  mcp: string | null;
  ui: string | null;
  redis: string | null;
  nodes: DevnetNode[];
  accounts: Array<{ name: string; address: string; mnemonic: string }>;
  /** The service workers' chain identities, @operator/<agent> (absent in devnets made before them). */
  workers?: Array<{ agent: WorkerAgentName; handle: string; address: string; keyName: string }>;
  mcpKeys: Record<string, string>;
}

export function devnetFile(home: string): string {
  return path.join(home, "devnet.json");
}

export function readDevnet(home: string): DevnetDescriptor | undefined {
  const file = devnetFile(home);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DevnetDescriptor) : undefined;
}

/** Where node `index` of a devnet listens. */
export interface DevnetPorts {
  readonly rpc: number;
  readonly p2p: number;
  readonly api: number;
}

/** CometBFT's localnet spacing: node i at 26657+10i (RPC), 26656+10i (p2p) and 1317+i (API). */
export function defaultDevnetPorts(index: number): DevnetPorts {
  return { rpc: 26657 + 10 * index, p2p: 26656 + 10 * index, api: 1317 + index };
}

export interface DevnetOptions {
  readonly validators?: number;
  readonly ports?: (index: number) => DevnetPorts;
  /** Starting config for every node (tests shorten timeouts); ports and peers are set per node. */
  readonly config?: NodeConfig;
  /** `app_state.gov`; default DEVNET_GOV (minutes-long periods). */
  readonly gov?: Record<string, unknown>;
}

function nodeConfig(base: NodeConfig, moniker: string, ports: DevnetPorts): NodeConfig {
  return {
    ...base,
    moniker,
    log_format: "plain",
    rpc: { ...base.rpc, laddr: `tcp://127.0.0.1:${ports.rpc}` },
    api: { ...base.api, address: `tcp://127.0.0.1:${ports.api}` },
    p2p: { ...base.p2p, laddr: `tcp://127.0.0.1:${ports.p2p}` },
  };
}

/**
 * Creates a fresh devnet of `validators` nodes under `home` (which must not hold one yet) and writes
 * devnet.json. Every node gets its own keys; one genesis lists all validators with their node ids,
 * and every node keeps all the others as persistent peers.
 */
export async function createDevnet(home: string, opts: DevnetOptions = {}): Promise<DevnetDescriptor> {
  const count = opts.validators ?? 1;
  const portsOf = opts.ports ?? defaultDevnetPorts;
  mkdirSync(home, { recursive: true });
  const homes = Array.from({ length: count }, (_, i) => path.join(home, `node${i}`));
  // Keys first: genesis funds their addresses. Demo accounts live in node0's keyring, each
  // operator account in its own node's.
  const accounts: DevnetDescriptor["accounts"] = [];
  const operators: Array<{ name: string; address: string }> = [];
  const workerKeys = {} as Record<WorkerAgentName, { address: string; pubkey: string }>;
  let scoutPubkey = "";
  for (const [i, nodeHome] of homes.entries()) {
    const keyring = new Keyring({ home: nodeHome, backend: "test" });
    const names = i === 0 ? [...DEVNET_ACCOUNTS, DEVNET_AGENT, "operator0"] : [`operator${i}`];
    for (const name of names) {
      const { key, mnemonic } = await keyring.add(name);
      if (name.startsWith("operator")) operators.push({ name, address: key.address });
      else accounts.push({ name, address: key.address, mnemonic: mnemonic ?? "" });
      if (name === DEVNET_AGENT) scoutPubkey = key.pubkey;
    }
    if (i === 0) {
      for (const agent of WORKER_AGENT_NAMES) {
        const { key } = await keyring.add(workerKeyName(agent));
        workerKeys[agent] = { address: key.address, pubkey: key.pubkey };
      }
    }
  }
  const funded = [
    ...accounts.map((a) => ({ address: a.address, amount: ACCOUNT_FUNDS })),
    ...operators.map((o) => ({ address: o.address, amount: OPERATOR_FUNDS })),
    ...WORKER_AGENT_NAMES.map((a) => ({ address: workerKeys[a].address, amount: WORKER_FUNDS })),
  ];
  const address = (name: string) => accounts.find((a) => a.name === name)?.address ?? "";
  const social = {
    alice: address("alice"),
    bob: address("bob"),
    carol: address("carol"),
    scout: { address: address(DEVNET_AGENT), pubkey: scoutPubkey },
    operator: operators[0]!.address,
    workers: workerKeys,
  };
  // Each home's own genesis is replaced below by the shared one, which also names the operators.
  const appState = devnetAppState(funded, { social });
  const inits = homes.map((nodeHome, i) =>
    initHome({
      home: nodeHome,
      moniker: `validator-${i}`,
      chainId: DEVNET_CHAIN_ID,
      config: nodeConfig(opts.config ?? defaultConfig(), `validator-${i}`, portsOf(i)),
      genesisAppState: appState,
    }),
  );
  // One genesis for all: the first node's, with every node's validator entry, and the same set
  // in app_state with node i's validator operated by operator<i>.
  const genesis = {
    ...loadGenesis(inits[0]!.paths.genesisFile, { validateAppState: () => undefined }),
    validators: inits.map((r) => r.validator),
    app_state: devnetAppState(funded, {
      social,
      gov: opts.gov ?? DEVNET_GOV,
      validators: inits.map((r, i) => ({
        pubKey: r.validator.pub_key.value,
        power: r.validator.power,
        moniker: r.validator.name,
        operator: operators[i]!.address,
      })),
    }),
  };
  for (const [i, init] of inits.entries()) {
    writeGenesis(init.home, genesis);
    const peers = inits
      .filter((_, j) => j !== i)
      .map((peer) => `${peer.nodeId}@127.0.0.1:${portsOf(inits.indexOf(peer)).p2p}`)
      .join(",");
    const config = loadConfig(init.paths.configFile);
    writeFileSync(
      init.paths.configFile,
      renderConfig({ ...config, p2p: { ...config.p2p, persistent_peers: peers } }),
    );
  }

  const nodes: DevnetNode[] = inits.map((init, i) => {
    const ports = portsOf(i);
    return {
      moniker: `validator-${i}`,
      home: init.home,
      nodeId: init.nodeId,
      rpc: `http://127.0.0.1:${ports.rpc}`,
      api: `http://127.0.0.1:${ports.api}`,
      p2p: `tcp://127.0.0.1:${ports.p2p}`,
      operator: operators[i]!,
    };
  });
  const descriptor: DevnetDescriptor = {
    chainId: DEVNET_CHAIN_ID,
    prefix: ADDRESS_PREFIX,
    denom: BASE_DENOM,
    rpc: nodes[0]!.rpc,
    api: nodes[0]!.api,
    mcp: DEVNET_MCP_URL,
    ui: null,
    redis: null,
    nodes,
    accounts,
    workers: WORKER_AGENT_NAMES.map((agent) => ({
      agent,
      handle: `@operator/${agent}`,
      address: workerKeys[agent].address,
      keyName: workerKeyName(agent),
    })),
    mcpKeys: {},
  };
  return ensureDevnetMcpKeys(home, descriptor);
}

/**
 * The demo MCP keys of a devnet: one for alice (a human: social, governance, moderation) and one
 * for her agent @alice/scout (social), and one per service worker (@operator/<agent>: read and
 * social, plus moderation for the labelers), signing with node0's keyring. Created once (also for
 * a devnet made before MCP existed) and kept in devnet.json, which is mode 0600 like the keyring.
 */
export function ensureDevnetMcpKeys(home: string, devnet: DevnetDescriptor): DevnetDescriptor {
  const out = { ...devnet, mcp: devnet.mcp ?? DEVNET_MCP_URL, mcpKeys: { ...devnet.mcpKeys } };
  const store = new McpKeyStore(devnet.nodes[0]!.home);
  const address = (name: string) => devnet.accounts.find((a) => a.name === name)?.address ?? "";
  const operator = devnet.nodes[0]!.operator.address;
  const wanted: Array<{ name: string; address: string; owner: string; keyName: string; scopes: Scope[] }> = [
    {
      name: "alice",
      address: address("alice"),
      owner: address("alice"),
      keyName: "alice",
      scopes: ["read", "social", "governance", "moderation"],
    },
    {
      name: DEVNET_AGENT,
      address: address(DEVNET_AGENT),
      owner: address("alice"),
      keyName: DEVNET_AGENT,
      scopes: ["read", "social"],
    },
    ...(devnet.workers ?? []).map((w) => ({
      name: workerMcpKeyName(w.agent),
      address: w.address,
      owner: operator,
      keyName: w.keyName,
      scopes: (w.agent === "moderation" || w.agent === "reputation"
        ? ["read", "social", "moderation"]
        : ["read", "social"]) as Scope[],
    })),
  ];
  for (const { name, scopes, ...who } of wanted) {
    const active = out.mcpKeys[name] ? store.verify(out.mcpKeys[name]) : undefined;
    if (active) continue;
    out.mcpKeys[name] = store.create({ label: `devnet-${name.replace("/", "-")}`, ...who, scopes }).key;
  }
  writeFileSync(devnetFile(home), `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  return out;
}

/**
 * Records the devnet's Redis (`npm start` runs one for the workers; null when none) in devnet.json,
 * and points node0's app API at it (`[api] workers_redis`), which then serves the workers' state,
 * approvals and feeds, and takes pause / resume / stop from operator0 (`[api] workers_operators`).
 */
export function setDevnetRedis(
  home: string,
  devnet: DevnetDescriptor,
  redis: string | null,
): DevnetDescriptor {
  const out = { ...devnet, redis };
  const configFile = path.join(devnet.nodes[0]!.home, "config", "config.toml");
  const config = loadConfig(configFile);
  // The workers' operator (operator0, who owns @operator/<agent>) may then pause them from the app.
  const api = {
    ...config.api,
    workers_redis: redis ?? "",
    workers_operators: redis ? devnet.nodes[0]!.operator.address : "",
  };
  if (
    config.api.workers_redis !== api.workers_redis ||
    config.api.workers_operators !== api.workers_operators
  ) {
    writeFileSync(configFile, renderConfig({ ...config, api }));
  }
  writeFileSync(devnetFile(home), `${JSON.stringify(out, null, 2)}\n`, { mode: 0o600 });
  return out;
}
