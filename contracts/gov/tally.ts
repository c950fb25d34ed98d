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
 * weight by its options' weights. Everything is exact integer arithmetic.
 */
import type { Proposal, TallyResult, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { isCodedError } from "../../chain/errors/codes.js";
import { DEC_ONE, parseDec, ratioBelow, ratioExceeds } from "../lib/decimal.js";
import type { KVReader } from "../types.js";
import { electorateTotal, voterStanding } from "./electorate.js";
import { listVotes } from "./keeper.js";
import type { GovParams } from "./params.js";
import type { Electorate, GovVivimParams } from "./records.js";

export interface Counts {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  veto: bigint;
}

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

function addVote(counts: Counts, vote: Vote, weight: bigint): void {
  for (const o of vote.options) {
    const share = (weight * (parseDec(o.weight) ?? 0n)) / DEC_ONE;
    if (o.option === VoteOption.VOTE_OPTION_YES) counts.yes += share;
    else if (o.option === VoteOption.VOTE_OPTION_ABSTAIN) counts.abstain += share;
    else if (o.option === VoteOption.VOTE_OPTION_NO) counts.no += share;
    else if (o.option === VoteOption.VOTE_OPTION_NO_WITH_VETO) counts.veto += share;
  }
}

/** The counts of the proposal's votes, each at its voter's current weight. */
export function countVotes(
  store: KVReader,
  id: bigint,
  electorate: Electorate,
  vparams: GovVivimParams,
): Counts {
  const counts: Counts = { yes: 0n, abstain: 0n, no: 0n, veto: 0n };
  const votes = listVotes(store, id);
  const voters = new Set(votes.map((v) => v.voter));
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
      addVote(counts, vote, standing.weight);
      continue;
    }
    if (voters.has(standing.owner)) continue;
    const group = agentVotes.get(standing.owner) ?? [];
    group.push({ vote, weight: standing.weight });
    agentVotes.set(standing.owner, group);
  }
  for (const group of agentVotes.values())
    for (const { vote, weight } of group) addVote(counts, vote, weight / BigInt(group.length));
  return counts;
}

export function tallyProposal(
  store: KVReader,
  proposal: Proposal,
  electorate: Electorate,
  params: GovParams,
  vparams: GovVivimParams,
): TallyOutcome {
  const counts = countVotes(store, proposal.id, electorate, vparams);
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
