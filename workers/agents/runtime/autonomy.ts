/**
 * The operator's autonomy setting per worker agent, and how it routes an action:
 *
 * | level        | high-confidence action | low-confidence action |
 * | ------------ | ---------------------- | --------------------- |
 * | `manual`     | recorded only          | recorded only         |
 * | `advisory`   | approval list          | approval list         |
 * | `assisted`   | taken                  | approval list         |
 * | `autonomous` | taken                  | taken                 |
 *
 * Levels live in the Redis hash `vivim:workers:autonomy` (agent → level), so an operator's change
 * reaches a running agent at its next decision and outlives restarts.
 */
import type { Redis } from "ioredis";
import { WorkersError } from "../../errors.js";
import type { Confidence } from "./decision.js";

export const AUTONOMY_LEVELS = ["manual", "advisory", "assisted", "autonomous"] as const;
export type Autonomy = (typeof AUTONOMY_LEVELS)[number];
export type Route = "record" | "queue" | "execute";

/** Where each agent starts: moderation acts alone only on rules' certainties, reputation asks. */
export const DEFAULT_AUTONOMY: Readonly<Record<string, Autonomy>> = {
  feed: "autonomous",
  moderation: "assisted",
  reputation: "advisory",
  health: "autonomous",
};

export function isAutonomy(v: unknown): v is Autonomy {
  return typeof v === "string" && (AUTONOMY_LEVELS as readonly string[]).includes(v);
}

export function route(level: Autonomy, confidence: Confidence): Route {
  if (level === "manual") return "record";
  if (level === "advisory") return "queue";
  if (level === "assisted") return confidence === "high" ? "execute" : "queue";
  return "execute";
}

export const autonomyKey = (prefix: string) => `${prefix}:workers:autonomy`;

export async function readAutonomy(redis: Redis, prefix: string, agent: string): Promise<Autonomy> {
  const v = await redis.hget(autonomyKey(prefix), agent);
  return isAutonomy(v) ? v : (DEFAULT_AUTONOMY[agent] ?? "advisory");
}

export async function readAllAutonomy(
  redis: Redis,
  prefix: string,
  agents: readonly string[],
): Promise<Record<string, Autonomy>> {
  const stored = await redis.hgetall(autonomyKey(prefix));
  return Object.fromEntries(
    agents.map((a) => [a, isAutonomy(stored[a]) ? stored[a] : (DEFAULT_AUTONOMY[a] ?? "advisory")]),
  );
}

export async function setAutonomy(redis: Redis, prefix: string, agent: string, level: string): Promise<void> {
  if (!isAutonomy(level)) {
    throw new WorkersError("BAD_AUTONOMY", `autonomy must be one of ${AUTONOMY_LEVELS.join(", ")}`);
  }
  await redis.hset(autonomyKey(prefix), agent, level);
}
