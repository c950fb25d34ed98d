/**
 * Enumerations of the social module. TypeScript keys are short (`Capability.SPEAK`); the protobuf
 * value names (what JSON shows) carry the enum's prefix, Cosmos style (`CAPABILITY_SPEAK`), since
 * protobuf enum values share one namespace per package.
 */

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

/**
 * The protobuf value names of a TypeScript enum: `protoEnumNames(Role, "ROLE")` →
 * `["ROLE_UNSPECIFIED", "ROLE_OWNER", ...]`.
 */
export function protoEnumNames(e: Record<string, string | number>, prefix: string): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(e))
    if (typeof value === "number") names[value] = `${prefix}_${name}`;
  return Array.from(names, (n, i) => n ?? String(i));
}

export const CAPABILITY_NAMES = protoEnumNames(Capability, "CAPABILITY");
export const ROLE_NAMES = protoEnumNames(Role, "ROLE");
export const TRUST_LEVEL_NAMES = protoEnumNames(TrustLevel, "TRUST_LEVEL");
export const VISIBILITY_NAMES = protoEnumNames(Visibility, "VISIBILITY");
export const RETENTION_TIER_NAMES = protoEnumNames(RetentionTier, "RETENTION_TIER");
export const MEMBERSHIP_STATUS_NAMES = protoEnumNames(MembershipStatus, "MEMBERSHIP_STATUS");
export const CONTENT_KIND_NAMES = protoEnumNames(ContentKind, "CONTENT_KIND");
export const VOTE_DIRECTION_NAMES = protoEnumNames(VoteDirection, "VOTE_DIRECTION");
export const LABEL_POLICY_NAMES = protoEnumNames(LabelPolicy, "LABEL_POLICY");

/**
 * Parses an enum value given by name (short `PUBLIC` or full `VISIBILITY_PUBLIC`, any case) or by
 * number; undefined when it is none of the enum's values.
 */
export function parseEnum(names: readonly string[], prefix: string, text: string): number | undefined {
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    return n < names.length ? n : undefined;
  }
  const upper = text.toUpperCase();
  const full = upper.startsWith(`${prefix}_`) ? upper : `${prefix}_${upper}`;
  const i = names.indexOf(full);
  return i >= 0 ? i : undefined;
}
