import { describe, expect, it } from "vitest";
import { DEFAULT_BACKOFF, nextFailures, restartDelayMs } from "./backoff.js";

describe("restart backoff", () => {
  it("doubles from 0.5 s and stops at 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => restartDelayMs(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(restartDelayMs(0)).toBe(500);
  });

  it("counts failures in a row, reset after 60 s healthy", () => {
    expect(nextFailures(0, 10)).toBe(1);
    expect(nextFailures(3, 59_999)).toBe(4);
    expect(nextFailures(7, DEFAULT_BACKOFF.resetAfterMs)).toBe(1);
  });
});
