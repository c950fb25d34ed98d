/** tx, tx_search and event_proof: committed txs, their results and inclusion proofs. */
import { BlockMerkleTree } from "../../block/merkle.js";
import { sha256, toBase64 } from "../../crypto/hash.js";
import type { TxLocation } from "../../db/block-store.js";
import { searchTxs, TxSearchError } from "../../db/tx-search.js";
import { blockEventLeaves } from "../../execution/block-executor.js";
import { parseTxQuery, QueryParseError } from "../../query/tx-query.js";
import type { RpcContext } from "../context.js";
import { invalidParams, RpcError, RpcErrorCode } from "../errors.js";
import { headerJson, type Json, txProofJson } from "../json.js";
import { hashParam, optionalBool, optionalHeight, optionalInt, requiredString } from "../params.js";
import { indexedTxJson } from "../results-json.js";

const MAX_PER_PAGE = 100;

async function loadTx(ctx: RpcContext, loc: TxLocation, prove: boolean): Promise<{ [key: string]: Json }> {
  const block = await ctx.node.blockStore.getBlock(loc.height);
  const result = await ctx.node.blockStore.getTxResult(loc);
  const tx = block?.txs[loc.index];
  if (!block || !result || !tx)
    throw new RpcError(RpcErrorCode.Internal, "Internal error", "index points at a missing tx");
  const hash = sha256(tx);
  let proof: Json | undefined;
  if (prove) {
    const tree = new BlockMerkleTree(block.txs.map((t) => sha256(t)));
    proof = txProofJson(block.header.dataHash, tx, tree.proof(loc.index));
  }
  return indexedTxJson(hash, loc.height, loc.index, tx, result, proof);
}

export async function tx(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const hash = hashParam(params, "hash");
  const loc = await ctx.node.blockStore.getTxLocation(hash);
  if (!loc)
    throw new RpcError(
      RpcErrorCode.Internal,
      "Internal error",
      `tx (${Buffer.from(hash).toString("hex").toUpperCase()}) not found`,
    );
  return loadTx(ctx, loc, optionalBool(params, "prove"));
}

export async function txSearch(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const query = requiredString(params, "query", 512);
  const page = optionalInt(params, "page", 1, 1, 1_000_000);
  const perPage = optionalInt(params, "per_page", 30, 1, MAX_PER_PAGE);
  const orderBy = params.order_by === undefined || params.order_by === "" ? "asc" : params.order_by;
  if (orderBy !== "asc" && orderBy !== "desc") throw invalidParams('order_by must be "asc" or "desc"');
  let result: Awaited<ReturnType<typeof searchTxs>>;
  try {
    result = await searchTxs(ctx.node.db, ctx.node.blockStore, parseTxQuery(query), {
      page,
      perPage,
      orderDesc: orderBy === "desc",
    });
  } catch (err) {
    if (err instanceof QueryParseError || err instanceof TxSearchError) throw invalidParams(err.message);
    throw err;
  }
  const pages = Math.max(1, Math.ceil(result.total / perPage));
  if (page > pages) throw invalidParams(`page should be within [1, ${pages}] range, given ${page}`);
  const prove = optionalBool(params, "prove");
  const txs = [];
  for (const loc of result.locations) txs.push(await loadTx(ctx, loc, prove));
  return { txs, total_count: String(result.total) };
}

/**
 * Inclusion proof of one event of a block (tx_index -1 = end-block events) against the header's
 * event root: the leaf bytes, the Merkle path and the header to check it against.
 */
export async function eventProof(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const height = optionalHeight(params, "height");
  if (height === undefined) throw invalidParams("height is required");
  const txIndex = optionalInt(params, "tx_index", 0, -1, 1_000_000);
  const eventIndex = optionalInt(params, "event_index", 0, 0, 1_000_000);
  const block = await ctx.node.blockStore.getBlock(height);
  if (!block) throw invalidParams(`no block at height ${height}`);
  const results = await ctx.node.blockStore.getBlockResults(height);
  const endBlock = await ctx.node.blockStore.getEndBlockEvents(height);
  const leaves = blockEventLeaves(height, results, endBlock);
  let position = 0;
  if (txIndex >= 0) {
    if (txIndex >= results.length || eventIndex >= results[txIndex]!.events.length)
      throw invalidParams("no such event");
    for (let i = 0; i < txIndex; i++) position += results[i]!.events.length;
  } else {
    if (eventIndex >= endBlock.length) throw invalidParams("no such event");
    position = results.reduce((n, r) => n + r.events.length, 0);
  }
  position += eventIndex;
  const proof = new BlockMerkleTree(leaves).proof(position);
  return {
    height: height.toString(),
    tx_index: txIndex,
    event_index: eventIndex,
    leaf: toBase64(leaves[position]!),
    proof: {
      total: String(proof.total),
      index: String(proof.index),
      leaf_hash: toBase64(proof.leafHash),
      aunts: proof.steps.map((s) => toBase64(s.hash)),
      sides: proof.steps.map((s) => s.side),
    },
    header: headerJson(block.header),
  };
}
