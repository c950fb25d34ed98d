/**
 * What an agent hands the runtime after looking at something: the decision, the AI call that made
 * it (if any), and the on-chain action it wants, as an MCP tool call on its own identity.
 */
import type { AuditAi } from "../../audit/record.js";

/**
 * How sure the agent is. Under the `assisted` autonomy level, `high` actions are taken and `low`
 * ones wait for the owner: deterministic rules that matched (a leaked private key) are high, a
 * model's judgement is low.
 */
export type Confidence = "high" | "low";

export interface AgentAction {
  /** An MCP tool of this server, e.g. "label_content" or "create_post". */
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** One line for the owner's approval list and the audit log (no member text). */
  readonly summary: string;
  readonly confidence: Confidence;
}

export interface AgentDecision {
  readonly height: number;
  /** What was looked at: content:<id>, account:<address>, node:<url>, ... */
  readonly subject: string;
  /** sha256 hex of the inputs read (`hashInputs`). */
  readonly inputsHash: string;
  /** The AI call that decided; null when rules alone decided. */
  readonly ai: AuditAi | null;
  /** Why, in a line (codes and rule names, never member text). */
  readonly reason: string;
  /** null: nothing to do. */
  readonly action: AgentAction | null;
}

export type ActStatus = "no-action" | "recorded" | "queued" | "executed" | "failed" | "duplicate" | "paused";

export interface ActOutcome {
  readonly status: ActStatus;
  readonly actionId?: string;
  readonly txHash?: string;
  readonly approvalId?: string;
  readonly code?: string;
  /** The audit record's seq. */
  readonly auditSeq: number;
}
