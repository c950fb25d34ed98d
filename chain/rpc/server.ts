/**
 * The CometBFT-compatible RPC server (default :26657): JSON-RPC 2.0 over HTTP POST (single and
 * batch), the URI form (`GET /block?height=5`), CORS, a body-size cap, and `/websocket`.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseListenAddress } from "../config/config.js";
import type { NodeComponents } from "../node/node.js";
import type { Logger } from "../util/logger.js";
import type { RpcContext } from "./context.js";
import { RpcError, RpcErrorCode } from "./errors.js";
import { dispatch, errorResponse, handleBody, METHODS } from "./handler.js";
import { TxWaiter } from "./tx-waiter.js";
import { WebSocketEndpoint } from "./websocket.js";

export class RpcServer {
  private readonly server: http.Server;
  private readonly ctx: RpcContext;
  private readonly ws: WebSocketEndpoint;
  private readonly log: Logger;

  constructor(private readonly node: NodeComponents) {
    this.log = node.logger.child({ component: "rpc" });
    this.ctx = { node, txWaiter: new TxWaiter(node.consensus) };
    this.ws = new WebSocketEndpoint(
      this.ctx,
      {
        maxClients: node.config.rpc.max_subscription_clients,
        maxSubscriptionsPerClient: node.config.rpc.max_subscriptions_per_client,
      },
      this.log,
    );
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on("upgrade", (req, socket, head) => {
      if (new URL(req.url ?? "/", "http://x").pathname === "/websocket")
        this.ws.handleUpgrade(req, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    });
    this.server.on("clientError", (_err, socket) =>
      socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
    );
    this.server.keepAliveTimeout = 30_000;
  }

  async start(): Promise<void> {
    const addr = parseListenAddress(this.node.config.rpc.laddr);
    if (!addr) throw new Error(`rpc.laddr ${this.node.config.rpc.laddr} is not a listen address`);
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(addr.port, addr.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.log.info({ address: `http://${addr.host}:${this.port}` }, "rpc listening");
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.ws.close();
    this.ctx.txWaiter.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private cors(req: IncomingMessage, res: ServerResponse): void {
    const allowed = this.node.config.rpc.cors_allowed_origins;
    const origin = req.headers.origin;
    if (allowed.includes("*")) res.setHeader("Access-Control-Allow-Origin", "*");
    else if (origin && allowed.includes(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
    }
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.setHeader(
      "Access-Control-Allow-Headers",
      "Content-Type, Accept, Authorization, X-Requested-With, Origin",
    );
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      this.cors(req, res);
      if (req.method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
      if (req.method === "POST") return await this.onPost(req, res);
      if (req.method === "GET") return await this.onGet(req, res);
      this.reply(
        res,
        405,
        errorResponse(
          null,
          new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", "use GET or POST"),
          this.log,
        ),
      );
    } catch (err) {
      this.log.error({ err }, "rpc request failed");
      if (!res.headersSent)
        this.reply(res, 500, {
          jsonrpc: "2.0",
          id: null,
          error: { code: RpcErrorCode.Internal, message: "Internal error" },
        });
    }
  }

  private async onPost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const max = this.node.config.rpc.max_body_bytes;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        this.reply(
          res,
          413,
          errorResponse(
            null,
            new RpcError(RpcErrorCode.InvalidRequest, "Invalid Request", `body larger than ${max} bytes`),
            this.log,
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      this.reply(
        res,
        200,
        errorResponse(
          null,
          new RpcError(RpcErrorCode.ParseError, "Parse error", "body is not valid JSON"),
          this.log,
        ),
      );
      return;
    }
    this.reply(res, 200, await handleBody(this.ctx, body, this.log));
  }

  /** URI form: `GET /tx_search?query="tx.height=5"&per_page=10`; quoted values are unquoted. */
  private async onGet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = url.pathname.slice(1);
    if (method === "") {
      this.reply(res, 200, { methods: Object.keys(METHODS).sort() });
      return;
    }
    const params: Record<string, unknown> = {};
    for (const [k, v] of url.searchParams)
      params[k] = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    const response = await dispatch(this.ctx, { id: -1, method, params }, this.log);
    const status = response.error?.code === RpcErrorCode.MethodNotFound ? 404 : 200;
    this.reply(res, status, response);
  }
}
