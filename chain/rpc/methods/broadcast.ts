/** broadcast_tx_sync / _async / _commit: CheckTx through the mempool, then optionally wait for the block. */
import { sha256, toBase64, toHexUpper } from "../../crypto/hash.js";
import type { RpcContext } from "../context.js";
import { base64Param } from "../params.js";
import { txResultJson } from "../results-json.js";

/** Generous enough for any tx the mempool accepts; the mempool applies the configured cap. */
const MAX_BROADCAST_BYTES = 4 * 1024 * 1024;

function checkTxJson(r: {
  code: number;
  codespace: string;
  log: string;
  gasWanted: bigint;
  gasUsed: bigint;
}): Record<string, unknown> {
  return {
    code: r.code,
    data: "",
    log: r.log,
    codespace: r.codespace,
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
  };
}

export async function broadcastTxSync(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const tx = base64Param(params, "tx", MAX_BROADCAST_BYTES);
  const r = await ctx.node.mempool.add(tx);
  // The mempool hashed every tx it decoded; only one refused before decoding is hashed here.
  return {
    code: r.code,
    data: "",
    log: r.log,
    codespace: r.codespace,
    hash: r.hash || toHexUpper(sha256(tx)),
  };
}

export function broadcastTxAsync(ctx: RpcContext, params: Record<string, unknown>): unknown {
  const tx = base64Param(params, "tx", MAX_BROADCAST_BYTES);
  void ctx.node.mempool.add(tx);
  return { code: 0, data: "", log: "", codespace: "", hash: toHexUpper(sha256(tx)) };
}

export async function broadcastTxCommit(ctx: RpcContext, params: Record<string, unknown>): Promise<unknown> {
  const tx = base64Param(params, "tx", MAX_BROADCAST_BYTES);
  const hash = toHexUpper(sha256(tx));
  // Register before CheckTx so a block committed in between cannot be missed.
  const committed = ctx.txWaiter.wait(hash, ctx.node.config.rpc.timeout_broadcast_tx_commit);
  const check = await ctx.node.mempool.add(tx);
  if (check.code !== 0) return { check_tx: checkTxJson(check), tx_result: {}, hash, height: "0" };
  const done = await committed;
  if (!done) {
    return {
      check_tx: checkTxJson(check),
      tx_result: {},
      hash,
      height: "0",
      error: "timed out waiting for the tx to be committed",
    };
  }
  const result = done.block.results[done.index]!;
  return {
    check_tx: checkTxJson(check),
    tx_result: txResultJson(result),
    hash,
    height: done.height.toString(),
    tx: toBase64(tx),
  };
}
