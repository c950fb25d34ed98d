/**
 * Per-key token buckets, one for reads and one for writes, so a runaway agent slows down before
 * the chain's own per-account limits refuse it (and before it costs its owner fees).
 */
export interface RateLimits {
  /** Sustained calls per minute and burst, per key. */
  readonly readsPerMinute: number;
  readonly readBurst: number;
  readonly writesPerMinute: number;
  readonly writeBurst: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  readsPerMinute: 6_000,
  readBurst: 300,
  writesPerMinute: 60,
  writeBurst: 10,
};

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token; returns 0 when allowed, else the seconds until one is available. */
  take(keyId: string, kind: "read" | "write"): number {
    const perMinute = kind === "read" ? this.limits.readsPerMinute : this.limits.writesPerMinute;
    const burst = kind === "read" ? this.limits.readBurst : this.limits.writeBurst;
    const id = `${kind}:${keyId}`;
    const now = this.now();
    const perMs = perMinute / 60_000;
    const b = this.buckets.get(id) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / perMs / 1000);
  }
}
