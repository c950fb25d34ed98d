/**
 * JSON-RPC 2.0 dispatch: validates the envelope, runs the method, and turns every failure into a
 * JSON-RPC error object. Nothing thrown inside a method reaches the client as a stack trace.
 */
import type { Logger } from "../util/logger.js";
import type { RpcContext, RpcMethod } from "./context.js";
import { RpcError, RpcErrorCode } from "./errors.js";
import { abciQuery } from "./methods/abci.js";
import { block, blockByHash, blockchain, blockResults, commit, validators } from "./methods/blocks.js";
import { broadcastTxAsync, broadcastTxCommit, broadcastTxSync } from "./methods/broadcast.js";
import { abciInfo, genesis, netInfo, numUnconfirmedTxs, status, unconfirmedTxs } from "./methods/info.js";
import { eventProof, tx, txSearch } from "./methods/txs.js";

export const METHODS: Readonly<Record<string, RpcMethod>> = {
  health: () => ({}),
  status,
  abci_info: abciInfo,
  abci_query: abciQuery,
  broadcast_tx_sync: broadcastTxSync,
  broadcast_tx_async: broadcastTxAsync,
  broadcast_tx_commit: broadcastTxCommit,
  tx,
  tx_search: txSearch,
  event_proof: eventProof,
  block,
  block_by_hash: blockByHash,
  block_results: blockResults,
  blockchain,
  commit,
  validators,
  genesis,
  net_info: netInfo,
  num_unconfirmed_txs: numUnconfirmedTxs,
  unconfirmed_txs: unconfirmedTxs,
};

export type JsonRpcId = number | string | null;

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result?: unknown;
  error?: { code: number; message: string; data?: string };
}

export interface JsonRpcRequest {
  id: JsonRpcId;
  method: string;
  params: Record<string, unknown>;
}

/** Checks the envelope; throws RpcError InvalidRequest / InvalidParams with the reason. */
export function parseRequest(value: unknown): JsonRpcRequest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", "request must be a JSON object");
  }
  const r = value as Record<string, unknown>;
  const id = r.id === undefined ? null : r.id;
  if (id !== null && typeof id !== "number" && typeof id !== "string") {
    throw new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", "id must be a number, string or null");
  }
  if (r.jsonrpc !== "2.0")
    throw new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", 'jsonrpc must be "2.0"');
  if (typeof r.method !== "string" || r.method.length > 64) {
    throw new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", "method must be a string");
  }
  const params = r.params ?? {};
  if (Array.isArray(params) && params.length === 0) return { id, method: r.method, params: {} };
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new RpcError(
      RpcErrorCode.InvalidParams,
      "Invalid params",
      "params must be an object of named parameters",
    );
  }
  return { id, method: r.method, params: params as Record<string, unknown> };
}

export function errorResponse(id: JsonRpcId, err: unknown, logger: Logger): JsonRpcResponse {
  if (err instanceof RpcError) return { jsonrpc: "2.0", id, error: err.toJSON() };
  logger.error({ err }, "rpc method failed");
  return { jsonrpc: "2.0", id, error: { code: RpcErrorCode.Internal, message: "Internal error" } };
}

export async function dispatch(
  ctx: RpcContext,
  req: JsonRpcRequest,
  logger: Logger,
): Promise<JsonRpcResponse> {
  const method = Object.hasOwn(METHODS, req.method) ? METHODS[req.method] : undefined;
  if (!method) {
    return {
      jsonrpc: "2.0",
      id: req.id,
      error: { code: RpcErrorCode.MethodNotFound, message: "Method not found", data: req.method },
    };
  }
  try {
    return { jsonrpc: "2.0", id: req.id, result: await method(ctx, req.params) };
  } catch (err) {
    return errorResponse(req.id, err, logger);
  }
}

/** Handles one parsed JSON body: a single request or a batch (at most `maxBatch`). */
export async function handleBody(
  ctx: RpcContext,
  body: unknown,
  logger: Logger,
  maxBatch = 100,
): Promise<JsonRpcResponse | JsonRpcResponse[]> {
  const one = async (value: unknown): Promise<JsonRpcResponse> => {
    let req: JsonRpcRequest;
    try {
      req = parseRequest(value);
    } catch (err) {
      const id =
        typeof value === "object" && value !== null && "id" in value
          ? ((value as { id: unknown }).id as JsonRpcId)
          : null;
      return errorResponse(typeof id === "number" || typeof id === "string" ? id : null, err, logger);
    }
    return dispatch(ctx, req, logger);
  };
  if (Array.isArray(body)) {
    if (body.length === 0 || body.length > maxBatch) {
      return errorResponse(
        null,
        new RpcError(
          RpcErrorCode.InvalidRequest,
          "Invalid Request",
          `batch must hold 1..${maxBatch} requests`,
        ),
        logger,
      );
    }
    // Concurrently, so a batch of broadcasts verifies its signatures in parallel on the pool; the
    // mempool still applies them in arrival order.
    return Promise.all(body.map(one));
  }
  return one(body);
}
