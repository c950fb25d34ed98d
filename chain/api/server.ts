/**
 * The app API (`[api] address`, default tcp://127.0.0.1:1317): the Cosmos REST endpoints wallets and
 * explorers use, in gRPC-gateway JSON, plus Prometheus `/metrics`. Every route reads state through
 * `app.query` with the same protobuf requests cosmjs sends over abci_query, so REST and RPC agree.
 * `ws://<address>/v1/stream` upgrades to the live event stream (stream/hub.ts).
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseListenAddress } from "../config/config.js";
import type { NodeComponents } from "../node/node.js";
import { MsgRegistry } from "../tx/msg-registry.js";
import type { Logger } from "../util/logger.js";
import {
  ApiError,
  corsHeaders,
  parseJsonObject,
  preflightHeaders,
  readBody,
  sendError,
  sendResult,
} from "./http.js";
import { type ApiContext, matchRoute, type Route } from "./router.js";
import { authRoutes } from "./routes/auth.js";
import { bankRoutes } from "./routes/bank.js";
import { cardsRoutes } from "./routes/cards.js";
import { dmRoutes } from "./routes/dm.js";
import { escrowRoutes } from "./routes/escrow.js";
import { govRoutes } from "./routes/gov.js";
import { identityRoutes } from "./routes/identity.js";
import { labelsRoutes } from "./routes/labels.js";
import { metricsRoutes } from "./routes/metrics.js";
import { proofRoutes } from "./routes/proofs.js";
import { reputationRoutes } from "./routes/reputation.js";
import { socialRoutes } from "./routes/social.js";
import { socialVotesRoute } from "./routes/social-votes.js";
import { tendermintRoutes } from "./routes/tendermint.js";
import { treasuryRoutes } from "./routes/treasury.js";
import { txRoutes } from "./routes/tx.js";
import { workersRoutes } from "./routes/workers.js";
import { workersLiveRoutes } from "./routes/workers-live.js";
import { STREAM_PATH, StreamHub, type StreamHubOptions } from "./stream/hub.js";
import { WorkersBackend } from "./workers-backend.js";

export const API_ROUTES: readonly Route[] = [
  ...authRoutes,
  ...bankRoutes,
  ...identityRoutes,
  ...socialRoutes,
  socialVotesRoute,
  ...labelsRoutes,
  ...reputationRoutes,
  ...escrowRoutes,
  ...treasuryRoutes,
  ...workersRoutes,
  ...workersLiveRoutes,
  ...dmRoutes,
  ...govRoutes,
  ...cardsRoutes,
  ...proofRoutes,
  ...txRoutes,
  ...tendermintRoutes,
  ...metricsRoutes,
];

export class ApiServerError extends Error {
  readonly code = "API_LISTEN";
  constructor(message: string) {
    super(message);
    this.name = "ApiServerError";
  }
}

export class ApiServer {
  private server: Server | undefined;
  private readonly ctx: ApiContext;
  private readonly log: Logger;
  private readonly stream: StreamHub;

  constructor(
    private readonly node: NodeComponents,
    opts: { readonly stream?: Partial<StreamHubOptions> } = {},
  ) {
    this.log = node.logger.child({ component: "api" });
    this.stream = new StreamHub(node, this.log, opts.stream);
    const registry = MsgRegistry.fromModules(node.app.modules);
    const workersRedis = node.config.api.workers_redis;
    this.ctx = {
      node,
      log: this.log,
      resolvers: { body: registry.resolveBodyAny, authInfo: registry.resolveAuthInfoAny },
      ...(workersRedis ? { workers: new WorkersBackend(workersRedis, this.log) } : {}),
    };
  }

  /** The bound port (the real one when the config asks for port 0), or 0 when not listening. */
  get port(): number {
    const addr = this.server?.address();
    return addr && typeof addr === "object" ? (addr as AddressInfo).port : 0;
  }

  /** Listens on `api.address`; does nothing when `api.enable` is false. */
  async start(): Promise<void> {
    if (this.server) return;
    const { api } = this.node.config;
    if (!api.enable) {
      this.log.info({}, "app API disabled");
      return;
    }
    const listen = parseListenAddress(api.address);
    if (!listen) throw new ApiServerError(`invalid api.address ${JSON.stringify(api.address)}`);
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log.error({ err }, "api request failed");
        sendError(res, new ApiError("INTERNAL", "internal error"));
      });
    });
    server.on("upgrade", (req, socket, head) => {
      let path = "";
      try {
        path = new URL(req.url ?? "/", "http://localhost").pathname;
      } catch {
        // An unparseable target is simply not the stream.
      }
      if (path === STREAM_PATH) this.stream.handleUpgrade(req, socket, head);
      else socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(new ApiServerError(`cannot listen on ${api.address}: ${err.code ?? err.message}`));
      };
      server.once("error", onError);
      server.listen(listen.port, listen.host, () => {
        server.off("error", onError);
        resolve();
      });
    });
    server.on("error", (err) => this.log.error({ err }, "api server error"));
    this.server = server;
    this.stream.start();
    this.log.info({ address: `tcp://${listen.host}:${this.port}` }, "app API listening");
  }

  async stop(): Promise<void> {
    this.ctx.workers?.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await this.stream.stop();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const { rpc } = this.node.config;
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      res.writeHead(204, preflightHeaders(origin, rpc.cors_allowed_origins));
      res.end();
      return;
    }
    for (const [k, v] of Object.entries(corsHeaders(origin, rpc.cors_allowed_origins))) res.setHeader(k, v);

    let routeName = "unmatched";
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = matchRoute(API_ROUTES, method, url.pathname);
      if (match.kind === "none") throw new ApiError("NOT_IMPLEMENTED", "Not Implemented");
      if (match.kind === "method") {
        res.setHeader("Allow", [...new Set(match.allowed)].join(", "));
        throw new ApiError("METHOD_NOT_ALLOWED", "Method Not Allowed");
      }
      routeName = match.route.name;
      const maxBody = rpc.max_body_bytes;
      const result = await match.route.handler(this.ctx, {
        params: match.params,
        query: url.searchParams,
        body: async () => parseJsonObject(await readBody(req, maxBody)),
      });
      sendResult(res, result);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : undefined;
      if (!apiErr) this.log.error({ err, route: routeName }, "api handler failed");
      const out = apiErr ?? new ApiError("INTERNAL", "internal error");
      // A refused oversized body is not read to its end: close the connection after answering.
      sendError(res, out, out.code === "BODY_TOO_LARGE" ? { Connection: "close" } : {});
    }
    this.log.debug(
      { route: routeName, method, status: res.statusCode, ms: Math.round(performance.now() - started) },
      "api request",
    );
  }
}
