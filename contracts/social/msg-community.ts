/**
 * MsgCreateCommunity, MsgUpdateCommunity, MsgSetCommunityRules.
 *
 * Governance overrides a community's owners: when the actor is the params authority (the gov module
 * account by default, whose passed proposals execute these Msgs), the actor, role and membership
 * checks are skipped — it needs no profile and no seat in the community. Everything else (field
 * validation, limits, events) is the same.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { defineMsg, respond } from "../lib/define.js";
import { uint64Bytes } from "../lib/store.js";
import type { ExecContext, KVReader } from "../types.js";
import { completeRoleCapabilities } from "./capabilities.js";
import { Capability, MembershipStatus, RetentionTier, Role, TrustLevel, Visibility } from "./enums.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents, socialEvent } from "./events.js";
import {
  communityIdOfSlug,
  limitRate,
  nextId,
  requireCapability,
  requireCommunity,
  requireSocialActor,
  setCommunity,
  setCommunityStats,
  setMembership,
} from "./keeper.js";
import { RateAction, SocialKeys } from "./keys.js";
import { getSocialParams, HARD_LIMITS, type SocialParams } from "./params.js";
import type { Community, RoleCapabilities } from "./records.js";
import {
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgSetCommunityRules,
  MsgSetCommunityRulesResponse,
  MsgUpdateCommunity,
  MsgUpdateCommunityResponse,
} from "./tx.js";
import { checkAddress, checkId, checkSlug, checkText } from "./validation.js";

const invalid = (detail: string) => new CodedError(SocialErrors.InvalidField, detail);

/**
 * Whether `actor` is the social params authority, which acts on any community with an owner's
 * rights and without the actor checks (the DAO overriding a community's owners).
 */
export function isSocialAuthority(store: KVReader, actor: string): boolean {
  return actor === getSocialParams(store).authority;
}

export function checkVisibility(v: Visibility, required: boolean): void {
  if (v === Visibility.UNSPECIFIED && !required) return;
  if (v !== Visibility.PUBLIC && v !== Visibility.PRIVATE)
    throw invalid("visibility must be PUBLIC or PRIVATE");
}

export function checkRetention(r: RetentionTier): void {
  if (!Number.isInteger(r) || r < RetentionTier.UNSPECIFIED || r > RetentionTier.FEEDS)
    throw invalid("retention must be EPHEMERAL, SESSIONS, CHANNELS, THREADS or FEEDS");
}

export function checkTrust(t: TrustLevel, allowUnspecified: boolean): void {
  if (t === TrustLevel.UNSPECIFIED && allowUnspecified) return;
  if (!Number.isInteger(t) || t < TrustLevel.OWNER || t > TrustLevel.UNTRUSTED)
    throw invalid("trust_level must be OWNER, LOCAL, FEDERATED or UNTRUSTED");
}

export function checkRoleCapabilities(list: readonly RoleCapabilities[]): void {
  if (list.length > 4) throw invalid("role_capabilities has at most one entry per role");
  const roles = new Set<Role>();
  for (const rc of list) {
    if (!Number.isInteger(rc.role) || rc.role < Role.OWNER || rc.role > Role.GUEST)
      throw invalid("role_capabilities: role must be OWNER, MODERATOR, MEMBER or GUEST");
    if (roles.has(rc.role)) throw invalid("role_capabilities lists a role twice");
    roles.add(rc.role);
    if (rc.capabilities.length > 7) throw invalid("role_capabilities: at most 7 capabilities per role");
    const caps = new Set<Capability>();
    for (const c of rc.capabilities) {
      if (!Number.isInteger(c) || c < Capability.SPEAK || c > Capability.DATA_WRITE)
        throw invalid("role_capabilities: unknown capability");
      if (caps.has(c)) throw invalid("role_capabilities lists a capability twice");
      caps.add(c);
    }
    if (rc.role === Role.OWNER && !caps.has(Capability.MODERATE))
      throw invalid("role_capabilities: OWNER must keep MODERATE");
  }
}

export function checkRules(rules: readonly string[], maxRules: number, maxRuleBytes: number): void {
  if (rules.length > maxRules) throw new CodedError(SocialErrors.FieldTooLong, `at most ${maxRules} rules`);
  rules.forEach((r, i) => {
    checkText(r, `rules[${i}]`, { maxBytes: maxRuleBytes, required: true });
  });
}

export function checkName(name: string, maxBytes: number): void {
  checkText(name, "name", { maxBytes, required: true });
}

export function checkDescription(description: string, maxBytes: number): void {
  checkText(description, "description", { maxBytes, multiline: true });
}

export function defaultRetention(visibility: Visibility): RetentionTier {
  return visibility === Visibility.PRIVATE ? RetentionTier.CHANNELS : RetentionTier.FEEDS;
}

/** Writes a new community with its creator as sole owner; shared by the Msg and genesis. */
export function createCommunity(ctx: ExecContext, msg: MsgCreateCommunity, params: SocialParams): Community {
  checkName(msg.name, params.maxCommunityNameBytes);
  checkDescription(msg.description, params.maxCommunityDescriptionBytes);
  checkRules(msg.rules, params.maxRules, params.maxRuleBytes);
  if (communityIdOfSlug(ctx.store, msg.slug) !== undefined)
    throw new CodedError(SocialErrors.SlugTaken, msg.slug);
  const id = nextId(ctx.store, SocialKeys.nextCommunityId());
  const community: Community = {
    id,
    slug: msg.slug,
    name: msg.name,
    description: msg.description,
    rules: [...msg.rules],
    visibility: msg.visibility,
    retention: msg.retention === RetentionTier.UNSPECIFIED ? defaultRetention(msg.visibility) : msg.retention,
    roleCapabilities: completeRoleCapabilities(msg.roleCapabilities),
    defaultTrust: msg.defaultTrust === TrustLevel.UNSPECIFIED ? TrustLevel.LOCAL : msg.defaultTrust,
    creator: msg.creator,
    createdHeight: ctx.block.height,
    createdAt: ctx.block.time.seconds,
    updatedHeight: ctx.block.height,
  };
  setCommunity(ctx.store, community);
  ctx.store.set(SocialKeys.slug(msg.slug), uint64Bytes(id));
  setMembership(ctx.store, {
    communityId: id,
    address: msg.creator,
    role: Role.OWNER,
    trustLevel: TrustLevel.OWNER,
    status: MembershipStatus.ACTIVE,
    createdHeight: ctx.block.height,
    updatedHeight: ctx.block.height,
    actor: "",
    reason: "",
  });
  setCommunityStats(ctx.store, id, { memberCount: 1n, ownerCount: 1n });
  ctx.emit(
    socialEvent(SocialEvents.CommunityCreated, {
      community_id: id.toString(),
      slug: msg.slug,
      creator: msg.creator,
    }),
  );
  return community;
}

export const msgCreateCommunity = defineMsg(MsgCreateCommunity, {
  signers: (m) => [m.creator],
  validateBasic(m) {
    checkAddress(m.creator, "creator");
    checkSlug(m.slug);
    checkName(m.name, HARD_LIMITS.communityNameBytes);
    checkDescription(m.description, HARD_LIMITS.communityDescriptionBytes);
    checkRules(m.rules, HARD_LIMITS.rules, HARD_LIMITS.ruleBytes);
    checkVisibility(m.visibility, true);
    checkRetention(m.retention);
    checkRoleCapabilities(m.roleCapabilities);
    checkTrust(m.defaultTrust, true);
  },
  handle(ctx, m) {
    const actor = requireSocialActor(ctx, m.creator, "moderate");
    const params = getSocialParams(ctx.store);
    limitRate(ctx, params, actor, RateAction.COMMUNITY_CREATE);
    const community = createCommunity(ctx, m, params);
    return respond(MsgCreateCommunityResponse, { communityId: community.id });
  },
});

const MASK_FIELDS = ["name", "description", "visibility", "retention", "role_capabilities", "default_trust"];

export const msgUpdateCommunity = defineMsg(MsgUpdateCommunity, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    if (m.updateMask.length === 0) throw new CodedError(SocialErrors.NoChange, "update_mask is empty");
    if (m.updateMask.length > HARD_LIMITS.updateMaskEntries) throw invalid("update_mask is too long");
    const seen = new Set<string>();
    for (const f of m.updateMask) {
      if (!MASK_FIELDS.includes(f))
        throw invalid(`update_mask: unknown field ${JSON.stringify(f.slice(0, 40))}`);
      if (seen.has(f)) throw invalid(`update_mask lists ${f} twice`);
      seen.add(f);
    }
    const has = (f: string) => seen.has(f);
    if (has("name")) checkName(m.name, HARD_LIMITS.communityNameBytes);
    checkDescription(m.description, HARD_LIMITS.communityDescriptionBytes);
    checkVisibility(m.visibility, has("visibility"));
    checkRetention(m.retention);
    checkRoleCapabilities(m.roleCapabilities);
    checkTrust(m.defaultTrust, !has("default_trust"));
  },
  handle(ctx, m) {
    const params = getSocialParams(ctx.store);
    const governance = m.actor === params.authority;
    if (!governance) requireSocialActor(ctx, m.actor, "moderate");
    const community = requireCommunity(ctx.store, m.communityId);
    if (!governance) {
      const s = requireCapability(ctx.store, community, m.actor, Capability.MODERATE);
      if (s.role !== Role.OWNER) throw new CodedError(SocialErrors.OwnerOnly, "updating a community");
    }
    const next: Community = { ...community, updatedHeight: ctx.block.height };
    for (const field of m.updateMask) {
      switch (field) {
        case "name":
          checkName(m.name, params.maxCommunityNameBytes);
          next.name = m.name;
          break;
        case "description":
          checkDescription(m.description, params.maxCommunityDescriptionBytes);
          next.description = m.description;
          break;
        case "visibility":
          next.visibility = m.visibility;
          break;
        case "retention":
          next.retention =
            m.retention === RetentionTier.UNSPECIFIED ? defaultRetention(next.visibility) : m.retention;
          break;
        case "role_capabilities":
          next.roleCapabilities = completeRoleCapabilities(m.roleCapabilities);
          break;
        case "default_trust":
          next.defaultTrust = m.defaultTrust;
          break;
      }
    }
    setCommunity(ctx.store, next);
    ctx.emit(
      socialEvent(
        SocialEvents.CommunityUpdated,
        {
          community_id: community.id.toString(),
          actor: m.actor,
          fields: m.updateMask.join(","),
        },
        ["fields"],
      ),
    );
    return respond(MsgUpdateCommunityResponse, {});
  },
});

export const msgSetCommunityRules = defineMsg(MsgSetCommunityRules, {
  signers: (m) => [m.actor],
  validateBasic(m) {
    checkAddress(m.actor, "actor");
    checkId(m.communityId, "community_id");
    checkRules(m.rules, HARD_LIMITS.rules, HARD_LIMITS.ruleBytes);
  },
  handle(ctx, m) {
    const params = getSocialParams(ctx.store);
    const governance = m.actor === params.authority;
    if (!governance) requireSocialActor(ctx, m.actor, "moderate");
    const community = requireCommunity(ctx.store, m.communityId);
    if (!governance) requireCapability(ctx.store, community, m.actor, Capability.MODERATE);
    checkRules(m.rules, params.maxRules, params.maxRuleBytes);
    setCommunity(ctx.store, { ...community, rules: [...m.rules], updatedHeight: ctx.block.height });
    ctx.emit(
      socialEvent(SocialEvents.CommunityRulesSet, {
        community_id: community.id.toString(),
        actor: m.actor,
      }),
    );
    return respond(MsgSetCommunityRulesResponse, {});
  },
});
