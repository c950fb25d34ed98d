/**
 * The default processor of every agent: acknowledges a block job by recording, in Redis, that the
 * agent processed its height. `vivim:workers:processed` holds each agent's highest processed
 * height; `vivim:workers:acks:<agent>` counts acknowledgements per height (a count above 1 would
 * mean a block was processed twice). `VIVIM_AGENT_ACK_DELAY_MS` (tests) makes each job take longer.
 */
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { BlockJobData } from "../bridge/interests.js";
import type { AgentContext } from "./registry.js";

export const processedKey = (prefix: string) => `${prefix}:workers:processed`;
export const acksKey = (prefix: string, agent: string) => `${prefix}:workers:acks:${agent}`;

/** Sets hash field `agent` to `height` unless it already holds a higher one. */
const RAISE = `local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > cur then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

export async function recordProcessed(
  redis: Redis,
  prefix: string,
  agent: string,
  height: number,
): Promise<void> {
  await redis.eval(RAISE, 1, processedKey(prefix), agent, String(height));
}

const MAX_DELAY_MS = 60_000;

function ackDelayMs(): number {
  const n = Number(process.env.VIVIM_AGENT_ACK_DELAY_MS ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_DELAY_MS) : 0;
}

export async function ackProcessor(job: Job<BlockJobData>, ctx: AgentContext): Promise<{ height: number }> {
  const height = Number(job.data?.height);
  if (!Number.isSafeInteger(height) || height < 1) throw new Error("block job without a valid height");
  const delay = ackDelayMs();
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  await ctx.redis.hincrby(acksKey(ctx.prefix, ctx.agent), String(height), 1);
  await recordProcessed(ctx.redis, ctx.prefix, ctx.agent, height);
  ctx.logger.debug({ agent: ctx.agent, height }, "block acknowledged");
  return { height };
}
