/**
 * The tally, as Cosmos x/gov defines it, over VIVIM's electorates:
 *
 *   1. no weight in the electorate            → rejected
 *   2. voted / total < quorum                 → rejected (deposits burned if burn_vote_quorum)
 *   3. every vote abstains                    → rejected
 *   4. no_with_veto / voted > veto_threshold  → rejected (deposits burned if burn_vote_veto)
 *   5. yes / (voted − abstain) > threshold    → passed  (expedited: expedited_threshold)
 *   6. otherwise                              → rejected, deposits refunded
 *
 * Weights are read at the tally, not when the votes were cast. A weighted vote splits the voter's
 * weight by its options' weights. Everything is exact integer arithmetic. A members' proposal is
 * counted from the sums its votes kept while scores held still (running-tally.ts), which is the same
 * count; the council's few votes are read one by one.
 */
import type { Proposal, TallyResult, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import { isCodedError } from "../../chain/errors/codes.js";
import { ratioBelow, ratioExceeds } from "../lib/decimal.js";
import type { KVReader } from "../types.js";
import { electorateTotal, voterStanding } from "./electorate.js";
import { getVote, listVotes } from "./keeper.js";
import { GovKeys } from "./keys.js";
import type { GovParams } from "./params.js";
import { Electorate, type GovVivimParams } from "./records.js";
import { addWeighted, agentVoters, type Counts, settledCounts, zeroCounts } from "./running-tally.js";

export type { Counts } from "./running-tally.js";

export type TallyVerdict = "passed" | "rejected";

export interface TallyOutcome {
  readonly verdict: TallyVerdict;
  /** Why, in words (emitted and shown by queries). */
  readonly reason: string;
  readonly burnDeposits: boolean;
  readonly counts: Counts;
  readonly total: bigint;
}

export function toTallyResult(c: Counts): TallyResult {
  return {
    yesCount: c.yes.toString(),
    abstainCount: c.abstain.toString(),
    noCount: c.no.toString(),
    noWithVetoCount: c.veto.toString(),
  };
}

/**
 * Adds `votes` to `counts`, each at its voter's current weight. `hasVoted` tells whether an
 * address voted on the proposal at all: an agent's vote is ignored when its owner voted.
 */
function addAtCurrentWeights(
  store: KVReader,
  counts: Counts,
  votes: readonly Vote[],
  electorate: Electorate,
  vparams: GovVivimParams,
  hasVoted: (address: string) => boolean,
): void {
  // Agents voting without their owner share the owner's weight: group them by owner first.
  const agentVotes = new Map<string, Array<{ vote: Vote; weight: bigint }>>();
  for (const vote of votes) {
    let standing: ReturnType<typeof voterStanding>;
    try {
      standing = voterStanding(store, electorate, vote.voter, vparams);
    } catch (err) {
      // An agent whose owner revoked `govern` (or that retired) since it voted no longer counts.
      if (isCodedError(err)) continue;
      throw err;
    }
    if (standing.weight === 0n) continue;
    if (standing.owner === undefined) {
      addWeighted(counts, vote, standing.weight);
      continue;
    }
    if (hasVoted(standing.owner)) continue;
    const group = agentVotes.get(standing.owner) ?? [];
    group.push({ vote, weight: standing.weight });
    agentVotes.set(standing.owner, group);
  }
  for (const group of agentVotes.values())
    for (const { vote, weight } of group) addWeighted(counts, vote, weight / BigInt(group.length));
}

/** The counts of the proposal's votes, each at its voter's current weight: every vote read. */
export function countVotes(
  store: KVReader,
  id: bigint,
  electorate: Electorate,
  vparams: GovVivimParams,
): Counts {
  const counts = zeroCounts();
  const votes = listVotes(store, id);
  const voters = new Set(votes.map((v) => v.voter));
  addAtCurrentWeights(store, counts, votes, electorate, vparams, (a) => voters.has(a));
  return counts;
}

/**
 * The same counts as `countVotes`, cheaply where it can: for a members' proposal whose running
 * sums still hold (running-tally.ts), the sums plus the agents' votes weighed one by one.
 */
export function currentCounts(
  store: KVReader,
  id: bigint,
  electorate: Electorate,
  vparams: GovVivimParams,
): Counts {
  if (electorate !== Electorate.MEMBERS) return countVotes(store, id, electorate, vparams);
  const counts = settledCounts(store, id, vparams);
  if (!counts) return countVotes(store, id, electorate, vparams);
  const votes = agentVoters(store, id).map((voter) => {
    const vote = getVote(store, id, voter);
    if (!vote) throw new Error(`gov: agent voter ${voter} of proposal ${id} has no vote`);
    return vote;
  });
  const hasVoted = (a: string) => store.get(GovKeys.vote(id, a)) !== undefined;
  addAtCurrentWeights(store, counts, votes, electorate, vparams, hasVoted);
  return counts;
}

export function tallyProposal(
  store: KVReader,
  proposal: Proposal,
  electorate: Electorate,
  params: GovParams,
  vparams: GovVivimParams,
): TallyOutcome {
  const counts = currentCounts(store, proposal.id, electorate, vparams);
  const total = electorateTotal(store, electorate, vparams);
  const voted = counts.yes + counts.abstain + counts.no + counts.veto;
  const outcome = (verdict: TallyVerdict, reason: string, burnDeposits = false): TallyOutcome => ({
    verdict,
    reason,
    burnDeposits,
    counts,
    total,
  });
  if (total === 0n) return outcome("rejected", "the electorate has no voting weight");
  if (ratioBelow(voted, total, params.quorum))
    return outcome("rejected", "quorum not reached", params.burnVoteQuorum);
  if (voted === counts.abstain) return outcome("rejected", "every vote abstained");
  if (ratioExceeds(counts.veto, voted, params.vetoThreshold))
    return outcome("rejected", "vetoed", params.burnVoteVeto);
  const threshold = proposal.expedited ? params.expeditedThreshold : params.threshold;
  if (ratioExceeds(counts.yes, voted - counts.abstain, threshold)) return outcome("passed", "passed");
  return outcome("rejected", "threshold not reached");
}
