/**
 * The node's own read-only JSON-RPC methods called in-process, for servers in the same process
 * (the app API builds proof bundles with the same code a light client runs against :26657).
 */
import type { RpcCaller } from "../light/fetch-bundle.js";
import type { NodeComponents } from "../node/node.js";
import type { RpcContext } from "./context.js";
import { RpcError, RpcErrorCode } from "./errors.js";
import { METHODS } from "./handler.js";

const READ_ONLY = new Set(["block_results", "event_proof", "commit", "validators", "tx", "block"]);

export function inProcessRpc(node: NodeComponents): RpcCaller {
  const ctx: RpcContext = {
    node,
    // Only read-only methods are reachable here; none of them waits for txs.
    get txWaiter(): never {
      throw new Error("in-process RPC has no tx waiter");
    },
  };
  return {
    async call(method, params = {}) {
      const run = READ_ONLY.has(method) ? METHODS[method] : undefined;
      if (!run) throw new RpcError(RpcErrorCode.MethodNotFound, "Method not found", method);
      return run(ctx, params);
    },
  };
}
