/**
 * Streamable HTTP at `http://127.0.0.1:8808/mcp`, with sessions.
 *
 * Every request carries `Authorization: Bearer vmcp_…`; an unknown, malformed or revoked key gets
 * 401 before anything else runs. A session belongs to the key that opened it: another key cannot
 * use its id. Bodies are capped, sessions are capped in number and closed after an idle period,
 * and the Host header must name the loopback address the server listens on (DNS rebinding).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpKeyInfo } from "./auth/key-store.js";
import { type McpServices, McpSession } from "./context.js";
import { DirectRequests } from "./direct-requests.js";
import { buildMcpServer } from "./server.js";

export interface McpHttpOptions {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly maxBodyBytes?: number;
  readonly maxSessions?: number;
  readonly idleTimeoutMs?: number;
  /**
   * Answer POSTs with plain JSON (default) instead of an SSE stream; the spec allows either, and
   * JSON costs both sides about a quarter less per call. Server-initiated messages — elicitation,
   * resource updates — travel on the session's GET stream either way.
   */
  readonly jsonResponse?: boolean;
}

interface LiveSession {
  readonly transport: StreamableHTTPServerTransport;
  readonly direct: DirectRequests;
  readonly session: McpSession;
  lastSeen: number;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export class McpHttpServer {
  private server: Server | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly sessions = new Map<string, LiveSession>();
  private readonly o: Required<McpHttpOptions>;

  constructor(
    private readonly services: McpServices,
    opts: McpHttpOptions = {},
  ) {
    this.o = {
      host: opts.host ?? "127.0.0.1",
      port: opts.port ?? 8808,
      path: opts.path ?? "/mcp",
      maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
      maxSessions: opts.maxSessions ?? 1_000,
      idleTimeoutMs: opts.idleTimeoutMs ?? 30 * 60_000,
      jsonResponse: opts.jsonResponse ?? true,
    };
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.o.port;
  }

  get url(): string {
    return `http://${this.o.host}:${this.port}${this.o.path}`;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => {
        this.services.log.error({ err: e.name, msg: e.message }, "mcp http request failed");
        if (!res.headersSent) reply(res, 500, rpcError(-32603, "internal error"));
        else res.end();
      });
    });
    server.headersTimeout = 30_000;
    server.requestTimeout = 0; // SSE streams stay open
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.o.port, this.o.host, () => resolve());
    });
    this.server = server;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.o.idleTimeoutMs, 60_000));
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
    this.sessions.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== this.o.path)
      return reply(res, 404, { error: `not found; MCP is at ${this.o.path}` });
    if (!this.hostAllowed(req.headers.host))
      return reply(res, 403, rpcError(-32000, "Host header not allowed"));
    const key = this.authenticate(req);
    if (!key) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="vivim-mcp"');
      return reply(
        res,
        401,
        rpcError(
          -32001,
          "Unauthorized: send Authorization: Bearer <VIVIM MCP key>; the key may be unknown or revoked",
        ),
      );
    }
    const sid = req.headers["mcp-session-id"];
    const live = typeof sid === "string" ? this.sessions.get(sid) : undefined;
    if (live && live.session.key.id !== key.id) return reply(res, 404, rpcError(-32000, "Session not found"));

    if (req.method === "POST") {
      const body = await readJson(req, this.o.maxBodyBytes);
      if (body === TOO_LARGE) {
        // Answer, then drop the connection: the rest of the body is never read.
        res.setHeader("connection", "close");
        reply(res, 413, rpcError(-32600, `request body over ${this.o.maxBodyBytes} bytes`));
        res.once("finish", () => req.destroy());
        return;
      }
      if (body === BAD_JSON) return reply(res, 400, rpcError(-32700, "Parse error: body is not JSON"));
      if (live) {
        live.lastSeen = Date.now();
        if (this.o.jsonResponse && live.direct.take(req, res, body)) return;
        return live.transport.handleRequest(req, res, body);
      }
      if (typeof sid === "string") return reply(res, 404, rpcError(-32000, "Session not found"));
      if (!isInitializeRequest(body)) {
        return reply(res, 400, rpcError(-32000, "Bad Request: no session; start with an initialize request"));
      }
      if (this.sessions.size >= this.o.maxSessions) this.evictOldest();
      return this.open(key, req, res, body);
    }
    if (req.method === "GET" || req.method === "DELETE") {
      if (!live)
        return reply(res, typeof sid === "string" ? 404 : 400, rpcError(-32000, "Session not found"));
      live.lastSeen = Date.now();
      return live.transport.handleRequest(req, res);
    }
    res.setHeader("Allow", "GET, POST, DELETE");
    return reply(res, 405, rpcError(-32000, "Method not allowed"));
  }

  private async open(
    key: McpKeyInfo,
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
  ): Promise<void> {
    const session = new McpSession(this.services, key);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: this.o.jsonResponse,
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, direct, session, lastSeen: Date.now() });
        this.services.presence.open(key);
      },
    });
    const direct = new DirectRequests(transport);
    transport.onclose = () => {
      if (!transport.sessionId) return;
      this.sessions.delete(transport.sessionId);
      this.services.presence.close(key);
    };
    const server = buildMcpServer(session);
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  private authenticate(req: IncomingMessage): McpKeyInfo | undefined {
    const header = req.headers.authorization;
    if (typeof header !== "string" || !header.startsWith("Bearer ")) return undefined;
    return this.services.keys.verify(header.slice(7).trim());
  }

  private hostAllowed(host: string | undefined): boolean {
    if (!LOOPBACK_HOSTS.has(this.o.host) && this.o.host !== "::1") return true;
    if (!host) return false;
    const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
    return LOOPBACK_HOSTS.has(name);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.o.idleTimeoutMs;
    for (const [id, s] of this.sessions) {
      if (s.lastSeen < cutoff) {
        this.sessions.delete(id);
        void s.transport.close().catch(() => undefined);
      }
    }
  }

  private evictOldest(): void {
    let oldest: [string, LiveSession] | undefined;
    for (const entry of this.sessions) if (!oldest || entry[1].lastSeen < oldest[1].lastSeen) oldest = entry;
    if (!oldest) return;
    this.sessions.delete(oldest[0]);
    void oldest[1].transport.close().catch(() => undefined);
  }
}

const TOO_LARGE = Symbol("too large");
const BAD_JSON = Symbol("bad json");

async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > max) return TOO_LARGE;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return BAD_JSON;
  }
}

function rpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
