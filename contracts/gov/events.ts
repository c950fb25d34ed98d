/** Event types and attribute helpers of the governance module (x/gov's names, plus VIVIM's own). */
import { indexedEvent } from "../lib/events.js";
import type { AbciEvent } from "../types.js";

export const GovEvents = {
  SubmitProposal: "submit_proposal",
  ProposalDeposit: "proposal_deposit",
  ProposalVote: "proposal_vote",
  /** A proposal left its voting period: `proposal_result` is proposal_passed, _rejected or _failed. */
  ActiveProposal: "active_proposal",
  /** A proposal left its deposit period without reaching the minimum deposit: proposal_dropped. */
  InactiveProposal: "inactive_proposal",
  /** A passed proposal's messages ran (`result` executed) or failed (`result` failed, nothing applied). */
  ProposalExecuted: "vivim.gov.v1.EventProposalExecuted",
  /**
   * A proposal's voting period ends within the reminder window (lifecycle.ts `reminderWindow`):
   * `proposal_id`, `voting_end_time` (RFC 3339). Once per voting deadline, from the end block.
   */
  VotingEndsSoon: "vivim.gov.v1.EventVotingEndsSoon",
  ParamsUpdated: "vivim.gov.v1.EventParamsUpdated",
} as const;

export function govEvent(
  type: string,
  attributes: Record<string, string>,
  unindexed: readonly string[] = [],
): AbciEvent {
  return indexedEvent(type, attributes, unindexed);
}
