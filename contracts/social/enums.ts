/**
 * Enumerations of the social module. TypeScript keys are short (`Capability.SPEAK`); the protobuf
 * value names (what JSON shows) carry the enum's prefix, Cosmos style (`CAPABILITY_SPEAK`), since
 * protobuf enum values share one namespace per package.
 */
import { prefixedEnumNames } from "../../chain/codec/proto-message.js";

/** What a role may do in a community (the Mesh seed's capabilities). */
export enum Capability {
  UNSPECIFIED = 0,
  /** Post and comment. */
  SPEAK = 1,
  /** See and take part by voting and reacting. */
  LISTEN = 2,
  /** Trigger commands of agents in the community (enforced by off-chain workers). */
  EXECUTE = 3,
  /** Manage members, rules and other people's content. */
  MODERATE = 4,
  /** Relay content to or from other communities or networks (off-chain workers). */
  BRIDGE = 5,
  /** Read the community's shared data (off-chain workers). */
  DATA_READ = 6,
  /** Modify the community's shared data (off-chain workers). */
  DATA_WRITE = 7,
}

export enum Role {
  UNSPECIFIED = 0,
  OWNER = 1,
  MODERATOR = 2,
  MEMBER = 3,
  GUEST = 4,
}

/** How far a member is trusted (the Mesh seed's trust levels); it caps the role's capabilities. */
export enum TrustLevel {
  UNSPECIFIED = 0,
  OWNER = 1,
  LOCAL = 2,
  FEDERATED = 3,
  UNTRUSTED = 4,
}

export enum Visibility {
  UNSPECIFIED = 0,
  PUBLIC = 1,
  PRIVATE = 2,
}

/** The Vibes seed's content layers, shortest-lived first. */
export enum RetentionTier {
  UNSPECIFIED = 0,
  EPHEMERAL = 1,
  SESSIONS = 2,
  CHANNELS = 3,
  THREADS = 4,
  FEEDS = 5,
}

export enum MembershipStatus {
  UNSPECIFIED = 0,
  ACTIVE = 1,
  INVITED = 2,
  BANNED = 3,
}

export enum ContentKind {
  UNSPECIFIED = 0,
  POST = 1,
  COMMENT = 2,
}

/** A vote's direction; NONE (0) is "no vote" in responses and never valid in a MsgVote. */
export enum VoteDirection {
  NONE = 0,
  UP = 1,
  DOWN = 2,
}

/** What content-returning queries do with labelled items (of the content or of its author). */
export enum LabelPolicy {
  /** Same as ANNOTATE. */
  UNSPECIFIED = 0,
  SHOW = 1,
  ANNOTATE = 2,
  HIDE = 3,
}

export const CAPABILITY_NAMES = prefixedEnumNames("CAPABILITY", Capability);
export const ROLE_NAMES = prefixedEnumNames("ROLE", Role);
export const TRUST_LEVEL_NAMES = prefixedEnumNames("TRUST_LEVEL", TrustLevel);
export const VISIBILITY_NAMES = prefixedEnumNames("VISIBILITY", Visibility);
export const RETENTION_TIER_NAMES = prefixedEnumNames("RETENTION_TIER", RetentionTier);
export const MEMBERSHIP_STATUS_NAMES = prefixedEnumNames("MEMBERSHIP_STATUS", MembershipStatus);
export const CONTENT_KIND_NAMES = prefixedEnumNames("CONTENT_KIND", ContentKind);
export const VOTE_DIRECTION_NAMES = prefixedEnumNames("VOTE_DIRECTION", VoteDirection);
export const LABEL_POLICY_NAMES = prefixedEnumNames("LABEL_POLICY", LabelPolicy);
