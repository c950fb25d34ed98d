/**
 * The reputation agent's processor for `reputation` queue jobs (one per block with a rating,
 * vouch or agent registration/transfer/retirement, from the block bridge).
 *
 * It stores the block's edges and ownership changes in the Redis graph (newer-only writes), reads
 * the neighbourhood of every account the block touched (from Redis, reading from the chain what
 * the cache does not hold yet), runs the detectors (detect.ts) and hands the runtime one decision
 * per account a finding involves (a `label_content`) and one "no action" decision per touched
 * account nothing was found about. It never writes a score: labels and their explanations only.
 * A replayed job stores nothing new and re-detects the same findings: the same actions, which the
 * runtime records as duplicates.
 */

import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { DEFAULT_INTERESTS } from "../../bridge/interests.js";
import type { ChainQuery } from "../feed/chain.js";
import { blockSeconds, checkJob } from "../feed/plan.js";
import { clientsOf, type JobSourceContext, wholeJob } from "../job-source.js";
import type { ActStatus, AgentDecision } from "../runtime/decision.js";
import type { AgentRuntime } from "../runtime/runtime.js";
import { readAccount, readEdges } from "./chain.js";
import {
  type AccountInfo,
  buildGraph,
  DEFAULT_DETECTOR_PARAMS,
  type DetectorParams,
  detect,
  type Finding,
  type GraphRating,
  type GraphVouch,
  isHigh,
  type RatingGraph,
} from "./detect.js";
import { involved, jobDecisions } from "./explain.js";
import { planReputationJob } from "./plan.js";
import { edgesReadAt, getAccount, getRatings, getVouches, setOwner, setRating, setVouch } from "./store.js";

/** `nodeRpcUrl` (or `chain`/`node`): without them the agent sees only what the cache holds. */
export interface ReputationContext extends JobSourceContext {
  readonly redis: Redis;
  readonly log: Logger;
  readonly runtime: Pick<AgentRuntime, "decide">;
  readonly params?: DetectorParams;
}

export interface ReputationJobResult {
  readonly height: number;
  readonly ratings: number;
  readonly vouches: number;
  readonly owners: number;
  readonly touched: number;
  /** Accounts whose edges the detectors saw. */
  readonly looked: number;
  readonly findings: { readonly rings: number; readonly selfDealing: number; readonly sybil: number };
  readonly decisions: number;
  readonly outcomes: Partial<Record<ActStatus, number>>;
  readonly rejected: number;
}

const REPUTATION_INTEREST = DEFAULT_INTERESTS.find((i) => i.queue === "reputation")!;
/** The most accounts whose edges one job reads (its neighbourhood); the rest wait for later blocks. */
export const MAX_NODES = 256;
/** An account read more than this many blocks ago is read again (its score moves each epoch). */
export const REFRESH_BLOCKS = 500;

/** The part of the graph around `touched` the detectors need, read from Redis (and the chain). */
async function neighbourhood(
  redis: Redis,
  chain: ChainQuery | undefined,
  touched: readonly string[],
  height: number,
  p: DetectorParams,
): Promise<{ graph: RatingGraph; looked: number }> {
  const infos = new Map<string, AccountInfo>();
  const ratings: GraphRating[] = [];
  const vouches: GraphVouch[] = [];
  const loaded = new Map<string, { out: GraphRating[]; in: GraphRating[] }>();

  const edgesOf = async (a: string) => {
    const have = loaded.get(a);
    if (have) return have;
    if (loaded.size >= MAX_NODES) return { out: [], in: [] };
    if (chain && (await edgesReadAt(redis, a)) === 0) await readEdges(redis, chain, a);
    const r = await getRatings(redis, a);
    loaded.set(a, r);
    ratings.push(...r.out, ...r.in);
    vouches.push(...(await getVouches(redis, a)));
    return r;
  };
  const accountOf = async (a: string) => {
    if (infos.has(a) || infos.size >= MAX_NODES * 4) return;
    let s = await getAccount(redis, a);
    if (chain && (!s || s.readAt === 0 || height - s.readAt > REFRESH_BLOCKS)) {
      await readAccount(redis, chain, a);
      s = await getAccount(redis, a);
    }
    infos.set(a, s ?? { address: a, name: "", kind: "none", owner: "", createdAt: 0, score: -1 });
  };

  // Rings: high-rating paths out of the touched accounts (a cycle's last edge is in its start's in-edges).
  let frontier = [...touched];
  for (let depth = 0; depth <= p.maxCycle - 2 && frontier.length > 0; depth++) {
    const next = new Set<string>();
    for (const a of frontier) {
      const { out } = await edgesOf(a);
      const high = out
        .filter(isHigh)
        .sort((x, y) => (x.subject < y.subject ? -1 : x.subject > y.subject ? 1 : 0));
      for (const r of high.slice(0, p.maxDegree)) if (!loaded.has(r.subject)) next.add(r.subject);
    }
    frontier = [...next].sort();
  }
  // Sybil clusters: the high raters of each subject a touched account is or rates high, and their edges.
  const targets = new Set(touched);
  for (const a of touched) for (const r of loaded.get(a)?.out ?? []) if (isHigh(r)) targets.add(r.subject);
  for (const t of [...targets].sort()) {
    const { in: raters } = await edgesOf(t);
    for (const r of raters.filter(isHigh).slice(0, p.maxDegree * 4)) await edgesOf(r.rater);
  }
  // Who everyone is (self-dealing and sybil suspects need owners, ages and scores).
  const everyone = new Set<string>(touched);
  for (const r of ratings) everyone.add(r.rater).add(r.subject);
  for (const v of vouches) everyone.add(v.attester).add(v.subject);
  for (const a of [...everyone].sort()) await accountOf(a);
  return { graph: buildGraph(infos.values(), ratings, vouches), looked: loaded.size };
}

export async function processReputationJob(
  data: unknown,
  ctx: ReputationContext,
): Promise<ReputationJobResult> {
  let job = checkJob(data);
  const { redis, log } = ctx;
  const p = ctx.params ?? DEFAULT_DETECTOR_PARAMS;
  const { chain, node } = clientsOf(ctx);
  if (job.truncated) {
    if (node) job = await wholeJob(job, node, REPUTATION_INTEREST);
    else
      log.warn(
        { height: job.height, code: "JOB_TRUNCATED" },
        "reputation job truncated and no node to read the block",
      );
  }
  const now = blockSeconds(job.time);
  const plan = planReputationJob(job);
  for (const c of plan.owners) await setOwner(redis, c);
  for (const r of plan.ratings) await setRating(redis, r);
  for (const v of plan.vouches) await setVouch(redis, v);
  if (!chain && plan.touched.length > 0)
    log.warn(
      { height: job.height, code: "NO_NODE" },
      "reputation: no node to read, detecting on the cache alone",
    );

  let findings: Finding[] = [];
  let decisions: AgentDecision[] = [];
  let looked = 0;
  if (plan.touched.length > 0) {
    const around = await neighbourhood(redis, chain, plan.touched, job.height, p);
    const graph = around.graph;
    looked = around.looked;
    findings = detect(graph, plan.touched, now, p);
    decisions = jobDecisions(graph, findings, plan.touched, job.height);
  }
  const outcomes: Partial<Record<ActStatus, number>> = {};
  for (const d of decisions) {
    const o = await ctx.runtime.decide(d);
    outcomes[o.status] = (outcomes[o.status] ?? 0) + 1;
  }
  const result: ReputationJobResult = {
    height: job.height,
    ratings: plan.ratings.length,
    vouches: plan.vouches.length,
    owners: plan.owners.length,
    touched: plan.touched.length,
    looked,
    findings: {
      rings: findings.filter((f) => f.rule === "rating-ring").length,
      selfDealing: findings.filter((f) => f.rule === "self-dealing").length,
      sybil: findings.filter((f) => f.rule === "sybil-cluster").length,
    },
    decisions: decisions.length,
    outcomes,
    rejected: plan.rejected,
  };
  if (findings.length > 0)
    log.info(
      {
        height: job.height,
        ...result.findings,
        accounts: new Set(findings.flatMap(involved)).size,
        outcomes,
      },
      "reputation findings",
    );
  else log.debug(result, "reputation job applied");
  if (plan.rejected > 0)
    log.warn(
      { height: job.height, rejected: plan.rejected, code: "BAD_EVENT" },
      "malformed reputation events skipped",
    );
  if (plan.overflow > 0)
    log.warn(
      { height: job.height, overflow: plan.overflow, code: "TOO_MANY_ACCOUNTS" },
      "reputation: accounts left for later blocks",
    );
  return result;
}
