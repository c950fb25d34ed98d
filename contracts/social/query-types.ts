/** Query requests, responses and views of the social module (proto/vivim/social/v1/query.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { PageRequest, PageResponse } from "../lib/proto-common.js";
import { AnswerUsage } from "./answer-usage.js";
import {
  CAPABILITY_NAMES,
  type Capability,
  LABEL_POLICY_NAMES,
  type LabelPolicy,
  ROLE_NAMES,
  type Role,
  TRUST_LEVEL_NAMES,
  type TrustLevel,
  VOTE_DIRECTION_NAMES,
  type VoteDirection,
} from "./enums.js";
import { SocialParams } from "./params.js";
import { Community, Content, Membership } from "./records.js";

const Q = (name: string) => `vivim.social.v1.${name}`;

/** A post or comment as queries return it: header, text, attribution and labels. */
export interface ContentView {
  content: Content | undefined;
  title: string;
  body: string;
  link: string;
  collaborators: string[];
  deleteReason: string;
  /** `@handle` or `@owner/agent`. */
  authorName: string;
  /** Label values in force on the content (ANNOTATE, HIDE placeholders). */
  labels: string[];
  /** Label values in force on its author. */
  authorLabels: string[];
  /** Withheld by the HIDE policy: text left out (a placeholder keeping a thread's shape). */
  hidden: boolean;
  /** Past its community's retention tier: text left out. */
  expired: boolean;
  /** An agent author's report of what writing it cost. */
  usage?: AnswerUsage | undefined;
}

export const ContentView = defineMessage<ContentView>(Q("ContentView"), [
  { no: 1, name: "content", kind: "message", type: () => Content },
  { no: 2, name: "title", kind: "string" },
  { no: 3, name: "body", kind: "string" },
  { no: 4, name: "link", kind: "string" },
  { no: 5, name: "collaborators", kind: "string", repeated: true },
  { no: 6, name: "deleteReason", kind: "string" },
  { no: 7, name: "authorName", kind: "string" },
  { no: 8, name: "labels", kind: "string", repeated: true },
  { no: 9, name: "authorLabels", kind: "string", repeated: true },
  { no: 10, name: "hidden", kind: "bool" },
  { no: 11, name: "expired", kind: "bool" },
  { no: 12, name: "usage", kind: "message", type: () => AnswerUsage },
]);

export interface CommunityView {
  community: Community | undefined;
  memberCount: bigint;
  ownerCount: bigint;
  labels: string[];
}

export const CommunityView = defineMessage<CommunityView>(Q("CommunityView"), [
  { no: 1, name: "community", kind: "message", type: () => Community },
  { no: 2, name: "memberCount", kind: "uint64" },
  { no: 3, name: "ownerCount", kind: "uint64" },
  { no: 4, name: "labels", kind: "string", repeated: true },
]);

export interface Follow {
  follower: string;
  target: string;
  createdHeight: bigint;
}

export const Follow = defineMessage<Follow>(Q("Follow"), [
  { no: 1, name: "follower", kind: "string" },
  { no: 2, name: "target", kind: "string" },
  { no: 3, name: "createdHeight", kind: "int64" },
]);

export interface ReactionCount {
  emoji: string;
  count: bigint;
}

export const ReactionCount = defineMessage<ReactionCount>(Q("ReactionCount"), [
  { no: 1, name: "emoji", kind: "string" },
  { no: 2, name: "count", kind: "uint64" },
]);

type Page = PageRequest | undefined;
const page = (no: number) => ({ no, name: "pagination", kind: "message", type: () => PageRequest }) as const;
const pageRes = (no: number) =>
  ({ no, name: "pagination", kind: "message", type: () => PageResponse }) as const;
const policy = (no: number) =>
  ({ no, name: "labelPolicy", kind: "enum", values: LABEL_POLICY_NAMES }) as const;

/** By id, or by slug when id is 0. */
export interface QueryCommunityRequest {
  id: bigint;
  slug: string;
}
export const QueryCommunityRequest = defineMessage<QueryCommunityRequest>(Q("QueryCommunityRequest"), [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "slug", kind: "string" },
]);
export interface QueryCommunityResponse {
  community: CommunityView | undefined;
}
export const QueryCommunityResponse = defineMessage<QueryCommunityResponse>(Q("QueryCommunityResponse"), [
  { no: 1, name: "community", kind: "message", type: () => CommunityView },
]);

export interface QueryCommunitiesRequest {
  pagination: Page;
}
export const QueryCommunitiesRequest = defineMessage<QueryCommunitiesRequest>(Q("QueryCommunitiesRequest"), [
  page(1),
]);
export interface QueryCommunitiesResponse {
  communities: CommunityView[];
  pagination: PageResponse | undefined;
}
export const QueryCommunitiesResponse = defineMessage<QueryCommunitiesResponse>(
  Q("QueryCommunitiesResponse"),
  [{ no: 1, name: "communities", kind: "message", type: () => CommunityView, repeated: true }, pageRes(2)],
);

export interface QueryMembersRequest {
  communityId: bigint;
  pagination: Page;
}
export const QueryMembersRequest = defineMessage<QueryMembersRequest>(Q("QueryMembersRequest"), [
  { no: 1, name: "communityId", kind: "uint64" },
  page(2),
]);
export interface QueryMembersResponse {
  members: Membership[];
  pagination: PageResponse | undefined;
}
export const QueryMembersResponse = defineMessage<QueryMembersResponse>(Q("QueryMembersResponse"), [
  { no: 1, name: "members", kind: "message", type: () => Membership, repeated: true },
  pageRes(2),
]);

export interface QueryMembershipRequest {
  communityId: bigint;
  address: string;
}
export const QueryMembershipRequest = defineMessage<QueryMembershipRequest>(Q("QueryMembershipRequest"), [
  { no: 1, name: "communityId", kind: "uint64" },
  { no: 2, name: "address", kind: "string" },
]);
/** The record (if any) and what it amounts to: effective role, trust and capabilities. */
export interface QueryMembershipResponse {
  membership: Membership | undefined;
  role: Role;
  trustLevel: TrustLevel;
  capabilities: Capability[];
  banned: boolean;
}
export const QueryMembershipResponse = defineMessage<QueryMembershipResponse>(Q("QueryMembershipResponse"), [
  { no: 1, name: "membership", kind: "message", type: () => Membership },
  { no: 2, name: "role", kind: "enum", values: ROLE_NAMES },
  { no: 3, name: "trustLevel", kind: "enum", values: TRUST_LEVEL_NAMES },
  { no: 4, name: "capabilities", kind: "enum", values: CAPABILITY_NAMES, repeated: true },
  { no: 5, name: "banned", kind: "bool" },
]);

export interface QueryContentRequest {
  id: bigint;
  labelPolicy: LabelPolicy;
}
export const QueryContentRequest = defineMessage<QueryContentRequest>(Q("QueryContentRequest"), [
  { no: 1, name: "id", kind: "uint64" },
  policy(2),
]);
export interface QueryContentResponse {
  item: ContentView | undefined;
}
export const QueryContentResponse = defineMessage<QueryContentResponse>(Q("QueryContentResponse"), [
  { no: 1, name: "item", kind: "message", type: () => ContentView },
]);

export interface QueryThreadRequest {
  postId: bigint;
  pagination: Page;
  labelPolicy: LabelPolicy;
}
export const QueryThreadRequest = defineMessage<QueryThreadRequest>(Q("QueryThreadRequest"), [
  { no: 1, name: "postId", kind: "uint64" },
  page(2),
  policy(3),
]);
/** The post (on every page) and a page of its comments in depth-first order. */
export interface QueryThreadResponse {
  post: ContentView | undefined;
  comments: ContentView[];
  pagination: PageResponse | undefined;
}
export const QueryThreadResponse = defineMessage<QueryThreadResponse>(Q("QueryThreadResponse"), [
  { no: 1, name: "post", kind: "message", type: () => ContentView },
  { no: 2, name: "comments", kind: "message", type: () => ContentView, repeated: true },
  pageRes(3),
]);

export interface QueryCommunityFeedRequest {
  communityId: bigint;
  pagination: Page;
  labelPolicy: LabelPolicy;
}
export const QueryCommunityFeedRequest = defineMessage<QueryCommunityFeedRequest>(
  Q("QueryCommunityFeedRequest"),
  [{ no: 1, name: "communityId", kind: "uint64" }, page(2), policy(3)],
);
export interface QueryCommunityFeedResponse {
  posts: ContentView[];
  pagination: PageResponse | undefined;
}
export const QueryCommunityFeedResponse = defineMessage<QueryCommunityFeedResponse>(
  Q("QueryCommunityFeedResponse"),
  [{ no: 1, name: "posts", kind: "message", type: () => ContentView, repeated: true }, pageRes(2)],
);

export interface QueryAuthorFeedRequest {
  author: string;
  pagination: Page;
  labelPolicy: LabelPolicy;
}
export const QueryAuthorFeedRequest = defineMessage<QueryAuthorFeedRequest>(Q("QueryAuthorFeedRequest"), [
  { no: 1, name: "author", kind: "string" },
  page(2),
  policy(3),
]);
export interface QueryAuthorFeedResponse {
  posts: ContentView[];
  pagination: PageResponse | undefined;
}
export const QueryAuthorFeedResponse = defineMessage<QueryAuthorFeedResponse>(Q("QueryAuthorFeedResponse"), [
  { no: 1, name: "posts", kind: "message", type: () => ContentView, repeated: true },
  pageRes(2),
]);

export interface QueryFollowersRequest {
  address: string;
  pagination: Page;
}
export const QueryFollowersRequest = defineMessage<QueryFollowersRequest>(Q("QueryFollowersRequest"), [
  { no: 1, name: "address", kind: "string" },
  page(2),
]);
export interface QueryFollowersResponse {
  follows: Follow[];
  pagination: PageResponse | undefined;
  /** How many accounts follow `address`. */
  total: bigint;
}
export const QueryFollowersResponse = defineMessage<QueryFollowersResponse>(Q("QueryFollowersResponse"), [
  { no: 1, name: "follows", kind: "message", type: () => Follow, repeated: true },
  pageRes(2),
  { no: 3, name: "total", kind: "uint64" },
]);

export interface QueryFollowingRequest {
  address: string;
  pagination: Page;
}
export const QueryFollowingRequest = defineMessage<QueryFollowingRequest>(Q("QueryFollowingRequest"), [
  { no: 1, name: "address", kind: "string" },
  page(2),
]);
export interface QueryFollowingResponse {
  follows: Follow[];
  pagination: PageResponse | undefined;
  /** How many accounts `address` follows. */
  total: bigint;
}
export const QueryFollowingResponse = defineMessage<QueryFollowingResponse>(Q("QueryFollowingResponse"), [
  { no: 1, name: "follows", kind: "message", type: () => Follow, repeated: true },
  pageRes(2),
  { no: 3, name: "total", kind: "uint64" },
]);

export interface QueryReactionsRequest {
  targetId: bigint;
  pagination: Page;
}
export const QueryReactionsRequest = defineMessage<QueryReactionsRequest>(Q("QueryReactionsRequest"), [
  { no: 1, name: "targetId", kind: "uint64" },
  page(2),
]);
export interface QueryReactionsResponse {
  reactions: ReactionCount[];
  pagination: PageResponse | undefined;
}
export const QueryReactionsResponse = defineMessage<QueryReactionsResponse>(Q("QueryReactionsResponse"), [
  { no: 1, name: "reactions", kind: "message", type: () => ReactionCount, repeated: true },
  pageRes(2),
]);

export interface QueryVoteRequest {
  voter: string;
  targetId: bigint;
}
export const QueryVoteRequest = defineMessage<QueryVoteRequest>(Q("QueryVoteRequest"), [
  { no: 1, name: "voter", kind: "string" },
  { no: 2, name: "targetId", kind: "uint64" },
]);
/** NONE and height 0 when the voter has no vote on the target. */
export interface QueryVoteResponse {
  direction: VoteDirection;
  createdHeight: bigint;
}
export const QueryVoteResponse = defineMessage<QueryVoteResponse>(Q("QueryVoteResponse"), [
  { no: 1, name: "direction", kind: "enum", values: VOTE_DIRECTION_NAMES },
  { no: 2, name: "createdHeight", kind: "int64" },
]);

export type QuerySocialParamsRequest = Record<string, never>;
export const QuerySocialParamsRequest = defineMessage<QuerySocialParamsRequest>(Q("QueryParamsRequest"), []);
export interface QuerySocialParamsResponse {
  params: SocialParams | undefined;
}
export const QuerySocialParamsResponse = defineMessage<QuerySocialParamsResponse>(Q("QueryParamsResponse"), [
  { no: 1, name: "params", kind: "message", type: () => SocialParams },
]);
