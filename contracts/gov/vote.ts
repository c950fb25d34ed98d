/**
 * MsgVote and MsgVoteWeighted, v1 and v1beta1. A vote replaces the voter's earlier one; votes are
 * taken only during the voting period, from voters with weight in the proposal's electorate. On a
 * members' proposal each vote also keeps the proposal's running tally (running-tally.ts).
 */
import {
  ProposalStatus,
  type Vote,
  VoteOption,
  type WeightedVoteOption,
} from "cosmjs-types/cosmos/gov/v1/gov";
import {
  MsgVote,
  MsgVoteResponse,
  MsgVoteWeighted,
  MsgVoteWeightedResponse,
} from "cosmjs-types/cosmos/gov/v1/tx";
import {
  MsgVoteResponse as MsgVoteResponseV1Beta1,
  MsgVote as MsgVoteV1Beta1,
  MsgVoteWeightedResponse as MsgVoteWeightedResponseV1Beta1,
  MsgVoteWeighted as MsgVoteWeightedV1Beta1,
} from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { DEC_ONE, formatDec, parseDec, parseLegacyDec } from "../lib/decimal.js";
import type { ExecContext, MsgDefinition, MsgResponse } from "../types.js";
import { voterStanding } from "./electorate.js";
import { GovErrors } from "./errors.js";
import { GovEvents, govEvent } from "./events.js";
import { compareTime, getInfo, getVote, requireProposal, setVote } from "./keeper.js";
import { blockTimestamp } from "./lifecycle.js";
import { getVivimGovParams } from "./params.js";
import { Electorate } from "./records.js";
import { recordMemberVote } from "./running-tally.js";
import { V1Beta1Schemas, V1Schemas } from "./schemas.js";
import { MAX_METADATA_BYTES } from "./submit.js";

const OPTION_NAMES: Record<number, string> = {
  [VoteOption.VOTE_OPTION_YES]: "VOTE_OPTION_YES",
  [VoteOption.VOTE_OPTION_ABSTAIN]: "VOTE_OPTION_ABSTAIN",
  [VoteOption.VOTE_OPTION_NO]: "VOTE_OPTION_NO",
  [VoteOption.VOTE_OPTION_NO_WITH_VETO]: "VOTE_OPTION_NO_WITH_VETO",
};

function checkVoter(voter: string): void {
  try {
    decodeAddress(voter);
  } catch {
    throw new CodedError(GovErrors.InvalidVote, "voter must be a vivim address");
  }
}

function checkOption(option: number): void {
  if (!(option in OPTION_NAMES))
    throw new CodedError(
      GovErrors.InvalidVote,
      `option ${option} is not yes (1), abstain (2), no (3) or no_with_veto (4)`,
    );
}

/** Weighted options with decimal weights (parsed by `parse`): 1–4 distinct options summing to 1. */
function normalizeOptions(
  options: readonly WeightedVoteOption[],
  parse: (w: string) => bigint | undefined,
): WeightedVoteOption[] {
  if (options.length === 0 || options.length > 4)
    throw new CodedError(GovErrors.InvalidVote, "a weighted vote has between 1 and 4 options");
  const seen = new Set<number>();
  let sum = 0n;
  const out = options.map((o) => {
    checkOption(o.option);
    if (seen.has(o.option))
      throw new CodedError(GovErrors.InvalidVote, `${OPTION_NAMES[o.option]} is listed twice`);
    seen.add(o.option);
    const w = parse(o.weight);
    if (w === undefined || w <= 0n || w > DEC_ONE)
      throw new CodedError(
        GovErrors.InvalidVote,
        `weight ${JSON.stringify(o.weight.slice(0, 40))} must be a decimal in (0, 1]`,
      );
    sum += w;
    return { option: o.option, weight: formatDec(w) };
  });
  if (sum !== DEC_ONE) throw new CodedError(GovErrors.InvalidVote, "the weights must sum to 1");
  return out;
}

const single = (option: number): WeightedVoteOption[] => [{ option, weight: formatDec(DEC_ONE) }];

function castVote(
  ctx: ExecContext,
  proposalId: bigint,
  voter: string,
  options: WeightedVoteOption[],
  metadata: string,
): void {
  const proposal = requireProposal(ctx.store, proposalId);
  if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
    throw new CodedError(GovErrors.InactiveProposal, `proposal ${proposalId} is not in its voting period`);
  if (proposal.votingEndTime && compareTime(blockTimestamp(ctx), proposal.votingEndTime) >= 0)
    throw new CodedError(GovErrors.VotingPeriodEnded, `proposal ${proposalId}'s voting period has ended`);
  const info = getInfo(ctx.store, proposalId);
  if (!info) throw new Error(`gov: proposal ${proposalId} has no info record`);
  const vparams = getVivimGovParams(ctx.store);
  const standing = voterStanding(ctx.store, info.electorate, voter, vparams);
  if (standing.weight === 0n)
    throw new CodedError(
      GovErrors.NoVotingPower,
      `${voter} has no weight in proposal ${proposalId}'s electorate`,
    );
  const vote: Vote = { proposalId, voter, options, metadata };
  if (info.electorate === Electorate.MEMBERS) {
    const previous = getVote(ctx.store, proposalId, voter);
    setVote(ctx.store, vote);
    recordMemberVote(ctx.store, vote, previous, standing, vparams);
  } else {
    setVote(ctx.store, vote);
  }
  ctx.emit(
    govEvent(GovEvents.ProposalVote, {
      option: options.map((o) => `${OPTION_NAMES[o.option]}:${o.weight}`).join(","),
      proposal_id: proposalId.toString(),
      voter,
    }),
  );
}

function checkMetadata(metadata: string): void {
  if (Buffer.byteLength(metadata) > MAX_METADATA_BYTES)
    throw new CodedError(GovErrors.MetadataTooLong, `vote metadata exceeds ${MAX_METADATA_BYTES} bytes`);
}

const respond = (typeUrl: string, value: Uint8Array): MsgResponse => ({ typeUrl, value });

export const msgVote: MsgDefinition<MsgVote> = {
  typeUrl: "/cosmos.gov.v1.MsgVote",
  type: MsgVote,
  schema: V1Schemas.MsgVote,
  signers: (m) => [m.voter],
  validateBasic(m) {
    checkVoter(m.voter);
    checkOption(m.option);
    checkMetadata(m.metadata);
  },
  handle(ctx, m) {
    castVote(ctx, m.proposalId, m.voter, single(m.option), m.metadata);
    return respond("/cosmos.gov.v1.MsgVoteResponse", MsgVoteResponse.encode({}).finish());
  },
};

export const msgVoteWeighted: MsgDefinition<MsgVoteWeighted> = {
  typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
  type: MsgVoteWeighted,
  schema: V1Schemas.MsgVoteWeighted,
  signers: (m) => [m.voter],
  validateBasic(m) {
    checkVoter(m.voter);
    normalizeOptions(m.options, parseDec);
    checkMetadata(m.metadata);
  },
  handle(ctx, m) {
    castVote(ctx, m.proposalId, m.voter, normalizeOptions(m.options, parseDec), m.metadata);
    return respond("/cosmos.gov.v1.MsgVoteWeightedResponse", MsgVoteWeightedResponse.encode({}).finish());
  },
};

export const msgVoteV1Beta1: MsgDefinition<MsgVoteV1Beta1> = {
  typeUrl: "/cosmos.gov.v1beta1.MsgVote",
  type: MsgVoteV1Beta1,
  schema: V1Beta1Schemas.MsgVote,
  signers: (m) => [m.voter],
  validateBasic(m) {
    checkVoter(m.voter);
    checkOption(m.option);
  },
  handle(ctx, m) {
    castVote(ctx, m.proposalId, m.voter, single(m.option), "");
    return respond("/cosmos.gov.v1beta1.MsgVoteResponse", MsgVoteResponseV1Beta1.encode({}).finish());
  },
};

/** v1beta1 weights are gogoproto `Dec`s: the scaled integer on the wire ("500000000000000000" = 0.5). */
export const msgVoteWeightedV1Beta1: MsgDefinition<MsgVoteWeightedV1Beta1> = {
  typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
  type: MsgVoteWeightedV1Beta1,
  schema: V1Beta1Schemas.MsgVoteWeighted,
  signers: (m) => [m.voter],
  validateBasic(m) {
    checkVoter(m.voter);
    normalizeOptions(m.options, parseLegacyDec);
  },
  handle(ctx, m) {
    castVote(ctx, m.proposalId, m.voter, normalizeOptions(m.options, parseLegacyDec), "");
    return respond(
      "/cosmos.gov.v1beta1.MsgVoteWeightedResponse",
      MsgVoteWeightedResponseV1Beta1.encode({}).finish(),
    );
  },
};
