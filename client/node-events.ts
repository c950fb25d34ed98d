/**
 * A subscription to a node's CometBFT event bus over `/websocket` that survives the node: it
 * subscribes to the given queries on every (re)connect and reconnects with exponential backoff
 * (200 ms doubling to 5 s) after a drop. Frames are size-capped; anything that is not JSON is
 * ignored. Callers receive each parsed `result` and decide what it means.
 */
import WebSocket from "ws";

const MAX_FRAME = 16 * 1024 * 1024;

export interface NodeEventResult {
  readonly data?: { readonly type?: string; readonly value?: Record<string, unknown> };
  readonly events?: Record<string, string[]>;
}

export class NodeEventSocket {
  private socket: WebSocket | undefined;
  private stopped = true;
  private backoffMs = 200;

  constructor(
    private readonly rpcUrl: string,
    private readonly queries: readonly string[],
    private readonly onResult: (result: NodeEventResult) => void,
  ) {}

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Connects; resolves once the first attempt opened or failed (it keeps retrying either way). */
  start(): Promise<void> {
    this.stopped = false;
    return new Promise((resolve) => this.connect(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.socket?.terminate();
    this.socket = undefined;
  }

  private connect(settled?: () => void): void {
    const url = `${this.rpcUrl.replace(/^http/, "ws").replace(/\/$/, "")}/websocket`;
    const socket = new WebSocket(url, { maxPayload: MAX_FRAME });
    this.socket = socket;
    socket.on("open", () => {
      this.backoffMs = 200;
      this.queries.forEach((query, i) => {
        socket.send(JSON.stringify({ jsonrpc: "2.0", id: i + 1, method: "subscribe", params: { query } }));
      });
      settled?.();
      settled = undefined;
    });
    socket.on("message", (raw) => {
      let msg: { result?: NodeEventResult };
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        return;
      }
      if (msg.result?.data) this.onResult(msg.result);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (this.socket === socket) this.socket = undefined;
      settled?.();
      settled = undefined;
      if (this.stopped) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
      setTimeout(() => {
        if (!this.stopped) this.connect();
      }, delay).unref();
    });
  }
}

/**
 * The query for "a block committed": NewBlockHeader carries only the header, where NewBlock carries
 * the whole block and every tx result (megabytes for a full block).
 */
export const NEW_BLOCK_HEADER_QUERY = "tm.event='NewBlockHeader'";

interface HeaderHolder {
  header?: { height?: string };
}

/** The height of the block a NewBlockHeader or NewBlock event announces, if `result` is one. */
export function newBlockHeight(result: NodeEventResult): number | undefined {
  const value = result.data?.value;
  let header: HeaderHolder["header"];
  if (result.data?.type === "tendermint/event/NewBlockHeader")
    header = (value as HeaderHolder | undefined)?.header;
  else if (result.data?.type === "tendermint/event/NewBlock")
    header = (value?.block as HeaderHolder | undefined)?.header;
  const height = Number(header?.height);
  return header !== undefined && Number.isSafeInteger(height) ? height : undefined;
}
