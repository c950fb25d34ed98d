/**
 * Budget and rate-limit arithmetic of one key, pure: counters roll over at UTC day and month
 * boundaries, the per-minute limit is a sliding window of call times, and a call is allowed only if
 * its worst-case cost still fits both budgets.
 */
import type { VaultErrorCode } from "./errors.js";

export interface Spend {
  /** UTC day (YYYY-MM-DD) that dayMicroUsd counts. */
  day: string;
  dayMicroUsd: number;
  /** UTC month (YYYY-MM) that monthMicroUsd counts. */
  month: string;
  monthMicroUsd: number;
  totalMicroUsd: number;
  calls: number;
  /** Start times (ms) of the calls in the last minute. */
  recent: number[];
}

export interface Limits {
  rateLimitPerMinute: number;
  dailyBudgetMicroUsd: number;
  monthlyBudgetMicroUsd: number;
}

export type Refusal = {
  ok: false;
  code: Extract<
    VaultErrorCode,
    "RATE_LIMITED" | "BUDGET_DAILY_EXHAUSTED" | "BUDGET_MONTHLY_EXHAUSTED" | "KEY_REVOKED"
  >;
  reason: string;
};
export type Allowance = { ok: true } | Refusal;

const WINDOW_MS = 60_000;

export const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);
export const utcMonth = (now: number) => new Date(now).toISOString().slice(0, 7);

export function emptySpend(now: number): Spend {
  return {
    day: utcDay(now),
    dayMicroUsd: 0,
    month: utcMonth(now),
    monthMicroUsd: 0,
    totalMicroUsd: 0,
    calls: 0,
    recent: [],
  };
}

/** The counters as of `now`: a new day or month starts from zero, old call times drop out. */
export function rollSpend(s: Spend, now: number): Spend {
  const day = utcDay(now);
  const month = utcMonth(now);
  return {
    ...s,
    day,
    dayMicroUsd: s.day === day ? s.dayMicroUsd : 0,
    month,
    monthMicroUsd: s.month === month ? s.monthMicroUsd : 0,
    recent: s.recent.filter((t) => t > now - WINDOW_MS && t <= now),
  };
}

/** Whether a call of worst-case cost `estimateMicroUsd` may start now; `s` must be rolled to `now`. */
export function checkAllowance(s: Spend, limits: Limits, estimateMicroUsd: number): Allowance {
  if (s.recent.length >= limits.rateLimitPerMinute) {
    return {
      ok: false,
      code: "RATE_LIMITED",
      reason: `rate limit of ${limits.rateLimitPerMinute} calls/minute reached`,
    };
  }
  if (s.dayMicroUsd + estimateMicroUsd > limits.dailyBudgetMicroUsd) {
    return {
      ok: false,
      code: "BUDGET_DAILY_EXHAUSTED",
      reason: `daily budget ${limits.dailyBudgetMicroUsd} µUSD: spent ${s.dayMicroUsd}, this call may cost up to ${estimateMicroUsd}`,
    };
  }
  if (s.monthMicroUsd + estimateMicroUsd > limits.monthlyBudgetMicroUsd) {
    return {
      ok: false,
      code: "BUDGET_MONTHLY_EXHAUSTED",
      reason: `monthly budget ${limits.monthlyBudgetMicroUsd} µUSD: spent ${s.monthMicroUsd}, this call may cost up to ${estimateMicroUsd}`,
    };
  }
  return { ok: true };
}

/** Counts a started call against the rate limit. */
export const startCall = (s: Spend, now: number): Spend => ({
  ...s,
  recent: [...s.recent, now],
  calls: s.calls + 1,
});

/** Adds a finished call's actual cost (rounded up to whole µUSD, never negative). */
export function addCost(s: Spend, now: number, costMicroUsd: number): Spend {
  const c = Math.max(0, Math.ceil(Number.isFinite(costMicroUsd) ? costMicroUsd : 0));
  const r = rollSpend(s, now);
  return {
    ...r,
    dayMicroUsd: r.dayMicroUsd + c,
    monthMicroUsd: r.monthMicroUsd + c,
    totalMicroUsd: r.totalMicroUsd + c,
  };
}
