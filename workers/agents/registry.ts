/**
 * The agents the supervisor runs: for each, the processor its BullMQ Worker calls for a block job
 * and, optionally, a background task (the health agent's checks run even when no block comes).
 */
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { ProviderChain } from "../ai/chain.js";
import type { BlockJobData } from "../bridge/interests.js";
import { ackProcessor } from "./ack.js";
import { feedAgent } from "./feed/processor.js";
import { healthAgent } from "./health/index.js";
import { moderationAgent } from "./moderation/index.js";
import { AGENT_NAMES, type AgentName } from "./names.js";
import { reputationAgent } from "./reputation/index.js";
import type { AgentRuntime } from "./runtime/runtime.js";

export { AGENT_NAMES, type AgentName, isAgentName } from "./names.js";

/** What a processor gets besides the job. */
export interface AgentContext {
  readonly agent: AgentName;
  /** A producer connection (commands retry a few times, then fail the job). */
  readonly redis: Redis;
  readonly logger: Logger;
  /** BullMQ key prefix ("vivim"). */
  readonly prefix: string;
  /** The node's CometBFT RPC, when the supervisor was given one. */
  readonly nodeRpcUrl?: string;
  /** Every node's CometBFT RPC (the health agent watches them all); at least nodeRpcUrl's. */
  readonly nodes: readonly string[];
  /** Decisions go here: autonomy gate, audit log, MCP actions. */
  readonly runtime: AgentRuntime;
  /** The AI providers: the vault's keys, then the offline provider. */
  readonly ai: ProviderChain;
  /** True while the agent is paused (operator or governance). */
  readonly paused: () => boolean;
  /** Where alerts may also be POSTed (health agent), when configured. */
  readonly webhookUrl?: string;
  /** The workers' data directory (audit logs, AI-key vault), when configured. */
  readonly home?: string;
}

export type AgentProcessor = (job: Job<BlockJobData>, ctx: AgentContext) => Promise<unknown>;

/** A running background task; `stop` resolves once it has finished its current round. */
export interface BackgroundTask {
  stop(): Promise<void>;
}

export interface AgentDefinition {
  readonly processor: AgentProcessor;
  /** Runs once before the agent takes its first job (the feed agent's first build). */
  readonly prepare?: (ctx: AgentContext) => Promise<void>;
  readonly background?: (ctx: AgentContext) => BackgroundTask;
}

const definitions = new Map<AgentName, AgentDefinition>(
  AGENT_NAMES.map((name) => [name, { processor: ackProcessor }]),
);
definitions.set("feed", feedAgent);
definitions.set("moderation", moderationAgent);
definitions.set("reputation", reputationAgent);
definitions.set("health", healthAgent);

/** Replaces `agent`'s definition (tests use it for instrumented agents). */
export function registerAgent(agent: AgentName, definition: AgentDefinition): void {
  definitions.set(agent, definition);
}

/**
 * `agent`'s definition. With `VIVIM_AGENT_MODE=ack` in its environment, every agent only
 * acknowledges its jobs (ack.ts) and acts on nothing: for draining queues, and for testing the
 * supervisor's process handling apart from what the agents do.
 */
export function agentDefinition(agent: AgentName): AgentDefinition {
  if (process.env.VIVIM_AGENT_MODE === "ack") return { processor: ackProcessor };
  return definitions.get(agent) ?? { processor: ackProcessor };
}
