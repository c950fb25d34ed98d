/**
 * Deterministic per-account rate limits, evaluated in block order from block time only (GCRA, the
 * generic cell rate algorithm): one stored number per (account, action), the "theoretical arrival
 * time", allows `max` actions per `windowSeconds` with bursts up to `max`. Two nodes executing the
 * same blocks reach the same decisions; a refusal says exactly when to retry.
 */
import { CodedError, registerError } from "../../chain/errors/codes.js";
import type { BlockInfo, KVStore } from "../types.js";
import { readUint64, uint64Bytes } from "./store.js";

export interface RateRule {
  /** Actions allowed per window (0 forbids the action). */
  readonly max: number;
  readonly windowSeconds: number;
}

export const RateLimitErrors = {
  Exceeded: registerError("ratelimit", 2, "rate limit exceeded"),
  Forbidden: registerError("ratelimit", 3, "action not allowed for this account"),
} as const;

/** Milliseconds of block time: the clock every rate limit runs on. */
export function blockTimeMs(block: BlockInfo): bigint {
  return block.time.seconds * 1000n + BigInt(Math.floor(block.time.nanos / 1_000_000));
}

/**
 * Records one `action` by the account whose limiter lives at `key`, or throws RateLimited with the
 * time to retry (`retry_after=<unix seconds>`, in seconds and in words) without recording anything.
 */
export function consumeRate(
  store: KVStore,
  key: Uint8Array,
  rule: RateRule,
  block: BlockInfo,
  action: string,
): void {
  consumeRateSlot(store, key, 0, rule, block, action);
}

/**
 * The same, for one of several actions whose limiters share one stored record (8 bytes per slot):
 * an account that posts, comments and votes in one block then writes one state key, not three.
 */
export function consumeRateSlot(
  store: KVStore,
  key: Uint8Array,
  slot: number,
  rule: RateRule,
  block: BlockInfo,
  action: string,
): void {
  if (rule.max <= 0) {
    throw new CodedError(RateLimitErrors.Forbidden, `${action} is not allowed for this account`);
  }
  const now = blockTimeMs(block);
  const interval = (BigInt(rule.windowSeconds) * 1000n) / BigInt(rule.max);
  const tolerance = BigInt(rule.windowSeconds) * 1000n - interval;
  const stored = store.get(key);
  const offset = slot * 8;
  const arrival =
    stored !== undefined && stored.length >= offset + 8
      ? readUint64(stored.subarray(offset, offset + 8))
      : now;
  const tat = arrival > now ? arrival : now;
  if (tat - tolerance > now) {
    const waitMs = tat - tolerance - now;
    const retryAt = (now + waitMs + 999n) / 1000n;
    const waitSeconds = (waitMs + 999n) / 1000n;
    throw new CodedError(
      RateLimitErrors.Exceeded,
      `${action}: at most ${rule.max} per ${rule.windowSeconds}s; retry_after=${retryAt} (in ${waitSeconds}s)`,
    );
  }
  const next = new Uint8Array(Math.max(stored?.length ?? 0, offset + 8));
  if (stored !== undefined) next.set(stored);
  next.set(uint64Bytes(tat + interval), offset);
  store.set(key, next);
}
