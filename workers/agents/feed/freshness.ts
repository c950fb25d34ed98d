/**
 * Whether the feed agent's Redis feeds are current enough to serve: the feed agent has built them
 * from the chain (it does before its first job), the bridge has enqueued every block up to within
 * `maxLag` of the chain's height, and the feed queue holds at most `maxPending` jobs not yet done
 * (waiting, active, or delayed for a retry). A feed agent that never ran, or is dead or stuck,
 * fails this, and readers fall back to ranking from the chain.
 */
import type { Redis } from "ioredis";
import { readCursor } from "../../bridge/cursor.js";
import { QUEUE_PREFIX } from "../../redis/connection.js";
import { keys } from "./store.js";

export const DEFAULT_MAX_LAG = 5;
export const DEFAULT_MAX_PENDING = 5;

export async function feedIsCurrent(
  redis: Redis,
  chainHeight: number,
  o: { maxLag?: number; maxPending?: number; prefix?: string } = {},
): Promise<boolean> {
  const prefix = o.prefix ?? QUEUE_PREFIX;
  const q = `${prefix}:feed`;
  const [built, cursor, counts] = await Promise.all([
    redis.hexists(keys.meta(), "rebuiltAt"),
    readCursor(redis, prefix),
    redis.multi().llen(`${q}:wait`).llen(`${q}:active`).zcard(`${q}:delayed`).exec(),
  ]);
  if (!built) return false;
  if (!cursor || cursor.height < chainHeight - (o.maxLag ?? DEFAULT_MAX_LAG)) return false;
  const pending = (counts ?? []).reduce((n, [err, v]) => n + (err ? Number.POSITIVE_INFINITY : Number(v)), 0);
  return pending <= (o.maxPending ?? DEFAULT_MAX_PENDING);
}
