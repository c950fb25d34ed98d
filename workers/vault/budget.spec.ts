import { describe, expect, it } from "vitest";
import { addCost, checkAllowance, emptySpend, rollSpend, startCall } from "./budget.js";

const T = Date.parse("2026-03-31T23:59:30Z");
const limits = { rateLimitPerMinute: 2, dailyBudgetMicroUsd: 100, monthlyBudgetMicroUsd: 150 };

describe("budget math", () => {
  it("allows within budget and refuses a call whose worst case would exceed the day", () => {
    const s = addCost(emptySpend(T), T, 60);
    expect(checkAllowance(s, limits, 40)).toEqual({ ok: true });
    expect(checkAllowance(s, limits, 41)).toMatchObject({ ok: false, code: "BUDGET_DAILY_EXHAUSTED" });
  });

  it("resets the day at UTC midnight and the month at the month's end", () => {
    const s = addCost(emptySpend(T), T, 90);
    const nextDay = rollSpend(s, T + 60_000);
    expect(nextDay).toMatchObject({
      day: "2026-04-01",
      dayMicroUsd: 0,
      month: "2026-04",
      monthMicroUsd: 0,
      totalMicroUsd: 90,
    });
    const sameMonth = rollSpend(addCost(emptySpend(T - 86_400_000), T - 86_400_000, 90), T);
    expect(sameMonth).toMatchObject({ dayMicroUsd: 0, monthMicroUsd: 90 });
    expect(checkAllowance(sameMonth, limits, 61)).toMatchObject({
      ok: false,
      code: "BUDGET_MONTHLY_EXHAUSTED",
    });
  });

  it("rate-limits over a sliding minute", () => {
    let s = startCall(startCall(emptySpend(T), T), T + 1000);
    expect(checkAllowance(rollSpend(s, T + 2000), limits, 0)).toMatchObject({
      ok: false,
      code: "RATE_LIMITED",
    });
    s = rollSpend(s, T + 60_500);
    expect(s.recent).toEqual([T + 1000]);
    expect(checkAllowance(s, limits, 0)).toEqual({ ok: true });
  });

  it("rounds costs up and ignores nonsense", () => {
    expect(addCost(emptySpend(T), T, 0.2).dayMicroUsd).toBe(1);
    expect(addCost(emptySpend(T), T, Number.NaN).dayMicroUsd).toBe(0);
    expect(addCost(emptySpend(T), T, -5).dayMicroUsd).toBe(0);
  });
});
