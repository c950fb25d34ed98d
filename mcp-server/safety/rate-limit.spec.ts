import { describe, expect, it } from "vitest";
import { KeyRateLimiter } from "./rate-limit.js";

describe("KeyRateLimiter", () => {
  it("allows a burst, then refuses with the wait, then refills at the sustained rate", () => {
    let now = 0;
    const limiter = new KeyRateLimiter(
      { readsPerMinute: 600, readBurst: 100, writesPerMinute: 6, writeBurst: 2 },
      () => now,
    );
    expect(limiter.take("k", "write")).toBe(0);
    expect(limiter.take("k", "write")).toBe(0);
    expect(limiter.take("k", "write")).toBe(10); // one write per 10 s
    expect(limiter.take("other", "write")).toBe(0); // per key
    expect(limiter.take("k", "read")).toBe(0); // reads have their own bucket
    now += 10_000;
    expect(limiter.take("k", "write")).toBe(0);
    expect(limiter.take("k", "write")).toBeGreaterThan(0);
  });
});
