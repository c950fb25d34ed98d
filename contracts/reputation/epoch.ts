/**
 * The epoch end block: reads the trust graph index with point reads, runs EigenTrust
 * (eigentrust.ts), credits owners their share of their agents' trust, scales and writes every
 * node's score (only the ones that changed), and emits `vivim.reputation.v1.EventEpoch`.
 *
 * Deterministic: every input comes from state in index order; owners that are not yet nodes are
 * appended to the index in agent index order.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { getVivimGovParams } from "../gov/params.js";
import { AGENT_PREFIX } from "../identity/keeper.js";
import { Agent } from "../identity/records.js";
import { indexedEvent } from "../lib/events.js";
import { key, readUint64, uint64Bytes } from "../lib/store.js";
import type { ExecContext } from "../types.js";
import { eigenTrust, localTrust, scaleScores, withOwnerShare } from "./eigentrust.js";
import { addressAt, ensureNode, getNode, getPretrusted, readGraph } from "./graph.js";
import { epochCount, ratingCount, setEpochCount } from "./keeper.js";
import { getReputationParams } from "./params.js";
import { bumpScoresVersion, SCORE_PREFIX, setMembersWeight } from "./reach.js";

export const EVENT_EPOCH = "vivim.reputation.v1.EventEpoch";

export interface EpochResult {
  readonly epoch: bigint;
  readonly accounts: number;
  readonly ratings: bigint;
  readonly edges: number;
  /** Scores written (changed) by this epoch. */
  readonly updated: number;
}

export function isEpochHeight(height: bigint, epochBlocks: bigint): boolean {
  return height > 0n && epochBlocks > 0n && height % epochBlocks === 0n;
}

export function runEpoch(ctx: ExecContext): EpochResult {
  const store = ctx.store;
  const params = getReputationParams(store);
  const graph = readGraph(store);

  // Owners: every agent node credits its owner, who becomes a node if it is not one yet.
  const extra: Uint8Array[] = [];
  const owners: number[] = [];
  for (let i = 0; i < graph.n; i++) {
    const bytes = store.get(key(AGENT_PREFIX, addressAt(graph, i)));
    if (!bytes) {
      owners.push(-1);
      continue;
    }
    const ownerAddr = decodeAddress(Agent.decode(bytes).owner);
    const node = ensureNode(store, ownerAddr);
    if (node.index >= graph.n + extra.length) extra.push(ownerAddr);
    owners.push(node.index);
  }
  const n = graph.n + extra.length;
  const ownerOf = new Int32Array(n).fill(-1);
  ownerOf.set(owners);

  const m = graph.rowStart[graph.n]!;
  const weight = new Int32Array(m);
  for (let e = 0; e < m; e++)
    weight[e] = localTrust(graph.rating[e]!, graph.attested[e] !== 0, params.attestationWeight);
  const rowStart = new Int32Array(n + 1).fill(m);
  rowStart.set(graph.rowStart.subarray(0, graph.n + 1));

  const pretrusted: number[] = [];
  for (const a of getPretrusted(store)) {
    const node = getNode(store, a);
    if (node) pretrusted.push(node.index);
  }

  const trust = eigenTrust({ n, rowStart, target: graph.target, weight }, pretrusted, {
    iterations: params.eigentrustIterations,
    pretrustWeightPpm: params.pretrustWeightPpm,
    maxRaterInfluencePpm: params.maxRaterInfluencePpm,
  });
  const scores = scaleScores(withOwnerShare(trust, ownerOf, params.ownerShareOfAgentPpm));

  let updated = 0;
  const reachLine = params.fullReachScore;
  // Governance's members vote with their stored scores capped at member_weight_cap; their total
  // (the quorum's denominator) is summed here, where every score passes by anyway.
  const cap = getVivimGovParams(store).memberWeightCap;
  let membersWeight = 0n;
  for (let i = 0; i < n; i++) {
    const addr = i < graph.n ? addressAt(graph, i) : extra[i - graph.n]!;
    const k = key(SCORE_PREFIX, addr);
    const old = store.get(k);
    const oldScore = old ? readUint64(old) : 0n;
    const score = scores[i]!;
    const worth = scoreWorthWriting(oldScore, score, reachLine);
    if (ownerOf[i]! < 0) {
      const stored = worth ? score : oldScore;
      membersWeight += stored < cap ? stored : cap;
    }
    if (!worth) continue;
    if (score === 0n) store.delete(k);
    else store.set(k, uint64Bytes(score));
    updated++;
  }
  setMembersWeight(store, cap, membersWeight);
  // Governance's running member tallies hold only while no score moves (contracts/gov/running-tally.ts).
  if (updated > 0) bumpScoresVersion(store);

  const epoch = epochCount(store) + 1n;
  setEpochCount(store, epoch);
  const ratings = ratingCount(store);
  ctx.emit(
    indexedEvent(EVENT_EPOCH, { epoch: epoch.toString(), accounts: String(n), ratings: ratings.toString() }, [
      "accounts",
      "ratings",
    ]),
  );
  return { epoch, accounts: n, ratings, edges: m, updated };
}

/**
 * Scores drift a little every epoch as ratings arrive; each rewritten score costs a path of tree
 * nodes in the app hash (13k rewrites took 0.8-4 s of commit at 20k accounts). A score is stored
 * again only when it moved by more than SCORE_DEADBAND_PPM (0.05 %) of itself, crossed the reach line, or
 * became or stopped being zero; drift below the band accumulates until it crosses it.
 */
export const SCORE_DEADBAND_PPM = 500n;

export function scoreWorthWriting(old: bigint, score: bigint, reachLine: bigint): boolean {
  if (old === score) return false;
  if (old === 0n || score === 0n) return true;
  if (old < reachLine !== score < reachLine) return true;
  const moved = old > score ? old - score : score - old;
  return moved * 1_000_000n > old * SCORE_DEADBAND_PPM;
}
