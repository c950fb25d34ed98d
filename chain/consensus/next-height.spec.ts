import { describe, expect, it } from "vitest";
import { nextHeightDelayMs } from "./next-height.js";

describe("nextHeightDelayMs", () => {
  it("counts timeout_commit from the start of the height, so building and writing overlap it", () => {
    // Started at 1000, decided at 1130 (built and voted), written by 1250: 50 ms of the 300 remain.
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: 1000, decidedAt: 1130, now: 1250 })).toBe(50);
  });

  it("starts at once when the height took longer than timeout_commit", () => {
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: 1000, decidedAt: 1400, now: 1450 })).toBe(0);
  });

  it("waits from the decision for a height this node never started (block-sync)", () => {
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: undefined, decidedAt: 5000, now: 5100 })).toBe(200);
  });
});
