/**
 * Registered errors of the governance module (codespace "gov"). Codes 2–20 follow Cosmos x/gov's
 * numbering where the condition is the same, so wallets that know x/gov read them right; VIVIM's own
 * conditions start at 100.
 */
import { registerError } from "../../chain/errors/codes.js";

export const GovErrors = {
  UnknownProposal: registerError("gov", 2, "unknown proposal"),
  InactiveProposal: registerError("gov", 3, "inactive proposal"),
  InvalidProposalContent: registerError("gov", 5, "invalid proposal content"),
  InvalidProposalType: registerError("gov", 6, "invalid proposal type"),
  InvalidVote: registerError("gov", 7, "invalid vote option"),
  InvalidGenesis: registerError("gov", 8, "invalid genesis state"),
  UnroutableProposalMsg: registerError("gov", 10, "proposal message not recognized by router"),
  InvalidProposalMsg: registerError("gov", 12, "invalid proposal message"),
  InvalidSigner: registerError("gov", 13, "expected gov account as only signer for proposal message"),
  MetadataTooLong: registerError("gov", 15, "metadata too long"),
  MinDepositTooSmall: registerError("gov", 16, "minimum deposit is too small"),
  InvalidProposer: registerError("gov", 18, "invalid proposer"),
  VotingPeriodEnded: registerError("gov", 20, "voting period already ended"),
  InvalidProposal: registerError("gov", 21, "invalid proposal"),
  InvalidDepositAmount: registerError("gov", 22, "invalid deposit amount"),
  InvalidParams: registerError("gov", 23, "invalid gov params"),
  NoVotingPower: registerError("gov", 100, "voter has no voting power in this proposal's electorate"),
  AgentNotPermitted: registerError("gov", 101, "the agent's owner has not granted it the govern capability"),
  MixedElectorates: registerError(
    "gov",
    102,
    "a proposal's messages must all be decided by the same electorate",
  ),
  TooManyOpenProposals: registerError("gov", 103, "too many open proposals"),
} as const;
