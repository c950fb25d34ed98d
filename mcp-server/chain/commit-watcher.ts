/**
 * One WebSocket subscription per MCP server to the node's committed blocks and tx results
 * (`tm.event='NewBlockHeader'`, `tm.event='Tx'`): it knows the latest height (for per-height caches
 * and feed notifications) and resolves "wait for commit" without polling. It reconnects with backoff
 * after the node restarts; while it is down, waiters fall back to asking the node for the tx.
 */
import { EventEmitter } from "node:events";
import {
  NEW_BLOCK_HEADER_QUERY,
  type NodeEventResult,
  NodeEventSocket,
  newBlockHeight,
} from "../../client/node-events.js";

export interface CommittedTxResult {
  readonly hash: string;
  readonly height: number;
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** Base64 TxMsgData. */
  readonly data: string;
  readonly events: ReadonlyArray<{ type: string; attributes: ReadonlyArray<{ key: string; value: string }> }>;
}

interface Waiter {
  resolve(r: CommittedTxResult | undefined): void;
  timer: NodeJS.Timeout;
}

export class CommitWatcher extends EventEmitter<{ block: [height: number]; tx: [CommittedTxResult] }> {
  private readonly socket: NodeEventSocket;
  private height: number | undefined;
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(rpcUrl: string) {
    super();
    this.socket = new NodeEventSocket(rpcUrl, [NEW_BLOCK_HEADER_QUERY, "tm.event='Tx'"], (r) =>
      this.onResult(r),
    );
  }

  get latestHeight(): number | undefined {
    return this.socket.isOpen ? this.height : undefined;
  }

  start(): Promise<void> {
    return this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    for (const [hash, list] of this.waiters) {
      this.waiters.delete(hash);
      for (const w of list) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
    }
  }

  /**
   * Resolves with the tx's result once committed, or undefined after `timeoutMs`. Register before
   * broadcasting, so a block that commits in between is not missed.
   */
  waitFor(hashHex: string, timeoutMs: number): Promise<CommittedTxResult | undefined> {
    const hash = hashHex.toUpperCase();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const rest = (this.waiters.get(hash) ?? []).filter((w) => w !== waiter);
          if (rest.length) this.waiters.set(hash, rest);
          else this.waiters.delete(hash);
          resolve(undefined);
        }, timeoutMs),
      };
      this.waiters.set(hash, [...(this.waiters.get(hash) ?? []), waiter]);
    });
  }

  private onResult(r: NodeEventResult): void {
    const height = newBlockHeight(r);
    if (height !== undefined) {
      this.height = height;
      this.emit("block", height);
      return;
    }
    if (r.data?.type !== "tendermint/event/Tx") return;
    const txResult = r.data.value?.TxResult as
      | { height: string; result: Partial<Omit<CommittedTxResult, "hash" | "height">> }
      | undefined;
    const hash = r.events?.["tx.hash"]?.[0];
    if (!txResult || !hash) return;
    const t = txResult.result;
    const result: CommittedTxResult = {
      hash,
      height: Number(txResult.height),
      code: t.code ?? 0,
      codespace: t.codespace ?? "",
      log: t.log ?? "",
      data: t.data ?? "",
      events: t.events ?? [],
    };
    this.emit("tx", result);
    const list = this.waiters.get(hash);
    if (!list) return;
    this.waiters.delete(hash);
    for (const w of list) {
      clearTimeout(w.timer);
      w.resolve(result);
    }
  }
}
