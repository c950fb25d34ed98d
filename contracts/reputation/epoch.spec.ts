import { describe, expect, it } from "vitest";
import { scoreWorthWriting } from "./epoch.js";

describe("scoreWorthWriting", () => {
  const line = 500_000n;
  it("skips drift inside the 0.05 % band and writes what matters", () => {
    expect(scoreWorthWriting(1_000_000n, 1_000_000n, line)).toBe(false);
    expect(scoreWorthWriting(1_000_000n, 1_000_400n, line)).toBe(false);
    expect(scoreWorthWriting(1_000_000n, 1_000_600n, line)).toBe(true);
    expect(scoreWorthWriting(1_000_000n, 999_400n, line)).toBe(true);
    // Becoming or stopping being zero, and crossing the reach line, always count.
    expect(scoreWorthWriting(0n, 1n, line)).toBe(true);
    expect(scoreWorthWriting(1n, 0n, line)).toBe(true);
    expect(scoreWorthWriting(500_100n, 499_950n, line)).toBe(true);
  });
});
