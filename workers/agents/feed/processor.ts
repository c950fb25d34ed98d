/** The feed agent as the supervisor's processor (registered in workers/agents/registry.ts). */
import type { AgentProcessor } from "../registry.js";
import { processFeedJob } from "./process.js";

export const feedProcessor: AgentProcessor = (job, ctx) =>
  processFeedJob(job.data, { redis: ctx.redis, log: ctx.logger, nodeRpcUrl: ctx.nodeRpcUrl });
