/** The supervisor's own failure codes (kept here; they could join WorkersErrorCode later). */
export type SupervisorErrorCode =
  | "BAD_PAUSE_STATE"
  | "UNKNOWN_AGENT"
  | "BAD_CONTROL"
  | "AGENT_ENTRY_MISSING"
  | "SUPERVISOR_NOT_RUNNING";

export class SupervisorError extends Error {
  override readonly name = "SupervisorError";

  constructor(
    readonly code: SupervisorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
