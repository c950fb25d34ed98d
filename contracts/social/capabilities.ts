/**
 * Who may do what in a community: a member's role grants capabilities, the member's trust level
 * caps them, a ban removes them all. Other modules (labels: who may label content of a community)
 * ask `hasCapability`.
 *
 * | trust level | capabilities it allows (of those the role grants) |
 * |-------------|----------------------------------------------------|
 * | OWNER, LOCAL | all                                               |
 * | FEDERATED   | all but EXECUTE and DATA_WRITE                     |
 * | UNTRUSTED   | SPEAK, LISTEN, DATA_READ; and no links in posts    |
 *
 * Non-members of a public community act as GUEST with UNTRUSTED trust; of a private community
 * they have no capability. An open invite is not a membership yet.
 */
import { DecodedByIdentity } from "../lib/decoded-by-identity.js";
import type { KVReader } from "../types.js";
import { Capability, MembershipStatus, Role, TrustLevel, Visibility } from "./enums.js";
import { SocialKeys } from "./keys.js";
import { Community, Membership, type RoleCapabilities } from "./records.js";

export { Capability } from "./enums.js";

/** A set of capabilities as a bit mask (bit n = Capability n). */
export type CapabilityMask = number;

export const bit = (c: Capability): CapabilityMask => 1 << c;

export function maskOf(caps: readonly Capability[]): CapabilityMask {
  let m = 0;
  for (const c of caps) m |= bit(c);
  return m;
}

export const ALL_CAPABILITIES: readonly Capability[] = [
  Capability.SPEAK,
  Capability.LISTEN,
  Capability.EXECUTE,
  Capability.MODERATE,
  Capability.BRIDGE,
  Capability.DATA_READ,
  Capability.DATA_WRITE,
];

const ALL = maskOf(ALL_CAPABILITIES);

/** The capabilities each trust level leaves of a role's. */
export function trustMask(trust: TrustLevel): CapabilityMask {
  switch (trust) {
    case TrustLevel.OWNER:
    case TrustLevel.LOCAL:
      return ALL;
    case TrustLevel.FEDERATED:
      return ALL & ~bit(Capability.EXECUTE) & ~bit(Capability.DATA_WRITE);
    case TrustLevel.UNTRUSTED:
      return maskOf([Capability.SPEAK, Capability.LISTEN, Capability.DATA_READ]);
    default:
      return 0;
  }
}

/** Whether a member of this trust level may put a link in a post. */
export const mayPostLinks = (trust: TrustLevel): boolean =>
  trust === TrustLevel.OWNER || trust === TrustLevel.LOCAL || trust === TrustLevel.FEDERATED;

/** Defaults for roles a community does not configure. */
export const DEFAULT_ROLE_CAPABILITIES: Readonly<Record<Role, readonly Capability[]>> = {
  [Role.UNSPECIFIED]: [],
  [Role.OWNER]: ALL_CAPABILITIES,
  [Role.MODERATOR]: [
    Capability.SPEAK,
    Capability.LISTEN,
    Capability.EXECUTE,
    Capability.MODERATE,
    Capability.DATA_READ,
    Capability.DATA_WRITE,
  ],
  [Role.MEMBER]: [Capability.SPEAK, Capability.LISTEN, Capability.DATA_READ],
  [Role.GUEST]: [Capability.LISTEN],
};

export const ROLES: readonly Role[] = [Role.OWNER, Role.MODERATOR, Role.MEMBER, Role.GUEST];

/** A complete role table (every role once, in role order) from a partial one; defaults fill gaps. */
export function completeRoleCapabilities(given: readonly RoleCapabilities[]): RoleCapabilities[] {
  return ROLES.map((role) => {
    const entry = given.find((g) => g.role === role);
    const caps = entry ? entry.capabilities : DEFAULT_ROLE_CAPABILITIES[role];
    return { role, capabilities: ALL_CAPABILITIES.filter((c) => caps.includes(c)) };
  });
}

export function roleMask(community: Community, role: Role): CapabilityMask {
  for (const rc of community.roleCapabilities) if (rc.role === role) return maskOf(rc.capabilities);
  return maskOf(DEFAULT_ROLE_CAPABILITIES[role] ?? []);
}

/** Where an account stands in a community, as capability checks see it. */
export interface Standing {
  /** The active membership, if any. */
  readonly membership: Readonly<Membership> | undefined;
  readonly banned: boolean;
  readonly role: Role;
  readonly trust: TrustLevel;
  readonly mask: CapabilityMask;
}

/** The standing of `address` in `community` given its membership record (or none). */
export function standingOf(community: Community, record: Readonly<Membership> | undefined): Standing {
  if (record?.status === MembershipStatus.BANNED) {
    return {
      membership: undefined,
      banned: true,
      role: Role.UNSPECIFIED,
      trust: TrustLevel.UNSPECIFIED,
      mask: 0,
    };
  }
  if (record?.status === MembershipStatus.ACTIVE) {
    const mask = roleMask(community, record.role) & trustMask(record.trustLevel);
    return { membership: record, banned: false, role: record.role, trust: record.trustLevel, mask };
  }
  if (community.visibility === Visibility.PUBLIC) {
    const mask = roleMask(community, Role.GUEST) & trustMask(TrustLevel.UNTRUSTED);
    return { membership: undefined, banned: false, role: Role.GUEST, trust: TrustLevel.UNTRUSTED, mask };
  }
  return {
    membership: undefined,
    banned: false,
    role: Role.UNSPECIFIED,
    trust: TrustLevel.UNSPECIFIED,
    mask: 0,
  };
}

/**
 * Decoded communities and memberships by their stored bytes: every post, comment and vote reads
 * its community (the largest record it reads: rules, description, role table) and the author's
 * membership. The same stored bytes always decode to the same value, so this cannot change any
 * outcome; the values are frozen, so callers copy, never mutate.
 */
const decodedCommunities = new DecodedByIdentity<Community>((bytes) =>
  Object.freeze(Community.decode(bytes)),
);
const decodedMemberships = new DecodedByIdentity<Readonly<Membership>>((bytes) =>
  Object.freeze(Membership.decode(bytes)),
);

export function getCommunityRecord(store: KVReader, id: bigint): Community | undefined {
  const bytes = store.get(SocialKeys.community(id));
  return bytes ? decodedCommunities.decode(bytes) : undefined;
}

export function getMembershipRecord(
  store: KVReader,
  communityId: bigint,
  address: string,
): Readonly<Membership> | undefined {
  const bytes = store.get(SocialKeys.membership(communityId, address));
  return bytes ? decodedMemberships.decode(bytes) : undefined;
}

/** Whether `address` holds `capability` in community `communityId` right now (false if no such community). */
export function hasCapability(
  store: KVReader,
  communityId: bigint,
  address: string,
  capability: Capability,
): boolean {
  const community = getCommunityRecord(store, communityId);
  if (!community) return false;
  const standing = standingOf(community, getMembershipRecord(store, communityId, address));
  return (standing.mask & bit(capability)) !== 0;
}
