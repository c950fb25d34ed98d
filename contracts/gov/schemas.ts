/**
 * Strict-decoding schemas of the standard `cosmos.gov` messages, which the node decodes with
 * cosmjs-types' own objects (what wallets encode). Field numbers from cosmos-sdk's
 * proto/cosmos/gov/{v1,v1beta1}/{gov,tx}.proto.
 */
import type { MessageSchema } from "../../chain/codec/schema.js";
import { CoinSchema } from "../../chain/tx/schemas.js";

const VOTE_OPTIONS = [
  "VOTE_OPTION_UNSPECIFIED",
  "VOTE_OPTION_YES",
  "VOTE_OPTION_ABSTAIN",
  "VOTE_OPTION_NO",
  "VOTE_OPTION_NO_WITH_VETO",
];
const coins = { kind: { message: () => CoinSchema }, repeated: true } as const;

export const DurationSchema: MessageSchema = {
  name: "google.protobuf.Duration",
  fields: { 1: { name: "seconds", kind: "int64" }, 2: { name: "nanos", kind: "int32" } },
};

const weightedVoteOption = (pkg: string): MessageSchema => ({
  name: `cosmos.gov.${pkg}.WeightedVoteOption`,
  fields: {
    1: { name: "option", kind: "enum", enumValues: VOTE_OPTIONS },
    2: { name: "weight", kind: "string" },
  },
});

export const ParamsSchema: MessageSchema = {
  name: "cosmos.gov.v1.Params",
  fields: {
    1: { name: "min_deposit", ...coins },
    2: { name: "max_deposit_period", kind: { message: () => DurationSchema } },
    3: { name: "voting_period", kind: { message: () => DurationSchema } },
    4: { name: "quorum", kind: "string" },
    5: { name: "threshold", kind: "string" },
    6: { name: "veto_threshold", kind: "string" },
    7: { name: "min_initial_deposit_ratio", kind: "string" },
    8: { name: "proposal_cancel_ratio", kind: "string" },
    9: { name: "proposal_cancel_dest", kind: "string" },
    10: { name: "expedited_voting_period", kind: { message: () => DurationSchema } },
    11: { name: "expedited_threshold", kind: "string" },
    12: { name: "expedited_min_deposit", ...coins },
    13: { name: "burn_vote_quorum", kind: "bool" },
    14: { name: "burn_proposal_deposit_prevote", kind: "bool" },
    15: { name: "burn_vote_veto", kind: "bool" },
    16: { name: "min_deposit_ratio", kind: "string" },
  },
};

export const V1Schemas = {
  MsgSubmitProposal: {
    name: "cosmos.gov.v1.MsgSubmitProposal",
    fields: {
      1: { name: "messages", kind: "any", repeated: true },
      2: { name: "initial_deposit", ...coins },
      3: { name: "proposer", kind: "string" },
      4: { name: "metadata", kind: "string" },
      5: { name: "title", kind: "string" },
      6: { name: "summary", kind: "string" },
      7: { name: "expedited", kind: "bool" },
    },
  },
  MsgVote: {
    name: "cosmos.gov.v1.MsgVote",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "voter", kind: "string" },
      3: { name: "option", kind: "enum", enumValues: VOTE_OPTIONS },
      4: { name: "metadata", kind: "string" },
    },
  },
  MsgVoteWeighted: {
    name: "cosmos.gov.v1.MsgVoteWeighted",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "voter", kind: "string" },
      3: { name: "options", kind: { message: () => weightedVoteOption("v1") }, repeated: true },
      4: { name: "metadata", kind: "string" },
    },
  },
  MsgDeposit: {
    name: "cosmos.gov.v1.MsgDeposit",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "depositor", kind: "string" },
      3: { name: "amount", ...coins },
    },
  },
  MsgUpdateParams: {
    name: "cosmos.gov.v1.MsgUpdateParams",
    fields: {
      1: { name: "authority", kind: "string" },
      2: { name: "params", kind: { message: () => ParamsSchema } },
    },
  },
} satisfies Record<string, MessageSchema>;

export const V1Beta1Schemas = {
  MsgSubmitProposal: {
    name: "cosmos.gov.v1beta1.MsgSubmitProposal",
    fields: {
      1: { name: "content", kind: "any" },
      2: { name: "initial_deposit", ...coins },
      3: { name: "proposer", kind: "string" },
    },
  },
  MsgVote: {
    name: "cosmos.gov.v1beta1.MsgVote",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "voter", kind: "string" },
      3: { name: "option", kind: "enum", enumValues: VOTE_OPTIONS },
    },
  },
  MsgVoteWeighted: {
    name: "cosmos.gov.v1beta1.MsgVoteWeighted",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "voter", kind: "string" },
      3: { name: "options", kind: { message: () => weightedVoteOption("v1beta1") }, repeated: true },
    },
  },
  MsgDeposit: {
    name: "cosmos.gov.v1beta1.MsgDeposit",
    fields: {
      1: { name: "proposal_id", kind: "uint64" },
      2: { name: "depositor", kind: "string" },
      3: { name: "amount", ...coins },
    },
  },
  TextProposal: {
    name: "cosmos.gov.v1beta1.TextProposal",
    fields: { 1: { name: "title", kind: "string" }, 2: { name: "description", kind: "string" } },
  },
} satisfies Record<string, MessageSchema>;
