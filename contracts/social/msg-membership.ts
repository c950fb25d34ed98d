/**
 * Membership: join, invite, leave, roles and trust levels, bans.
 *
 * Who may do what: any registered account joins a public community (as MEMBER with the
 * community's default trust) or a private one it was invited to; holders of MODERATE invite,
 * ban and unban, and set MEMBER/GUEST roles and LOCAL/FEDERATED/UNTRUSTED trust of members who are
 * neither owners nor moderators. Only owners make or unmake owners and moderators, give OWNER
 * trust, or ban a moderator; owners are never banned (another owner must demote them first). A
 * community always keeps an owner: the sole owner can neither leave nor step down.
 *
 * The params authority (governance) sets roles, bans and unbans in any community with an owner's
 * rights, without the actor and membership checks (see msg-community.ts); the rules about the
 * target (owners are not banned, a community keeps an owner) still hold.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { getActor } from "../identity/keeper.js";
import { defineMsg, respond } from "../lib/define.js";
import type { ExecContext } from "../types.js";
import {
  Capability,
  MembershipStatus,
  ROLE_NAMES,
  Role,
  TRUST_LEVEL_NAMES,
  TrustLevel,
  Visibility,
} from "./enums.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import {
  deleteMembership,
  getCommunityStats,
  getMembership,
  limitRate,
  requireCapability,
  requireCommunity,
  requireSocialActor,
  setCommunityStats,
  setMembership,
} from "./keeper.js";
import { RateAction } from "./keys.js";
import { checkTrust, isSocialAuthority } from "./msg-community.js";
import { getSocialParams, HARD_LIMITS } from "./params.js";
import type { Community, Membership } from "./records.js";
import {
  MsgBanMember,
  MsgBanMemberResponse,
  MsgInviteMember,
  MsgInviteMemberResponse,
  MsgJoinCommunity,
  MsgJoinCommunityResponse,
  MsgLeaveCommunity,
  MsgLeaveCommunityResponse,
  MsgSetMemberRole,
  MsgSetMemberRoleResponse,
  MsgUnbanMember,
  MsgUnbanMemberResponse,
} from "./tx.js";
import { checkAddress, checkId, checkText } from "./validation.js";

const isStaff = (role: Role) => role === Role.OWNER || role === Role.MODERATOR;

function adjustStats(ctx: ExecContext, communityId: bigint, members: bigint, owners: bigint): void {
  const s = getCommunityStats(ctx.store, communityId);
  setCommunityStats(ctx.store, communityId, {
    memberCount: s.memberCount + members,
    ownerCount: s.ownerCount + owners,
  });
}

/** Makes `address` an active member (joins and genesis); the caller checked it may. */
export function addMember(
  ctx: ExecContext,
  community: Community,
  address: string,
  role: Role,
  trust: TrustLevel,
  invitedBy: string,
): void {
  setMembership(ctx.store, {
    communityId: community.id,
    address,
    role,
    trustLevel: trust,
    status: MembershipStatus.ACTIVE,
    createdHeight: ctx.block.height,
    updatedHeight: ctx.block.height,
    actor: invitedBy,
    reason: "",
  });
  adjustStats(ctx, community.id, 1n, role === Role.OWNER ? 1n : 0n);
  ctx.emit(
    socialEvent(SocialEvents.MemberJoined, { community_id: community.id.toString(), member: address }),
  );
}

export const msgJoinCommunity = defineMsg(MsgJoinCommunity, {
  signers: (m) => [m.member],
  validateBasic(m) {
    checkAddress(m.member, "member");
    checkId(m.communityId, "community_id");
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.member, "follow");
    const community = requireCommunity(ctx.store, m.communityId);
    const record = getMembership(ctx.store, community.id, m.member);
    if (record?.status === MembershipStatus.BANNED)
      throw new CodedError(SocialErrors.Banned, `community ${community.id}`);
    if (record?.status === MembershipStatus.ACTIVE)
      throw new CodedError(SocialErrors.AlreadyMember, `community ${community.id}`);
    const invited = record?.status === MembershipStatus.INVITED;
    if (community.visibility === Visibility.PRIVATE && !invited)
      throw new CodedError(SocialErrors.NotInvited, `community ${community.id}`);
    limitRate(ctx, getSocialParams(ctx.store), actor, RateAction.FOLLOW);
    addMember(
      ctx,
      community,
      m.member,
      Role.MEMBER,
      invited ? record!.trustLevel : community.defaultTrust,
      invited ? record!.actor : "",
    );
    return respond(MsgJoinCommunityResponse, {});
  },
});

export const msgInviteMember = defineMsg(MsgInviteMember, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    checkAddress(m.invitee, "invitee");
  },
  handle(ctx, m) {
    requireSocialActor(ctx, m.actor, "moderate");
    const community = requireCommunity(ctx.store, m.communityId);
    requireCapability(ctx.store, community, m.actor, Capability.MODERATE);
    if (!getActor(ctx.store, m.invitee)) throw new CodedError(SocialErrors.UnknownAccount, m.invitee);
    const record = getMembership(ctx.store, community.id, m.invitee);
    if (record?.status === MembershipStatus.ACTIVE)
      throw new CodedError(SocialErrors.AlreadyMember, m.invitee);
    if (record?.status === MembershipStatus.BANNED) throw new CodedError(SocialErrors.Banned, m.invitee);
    if (record?.status === MembershipStatus.INVITED)
      throw new CodedError(SocialErrors.AlreadyInvited, m.invitee);
    setMembership(ctx.store, {
      communityId: community.id,
      address: m.invitee,
      role: Role.MEMBER,
      trustLevel: community.defaultTrust,
      status: MembershipStatus.INVITED,
      createdHeight: ctx.block.height,
      updatedHeight: ctx.block.height,
      actor: m.actor,
      reason: "",
    });
    ctx.emit(
      socialEvent(SocialEvents.MemberInvited, {
        community_id: community.id.toString(),
        invitee: m.invitee,
        actor: m.actor,
      }),
    );
    return respond(MsgInviteMemberResponse, {});
  },
});

export const msgLeaveCommunity = defineMsg(MsgLeaveCommunity, {
  signers: (m) => [m.member],
  validateBasic(m) {
    checkAddress(m.member, "member");
    checkId(m.communityId, "community_id");
  },
  handle(ctx, m) {
    requireSocialActor(ctx, m.member);
    const community = requireCommunity(ctx.store, m.communityId);
    const record = getMembership(ctx.store, community.id, m.member);
    if (record?.status !== MembershipStatus.ACTIVE && record?.status !== MembershipStatus.INVITED)
      throw new CodedError(SocialErrors.NotMember, `community ${community.id}`);
    if (record.status === MembershipStatus.ACTIVE) {
      const isOwner = record.role === Role.OWNER;
      if (isOwner && getCommunityStats(ctx.store, community.id).ownerCount <= 1n)
        throw new CodedError(SocialErrors.SoleOwner, `community ${community.id}`);
      adjustStats(ctx, community.id, -1n, isOwner ? -1n : 0n);
    }
    deleteMembership(ctx.store, community.id, m.member);
    ctx.emit(
      socialEvent(SocialEvents.MemberLeft, { community_id: community.id.toString(), member: m.member }),
    );
    return respond(MsgLeaveCommunityResponse, {});
  },
});

/**
 * The acting role of `actor` in `community` for a moderation Msg: OWNER for the params authority
 * (governance), else the actor's own role once it is checked to be a registered account holding
 * MODERATE there.
 */
function moderatorRole(ctx: ExecContext, community: Community, actor: string): Role {
  if (isSocialAuthority(ctx.store, actor)) return Role.OWNER;
  return requireCapability(ctx.store, community, actor, Capability.MODERATE).role;
}

/** Governance needs no profile; everyone else must be a registered account granted `moderate`. */
function requireModerator(ctx: ExecContext, actor: string): void {
  if (!isSocialAuthority(ctx.store, actor)) requireSocialActor(ctx, actor, "moderate");
}

function requireActiveMember(ctx: ExecContext, community: Community, address: string): Membership {
  const record = getMembership(ctx.store, community.id, address);
  if (record?.status !== MembershipStatus.ACTIVE)
    throw new CodedError(SocialErrors.NotMember, `${address} in community ${community.id}`);
  return record;
}

export const msgSetMemberRole = defineMsg(MsgSetMemberRole, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    checkAddress(m.member, "member");
    if (!Number.isInteger(m.role) || m.role < Role.OWNER || m.role > Role.GUEST)
      throw new CodedError(SocialErrors.InvalidField, "role must be OWNER, MODERATOR, MEMBER or GUEST");
    checkTrust(m.trustLevel, false);
  },
  handle(ctx, m) {
    requireModerator(ctx, m.actor);
    const community = requireCommunity(ctx.store, m.communityId);
    const actingRole = moderatorRole(ctx, community, m.actor);
    const target = requireActiveMember(ctx, community, m.member);
    if (target.role === m.role && target.trustLevel === m.trustLevel)
      throw new CodedError(SocialErrors.NoChange, "role and trust level are unchanged");
    const ownerMatters =
      isStaff(m.role) ||
      isStaff(target.role) ||
      m.trustLevel === TrustLevel.OWNER ||
      target.trustLevel === TrustLevel.OWNER;
    if (ownerMatters && actingRole !== Role.OWNER)
      throw new CodedError(SocialErrors.OwnerOnly, "managing owners, moderators or OWNER trust");
    const ownerDelta = (m.role === Role.OWNER ? 1n : 0n) - (target.role === Role.OWNER ? 1n : 0n);
    if (ownerDelta < 0n && getCommunityStats(ctx.store, community.id).ownerCount <= 1n)
      throw new CodedError(SocialErrors.SoleOwner, `community ${community.id}`);
    setMembership(ctx.store, {
      ...target,
      role: m.role,
      trustLevel: m.trustLevel,
      updatedHeight: ctx.block.height,
    });
    if (ownerDelta !== 0n) adjustStats(ctx, community.id, 0n, ownerDelta);
    ctx.emit(
      socialEvent(
        SocialEvents.MemberRoleSet,
        {
          community_id: community.id.toString(),
          member: m.member,
          actor: m.actor,
          role: ROLE_NAMES[m.role]!,
          trust_level: TRUST_LEVEL_NAMES[m.trustLevel]!,
        },
        ["role", "trust_level"],
      ),
    );
    return respond(MsgSetMemberRoleResponse, {});
  },
});

export const msgBanMember = defineMsg(MsgBanMember, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    checkAddress(m.member, "member");
    checkText(m.reason, "reason", { maxBytes: HARD_LIMITS.reasonBytes, multiline: true });
    if (m.actor === m.member)
      throw new CodedError(SocialErrors.SelfModeration, "actor and member are the same");
  },
  handle(ctx, m) {
    requireModerator(ctx, m.actor);
    const community = requireCommunity(ctx.store, m.communityId);
    const actingRole = moderatorRole(ctx, community, m.actor);
    const record = getMembership(ctx.store, community.id, m.member);
    if (record?.status === MembershipStatus.BANNED)
      throw new CodedError(SocialErrors.AlreadyBanned, m.member);
    const active = record?.status === MembershipStatus.ACTIVE;
    if (active && record.role === Role.OWNER)
      throw new CodedError(SocialErrors.OwnerOnly, "an owner must be demoted by another owner before a ban");
    if (active && record.role === Role.MODERATOR && actingRole !== Role.OWNER)
      throw new CodedError(SocialErrors.OwnerOnly, "banning a moderator");
    setMembership(ctx.store, {
      communityId: community.id,
      address: m.member,
      role: Role.UNSPECIFIED,
      trustLevel: TrustLevel.UNSPECIFIED,
      status: MembershipStatus.BANNED,
      createdHeight: ctx.block.height,
      updatedHeight: ctx.block.height,
      actor: m.actor,
      reason: m.reason,
    });
    if (active) adjustStats(ctx, community.id, -1n, 0n);
    ctx.emit(
      socialEvent(SocialEvents.MemberBanned, {
        community_id: community.id.toString(),
        member: m.member,
        actor: m.actor,
      }),
    );
    return respond(MsgBanMemberResponse, {});
  },
});

export const msgUnbanMember = defineMsg(MsgUnbanMember, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    checkAddress(m.member, "member");
  },
  handle(ctx, m) {
    requireModerator(ctx, m.actor);
    const community = requireCommunity(ctx.store, m.communityId);
    moderatorRole(ctx, community, m.actor);
    const record = getMembership(ctx.store, community.id, m.member);
    if (record?.status !== MembershipStatus.BANNED) throw new CodedError(SocialErrors.NotBanned, m.member);
    deleteMembership(ctx.store, community.id, m.member);
    ctx.emit(
      socialEvent(SocialEvents.MemberUnbanned, {
        community_id: community.id.toString(),
        member: m.member,
        actor: m.actor,
      }),
    );
    return respond(MsgUnbanMemberResponse, {});
  },
});
