/**
 * The feed agent as the supervisor runs it (registered in workers/agents/registry.ts): before it
 * takes its first job, a feed that was never built from the chain is rebuilt (so the posts made
 * before the workers ran — genesis ones included — are in it); then one job per block.
 */
import type { AgentDefinition, AgentProcessor } from "../registry.js";
import { processFeedJob } from "./process.js";
import { rebuildFeed } from "./rebuild.js";
import { keys } from "./store.js";

export const feedProcessor: AgentProcessor = (job, ctx) =>
  processFeedJob(job.data, { redis: ctx.redis, log: ctx.logger, nodeRpcUrl: ctx.nodeRpcUrl });

export const feedAgent: AgentDefinition = {
  processor: feedProcessor,
  async prepare(ctx) {
    if (!ctx.nodeRpcUrl || (await ctx.redis.hexists(keys.meta(), "rebuiltAt"))) return;
    const r = await rebuildFeed(ctx.redis, ctx.nodeRpcUrl, ctx.logger);
    ctx.logger.info({ height: r.height, posts: r.posts }, "feed built from the chain");
  },
};
