/**
 * HTTP plumbing shared by the app API routes: gRPC-gateway style errors (`{code, message, details}`
 * with the matching HTTP status), capped body reading, CORS and JSON replies. Nothing here ever puts
 * a stack trace or an internal error's text on the wire.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Json } from "../rpc/json.js";

/** gRPC status codes, as gRPC-gateway puts them in error bodies. */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
} as const;

export type ApiErrorCode =
  | "BAD_REQUEST"
  | "NOT_FOUND"
  | "PERMISSION_DENIED"
  | "CONFLICT"
  | "METHOD_NOT_ALLOWED"
  | "BODY_TOO_LARGE"
  | "NOT_IMPLEMENTED"
  | "UNAVAILABLE"
  | "INTERNAL";

const STATUS: Record<ApiErrorCode, { http: number; grpc: number }> = {
  BAD_REQUEST: { http: 400, grpc: GrpcCode.InvalidArgument },
  NOT_FOUND: { http: 404, grpc: GrpcCode.NotFound },
  PERMISSION_DENIED: { http: 403, grpc: GrpcCode.PermissionDenied },
  CONFLICT: { http: 409, grpc: GrpcCode.Aborted },
  METHOD_NOT_ALLOWED: { http: 405, grpc: GrpcCode.Unimplemented },
  BODY_TOO_LARGE: { http: 413, grpc: GrpcCode.ResourceExhausted },
  NOT_IMPLEMENTED: { http: 501, grpc: GrpcCode.Unimplemented },
  UNAVAILABLE: { http: 503, grpc: GrpcCode.Unavailable },
  INTERNAL: { http: 500, grpc: GrpcCode.Internal },
};

/** An error a route answers with. Its message is shown to the caller, so it must be safe to show. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly httpStatus: number;
  readonly grpcCode: number;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.httpStatus = STATUS[code].http;
    this.grpcCode = STATUS[code].grpc;
  }
}

export const badRequest = (message: string): ApiError => new ApiError("BAD_REQUEST", message);
export const notFound = (message: string): ApiError => new ApiError("NOT_FOUND", message);

export function errorBody(err: ApiError): Json {
  return { code: err.grpcCode, message: err.message, details: [] };
}

/** What a route returns: a JSON value, or raw text with its content type (/metrics). */
export type RouteResult = { json: Json } | { text: string; contentType: string };

export function sendJson(
  res: ServerResponse,
  status: number,
  body: Json,
  extra: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(payload),
    ...extra,
  });
  res.end(payload);
}

export function sendResult(res: ServerResponse, result: RouteResult): void {
  if ("json" in result) {
    sendJson(res, 200, result.json);
    return;
  }
  res.writeHead(200, {
    "Content-Type": result.contentType,
    "Content-Length": Buffer.byteLength(result.text),
  });
  res.end(result.text);
}

export function sendError(res: ServerResponse, err: ApiError, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.httpStatus, errorBody(err), extra);
}

/** Bytes of an over-long body we still read (and drop) so the client sees the 413 before the close. */
const DRAIN_LIMIT = 16 << 20;

/**
 * Reads the request body, refusing more than `maxBytes` (413). An over-long body is drained up to a
 * limit and dropped, so the client can read the error; beyond that the connection is cut.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  const tooLarge = () => new ApiError("BODY_TOO_LARGE", `request body is larger than ${maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    drain(req);
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off("data", onData);
        req.off("end", onEnd);
        chunks.length = 0;
        drain(req);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", () => reject(badRequest("request body could not be read")));
  });
}

function drain(req: IncomingMessage): void {
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.destroy();
  });
  req.resume();
}

/** Parses a JSON request body; anything but a JSON object is a 400. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("request body is not valid JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw badRequest("request body must be a JSON object");
  return v as Record<string, unknown>;
}

/**
 * CORS headers for a request, from `rpc.cors_allowed_origins` (`["*"]` allows any origin). A request
 * without an Origin header (curl, servers) needs none.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin || allowed.length === 0) return {};
  const any = allowed.includes("*");
  if (!any && !allowed.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": any ? "*" : origin,
    ...(any ? {} : { Vary: "Origin" }),
  };
}

export function preflightHeaders(
  origin: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowed);
  if (!base["Access-Control-Allow-Origin"]) return base;
  return {
    ...base,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Origin, X-Requested-With",
    "Access-Control-Max-Age": "600",
  };
}

/** A path segment, percent-decoded; malformed escapes are the caller's error. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest("malformed percent-encoding in the URL path");
  }
}
