/** Restart backoff: 0.5 s doubling to 30 s; an agent that ran 60 s healthy starts again from 0.5 s. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** After running this long, the next failure counts as the first. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** The delay before restart number `failures` (1 = the first failure in a row). */
export function restartDelayMs(failures: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(failures));
  return Math.min(p.maxMs, p.initialMs * 2 ** Math.min(n - 1, 30));
}

/** Failures in a row after a process that ran `ranMs` died, given `before` failures in a row. */
export function nextFailures(before: number, ranMs: number, p: BackoffPolicy = DEFAULT_BACKOFF): number {
  return ranMs >= p.resetAfterMs ? 1 : before + 1;
}
