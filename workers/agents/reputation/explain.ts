/**
 * Findings → the reputation agent's decisions: one per account a finding involves, each a
 * `label_content` on the account with an explanation (the rule and the accounts involved, at most
 * 280 characters), and one "no action" decision per touched account nothing was found about.
 *
 * Explanations are built from rule names, handles, addresses and star counts only (never a rating's
 * comment or any other member text), and are deterministic: the same finding found again gives the
 * same arguments, so the runtime's action id makes it a duplicate instead of a second label.
 */
import type { AgentDecision } from "../runtime/decision.js";
import { hashInputs } from "../runtime/runtime.js";
import type { Finding, RatingGraph, SelfDealingFinding } from "./detect.js";

export const LABELS = {
  "rating-ring": "rating-ring",
  "self-dealing": "self-dealing",
  "sybil-cluster": "sybil-suspect",
} as const;

export const MAX_EXPLANATION = 280;
const MAX_SUMMARY = 200;

/** How an account is named in an explanation: its handle, else a shortened address. */
export function nameOf(g: RatingGraph, address: string): string {
  const name = g.accounts.get(address)?.name;
  if (name && /^@[a-z0-9_]{1,32}(\/[a-z0-9_-]{1,64})?$/i.test(name)) return name;
  return `${address.slice(0, 12)}…${address.slice(-4)}`;
}

/** `head` and as many of `items` as fit in `max` characters, then "+N more". */
export function fitList(
  head: string,
  items: readonly string[],
  sep: string,
  tail: string,
  max: number,
): string {
  let out = head;
  for (let i = 0; i < items.length; i++) {
    const piece = (i === 0 ? "" : sep) + items[i];
    const rest = items.length - i - 1;
    const more = rest > 0 ? ` +${rest} more` : "";
    if ((out + piece + more + tail).length > max) {
      return `${out.trimEnd()} +${items.length - i} more${tail}`.slice(0, max);
    }
    out += piece;
  }
  return (out + tail).slice(0, max);
}

function selfDealingText(g: RatingGraph, f: SelfDealingFinding): string {
  const what = f.via === "vouch" ? "vouches for" : `rates (${f.stars} stars)`;
  const link =
    f.kind === "owner-rates-agent"
      ? "its own agent"
      : f.kind === "agent-rates-owner"
        ? "its owner"
        : "a sibling agent";
  return `self-dealing (${f.kind}): ${nameOf(g, f.rater)} ${what} ${link} ${nameOf(g, f.subject)}; both answer to ${nameOf(g, f.owner)}`.slice(
    0,
    MAX_EXPLANATION,
  );
}

/** The explanation of a finding (the label's reason). */
export function explain(g: RatingGraph, f: Finding): string {
  switch (f.rule) {
    case "rating-ring": {
      const names = f.members.map((m) => nameOf(g, m));
      return fitList(
        `rating-ring: ${f.members.length}-cycle of high ratings (4+ stars, helped): `,
        [...names, names[0]!],
        " > ",
        "",
        MAX_EXPLANATION,
      );
    }
    case "self-dealing":
      return selfDealingText(g, f);
    case "sybil-cluster": {
      // Why each member is suspect goes into inputsHash, not the text: a member's reason may
      // change (an agent transferred) while the cluster stays the same finding.
      const targets = f.targets.slice(0, 3).map((t) => nameOf(g, t));
      const more = f.targets.length > 3 ? ` +${f.targets.length - 3}` : "";
      return fitList(
        `sybil-cluster: ${f.members.length} suspect raters (young and low-score, or sharing an owner) rate only ${targets.join(", ")}${more} and each other: `,
        f.members.map((m) => nameOf(g, m)),
        ", ",
        "",
        MAX_EXPLANATION,
      );
    }
  }
}

/** The accounts a finding involves (each gets a label). */
export function involved(f: Finding): string[] {
  switch (f.rule) {
    case "rating-ring":
      return [...f.members];
    case "self-dealing":
      return [f.rater, f.subject];
    case "sybil-cluster":
      return [...f.members];
  }
}

/** Self-dealing along a direct owner ↔ agent link is certain; rings and clusters are judgements. */
export const confidenceOf = (f: Finding): "high" | "low" =>
  f.rule === "self-dealing" && f.direct ? "high" : "low";

function shortWhy(g: RatingGraph, f: Finding, account: string): string {
  switch (f.rule) {
    case "rating-ring": {
      const others = f.members.filter((m) => m !== account).map((m) => nameOf(g, m));
      return `${f.members.length}-cycle with ${others.join(", ")}`;
    }
    case "self-dealing":
      return `${f.kind} ${nameOf(g, f.rater)} > ${nameOf(g, f.subject)}`;
    case "sybil-cluster":
      return `${f.members.length} raters of ${f.targets
        .slice(0, 2)
        .map((t) => nameOf(g, t))
        .join(", ")}`;
  }
}

/** What a finding's decision was based on (hashed into inputsHash). */
function inputsOf(f: Finding): unknown {
  switch (f.rule) {
    case "rating-ring":
      return { rule: f.rule, edges: f.edges };
    case "self-dealing":
      return f;
    case "sybil-cluster":
      return { rule: f.rule, members: f.members, targets: f.targets, why: f.why, edges: f.edges };
  }
}

/** One decision per account each finding involves. */
export function findingDecisions(
  g: RatingGraph,
  findings: readonly Finding[],
  height: number,
): AgentDecision[] {
  const out: AgentDecision[] = [];
  for (const f of findings) {
    const value = LABELS[f.rule];
    const reason = explain(g, f);
    const inputsHash = hashInputs(inputsOf(f));
    const confidence = confidenceOf(f);
    for (const account of involved(f)) {
      out.push({
        height,
        subject: `account:${account}`,
        inputsHash,
        ai: null,
        reason,
        action: {
          tool: "label_content",
          args: { account, value, reason },
          summary: `label ${nameOf(g, account)} "${value}" (${shortWhy(g, f, account)})`.slice(
            0,
            MAX_SUMMARY,
          ),
          confidence,
        },
      });
    }
  }
  return out;
}

/** The "looked, found nothing" decision of a touched account. */
export function clearDecision(g: RatingGraph, account: string, height: number): AgentDecision {
  const out = [...(g.out.get(account)?.values() ?? [])].map((r) => [r.subject, r.stars, r.helped, r.seq]);
  const inn = [...(g.in.get(account)?.values() ?? [])].map((r) => [r.rater, r.stars, r.helped, r.seq]);
  return {
    height,
    subject: `account:${account}`,
    inputsHash: hashInputs({ account, info: g.accounts.get(account) ?? null, out, in: inn }),
    ai: null,
    reason: `no finding: rating-ring, self-dealing, sybil-cluster checked (${out.length} out, ${inn.length} in)`,
    action: null,
  };
}

/** Every decision of one job: the findings' labels, then a clear decision for each touched account not in any. */
export function jobDecisions(
  g: RatingGraph,
  findings: readonly Finding[],
  touched: readonly string[],
  height: number,
): AgentDecision[] {
  const labelled = findingDecisions(g, findings, height);
  const seen = new Set(findings.flatMap(involved));
  return [...labelled, ...touched.filter((a) => !seen.has(a)).map((a) => clearDecision(g, a, height))];
}
