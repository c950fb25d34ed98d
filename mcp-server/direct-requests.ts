/**
 * The hot path of Streamable HTTP: a single JSON-RPC request inside an open session, answered with
 * JSON. The SDK's Node transport turns every POST into a Web `Request` and its answer into a Web
 * `Response` (through @hono/node-server and undici's streams) and re-serializes the whole result for
 * each call — most of the server's CPU per read. This hands such a request straight to the session's
 * MCP server (the same `onmessage` the SDK transport feeds) and writes the response itself, with a
 * tool result's JSON made once (result-json.ts). Everything else — initialize, notifications,
 * batches, GET streams, DELETE, SSE responses, any header the SDK would refuse — still goes through
 * the SDK's transport, which produces the spec's answers and errors.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type JSONRPCMessage,
  type JSONRPCRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { resultJson } from "./result-json.js";

type RequestId = string | number;

export class DirectRequests {
  private readonly pending = new Map<RequestId, ServerResponse>();

  constructor(private readonly transport: StreamableHTTPServerTransport) {
    const sdkSend = transport.send.bind(transport);
    // The session's MCP server answers through `transport.send`: answers to requests taken here
    // are written here; everything else goes on through the SDK transport.
    transport.send = (message: JSONRPCMessage, options?: TransportSendOptions) => {
      if ("id" in message && !("method" in message)) {
        const res = this.pending.get(message.id as RequestId);
        if (res) {
          this.pending.delete(message.id as RequestId);
          this.answer(res, message);
          return Promise.resolve();
        }
      }
      // A notification about a request taken here (progress, logging) has no response stream to
      // ride in JSON mode: it goes to the session's GET stream, if one is open.
      const related = options?.relatedRequestId;
      if (related !== undefined && this.pending.has(related)) return sdkSend(message);
      return sdkSend(message, options);
    };
  }

  /** Takes the request when it is a plain in-session call; false leaves it to the SDK transport. */
  take(req: IncomingMessage, res: ServerResponse, body: unknown): boolean {
    const request = plainRequest(body);
    if (!request || this.pending.has(request.id) || !acceptable(req)) return false;
    const onmessage = this.transport.onmessage;
    if (!onmessage) return false;
    this.pending.set(request.id, res);
    res.once("close", () => this.pending.delete(request.id));
    onmessage(request, { requestInfo: { headers: req.headers } });
    return true;
  }

  private answer(res: ServerResponse, message: JSONRPCMessage): void {
    if (res.writableEnded || res.destroyed) return;
    const m = message as { id: RequestId; result?: unknown };
    const json = m.result !== undefined ? resultJson(m.result) : undefined;
    const body =
      json === undefined
        ? JSON.stringify(message)
        : `{"result":${json},"jsonrpc":"2.0","id":${JSON.stringify(m.id)}}`;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.transport.sessionId) headers["mcp-session-id"] = this.transport.sessionId;
    res.writeHead(200, headers);
    res.end(body);
  }
}

/** A single request (not initialize) with a string or number id and object params, or undefined. */
function plainRequest(body: unknown): JSONRPCRequest | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const m = body as Record<string, unknown>;
  if (m.jsonrpc !== "2.0" || typeof m.method !== "string" || m.method === "initialize") return undefined;
  if (typeof m.id !== "string" && !(typeof m.id === "number" && Number.isInteger(m.id))) return undefined;
  if (
    m.params !== undefined &&
    (typeof m.params !== "object" || m.params === null || Array.isArray(m.params))
  )
    return undefined;
  return m as JSONRPCRequest;
}

/** The headers the SDK transport would accept without complaint (else it answers with the error). */
function acceptable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  if (!accept.includes("application/json") || !accept.includes("text/event-stream")) return false;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") return false;
  const version = req.headers["mcp-protocol-version"];
  return (
    version === undefined || (typeof version === "string" && SUPPORTED_PROTOCOL_VERSIONS.includes(version))
  );
}
