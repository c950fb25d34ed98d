/**
 * `/websocket`: JSON-RPC over WebSocket with CometBFT's subscribe / unsubscribe / unsubscribe_all.
 * Events go out in commit order; a client that cannot keep up is told and disconnected instead of
 * buffering without bound, so a slow reader never slows the node.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { CommittedBlock } from "../consensus/engine.js";
import { parseTxQuery, type QueryCondition, QueryParseError } from "../query/tx-query.js";
import type { Logger } from "../util/logger.js";
import type { RpcContext } from "./context.js";
import { RpcError, RpcErrorCode } from "./errors.js";
import { eventMatches, eventsOfBlock, wantsTxEvents } from "./event-stream.js";
import { dispatch, errorResponse, type JsonRpcId, parseRequest } from "./handler.js";

const MAX_FRAME_BYTES = 64 * 1024;
/** Bytes queued for one client before it is considered too slow. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

interface Client {
  readonly socket: WebSocket;
  readonly subscriptions: Map<string, { id: JsonRpcId; conditions: QueryCondition[] }>;
}

export class WebSocketEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly clients = new Set<Client>();
  private readonly onCommitted = (c: CommittedBlock): void => this.publish(c);

  constructor(
    private readonly ctx: RpcContext,
    private readonly limits: { maxClients: number; maxSubscriptionsPerClient: number },
    private readonly logger: Logger,
  ) {
    ctx.node.consensus.on("committed", this.onCommitted);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.clients.size >= this.limits.maxClients) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(socket: WebSocket): void {
    const client: Client = { socket, subscriptions: new Map() };
    this.clients.add(client);
    socket.on("message", (data, isBinary) => {
      if (isBinary)
        return this.send(
          client,
          errorResponse(
            null,
            new RpcError(RpcErrorCode.ParseError, "Parse error", "binary frames are not supported"),
            this.logger,
          ),
        );
      void this.onMessage(client, data.toString());
    });
    socket.on("close", () => this.clients.delete(client));
    socket.on("error", () => this.clients.delete(client));
  }

  private async onMessage(client: Client, text: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return this.send(
        client,
        errorResponse(
          null,
          new RpcError(RpcErrorCode.ParseError, "Parse error", "invalid JSON"),
          this.logger,
        ),
      );
    }
    let req: ReturnType<typeof parseRequest>;
    try {
      req = parseRequest(body);
    } catch (err) {
      return this.send(client, errorResponse(null, err, this.logger));
    }
    try {
      if (req.method === "subscribe")
        return this.send(client, {
          jsonrpc: "2.0",
          id: req.id,
          result: this.subscribe(client, req.id, req.params),
        });
      if (req.method === "unsubscribe")
        return this.send(client, {
          jsonrpc: "2.0",
          id: req.id,
          result: this.unsubscribe(client, req.params),
        });
      if (req.method === "unsubscribe_all") {
        client.subscriptions.clear();
        return this.send(client, { jsonrpc: "2.0", id: req.id, result: {} });
      }
    } catch (err) {
      return this.send(client, errorResponse(req.id, err, this.logger));
    }
    this.send(client, await dispatch(this.ctx, req, this.logger));
  }

  private subscribe(client: Client, id: JsonRpcId, params: Record<string, unknown>): Record<string, never> {
    const query = params.query;
    if (typeof query !== "string")
      throw new RpcError(RpcErrorCode.InvalidParams, "Invalid params", "query must be a string");
    if (client.subscriptions.has(query))
      throw new RpcError(RpcErrorCode.InvalidParams, "Invalid params", "already subscribed");
    if (client.subscriptions.size >= this.limits.maxSubscriptionsPerClient) {
      throw new RpcError(
        RpcErrorCode.InvalidParams,
        "Invalid params",
        `at most ${this.limits.maxSubscriptionsPerClient} subscriptions per client`,
      );
    }
    try {
      client.subscriptions.set(query, { id, conditions: parseTxQuery(query) });
    } catch (err) {
      if (err instanceof QueryParseError)
        throw new RpcError(RpcErrorCode.InvalidParams, "Invalid params", err.message);
      throw err;
    }
    return {};
  }

  private unsubscribe(client: Client, params: Record<string, unknown>): Record<string, never> {
    const query = params.query;
    if (typeof query !== "string" || !client.subscriptions.delete(query)) {
      throw new RpcError(RpcErrorCode.InvalidParams, "Invalid params", "subscription not found");
    }
    return {};
  }

  private publish(committed: CommittedBlock): void {
    if (this.clients.size === 0) return;
    const withTxs = [...this.clients].some((c) =>
      [...c.subscriptions.values()].some((s) => wantsTxEvents(s.conditions)),
    );
    const events = eventsOfBlock(committed, withTxs);
    for (const client of this.clients) {
      for (const [query, sub] of client.subscriptions) {
        for (const event of events) {
          if (!eventMatches(sub.conditions, event.events)) continue;
          this.send(client, {
            jsonrpc: "2.0",
            id: sub.id,
            result: { query, data: event.data(), events: event.events },
          });
        }
      }
    }
  }

  private send(client: Client, message: unknown): void {
    const { socket } = client;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn({ buffered: socket.bufferedAmount }, "websocket client too slow; disconnecting");
      this.clients.delete(client);
      socket.close(1013, "client too slow to receive events; reconnect and resubscribe");
      return;
    }
    socket.send(JSON.stringify(message));
  }

  close(): void {
    this.ctx.node.consensus.off("committed", this.onCommitted);
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
    this.wss.close();
  }
}
