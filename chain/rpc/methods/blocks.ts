/** block, block_by_hash, block_results, blockchain, commit, validators. */
import { blockIdOf } from "../../consensus/block-builder.js";
import type { Block } from "../../types/block.js";
import { encodeBlock } from "../../types/codec.js";
import type { RpcContext } from "../context.js";
import { invalidParams, RpcError, RpcErrorCode } from "../errors.js";
import { blockIdJson, blockJson, commitJson, eventJson, headerJson, validatorJson } from "../json.js";
import { hashParam, optionalHeight, optionalInt } from "../params.js";
import { txResultJson } from "../results-json.js";

const MAX_BLOCKCHAIN_RANGE = 20n;

function resolveHeight(ctx: RpcContext, params: Record<string, unknown>): bigint {
  const latest = ctx.node.blockStore.latestHeight;
  const height = optionalHeight(params) ?? latest;
  if (height < 1n || height > latest) {
    throw invalidParams(
      `height ${height} must be less than or equal to the current blockchain height ${latest}`,
    );
  }
  return height;
}

async function blockAt(ctx: RpcContext, height: bigint): Promise<Block> {
  const block = await ctx.node.blockStore.getBlock(height);
  if (!block)
    throw new RpcError(RpcErrorCode.Internal, "Internal error", `block at height ${height} not found`);
  return block;
}

export async function block(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const b = await blockAt(ctx, resolveHeight(ctx, params));
  return { block_id: blockIdJson(blockIdOf(b)), block: blockJson(b) };
}

export async function blockByHash(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const height = await ctx.node.blockStore.heightOf(hashParam(params, "hash"));
  if (height === undefined) return { block_id: null, block: null };
  const b = await blockAt(ctx, height);
  return { block_id: blockIdJson(blockIdOf(b)), block: blockJson(b) };
}

export async function blockResults(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const height = resolveHeight(ctx, params);
  const b = await blockAt(ctx, height);
  const results = await ctx.node.blockStore.getBlockResults(height);
  const events = await ctx.node.blockStore.getEndBlockEvents(height);
  return {
    height: height.toString(),
    txs_results: results.map(txResultJson),
    finalize_block_events: events.map(eventJson),
    validator_updates: [],
    consensus_param_updates: null,
    app_hash: Buffer.from(b.header.appHash).toString("base64"),
  };
}

export async function blockchain(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const latest = ctx.node.blockStore.latestHeight;
  let max = optionalHeight(params, "maxHeight") ?? latest;
  if (max > latest) max = latest;
  let min = optionalHeight(params, "minHeight") ?? 1n;
  if (min > max) throw invalidParams(`min height ${min} can't be greater than max height ${max}`);
  if (max - min + 1n > MAX_BLOCKCHAIN_RANGE) min = max - MAX_BLOCKCHAIN_RANGE + 1n;
  const metas = [];
  for (let h = max; h >= min && h >= 1n; h--) {
    const b = await blockAt(ctx, h);
    metas.push({
      block_id: blockIdJson(blockIdOf(b)),
      block_size: String(encodeBlock(b).length),
      header: headerJson(b.header),
      num_txs: String(b.txs.length),
    });
  }
  return { last_height: latest.toString(), block_metas: metas };
}

export async function commit(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const height = resolveHeight(ctx, params);
  const b = await blockAt(ctx, height);
  // The canonical commit of h is in block h+1; the latest block's is the one this node saw.
  const next =
    height < ctx.node.blockStore.latestHeight ? await ctx.node.blockStore.getBlock(height + 1n) : undefined;
  const c = next?.lastCommit ?? (await ctx.node.blockStore.getSeenCommit(height));
  if (!c) throw new RpcError(RpcErrorCode.Internal, "Internal error", `no commit for height ${height}`);
  return {
    signed_header: { header: headerJson(b.header), commit: commitJson(c) },
    canonical: next !== undefined,
  };
}

/**
 * The validator set in force at `height` (default: the latest block's). As in CometBFT, the set of
 * the height after the latest block is already known and may be asked for.
 */
export async function validators(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const latest = ctx.node.blockStore.latestHeight;
  const height = optionalHeight(params) ?? (latest > 0n ? latest : 1n);
  if (height < 1n || height > latest + 1n) {
    throw invalidParams(
      `height ${height} must be less than or equal to the next height ${latest + 1n} (latest is ${latest})`,
    );
  }
  const page = optionalInt(params, "page", 1, 1, 1_000_000);
  const perPage = optionalInt(params, "per_page", 30, 1, 100);
  const set = await ctx.node.validatorStore.loadAt(height);
  if (!set) {
    throw new RpcError(
      RpcErrorCode.Internal,
      "Internal error",
      `no validator set stored for height ${height}`,
    );
  }
  const all = set.validators;
  const slice = all.slice((page - 1) * perPage, page * perPage);
  return {
    block_height: height.toString(),
    validators: slice.map(validatorJson),
    count: String(slice.length),
    total: String(all.length),
  };
}
