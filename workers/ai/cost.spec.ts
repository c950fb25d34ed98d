import { describe, expect, it } from "vitest";
import { costMicroUsd, estimateInputTokens, estimateMaxCost } from "./cost.js";

describe("cost", () => {
  it("prices per 1,000 tokens and rounds up", () => {
    expect(costMicroUsd({ inputPerKTok: 150, outputPerKTok: 600 }, 1000, 1000)).toBe(750);
    expect(costMicroUsd({ inputPerKTok: 150, outputPerKTok: 600 }, 1, 0)).toBe(1);
    expect(costMicroUsd({ inputPerKTok: 0, outputPerKTok: 0 }, 10_000, 10_000)).toBe(0);
  });
  it("estimates the worst case from text length and the output allowance", () => {
    const req = {
      system: "abc",
      messages: [{ role: "user" as const, content: "x".repeat(297) }],
      maxTokens: 100,
    };
    expect(estimateInputTokens(req)).toBe(100 + 16);
    expect(estimateMaxCost({ inputPerKTok: 1000, outputPerKTok: 2000 }, req)).toBe(116 + 200);
  });
});
