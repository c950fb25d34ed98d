/**
 * One record of an agent's audit log: an AI decision (what it looked at, by hash; which provider
 * decided, at what cost; the action it chose and how the autonomy gate routed it) or the outcome of
 * an action taken later. Records are hash-chained: each names the hash of the one before it.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical.js";

/** How the autonomy gate routed a decision's action, and what became of it. */
export type AuditOutcome =
  | "no-action" // the agent decided nothing needs doing
  | "recorded" // manual autonomy: decided, not acted on
  | "queued" // waits in the approval list
  | "executing" // about to be sent (an "executed"/"failed" record follows)
  | "executed" // committed on chain (txHash)
  | "failed" // the tool or the chain refused (code)
  | "duplicate" // this very action was already taken
  | "paused" // governance or the operator paused the agent; no write
  | "rejected"; // the owner rejected the queued action

export interface AuditAi {
  readonly provider: string;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costMicroUsd: number;
}

export interface AuditAction {
  /** sha256 of agent, tool and canonical args: the same action always has the same id. */
  readonly id: string;
  readonly tool: string;
  /** sha256 of the canonical args (the args themselves may hold member text). */
  readonly argsHash: string;
  readonly summary: string;
}

/** What an agent appends; the log adds seq, time, prev and hash. */
export interface AuditEntry {
  readonly agent: string;
  /** The block the decision was about (0 for decisions not tied to a block). */
  readonly height: number;
  /** What was looked at: content:<id>, account:<address>, node:<url>, ... */
  readonly subject: string;
  /** sha256 of the inputs the decision read (member text is never stored here). */
  readonly inputsHash: string;
  readonly ai: AuditAi | null;
  readonly action: AuditAction | null;
  readonly outcome: AuditOutcome;
  readonly reason: string;
  readonly txHash?: string;
  readonly code?: string;
  readonly approvalId?: string;
}

export interface AuditRecord extends AuditEntry {
  readonly seq: number;
  /** Epoch ms when appended (audit logs live off chain: the clock is allowed here). */
  readonly time: number;
  /** The previous record's hash; 64 zeros for the first. */
  readonly prev: string;
  readonly hash: string;
}

export const GENESIS_PREV = "0".repeat(64);

export const sha256Hex = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/** The hash of a record: sha256 of its canonical JSON without the hash field. */
export function recordHash(r: Omit<AuditRecord, "hash">): string {
  return sha256Hex(canonicalJson(r));
}
