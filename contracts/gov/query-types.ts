/** VIVIM's governance queries (`vivim.gov.v1.Query`, proto/vivim/gov/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { ELECTORATE_NAMES, type Electorate, GovVivimParams, ProposalInfo } from "./records.js";

export interface QueryProposalInfoRequest {
  proposalId: bigint;
}
export const QueryProposalInfoRequest = defineMessage<QueryProposalInfoRequest>(
  "vivim.gov.v1.QueryProposalInfoRequest",
  [{ no: 1, name: "proposalId", kind: "uint64" }],
);

export interface QueryProposalInfoResponse {
  info: ProposalInfo | undefined;
}
export const QueryProposalInfoResponse = defineMessage<QueryProposalInfoResponse>(
  "vivim.gov.v1.QueryProposalInfoResponse",
  [{ no: 1, name: "info", kind: "message", type: () => ProposalInfo }],
);

export type QueryGovVivimParamsRequest = Record<string, never>;
export const QueryGovVivimParamsRequest = defineMessage<QueryGovVivimParamsRequest>(
  "vivim.gov.v1.QueryParamsRequest",
  [],
);

export interface QueryGovVivimParamsResponse {
  params: GovVivimParams | undefined;
}
export const QueryGovVivimParamsResponse = defineMessage<QueryGovVivimParamsResponse>(
  "vivim.gov.v1.QueryParamsResponse",
  [{ no: 1, name: "params", kind: "message", type: () => GovVivimParams }],
);

export interface QueryVotingPowerRequest {
  proposalId: bigint;
  voter: string;
}
export const QueryVotingPowerRequest = defineMessage<QueryVotingPowerRequest>(
  "vivim.gov.v1.QueryVotingPowerRequest",
  [
    { no: 1, name: "proposalId", kind: "uint64" },
    { no: 2, name: "voter", kind: "string" },
  ],
);

export interface QueryVotingPowerResponse {
  electorate: Electorate;
  /** What the voter's vote would weigh now (weights are read again at the tally). */
  weight: string;
  /** The electorate's total weight now. */
  totalWeight: string;
  /** For an agent: the owner whose weight it carries. */
  owner: string;
  /** Why the voter cannot vote, if it cannot (e.g. an agent without `govern`). */
  refusal: string;
}
export const QueryVotingPowerResponse = defineMessage<QueryVotingPowerResponse>(
  "vivim.gov.v1.QueryVotingPowerResponse",
  [
    { no: 1, name: "electorate", kind: "enum", values: ELECTORATE_NAMES },
    { no: 2, name: "weight", kind: "string" },
    { no: 3, name: "totalWeight", kind: "string" },
    { no: 4, name: "owner", kind: "string" },
    { no: 5, name: "refusal", kind: "string" },
  ],
);
