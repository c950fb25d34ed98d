import { describe, expect, it } from "vitest";
import { nextHeightDelayMs } from "./next-height.js";

describe("nextHeightDelayMs", () => {
  it("counts timeout_commit from the start of the height, so building and writing overlap it", () => {
    // Started at 1000, decided at 1130 (built and voted), now 1180: 120 ms of the 300 remain.
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: 1000, decidedAt: 1130, now: 1180 })).toBe(120);
  });

  it("waits a quarter of timeout_commit after a height that took longer, to check in what arrived", () => {
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: 1000, decidedAt: 1400, now: 1450 })).toBe(75);
    // A height that ends just inside timeout_commit gets the same least gap.
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: 1000, decidedAt: 1250, now: 1290 })).toBe(75);
  });

  it("starts at once with a zero timeout_commit", () => {
    expect(nextHeightDelayMs({ commitMs: 0, startedAt: 1000, decidedAt: 1010, now: 1020 })).toBe(0);
  });

  it("waits from the decision for a height this node never started (block-sync)", () => {
    expect(nextHeightDelayMs({ commitMs: 300, startedAt: undefined, decidedAt: 5000, now: 5100 })).toBe(200);
  });
});
