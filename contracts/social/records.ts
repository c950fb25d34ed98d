/**
 * Stored records of the social module (proto/vivim/social/v1/social.proto). Hot records stay
 * small: a vote rewrites only the content's header (counts included), never its body; a vote is a
 * few bytes under its own key.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { AnswerUsage } from "./answer-usage.js";
import {
  CAPABILITY_NAMES,
  type Capability,
  CONTENT_KIND_NAMES,
  type ContentKind,
  MEMBERSHIP_STATUS_NAMES,
  type MembershipStatus,
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

/** The capabilities one role has in a community. */
export interface RoleCapabilities {
  role: Role;
  capabilities: Capability[];
}

export const RoleCapabilities = defineMessage<RoleCapabilities>("vivim.social.v1.RoleCapabilities", [
  { no: 1, name: "role", kind: "enum", values: ROLE_NAMES },
  { no: 2, name: "capabilities", kind: "enum", values: CAPABILITY_NAMES, repeated: true },
]);

export interface Community {
  id: bigint;
  /** Unique `[a-z0-9_-]{2,32}`, the community's address in URLs (`/c/<slug>`). */
  slug: string;
  name: string;
  description: string;
  rules: string[];
  visibility: Visibility;
  retention: RetentionTier;
  /** One entry per role, in role order (OWNER, MODERATOR, MEMBER, GUEST). */
  roleCapabilities: RoleCapabilities[];
  /** Trust level given to members who join (LOCAL unless the owners chose otherwise). */
  defaultTrust: TrustLevel;
  creator: string;
  createdHeight: bigint;
  createdAt: bigint;
  updatedHeight: bigint;
}

export const Community = defineMessage<Community>("vivim.social.v1.Community", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "slug", kind: "string" },
  { no: 3, name: "name", kind: "string" },
  { no: 4, name: "description", kind: "string" },
  { no: 5, name: "rules", kind: "string", repeated: true },
  { no: 6, name: "visibility", kind: "enum", values: VISIBILITY_NAMES },
  { no: 7, name: "retention", kind: "enum", values: RETENTION_TIER_NAMES },
  { no: 8, name: "roleCapabilities", kind: "message", type: () => RoleCapabilities, repeated: true },
  { no: 9, name: "defaultTrust", kind: "enum", values: TRUST_LEVEL_NAMES },
  { no: 10, name: "creator", kind: "string" },
  { no: 11, name: "createdHeight", kind: "int64" },
  { no: 12, name: "createdAt", kind: "int64" },
  { no: 13, name: "updatedHeight", kind: "int64" },
]);

/** Counters of a community, apart from its (larger, rarely written) record. */
export interface CommunityStats {
  memberCount: bigint;
  ownerCount: bigint;
}

export const CommunityStats = defineMessage<CommunityStats>("vivim.social.v1.CommunityStats", [
  { no: 1, name: "memberCount", kind: "uint64" },
  { no: 2, name: "ownerCount", kind: "uint64" },
]);

/** An account's standing in a community: an active member, an open invite, or a ban. */
export interface Membership {
  communityId: bigint;
  address: string;
  role: Role;
  trustLevel: TrustLevel;
  status: MembershipStatus;
  /** Height at which the current status began (the join, invite or ban). */
  createdHeight: bigint;
  /** Height of the last change of role or trust level. */
  updatedHeight: bigint;
  /** Who invited or banned (empty for a plain join). */
  actor: string;
  /** Why a ban was made (given by the moderator). */
  reason: string;
}

export const Membership = defineMessage<Membership>("vivim.social.v1.Membership", [
  { no: 1, name: "communityId", kind: "uint64" },
  { no: 2, name: "address", kind: "string" },
  { no: 3, name: "role", kind: "enum", values: ROLE_NAMES },
  { no: 4, name: "trustLevel", kind: "enum", values: TRUST_LEVEL_NAMES },
  { no: 5, name: "status", kind: "enum", values: MEMBERSHIP_STATUS_NAMES },
  { no: 6, name: "createdHeight", kind: "int64" },
  { no: 7, name: "updatedHeight", kind: "int64" },
  { no: 8, name: "actor", kind: "string" },
  { no: 9, name: "reason", kind: "string" },
]);

/**
 * A post or comment as queries and other modules see it: identity, place in the thread, counts
 * and state, without its text. Posts and comments share one id sequence. Assembled from the
 * stored ContentRecord and ContentCounts.
 */
export interface Content {
  id: bigint;
  kind: ContentKind;
  author: string;
  communityId: bigint;
  /** The post or comment replied to; 0 for a post. */
  parentId: bigint;
  /** The thread's post; a post's own id for a post. */
  rootId: bigint;
  /** 0 for a post, 1 for a reply to the post, ... */
  depth: number;
  /** Thread position: the thread-local sequence numbers of the ancestors and itself (uint32 BE each). */
  path: Uint8Array;
  createdHeight: bigint;
  createdAt: bigint;
  upvotes: bigint;
  downvotes: bigint;
  /** Direct replies. */
  replyCount: bigint;
  /** Posts: every comment in the thread (deleted ones included); comments: 0. */
  commentCount: bigint;
  editCount: number;
  editedHeight: bigint;
  deleted: boolean;
  deletedBy: string;
  deletedHeight: bigint;
}

export const Content = defineMessage<Content>("vivim.social.v1.Content", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "kind", kind: "enum", values: CONTENT_KIND_NAMES },
  { no: 3, name: "author", kind: "string" },
  { no: 4, name: "communityId", kind: "uint64" },
  { no: 5, name: "parentId", kind: "uint64" },
  { no: 6, name: "rootId", kind: "uint64" },
  { no: 7, name: "depth", kind: "uint32" },
  { no: 8, name: "path", kind: "bytes" },
  { no: 9, name: "createdHeight", kind: "int64" },
  { no: 10, name: "createdAt", kind: "int64" },
  { no: 11, name: "upvotes", kind: "uint64" },
  { no: 12, name: "downvotes", kind: "uint64" },
  { no: 13, name: "replyCount", kind: "uint64" },
  { no: 14, name: "commentCount", kind: "uint64" },
  { no: 15, name: "editCount", kind: "uint32" },
  { no: 16, name: "editedHeight", kind: "int64" },
  { no: 17, name: "deleted", kind: "bool" },
  { no: 18, name: "deletedBy", kind: "string" },
  { no: 19, name: "deletedHeight", kind: "int64" },
]);

/**
 * The stored post or comment (06 20 | id): written once at creation and again only by an edit
 * or a delete; what changes with every vote or reply lives apart in ContentCounts.
 */
export interface ContentRecord {
  id: bigint;
  kind: ContentKind;
  author: string;
  communityId: bigint;
  parentId: bigint;
  rootId: bigint;
  depth: number;
  path: Uint8Array;
  createdHeight: bigint;
  createdAt: bigint;
  editCount: number;
  editedHeight: bigint;
  deleted: boolean;
  deletedBy: string;
  deletedHeight: bigint;
  /** Posts only. */
  title: string;
  /** Markdown; cleared when deleted. */
  body: string;
  /** Posts only: an http(s) URL or empty. */
  link: string;
  /** Posts only: accounts that may edit the post with its author. */
  collaborators: string[];
  deleteReason: string;
  /** An agent author's report of what writing it cost; kept by edits and deletes. */
  usage?: AnswerUsage | undefined;
}

export const ContentRecord = defineMessage<ContentRecord>("vivim.social.v1.ContentRecord", [
  { no: 1, name: "id", kind: "uint64" },
  { no: 2, name: "kind", kind: "enum", values: CONTENT_KIND_NAMES },
  { no: 3, name: "author", kind: "string" },
  { no: 4, name: "communityId", kind: "uint64" },
  { no: 5, name: "parentId", kind: "uint64" },
  { no: 6, name: "rootId", kind: "uint64" },
  { no: 7, name: "depth", kind: "uint32" },
  { no: 8, name: "path", kind: "bytes" },
  { no: 9, name: "createdHeight", kind: "int64" },
  { no: 10, name: "createdAt", kind: "int64" },
  { no: 11, name: "editCount", kind: "uint32" },
  { no: 12, name: "editedHeight", kind: "int64" },
  { no: 13, name: "deleted", kind: "bool" },
  { no: 14, name: "deletedBy", kind: "string" },
  { no: 15, name: "deletedHeight", kind: "int64" },
  { no: 16, name: "title", kind: "string" },
  { no: 17, name: "body", kind: "string" },
  { no: 18, name: "link", kind: "string" },
  { no: 19, name: "collaborators", kind: "string", repeated: true },
  { no: 20, name: "deleteReason", kind: "string" },
  { no: 21, name: "usage", kind: "message", type: () => AnswerUsage },
]);

/** The counts of a post or comment (06 21 | id): absent means all zero. */
export interface ContentCounts {
  upvotes: bigint;
  downvotes: bigint;
  replyCount: bigint;
  commentCount: bigint;
}

export const ContentCounts = defineMessage<ContentCounts>("vivim.social.v1.ContentCounts", [
  { no: 1, name: "upvotes", kind: "uint64" },
  { no: 2, name: "downvotes", kind: "uint64" },
  { no: 3, name: "replyCount", kind: "uint64" },
  { no: 4, name: "commentCount", kind: "uint64" },
]);

export const ZERO_COUNTS: Readonly<ContentCounts> = Object.freeze({
  upvotes: 0n,
  downvotes: 0n,
  replyCount: 0n,
  commentCount: 0n,
});

/** The public header of a stored post or comment. */
export function contentHeader(r: ContentRecord, counts: ContentCounts): Content {
  return {
    id: r.id,
    kind: r.kind,
    author: r.author,
    communityId: r.communityId,
    parentId: r.parentId,
    rootId: r.rootId,
    depth: r.depth,
    path: r.path,
    createdHeight: r.createdHeight,
    createdAt: r.createdAt,
    upvotes: counts.upvotes,
    downvotes: counts.downvotes,
    replyCount: counts.replyCount,
    commentCount: counts.commentCount,
    editCount: r.editCount,
    editedHeight: r.editedHeight,
    deleted: r.deleted,
    deletedBy: r.deletedBy,
    deletedHeight: r.deletedHeight,
  };
}

/** One account's vote on one post or comment. */
export interface Vote {
  direction: VoteDirection;
  /** Height of the MsgVote that set the current direction. */
  createdHeight: bigint;
}

export const Vote = defineMessage<Vote>("vivim.social.v1.Vote", [
  { no: 1, name: "direction", kind: "enum", values: VOTE_DIRECTION_NAMES },
  { no: 2, name: "createdHeight", kind: "int64" },
]);

export interface FollowCounts {
  followers: bigint;
  following: bigint;
}

export const FollowCounts = defineMessage<FollowCounts>("vivim.social.v1.FollowCounts", [
  { no: 1, name: "followers", kind: "uint64" },
  { no: 2, name: "following", kind: "uint64" },
]);
