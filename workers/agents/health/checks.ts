/**
 * The health agent's pure part: from one snapshot of what the probes read (nodes, recent blocks,
 * queue depths, the supervisor's state hash, AI spend) and what the agent remembers of chain
 * progress, the findings of every check, and which checks could not run (their open alerts are
 * kept, not resolved). Nothing here touches the network, Redis or the clock.
 */

export const ALERT_KINDS = [
  "chain-stalled",
  "node-down",
  "node-lagging",
  "slow-blocks",
  "isolated",
  "mempool-full",
  "queue-backlog",
  "worker-stuck",
  "ai-budget",
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type Severity = "warn" | "critical";

export const SEVERITY: Readonly<Record<AlertKind, Severity>> = {
  "chain-stalled": "critical",
  "node-down": "critical",
  "node-lagging": "warn",
  "slow-blocks": "warn",
  isolated: "warn",
  "mempool-full": "warn",
  "queue-backlog": "warn",
  "worker-stuck": "critical",
  "ai-budget": "warn",
};

export interface Thresholds {
  /** No new block on any node for longer than this: chain-stalled. */
  readonly stallMs: number;
  /** A node this many blocks (or more, strictly more) behind the highest: node-lagging. */
  readonly lagBlocks: number;
  /** The median block interval over its target above this factor: slow-blocks. */
  readonly slowFactor: number;
  /** The target interval of a block with txs (the node's timeout_commit and a margin). */
  readonly targetBlockMs: number;
  /** The target interval of an empty block (the node's create_empty_blocks_interval, default 5 s). */
  readonly idleBlockMs: number;
  /** How many intervals at least before slow-blocks says anything. */
  readonly minIntervals: number;
  /** Mempool use (txs or bytes, whichever is fuller) above this share of the cap: mempool-full. */
  readonly mempoolFullRatio: number;
  /** The mempool's caps when the node does not say (CometBFT's and this node's defaults). */
  readonly mempoolCapTxs: number;
  readonly mempoolCapBytes: number;
  /** waiting + delayed jobs of a queue above this: queue-backlog. */
  readonly queueBacklog: number;
  /** A running agent whose last heartbeat is older than this: worker-stuck. */
  readonly heartbeatStaleMs: number;
  /** A supervisor state older than this means no supervisor runs (workers are not judged then). */
  readonly supervisorStaleMs: number;
  /** Today's spend of an AI key at or above this share of its daily budget: ai-budget. */
  readonly aiBudgetRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  stallMs: 10_000,
  lagBlocks: 5,
  slowFactor: 3,
  targetBlockMs: 1_000,
  idleBlockMs: 5_000,
  minIntervals: 3,
  mempoolFullRatio: 0.8,
  mempoolCapTxs: 5_000,
  mempoolCapBytes: 64 * 1024 * 1024,
  queueBacklog: 1_000,
  heartbeatStaleMs: 15_000,
  supervisorStaleMs: 5_000,
  aiBudgetRatio: 0.8,
};

/** What the probe read from one node (CometBFT JSON-RPC `status`, `net_info`, `num_unconfirmed_txs`). */
export interface NodeProbe {
  /** The node's subject, `node:<scheme://host[:port][/path]>` (never credentials). */
  readonly subject: string;
  readonly ok: boolean;
  /** Why it could not be read (ok false). */
  readonly code?: string;
  readonly chainId?: string;
  readonly height?: number;
  /** The latest block's header time, epoch ms. */
  readonly latestBlockTimeMs?: number;
  /** Undefined when `net_info` could not be read. */
  readonly peers?: number;
  readonly mempoolTxs?: number;
  readonly mempoolBytes?: number;
}

export interface BlockMeta {
  readonly height: number;
  readonly timeMs: number;
  readonly txs: number;
}

export interface QueueProbe {
  readonly queue: string;
  readonly waiting: number;
  readonly delayed: number;
}

export interface WorkerProbe {
  readonly agent: string;
  readonly status: string;
  readonly lastHeartbeat: number | null;
}

export interface SpendProbe {
  readonly keyId: string;
  readonly provider: string;
  readonly dayMicroUsd: number;
  readonly dailyBudgetMicroUsd: number;
  readonly revoked: boolean;
}

/** One round's readings; an undefined part could not be read (its checks are skipped). */
export interface Snapshot {
  readonly now: number;
  readonly nodes: readonly NodeProbe[];
  /** Recent blocks of the highest node. */
  readonly blocks?: readonly BlockMeta[];
  readonly queues?: readonly QueueProbe[];
  readonly workers?: { readonly supervisorUpdatedAt: number | null; readonly agents: readonly WorkerProbe[] };
  readonly spend?: readonly SpendProbe[];
}

/** The highest height seen, and when it was first seen (local clock). */
export interface Progress {
  readonly height: number;
  readonly at: number;
}

export interface Finding {
  /** `<kind>:<subject>`: one open alert per key. */
  readonly key: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly subject: string;
  /** Codes, numbers and subjects only (no member text, no secrets). */
  readonly message: string;
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  readonly progress: Progress | undefined;
  /** The highest height any node reported (or remembered). */
  readonly height: number;
  readonly chainId: string | undefined;
  readonly stalled: boolean;
  /** Checks that could not run this round: open alerts of these kinds are kept. */
  readonly uncheckedKinds: readonly AlertKind[];
  /** Alert keys whose check could not run (e.g. a down node's mempool): kept too. */
  readonly uncheckedKeys: readonly string[];
}

export const alertKey = (kind: AlertKind, subject: string) => `${kind}:${subject}`;

function finding(kind: AlertKind, subject: string, message: string): Finding {
  return { key: alertKey(kind, subject), kind, severity: SEVERITY[kind], subject, message };
}

/**
 * Progress after seeing `height` at `now`: a higher height restarts the clock; the first
 * observation starts it at the block's own time (a chain already halted is seen at once), never in
 * the future; a lower height (a node reset) starts over.
 */
export function observeHeight(
  prev: Progress | undefined,
  height: number,
  now: number,
  blockTimeMs?: number,
): Progress {
  if (!prev) {
    const at = blockTimeMs !== undefined && Number.isFinite(blockTimeMs) ? Math.min(now, blockTimeMs) : now;
    return { height, at };
  }
  if (height > prev.height || height < prev.height) return { height, at: now };
  return prev;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The median of each block interval over its target: blocks with txs should follow the previous
 * one within `targetBlockMs`, empty ones within `idleBlockMs` (an idle chain makes an empty block
 * every create_empty_blocks_interval on purpose). Only consecutive heights count.
 */
export function blockIntervalRatio(blocks: readonly BlockMeta[], t: Thresholds): number | undefined {
  const sorted = [...blocks].sort((a, b) => a.height - b.height);
  const ratios: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.height !== a.height + 1) continue;
    const interval = Math.max(0, b.timeMs - a.timeMs);
    ratios.push(interval / (b.txs > 0 ? t.targetBlockMs : t.idleBlockMs));
  }
  return ratios.length >= t.minIntervals ? median(ratios) : undefined;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Every check over one snapshot. */
export function evaluate(
  s: Snapshot,
  prev: Progress | undefined,
  t: Thresholds = DEFAULT_THRESHOLDS,
): Evaluation {
  const findings: Finding[] = [];
  const uncheckedKinds: AlertKind[] = [];
  const uncheckedKeys: string[] = [];
  const up = s.nodes.filter((n) => n.ok && n.height !== undefined);
  const top = up.reduce<NodeProbe | undefined>((m, n) => (!m || n.height! > m.height! ? n : m), undefined);
  const chainId = top?.chainId;
  const chainSubject = `chain:${chainId ?? "unknown"}`;

  // Height progress: only a reachable node says whether the chain moves.
  let progress = prev;
  let stalled = false;
  if (top) {
    progress = observeHeight(prev, top.height!, s.now, top.latestBlockTimeMs);
    if (s.now - progress.at > t.stallMs) {
      stalled = true;
      findings.push(
        finding(
          "chain-stalled",
          chainSubject,
          `no new block for more than ${seconds(t.stallMs)} after height ${progress.height}`,
        ),
      );
    }
  } else {
    uncheckedKinds.push("chain-stalled", "slow-blocks");
  }
  const height = Math.max(top?.height ?? 0, progress?.height ?? 0);

  for (const n of s.nodes) {
    if (!n.ok || n.height === undefined) {
      findings.push(finding("node-down", n.subject, `unreachable (${n.code ?? "NODE_UNAVAILABLE"})`));
      for (const k of ["node-lagging", "isolated", "mempool-full"] as const) {
        uncheckedKeys.push(alertKey(k, n.subject));
      }
      continue;
    }
    const behind = (top?.height ?? n.height) - n.height;
    if (behind > t.lagBlocks) {
      findings.push(finding("node-lagging", n.subject, `${behind} blocks behind the highest node`));
    }
    if (n.peers === undefined) uncheckedKeys.push(alertKey("isolated", n.subject));
    else if (s.nodes.length > 1 && n.peers === 0) {
      findings.push(finding("isolated", n.subject, "0 peers on a network of several nodes"));
    }
    if (n.mempoolTxs === undefined && n.mempoolBytes === undefined) {
      uncheckedKeys.push(alertKey("mempool-full", n.subject));
    } else {
      const ratio = Math.max(
        (n.mempoolTxs ?? 0) / t.mempoolCapTxs,
        (n.mempoolBytes ?? 0) / t.mempoolCapBytes,
      );
      if (ratio > t.mempoolFullRatio) {
        findings.push(
          finding(
            "mempool-full",
            n.subject,
            `mempool at ${Math.round(ratio * 100)}% of its cap (${n.mempoolTxs ?? 0} txs)`,
          ),
        );
      }
    }
  }

  if (top) {
    const ratio = s.blocks ? blockIntervalRatio(s.blocks, t) : undefined;
    if (ratio === undefined) uncheckedKinds.push("slow-blocks");
    else if (ratio > t.slowFactor) {
      findings.push(
        finding("slow-blocks", chainSubject, `median block interval ${ratio.toFixed(1)}x its target`),
      );
    }
  }

  if (!s.queues) uncheckedKinds.push("queue-backlog");
  else {
    for (const q of s.queues) {
      const depth = q.waiting + q.delayed;
      if (depth > t.queueBacklog) {
        findings.push(finding("queue-backlog", `queue:${q.queue}`, `${depth} jobs waiting or delayed`));
      }
    }
  }

  const sup = s.workers?.supervisorUpdatedAt ?? null;
  if (!s.workers || sup === null || s.now - sup > t.supervisorStaleMs) {
    // No supervisor runs: nothing heartbeats and nothing could restart an agent.
    uncheckedKinds.push("worker-stuck");
  } else {
    for (const w of s.workers.agents) {
      const subject = `worker:${w.agent}`;
      if (w.status === "crashed") findings.push(finding("worker-stuck", subject, "crashed"));
      else if (
        w.status === "running" &&
        (w.lastHeartbeat === null || s.now - w.lastHeartbeat > t.heartbeatStaleMs)
      ) {
        findings.push(
          finding(
            "worker-stuck",
            subject,
            `running with no heartbeat for more than ${seconds(t.heartbeatStaleMs)}`,
          ),
        );
      }
    }
  }

  if (!s.spend) uncheckedKinds.push("ai-budget");
  else {
    for (const k of s.spend) {
      if (k.revoked || k.dailyBudgetMicroUsd <= 0) continue;
      const ratio = k.dayMicroUsd / k.dailyBudgetMicroUsd;
      if (ratio >= t.aiBudgetRatio) {
        findings.push(
          finding(
            "ai-budget",
            `ai-key:${k.keyId}`,
            `${k.provider} key spent ${Math.floor(ratio * 100)}% of its daily budget (${k.dayMicroUsd} of ${k.dailyBudgetMicroUsd} µUSD)`,
          ),
        );
      }
    }
  }

  return { findings, progress, height, chainId, stalled, uncheckedKinds, uncheckedKeys };
}

/** The keys of open alerts whose check ran and passed this round. */
export function resolvedKeys(
  open: readonly { readonly key: string; readonly kind: string }[],
  e: Evaluation,
): string[] {
  const found = new Set(e.findings.map((f) => f.key));
  const kinds = new Set<string>(e.uncheckedKinds);
  const keys = new Set(e.uncheckedKeys);
  return open.filter((a) => !found.has(a.key) && !kinds.has(a.kind) && !keys.has(a.key)).map((a) => a.key);
}

/** The agents to restart for this round's worker-stuck findings (never the health agent itself). */
export function stuckAgents(findings: readonly Finding[], self: string): string[] {
  return findings
    .filter((f) => f.kind === "worker-stuck")
    .map((f) => f.subject.slice("worker:".length))
    .filter((a) => a !== self);
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Epoch ms of an RFC 3339 time with up to nanoseconds; undefined if it is not one. */
export function rfc3339Ms(time: unknown): number | undefined {
  if (typeof time !== "string" || time.length > 64) return undefined;
  const m = RFC3339.exec(time);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}.${(m[2] ?? "").padEnd(3, "0").slice(0, 3)}${m[3]}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * A node URL as a subject: scheme, host, port and path only, so credentials or query tokens in a
 * configured URL never reach an alert, a post or a log.
 */
export function nodeSubject(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname === "/" ? "" : u.pathname;
    return `node:${u.protocol}//${u.host}${path}`.slice(0, 160);
  } catch {
    return "node:invalid-url";
  }
}
