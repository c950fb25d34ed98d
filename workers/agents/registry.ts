/**
 * The agents the supervisor runs, and the processor each one's BullMQ Worker calls for a block job.
 * The feed agent is real (`feed/`); the others run the acknowledging processor (`ack.ts`) until
 * theirs are registered here.
 */
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { BlockJobData } from "../bridge/interests.js";
import { ackProcessor } from "./ack.js";
import { feedProcessor } from "./feed/processor.js";

/** The agents of issue 6; each consumes the BullMQ queue of the same name. */
export const AGENT_NAMES = ["feed", "moderation", "reputation", "health"] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export function isAgentName(name: string): name is AgentName {
  return (AGENT_NAMES as readonly string[]).includes(name);
}

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
}

export type AgentProcessor = (job: Job<BlockJobData>, ctx: AgentContext) => Promise<unknown>;

const processors = new Map<AgentName, AgentProcessor>(AGENT_NAMES.map((name) => [name, ackProcessor]));
processors.set("feed", feedProcessor);

/** Replaces `agent`'s processor (the real agents call this). */
export function registerProcessor(agent: AgentName, processor: AgentProcessor): void {
  processors.set(agent, processor);
}

export function processorFor(agent: AgentName): AgentProcessor {
  return processors.get(agent) ?? ackProcessor;
}
