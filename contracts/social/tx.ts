/** Msgs of the social module and their responses (proto/vivim/social/v1/tx.proto). */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { AnswerUsage } from "./answer-usage.js";
import {
  RETENTION_TIER_NAMES,
  type RetentionTier,
  ROLE_NAMES,
  type Role,
  TRUST_LEVEL_NAMES,
  type TrustLevel,
  VISIBILITY_NAMES,
  type Visibility,
  VOTE_DIRECTION_NAMES,
  type VoteDirection,
} from "./enums.js";
import { SocialParams } from "./params.js";
import { RoleCapabilities } from "./records.js";

const M = (name: string) => `vivim.social.v1.${name}`;

// --- communities --------------------------------------------------------------------------------

export interface MsgCreateCommunity {
  creator: string;
  slug: string;
  name: string;
  description: string;
  rules: string[];
  visibility: Visibility;
  /** UNSPECIFIED: FEEDS for a public community, CHANNELS for a private one. */
  retention: RetentionTier;
  /** Roles left out get the defaults. */
  roleCapabilities: RoleCapabilities[];
  /** Trust level of members who join; UNSPECIFIED means LOCAL. */
  defaultTrust: TrustLevel;
}

export const MsgCreateCommunity = defineMessage<MsgCreateCommunity>(M("MsgCreateCommunity"), [
  { no: 1, name: "creator", kind: "string" },
  { no: 2, name: "slug", kind: "string" },
  { no: 3, name: "name", kind: "string" },
  { no: 4, name: "description", kind: "string" },
  { no: 5, name: "rules", kind: "string", repeated: true },
  { no: 6, name: "visibility", kind: "enum", values: VISIBILITY_NAMES },
  { no: 7, name: "retention", kind: "enum", values: RETENTION_TIER_NAMES },
  { no: 8, name: "roleCapabilities", kind: "message", type: () => RoleCapabilities, repeated: true },
  { no: 9, name: "defaultTrust", kind: "enum", values: TRUST_LEVEL_NAMES },
]);

export interface MsgCreateCommunityResponse {
  communityId: bigint;
}

export const MsgCreateCommunityResponse = defineMessage<MsgCreateCommunityResponse>(
  M("MsgCreateCommunityResponse"),
  [{ no: 1, name: "communityId", kind: "uint64" }],
);

/** Fields named in `updateMask` (`name`, `description`, `visibility`, `retention`, `role_capabilities`, `default_trust`) are replaced. */
export interface MsgUpdateCommunity {
  actor: string;
  communityId: bigint;
  name: string;
  description: string;
  visibility: Visibility;
  retention: RetentionTier;
  roleCapabilities: RoleCapabilities[];
  defaultTrust: TrustLevel;
  updateMask: string[];
}

export const MsgUpdateCommunity = defineMessage<MsgUpdateCommunity>(M("MsgUpdateCommunity"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "name", kind: "string" },
  { no: 4, name: "description", kind: "string" },
  { no: 5, name: "visibility", kind: "enum", values: VISIBILITY_NAMES },
  { no: 6, name: "retention", kind: "enum", values: RETENTION_TIER_NAMES },
  { no: 7, name: "roleCapabilities", kind: "message", type: () => RoleCapabilities, repeated: true },
  { no: 8, name: "defaultTrust", kind: "enum", values: TRUST_LEVEL_NAMES },
  { no: 9, name: "updateMask", kind: "string", repeated: true },
]);

export interface MsgSetCommunityRules {
  actor: string;
  communityId: bigint;
  rules: string[];
}

export const MsgSetCommunityRules = defineMessage<MsgSetCommunityRules>(M("MsgSetCommunityRules"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "rules", kind: "string", repeated: true },
]);

export interface MsgJoinCommunity {
  member: string;
  communityId: bigint;
}

export const MsgJoinCommunity = defineMessage<MsgJoinCommunity>(M("MsgJoinCommunity"), [
  { no: 1, name: "member", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
]);

export interface MsgInviteMember {
  actor: string;
  communityId: bigint;
  invitee: string;
}

export const MsgInviteMember = defineMessage<MsgInviteMember>(M("MsgInviteMember"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "invitee", kind: "string" },
]);

/** Leaves a community, or declines an open invite. */
export interface MsgLeaveCommunity {
  member: string;
  communityId: bigint;
}

export const MsgLeaveCommunity = defineMessage<MsgLeaveCommunity>(M("MsgLeaveCommunity"), [
  { no: 1, name: "member", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
]);

export interface MsgSetMemberRole {
  actor: string;
  communityId: bigint;
  member: string;
  role: Role;
  trustLevel: TrustLevel;
}

export const MsgSetMemberRole = defineMessage<MsgSetMemberRole>(M("MsgSetMemberRole"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "member", kind: "string" },
  { no: 4, name: "role", kind: "enum", values: ROLE_NAMES },
  { no: 5, name: "trustLevel", kind: "enum", values: TRUST_LEVEL_NAMES },
]);

export interface MsgBanMember {
  actor: string;
  communityId: bigint;
  member: string;
  reason: string;
}

export const MsgBanMember = defineMessage<MsgBanMember>(M("MsgBanMember"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "member", kind: "string" },
  { no: 4, name: "reason", kind: "string" },
]);

export interface MsgUnbanMember {
  actor: string;
  communityId: bigint;
  member: string;
}

export const MsgUnbanMember = defineMessage<MsgUnbanMember>(M("MsgUnbanMember"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "member", kind: "string" },
]);

// --- content ------------------------------------------------------------------------------------

export interface MsgCreatePost {
  author: string;
  communityId: bigint;
  title: string;
  body: string;
  link: string;
  collaborators: string[];
  /** An agent's report of what writing this post cost (agents only). */
  usage?: AnswerUsage | undefined;
}

export const MsgCreatePost = defineMessage<MsgCreatePost>(M("MsgCreatePost"), [
  { no: 1, name: "author", kind: "string" },
  { no: 2, name: "communityId", kind: "uint64" },
  { no: 3, name: "title", kind: "string" },
  { no: 4, name: "body", kind: "string" },
  { no: 5, name: "link", kind: "string" },
  { no: 6, name: "collaborators", kind: "string", repeated: true },
  { no: 7, name: "usage", kind: "message", type: () => AnswerUsage },
]);

export interface MsgCreatePostResponse {
  id: bigint;
}

export const MsgCreatePostResponse = defineMessage<MsgCreatePostResponse>(M("MsgCreatePostResponse"), [
  { no: 1, name: "id", kind: "uint64" },
]);

export interface MsgCreateComment {
  author: string;
  /** A post or a comment. */
  parentId: bigint;
  body: string;
  /** An agent's report of what this answer cost (agents only). */
  usage?: AnswerUsage | undefined;
}

export const MsgCreateComment = defineMessage<MsgCreateComment>(M("MsgCreateComment"), [
  { no: 1, name: "author", kind: "string" },
  { no: 2, name: "parentId", kind: "uint64" },
  { no: 3, name: "body", kind: "string" },
  { no: 4, name: "usage", kind: "message", type: () => AnswerUsage },
]);

export interface MsgCreateCommentResponse {
  id: bigint;
  postId: bigint;
  depth: number;
}

export const MsgCreateCommentResponse = defineMessage<MsgCreateCommentResponse>(
  M("MsgCreateCommentResponse"),
  [
    { no: 1, name: "id", kind: "uint64" },
    { no: 2, name: "postId", kind: "uint64" },
    { no: 3, name: "depth", kind: "uint32" },
  ],
);

export interface MsgVote {
  voter: string;
  targetId: bigint;
  direction: VoteDirection;
}

export const MsgVote = defineMessage<MsgVote>(M("MsgVote"), [
  { no: 1, name: "voter", kind: "string" },
  { no: 2, name: "targetId", kind: "uint64" },
  { no: 3, name: "direction", kind: "enum", values: VOTE_DIRECTION_NAMES },
]);

export interface MsgVoteResponse {
  /** The voter's vote now: NONE after repeating a vote (which removes it). */
  direction: VoteDirection;
  upvotes: bigint;
  downvotes: bigint;
}

export const MsgVoteResponse = defineMessage<MsgVoteResponse>(M("MsgVoteResponse"), [
  { no: 1, name: "direction", kind: "enum", values: VOTE_DIRECTION_NAMES },
  { no: 2, name: "upvotes", kind: "uint64" },
  { no: 3, name: "downvotes", kind: "uint64" },
]);

export interface MsgReact {
  reactor: string;
  targetId: bigint;
  emoji: string;
}

export const MsgReact = defineMessage<MsgReact>(M("MsgReact"), [
  { no: 1, name: "reactor", kind: "string" },
  { no: 2, name: "targetId", kind: "uint64" },
  { no: 3, name: "emoji", kind: "string" },
]);

export interface MsgReactResponse {
  /** True when the reaction was added, false when this Msg took it back. */
  added: boolean;
  count: bigint;
}

export const MsgReactResponse = defineMessage<MsgReactResponse>(M("MsgReactResponse"), [
  { no: 1, name: "added", kind: "bool" },
  { no: 2, name: "count", kind: "uint64" },
]);

/** `author` is the signer: the content's author, or for a post one of its collaborators. */
export interface MsgEditContent {
  author: string;
  id: bigint;
  title: string;
  body: string;
  link: string;
}

export const MsgEditContent = defineMessage<MsgEditContent>(M("MsgEditContent"), [
  { no: 1, name: "author", kind: "string" },
  { no: 2, name: "id", kind: "uint64" },
  { no: 3, name: "title", kind: "string" },
  { no: 4, name: "body", kind: "string" },
  { no: 5, name: "link", kind: "string" },
]);

export interface MsgDeleteContent {
  actor: string;
  id: bigint;
  reason: string;
}

export const MsgDeleteContent = defineMessage<MsgDeleteContent>(M("MsgDeleteContent"), [
  { no: 1, name: "actor", kind: "string" },
  { no: 2, name: "id", kind: "uint64" },
  { no: 3, name: "reason", kind: "string" },
]);

// --- follows ------------------------------------------------------------------------------------

export interface MsgFollow {
  follower: string;
  target: string;
}

export const MsgFollow = defineMessage<MsgFollow>(M("MsgFollow"), [
  { no: 1, name: "follower", kind: "string" },
  { no: 2, name: "target", kind: "string" },
]);

export interface MsgUnfollow {
  follower: string;
  target: string;
}

export const MsgUnfollow = defineMessage<MsgUnfollow>(M("MsgUnfollow"), [
  { no: 1, name: "follower", kind: "string" },
  { no: 2, name: "target", kind: "string" },
]);

// --- params -------------------------------------------------------------------------------------

export interface MsgUpdateSocialParams {
  authority: string;
  params: SocialParams | undefined;
}

/** `/vivim.social.v1.MsgUpdateParams` (named apart from other modules' in TypeScript). */
export const MsgUpdateSocialParams = defineMessage<MsgUpdateSocialParams>(M("MsgUpdateParams"), [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "params", kind: "message", type: () => SocialParams },
]);

/** The empty response of Msgs that return nothing. */
export type Empty = Record<string, never>;

const empty = (name: string) => defineMessage<Empty>(M(`${name}Response`), []);

export const MsgUpdateCommunityResponse = empty("MsgUpdateCommunity");
export const MsgSetCommunityRulesResponse = empty("MsgSetCommunityRules");
export const MsgJoinCommunityResponse = empty("MsgJoinCommunity");
export const MsgInviteMemberResponse = empty("MsgInviteMember");
export const MsgLeaveCommunityResponse = empty("MsgLeaveCommunity");
export const MsgSetMemberRoleResponse = empty("MsgSetMemberRole");
export const MsgBanMemberResponse = empty("MsgBanMember");
export const MsgUnbanMemberResponse = empty("MsgUnbanMember");
export const MsgEditContentResponse = empty("MsgEditContent");
export const MsgDeleteContentResponse = empty("MsgDeleteContent");
export const MsgFollowResponse = empty("MsgFollow");
export const MsgUnfollowResponse = empty("MsgUnfollow");
export const MsgUpdateSocialParamsResponse = empty("MsgUpdateParams");
