/**
 * Errors an MCP caller can see. Each has a stable `code` and a plain-words message; none carries a
 * stack, a bearer key or key material. Tool failures reach the client as `isError` results whose
 * structured content is `{ error: { code, message, ... } }`; HTTP-level failures (401, 404 session,
 * 413) as JSON-RPC error objects.
 */
export type McpErrorCode =
  | "UNAUTHORIZED"
  | "FORBIDDEN_SCOPE"
  | "NOT_PERMITTED"
  | "NEEDS_APPROVAL"
  | "RATE_LIMITED"
  | "INVALID_ARGUMENT"
  | "NOT_FOUND"
  | "CHAIN_REFUSED"
  | "CHAIN_UNAVAILABLE"
  | "TIMEOUT"
  | "PAYLOAD_TOO_LARGE"
  // Direct messages: the node's own refusals pass through under their codes.
  | "AGENT_NOT_GRANTED"
  | "NOT_ACCEPTED"
  | "REQUEST_PENDING"
  | "REQUEST_DECLINED"
  | "BLOCKED"
  | "STALE_CONTROL"
  | "DM_REFUSED"
  | "DM_UNAVAILABLE"
  | "DM_KEY_UNAVAILABLE"
  | "PREKEY_UNAVAILABLE";

export class McpToolError extends Error {
  readonly code: McpErrorCode;
  readonly details: Record<string, string | number | boolean>;

  constructor(code: McpErrorCode, message: string, details: Record<string, string | number | boolean> = {}) {
    super(message);
    this.name = "McpToolError";
    this.code = code;
    this.details = details;
  }
}

export const invalidArgument = (message: string) => new McpToolError("INVALID_ARGUMENT", message);
export const notFound = (what: string) => new McpToolError("NOT_FOUND", `${what} does not exist`);
