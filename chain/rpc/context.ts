import type { NodeComponents } from "../node/node.js";
import type { TxWaiter } from "./tx-waiter.js";

/** What every RPC method can use. */
export interface RpcContext {
  readonly node: NodeComponents;
  readonly txWaiter: TxWaiter;
}

export type RpcMethod = (ctx: RpcContext, params: Record<string, unknown>) => Promise<unknown> | unknown;
