/**
 * The few CometBFT JSON-RPC calls the bridge makes (`status`, `block`, `block_results`) over HTTP,
 * and a listener for the node's NewBlockHeader events over its /websocket that only wakes the bridge
 * up (the bridge reads every block by height, so a missed or late notification costs nothing but
 * time).
 */
import { EventEmitter } from "node:events";
import { NEW_BLOCK_HEADER_QUERY, NodeEventSocket, newBlockHeight } from "../../client/node-events.js";
import { WorkersError } from "../errors.js";
import type { BlockJson, BlockResultsJson } from "./block-events.js";

export interface NodeStatus {
  readonly chainId: string;
  readonly latestHeight: number;
}

/** What the bridge needs of a node; `httpNodeRpc` is the real one. */
export interface NodeRpc {
  status(): Promise<NodeStatus>;
  block(height: number): Promise<BlockJson>;
  blockResults(height: number): Promise<BlockResultsJson>;
}

export function httpNodeRpc(rpcUrl: string, timeoutMs = 10_000): NodeRpc {
  const url = rpcUrl.replace(/\/$/, "");
  async function call<T>(method: string, params: Record<string, unknown>): Promise<T> {
    let body: { result?: T; error?: { message?: string; data?: string } };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new WorkersError("NODE_UNAVAILABLE", `the node at ${url} did not answer ${method}`, {
        cause: err,
      });
    }
    if (body.error || body.result === undefined) {
      const detail = body.error ? `${body.error.message ?? ""} ${body.error.data ?? ""}`.trim() : "no result";
      throw new WorkersError("BLOCK_UNAVAILABLE", `${method} failed: ${detail}`);
    }
    return body.result;
  }
  return {
    async status() {
      const s = await call<{
        node_info?: { network?: string };
        sync_info?: { latest_block_height?: string };
      }>("status", {});
      const latestHeight = Number(s.sync_info?.latest_block_height);
      if (!s.node_info?.network || !Number.isSafeInteger(latestHeight)) {
        throw new WorkersError("NODE_UNAVAILABLE", "the node's status names no chain id or height");
      }
      return { chainId: s.node_info.network, latestHeight };
    },
    block: (height) => call<BlockJson>("block", { height: String(height) }),
    blockResults: (height) => call<BlockResultsJson>("block_results", { height: String(height) }),
  };
}

/**
 * Emits `height` for each block the node commits (its NewBlockHeader events); reconnects with
 * backoff after a drop.
 */
export class NewBlockListener extends EventEmitter<{ height: [number] }> {
  private readonly socket: NodeEventSocket;

  constructor(rpcUrl: string) {
    super();
    this.socket = new NodeEventSocket(rpcUrl, [NEW_BLOCK_HEADER_QUERY], (r) => {
      const height = newBlockHeight(r);
      if (height !== undefined) this.emit("height", height);
    });
  }

  start(): void {
    void this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }
}
