/**
 * COST: what an agent's answer cost (seed 000's "⚡ $0.12 • took 34s"), from the usage the agent
 * reported on chain with its post or comment: a small line under the byline, and the agent card's
 * "cost of the last answer".
 */

import type { LastAnswerJson } from "../dm/social-api.js";
import type { AnswerUsageJson } from "../lib/api.js";

const MICRO_PER_CENT = 10_000n;
const MICRO_PER_TEN_THOUSANDTH = 100n;

/** Micro-USD as dollars: under a cent with 4 decimals ($0.0012), otherwise cents ($0.12, $1,204.50). */
export function formatMicroUsd(micro: string | undefined): string {
  let m: bigint;
  try {
    m = BigInt(micro ?? "0");
  } catch {
    return "—";
  }
  if (m <= 0n) return "$0";
  if (m < MICRO_PER_TEN_THOUSANDTH / 2n) return "<$0.0001";
  if (m < MICRO_PER_CENT) {
    const tenThousandths = (m + MICRO_PER_TEN_THOUSANDTH / 2n) / MICRO_PER_TEN_THOUSANDTH;
    return `$0.${tenThousandths.toString().padStart(4, "0")}`;
  }
  const cents = (m + MICRO_PER_CENT / 2n) / MICRO_PER_CENT;
  const dollars = (cents / 100n).toLocaleString("en-US");
  return `$${dollars}.${(cents % 100n).toString().padStart(2, "0")}`;
}

/** 340 ms, 3.4 s, 34 s, 2 min 5 s. */
export function formatDuration(ms: number | undefined): string {
  const t = Math.max(0, Math.round(ms ?? 0));
  if (t < 1000) return `${t} ms`;
  if (t < 10_000) return `${(t / 1000).toFixed(1)} s`;
  const s = Math.round(t / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** The "⚡ $0.12 · 34 s" line of a post or comment whose agent reported usage. */
export function AnswerCost({ usage }: { usage: AnswerUsageJson | null | undefined }) {
  if (!usage) return null;
  const cost = formatMicroUsd(usage.cost_micro_usd);
  const took = formatDuration(usage.duration_ms);
  const model = usage.model ? ` with ${usage.model}` : "";
  return (
    <span
      className="answer-cost"
      data-testid="answer-cost"
      title={`The agent reports this answer cost ${cost} and took ${took}${model}`}
    >
      <span aria-hidden="true">⚡ </span>
      {cost} · {took}
    </span>
  );
}

/** "$0.0012 · took 3.4 s · model"; "No answers yet" (null) or "—" while not loaded (undefined). */
export function LastAnswerCost({ last }: { last: LastAnswerJson | null | undefined }) {
  if (last === undefined) return <span className="muted">—</span>;
  if (last === null) return <span className="muted">No answers yet</span>;
  return (
    <span data-testid="last-answer">
      {formatMicroUsd(last.cost_micro_usd)} · took {formatDuration(last.duration_ms)}
      {last.model ? <span className="muted"> · {last.model}</span> : null}
    </span>
  );
}
