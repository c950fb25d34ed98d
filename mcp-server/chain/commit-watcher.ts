/**
 * One WebSocket subscription per MCP server to the node's committed blocks and tx results
 * (`tm.event='NewBlock'`, `tm.event='Tx'`): it knows the latest height (for per-height caches and
 * feed notifications) and resolves "wait for commit" without polling. It reconnects with backoff
 * after the node restarts; while it is down, waiters fall back to asking the node for the tx.
 */
import { EventEmitter } from "node:events";
import WebSocket from "ws";

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

const MAX_FRAME = 16 * 1024 * 1024;

export class CommitWatcher extends EventEmitter<{ block: [height: number]; tx: [CommittedTxResult] }> {
  private socket: WebSocket | undefined;
  private height: number | undefined;
  private stopped = true;
  private backoffMs = 200;
  private readonly waiters = new Map<string, Waiter[]>();

  constructor(private readonly rpcUrl: string) {
    super();
  }

  get latestHeight(): number | undefined {
    return this.socket?.readyState === WebSocket.OPEN ? this.height : undefined;
  }

  start(): Promise<void> {
    this.stopped = false;
    return new Promise((resolve) => {
      this.connect(resolve);
    });
  }

  stop(): void {
    this.stopped = true;
    this.socket?.terminate();
    this.socket = undefined;
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

  private connect(onFirstOpen?: () => void): void {
    const url = `${this.rpcUrl.replace(/^http/, "ws").replace(/\/$/, "")}/websocket`;
    const socket = new WebSocket(url, { maxPayload: MAX_FRAME });
    this.socket = socket;
    socket.on("open", () => {
      this.backoffMs = 200;
      for (const [id, query] of [
        [1, "tm.event='NewBlock'"],
        [2, "tm.event='Tx'"],
      ] as const) {
        socket.send(JSON.stringify({ jsonrpc: "2.0", id, method: "subscribe", params: { query } }));
      }
      onFirstOpen?.();
      onFirstOpen = undefined;
    });
    socket.on("message", (raw) => this.onMessage(raw.toString()));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.socket === socket) this.socket = undefined;
      onFirstOpen?.();
      onFirstOpen = undefined;
      if (this.stopped) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
      setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay).unref();
    });
  }

  private onMessage(text: string): void {
    let msg: {
      result?: {
        data?: { type?: string; value?: Record<string, unknown> };
        events?: Record<string, string[]>;
      };
    };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const data = msg.result?.data;
    if (data?.type === "tendermint/event/NewBlock") {
      const header = (data.value?.block as { header?: { height?: string } } | undefined)?.header;
      const height = Number(header?.height);
      if (Number.isSafeInteger(height)) {
        this.height = height;
        this.emit("block", height);
      }
    } else if (data?.type === "tendermint/event/Tx") {
      const txResult = data.value?.TxResult as
        | { height: string; result: Omit<CommittedTxResult, "hash" | "height"> }
        | undefined;
      const hash = msg.result?.events?.["tx.hash"]?.[0];
      if (!txResult || !hash) return;
      const r = txResult.result;
      const result: CommittedTxResult = {
        hash,
        height: Number(txResult.height),
        code: r.code ?? 0,
        codespace: r.codespace ?? "",
        log: r.log ?? "",
        data: r.data ?? "",
        events: r.events ?? [],
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
}
