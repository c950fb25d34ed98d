/** Node and chain information: status, health, abci_info, genesis, net_info, mempool counts. */

import { blockIdOf } from "../../consensus/block-builder.js";
import { validatorAddress } from "../../consensus/validator-set.js";
import { toBase64, toHexUpper } from "../../crypto/hash.js";
import type { NodeComponents } from "../../node/node.js";
import { timestampToRfc3339 } from "../../types/timestamp.js";
import type { RpcContext } from "../context.js";
import { optionalInt } from "../params.js";

/** The CometBFT version cosmjs keys its client choice on (Comet38Client). */
export const COMET_VERSION = "0.38.17";
export const APP_VERSION = "0.1.0";

/** CometBFT's node_info: what this node is and where it listens (also served by the REST API). */
export function cometNodeInfo(node: NodeComponents): {
  protocol_version: { p2p: string; block: string; app: string };
  id: string;
  listen_addr: string;
  network: string;
  version: string;
  channels: string;
  moniker: string;
  other: { tx_index: string; rpc_address: string };
} {
  return {
    protocol_version: { p2p: "8", block: "11", app: "1" },
    id: node.nodeKey.id,
    listen_addr: node.config.p2p.laddr,
    network: node.genesis.chain_id,
    version: COMET_VERSION,
    channels: "40202122233038606100",
    moniker: node.config.moniker,
    other: {
      tx_index: node.config.tx_index.indexer === "kv" ? "on" : "off",
      rpc_address: node.config.rpc.laddr,
    },
  };
}

export async function status(ctx: RpcContext): Promise<unknown> {
  const { node } = ctx;
  const height = node.blockStore.latestHeight;
  const latest = height > 0n ? await node.blockStore.getBlock(height) : undefined;
  const earliest = height > 0n ? await node.blockStore.getBlock(1n) : undefined;
  const self = node.validators.validators.find((v) => Buffer.compare(v.pubKey, node.validatorPubKey) === 0);
  const zero = "0".repeat(64);
  const appHash = toHexUpper(node.app.state.root);
  return {
    node_info: cometNodeInfo(node),
    sync_info: {
      latest_block_hash: latest ? toHexUpper(blockIdOf(latest).hash) : zero,
      latest_app_hash: appHash,
      latest_block_height: height.toString(),
      latest_block_time: latest ? timestampToRfc3339(latest.header.time) : node.genesis.genesis_time,
      earliest_block_hash: earliest ? toHexUpper(blockIdOf(earliest).hash) : zero,
      earliest_app_hash: earliest ? toHexUpper(earliest.header.appHash) : appHash,
      earliest_block_height: earliest ? "1" : "0",
      earliest_block_time: earliest ? timestampToRfc3339(earliest.header.time) : node.genesis.genesis_time,
      catching_up: false,
    },
    validator_info: {
      address: toHexUpper(validatorAddress(node.validatorPubKey)),
      pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(node.validatorPubKey) },
      voting_power: self ? self.votingPower.toString() : "0",
    },
  };
}

export function abciInfo(ctx: RpcContext): unknown {
  const { node } = ctx;
  return {
    response: {
      data: "vivim",
      version: APP_VERSION,
      app_version: "1",
      last_block_height: node.blockStore.latestHeight.toString(),
      last_block_app_hash: toBase64(node.app.state.root),
    },
  };
}

export function genesis(ctx: RpcContext): unknown {
  return { genesis: ctx.node.genesis };
}

/** CometBFT's net_info: the peers this node holds a libp2p connection to, by node id. */
export function netInfo(ctx: RpcContext): unknown {
  const ids = ctx.node.network.host.connectedNodeIds().sort();
  return {
    listening: true,
    listeners: [ctx.node.config.p2p.laddr],
    n_peers: String(ids.length),
    peers: ids.map((id) => ({ node_info: { id }, is_outbound: false, connection_status: {}, remote_ip: "" })),
  };
}

export function numUnconfirmedTxs(ctx: RpcContext): unknown {
  const { mempool } = ctx.node;
  return {
    n_txs: String(mempool.size),
    total: String(mempool.size),
    total_bytes: String(mempool.sizeBytes),
    txs: null,
  };
}

export function unconfirmedTxs(ctx: RpcContext, params: Record<string, unknown>): unknown {
  const { mempool } = ctx.node;
  const limit = optionalInt(params, "limit", 30, 1, 100);
  const txs = mempool
    .reap(Number.MAX_SAFE_INTEGER, -1n)
    .slice(0, limit)
    .map((tx) => toBase64(tx.bytes));
  return {
    n_txs: String(txs.length),
    total: String(mempool.size),
    total_bytes: String(mempool.sizeBytes),
    txs,
  };
}
