/**
 * What the supervisor, its agent processes and the CLI share: the IPC messages between supervisor
 * and agent process, the per-agent state kept in the Redis hash `vivim:workers:state`, and the
 * control commands pushed onto the Redis list `vivim:workers:control`.
 */
import type { AgentName } from "../agents/registry.js";

/** Supervisor → agent process. */
export type ToAgent = { readonly type: "pause" } | { readonly type: "resume" } | { readonly type: "stop" };

/** Agent process → supervisor. */
export type FromAgent =
  | { readonly type: "ready"; readonly paused: boolean }
  | { readonly type: "heartbeat"; readonly paused: boolean; readonly active: number }
  | { readonly type: "paused" }
  | { readonly type: "resumed" }
  | { readonly type: "processed"; readonly height: number };

/** What the supervisor passes to an agent process (JSON in `VIVIM_AGENT_OPTIONS`). */
export interface AgentProcessOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  /** Start with the Worker paused (the agent was paused before a restart). */
  readonly paused: boolean;
  readonly heartbeatMs: number;
  /** BullMQ: how long a job's lock lives unless renewed (renewed every half of it). */
  readonly lockDurationMs: number;
  /** BullMQ: how often the Worker looks for stalled jobs (locks that expired). */
  readonly stalledIntervalMs: number;
  readonly concurrency: number;
  /** The node's CometBFT RPC, for agents that read chain state. */
  readonly nodeRpcUrl?: string;
  /** Every node's RPC (the health agent watches them all). */
  readonly nodes?: readonly string[];
  /** The MCP server the agent acts through (its bearer key comes in VIVIM_AGENT_MCP_KEY). */
  readonly mcpUrl?: string;
  /** The workers' data directory: audit logs under audit/, the AI-key vault under ai-keys/. */
  readonly home?: string;
  /** Where the health agent also POSTs alerts. */
  readonly webhookUrl?: string;
  /** Anchor the audit log after this many records, or this long after the last anchor (100, 60 s). */
  readonly anchorEveryRecords?: number;
  readonly anchorEveryMs?: number;
}

/** "starting": the process runs but has not sent its first heartbeat yet (its start-up grace). */
export type AgentStatus = "starting" | "running" | "paused" | "stopped" | "restarting" | "crashed";
export type PausedBy = "operator" | "governance";
/**
 * Why the supervisor last restarted an agent: its process exited on its own (`crashed`), went
 * silent after heartbeating (`stalled`), sent no first heartbeat within the start-up grace
 * (`no-first-heartbeat`), or an operator (or the health agent) asked (`operator`).
 */
export type RestartReason = "crashed" | "stalled" | "no-first-heartbeat" | "operator";

export interface AgentState {
  readonly agent: AgentName;
  readonly status: AgentStatus;
  readonly pid: number | null;
  readonly restarts: number;
  /** Epoch ms of the last heartbeat, or null (none yet from this process). */
  readonly lastHeartbeat: number | null;
  /** The last restart's reason and epoch ms, or null when the supervisor has not restarted it. */
  readonly lastRestart: { readonly reason: RestartReason; readonly at: number } | null;
  readonly lastProcessedHeight: number;
  /** Who holds the agent paused; governance wins when both do. */
  readonly pausedBy: PausedBy | null;
  /** An operator pause, also under a governance one (it outlives a supervisor restart). */
  readonly operatorPaused: boolean;
  readonly updatedAt: number;
}

export interface SupervisorState {
  readonly pid: number;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly emergencyStop: boolean;
  readonly governance: { readonly allPaused: boolean; readonly workers: string[]; readonly height: number };
}

export type ControlCommand =
  | { readonly cmd: "pause" | "resume"; readonly agent: AgentName | "all" }
  /** Kill and restart one agent's process (the health agent's remedy for a stuck worker). */
  | { readonly cmd: "restart"; readonly agent: AgentName }
  | { readonly cmd: "stop" };

export const stateKey = (prefix: string) => `${prefix}:workers:state`;
export const controlKey = (prefix: string) => `${prefix}:workers:control`;
/** The field of the state hash that holds the supervisor's own state. */
export const SUPERVISOR_FIELD = "_supervisor";
/** The field of the state hash where the supervisor publishes the AI keys' spend (no secrets). */
export const AI_SPEND_FIELD = "_ai_spend";

/** One AI-provider key's spend against its budgets, in µUSD (from the vault's public records). */
export interface AiKeySpend {
  readonly id: string;
  readonly label: string;
  readonly provider: string;
  readonly revoked: boolean;
  readonly calls: number;
  readonly dayMicroUsd: number;
  readonly dailyBudgetMicroUsd: number;
  readonly monthMicroUsd: number;
  readonly monthlyBudgetMicroUsd: number;
  readonly totalMicroUsd: number;
}

export interface AiSpendReport {
  readonly updatedAt: number;
  readonly keys: readonly AiKeySpend[];
}

/** The largest control command accepted (bytes of JSON). */
export const MAX_CONTROL_BYTES = 1024;
