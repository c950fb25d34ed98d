/**
 * A multi-validator VIVIM network as separate OS processes on loopback, built the way `npm start --
 * --validators N` builds it (createDevnet), on free ports and with short timeouts, plus optional
 * full nodes that only the validators' configs admit. Real libp2p between real processes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type NodeConfig, renderConfig } from "../../chain/config/config.js";
import { loadGenesis } from "../../chain/config/genesis.js";
import { homePaths, initHome, writeGenesis } from "../../chain/config/home.js";
import { createDevnet, type DevnetDescriptor, type DevnetPorts } from "../../chain/node/devnet.js";
import { fastConfig } from "./node.js";
import { freePort, type NodeProcess, nodeProcess, rpcCall } from "./process.js";

export interface ProcessNetwork {
  readonly dir: string;
  readonly devnet: DevnetDescriptor;
  readonly validators: NodeProcess[];
  readonly fullNodes: NodeProcess[];
  stopAll(): Promise<void>;
}

/** Timeouts short enough for tests, long enough for four processes sharing two cores. */
export function networkTestConfig(): NodeConfig {
  const base = fastConfig();
  return {
    ...base,
    log_level: "info",
    consensus: {
      ...base.consensus,
      timeout_propose: 1500,
      timeout_propose_delta: 250,
      timeout_prevote: 500,
      timeout_prevote_delta: 250,
      timeout_precommit: 500,
      timeout_precommit_delta: 250,
      timeout_commit: 200,
      create_empty_blocks_interval: 500,
    },
    verify: { threads: 1, secp256k1: "native" },
  };
}

async function freePorts(): Promise<DevnetPorts> {
  return { rpc: await freePort(), p2p: await freePort(), api: await freePort() };
}

function patchConfig(home: string, patch: (c: NodeConfig) => NodeConfig): void {
  const file = homePaths(home).configFile;
  writeFileSync(file, renderConfig(patch(loadConfig(file))));
}

export async function createProcessNetwork(opts: {
  validators: number;
  fullNodes?: number;
  /** `app_state.gov` (tests shorten the voting period). */
  gov?: Record<string, unknown>;
}): Promise<ProcessNetwork> {
  const dir = mkdtempSync(path.join(tmpdir(), "vivim-net-"));
  const ports: DevnetPorts[] = [];
  for (let i = 0; i < opts.validators; i++) ports.push(await freePorts());
  const devnet = await createDevnet(dir, {
    validators: opts.validators,
    ports: (i) => ports[i]!,
    config: networkTestConfig(),
    ...(opts.gov ? { gov: opts.gov } : {}),
  });
  const validators = devnet.nodes.map((n) => nodeProcess(n.home, n.rpc));

  // Full nodes: their own keys, the validators' genesis, all validators as persistent peers; the
  // validators admit them by node id.
  const genesis = loadGenesis(homePaths(devnet.nodes[0]!.home).genesisFile, {
    validateAppState: () => undefined,
  });
  const peers = devnet.nodes.map((n) => `${n.nodeId}@${n.p2p.replace("tcp://", "")}`).join(",");
  const fullNodes: NodeProcess[] = [];
  const fullNodeIds: string[] = [];
  for (let i = 0; i < (opts.fullNodes ?? 0); i++) {
    const p = await freePorts();
    const home = path.join(dir, `full${i}`);
    const base = networkTestConfig();
    const init = initHome({
      home,
      moniker: `full-${i}`,
      chainId: devnet.chainId,
      config: {
        ...base,
        rpc: { ...base.rpc, laddr: `tcp://127.0.0.1:${p.rpc}` },
        api: { ...base.api, address: `tcp://127.0.0.1:${p.api}` },
        p2p: { ...base.p2p, laddr: `tcp://127.0.0.1:${p.p2p}`, persistent_peers: peers },
      },
    });
    writeGenesis(home, genesis);
    fullNodeIds.push(init.nodeId);
    fullNodes.push(nodeProcess(home, `http://127.0.0.1:${p.rpc}`));
  }
  for (const n of devnet.nodes) {
    patchConfig(n.home, (c) => ({ ...c, p2p: { ...c.p2p, allowed_node_ids: fullNodeIds.join(",") } }));
  }
  return {
    dir,
    devnet,
    validators,
    fullNodes,
    async stopAll() {
      await Promise.all([...validators, ...fullNodes].map((n) => n.kill("SIGKILL")));
    },
  };
}

export async function heightOf(node: NodeProcess): Promise<number> {
  const s = await rpcCall<{ sync_info: { latest_block_height: string } }>(node.rpcUrl, "status");
  return Number(s.sync_info.latest_block_height);
}

/** Polls until every node reports at least `height`; throws after `timeoutMs`. */
export async function waitForHeight(
  nodes: readonly NodeProcess[],
  height: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const heights = await Promise.all(nodes.map((n) => heightOf(n).catch(() => -1)));
    if (heights.every((h) => h >= height)) return;
    if (Date.now() > deadline) throw new Error(`heights ${heights.join(",")} did not reach ${height}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Block hash and app hash at each height 1..`upTo`, as `node` serves them. */
export async function chainOf(node: NodeProcess, upTo: number): Promise<string[]> {
  const out: string[] = [];
  for (let h = 1; h <= upTo; h++) {
    const b = await rpcCall<{ block_id: { hash: string }; block: { header: { app_hash: string } } }>(
      node.rpcUrl,
      "block",
      { height: String(h) },
    );
    out.push(`${b.block_id.hash}/${b.block.header.app_hash}`);
  }
  return out;
}
