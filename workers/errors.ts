/** The workers' failures as a code and a human message, never a bare stack trace across a boundary. */
export type WorkersErrorCode =
  | "REDIS_NOT_INSTALLED"
  | "REDIS_START_FAILED"
  | "REDIS_PORT_IN_USE"
  | "REDIS_UNAVAILABLE"
  | "NODE_UNAVAILABLE"
  | "BLOCK_UNAVAILABLE"
  | "BAD_BLOCK"
  | "CHAIN_MISMATCH"
  | "ENQUEUE_FAILED"
  | "BAD_PAUSE_STATE"
  | "UNKNOWN_AGENT"
  | "BAD_CONTROL"
  | "AGENT_ENTRY_MISSING"
  | "SUPERVISOR_NOT_RUNNING"
  | "AUDIT_CORRUPT"
  | "AUDIT_RECORD_TOO_LARGE"
  | "MCP_UNAVAILABLE"
  | "TOOL_FAILED"
  | "NO_IDENTITY"
  | "APPROVAL_NOT_FOUND"
  | "APPROVAL_DECIDED"
  | "APPROVALS_FULL"
  | "BAD_AUTONOMY"
  | "BAD_JOB";

export class WorkersError extends Error {
  override readonly name = "WorkersError";

  constructor(
    readonly code: WorkersErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
