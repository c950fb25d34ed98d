/**
 * One account's votes on a list of posts or comments in a single query — what a feed page needs to
 * highlight the viewer's own votes without asking once per card (proto/vivim/social/v1/query.proto
 * `Votes`). Only targets the voter voted on are answered; the list is capped.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { VOTE_DIRECTION_NAMES, type VoteDirection } from "./enums.js";

/** The most targets one Votes query may name (a feed page is 20–100 cards). */
export const MAX_VOTE_TARGETS = 100;

const Q = (name: string) => `vivim.social.v1.${name}`;

export interface QueryVotesRequest {
  voter: string;
  targetIds: bigint[];
}
export const QueryVotesRequest = defineMessage<QueryVotesRequest>(Q("QueryVotesRequest"), [
  { no: 1, name: "voter", kind: "string" },
  { no: 2, name: "targetIds", kind: "uint64", repeated: true },
]);

export interface TargetVote {
  targetId: bigint;
  direction: VoteDirection;
}
export const TargetVote = defineMessage<TargetVote>(Q("TargetVote"), [
  { no: 1, name: "targetId", kind: "uint64" },
  { no: 2, name: "direction", kind: "enum", values: VOTE_DIRECTION_NAMES },
]);

/** The voter's standing votes among the targets asked, in the order asked (none: not listed). */
export interface QueryVotesResponse {
  votes: TargetVote[];
}
export const QueryVotesResponse = defineMessage<QueryVotesResponse>(Q("QueryVotesResponse"), [
  { no: 1, name: "votes", kind: "message", type: () => TargetVote, repeated: true },
]);
