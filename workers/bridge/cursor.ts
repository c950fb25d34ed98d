/**
 * The bridge's cursor in Redis: one hash `<prefix>:bridge` with the chain id and the last height
 * whose jobs were all added. An operator replays from height h by setting it to h-1 (the job ids
 * make the replay add nothing that is already queued or done).
 */
import type { Redis } from "ioredis";

export interface BridgeCursor {
  readonly chainId: string;
  readonly height: number;
}

export function bridgeCursorKey(prefix: string): string {
  return `${prefix}:bridge`;
}

export async function readCursor(redis: Redis, prefix: string): Promise<BridgeCursor | undefined> {
  const h = await redis.hgetall(bridgeCursorKey(prefix));
  const height = Number(h.height);
  if (!h.chainId || !Number.isSafeInteger(height) || height < 0) return undefined;
  return { chainId: h.chainId, height };
}

export async function writeCursor(redis: Redis, prefix: string, cursor: BridgeCursor): Promise<void> {
  await redis.hset(bridgeCursorKey(prefix), { chainId: cursor.chainId, height: String(cursor.height) });
}
