/**
 * The epoch end block: reads the trust graph index with point reads, runs EigenTrust
 * (eigentrust.ts), credits owners their share of their agents' trust, scales and writes every
 * node's score (only the ones that changed), and emits `vivim.reputation.v1.EventEpoch`.
 *
 * Deterministic: every input comes from state in index order; owners that are not yet nodes are
 * appended to the index in agent index order.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { AGENT_PREFIX } from "../identity/keeper.js";
import { Agent } from "../identity/records.js";
import { indexedEvent } from "../lib/events.js";
import { key, readUint64, uint64Bytes } from "../lib/store.js";
import type { ExecContext } from "../types.js";
import { eigenTrust, localTrust, scaleScores, withOwnerShare } from "./eigentrust.js";
import { addressAt, ensureNode, getNode, getPretrusted, readGraph } from "./graph.js";
import { epochCount, ratingCount, setEpochCount } from "./keeper.js";
import { getReputationParams } from "./params.js";
import { SCORE_PREFIX } from "./reach.js";

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
  for (let i = 0; i < n; i++) {
    const addr = i < graph.n ? addressAt(graph, i) : extra[i - graph.n]!;
    const k = key(SCORE_PREFIX, addr);
    const old = store.get(k);
    const score = scores[i]!;
    if ((old ? readUint64(old) : 0n) === score) continue;
    if (score === 0n) store.delete(k);
    else store.set(k, uint64Bytes(score));
    updated++;
  }

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
