/**
 * ioredis connections for the workers. Producers (the bridge's queues and cursor) retry a command
 * a few times and then fail, so the bridge notices an outage and retries the block itself; BullMQ
 * Workers (blocking commands) need `maxRetriesPerRequest: null`. ioredis reconnects on its own in
 * both cases. Never the ioredis `keyPrefix`: BullMQ's `prefix` option names the keys.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";

/** BullMQ's key prefix for every VIVIM queue: a queue "feed" keeps its keys under `vivim:feed:`. */
export const QUEUE_PREFIX = "vivim";

export function connectRedis(url: string, role: "producer" | "worker", logger?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 3,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
    connectionName: `vivim-${role}`,
  });
  let lastWarn = 0;
  redis.on("error", (err: Error) => {
    // ioredis reports every failed reconnect attempt; one line per 10 s is enough.
    if (Date.now() - lastWarn < 10_000) return;
    lastWarn = Date.now();
    logger?.warn({ code: "REDIS_UNAVAILABLE", err: err.message }, "redis connection error");
  });
  return redis;
}
