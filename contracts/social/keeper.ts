/**
 * State access of the social module (layout in keys.ts) and the checks every handler makes:
 * community standing (capability, membership, ban) and per-account rate limits.
 */
import { CodedError } from "../../chain/errors/codes.js";
import { type AgentCapability, actorMay } from "../identity/capabilities.js";
import { type Actor, displayName, registeredAt, requireActor } from "../identity/keeper.js";
import { DecodedByIdentity } from "../lib/decoded-by-identity.js";
import { consumeRateSlot } from "../lib/rate-limit.js";
import { readUint64, uint64Bytes } from "../lib/store.js";
import { isLimitedReach } from "../reputation/reach.js";
import type { ExecContext, KVReader, KVStore } from "../types.js";
import { bit, getCommunityRecord, getMembershipRecord, type Standing, standingOf } from "./capabilities.js";
import { CAPABILITY_NAMES, type Capability, Visibility } from "./enums.js";
import { SocialErrors } from "./errors.js";
import { RateAction, SocialKeys } from "./keys.js";
import { type ActionRateLimits, DEFAULT_RATE_LIMITS, type RateRule, type SocialParams } from "./params.js";
import {
  Community,
  CommunityStats,
  ContentCounts,
  ContentRecord,
  FollowCounts,
  Membership,
  Vote,
  ZERO_COUNTS,
} from "./records.js";

export { getCommunityRecord as getCommunity, getMembershipRecord as getMembership } from "./capabilities.js";

// --- actors -------------------------------------------------------------------------------------

/**
 * The registered human or active agent behind a social write (identity's `requireActor`), and for
 * an agent, the owner's grant of `capability` (identity's agent capabilities).
 */
export function requireSocialActor(
  ctx: Pick<ExecContext, "store">,
  address: string,
  capability?: AgentCapability,
): Actor {
  const actor = requireActor(ctx, address);
  if (capability) requireGrant(actor, capability);
  return actor;
}

export function requireGrant(actor: Actor, capability: AgentCapability): void {
  if (!actorMay(actor, capability))
    throw new CodedError(
      SocialErrors.AgentNotPermitted,
      `${displayName(actor)} lacks the ${capability} capability`,
    );
}

// --- sequences ----------------------------------------------------------------------------------

/** Takes the next id of a sequence (ids start at 1). */
export function nextId(store: KVStore, seqKey: Uint8Array): bigint {
  const bytes = store.get(seqKey);
  const id = bytes ? readUint64(bytes) : 1n;
  store.set(seqKey, uint64Bytes(id + 1n));
  return id;
}

export function peekNextId(store: KVReader, seqKey: Uint8Array): bigint {
  const bytes = store.get(seqKey);
  return bytes ? readUint64(bytes) : 1n;
}

// --- communities --------------------------------------------------------------------------------

export function requireCommunity(store: KVReader, id: bigint): Community {
  const c = getCommunityRecord(store, id);
  if (!c) throw new CodedError(SocialErrors.CommunityNotFound, `community ${id}`);
  return c;
}

export function setCommunity(store: KVStore, c: Community): void {
  store.set(SocialKeys.community(c.id), Community.toBytes(c));
}

export function communityIdOfSlug(store: KVReader, slug: string): bigint | undefined {
  const bytes = store.get(SocialKeys.slug(slug));
  return bytes ? readUint64(bytes) : undefined;
}

export function getCommunityStats(store: KVReader, id: bigint): CommunityStats {
  const bytes = store.get(SocialKeys.communityStats(id));
  return bytes ? CommunityStats.decode(bytes) : { memberCount: 0n, ownerCount: 0n };
}

export function setCommunityStats(store: KVStore, id: bigint, stats: CommunityStats): void {
  store.set(SocialKeys.communityStats(id), CommunityStats.toBytes(stats));
}

export function setMembership(store: KVStore, m: Membership): void {
  store.set(SocialKeys.membership(m.communityId, m.address), Membership.toBytes(m));
}

export function deleteMembership(store: KVStore, communityId: bigint, address: string): void {
  store.delete(SocialKeys.membership(communityId, address));
}

/** `address`'s standing in `community` (one store read). */
export function standing(store: KVReader, community: Community, address: string): Standing {
  return standingOf(community, getMembershipRecord(store, community.id, address));
}

/**
 * The standing of `address` if it holds `capability` in `community`; otherwise the precise
 * refusal: banned, not a member of a private community, or missing the capability.
 */
export function requireCapability(
  store: KVReader,
  community: Community,
  address: string,
  capability: Capability,
): Standing {
  const s = standing(store, community, address);
  if ((s.mask & bit(capability)) !== 0) return s;
  if (s.banned) throw new CodedError(SocialErrors.Banned, `community ${community.id}`);
  if (!s.membership && community.visibility === Visibility.PRIVATE)
    throw new CodedError(SocialErrors.NotMember, `community ${community.id} is private`);
  throw new CodedError(
    SocialErrors.MissingCapability,
    `${CAPABILITY_NAMES[capability]} required in community ${community.id}`,
  );
}

// --- content ------------------------------------------------------------------------------------

/** A stored post or comment: its record and its counts. */
export interface StoredContent {
  record: Readonly<ContentRecord>;
  counts: Readonly<ContentCounts>;
}

/**
 * Decoded content by its stored bytes: a thread's root is read by every vote and reply to it, and
 * its body need not be decoded again each time. Frozen (the collaborator list too), so a shared
 * value cannot be changed; callers copy, never mutate.
 */
const decodedRecords = new DecodedByIdentity<Readonly<ContentRecord>>((bytes) => {
  const record = ContentRecord.decode(bytes);
  Object.freeze(record.collaborators);
  if (record.usage) Object.freeze(record.usage);
  return Object.freeze(record);
});

export function loadContent(store: KVReader, id: bigint): StoredContent | undefined {
  const bytes = store.get(SocialKeys.content(id));
  if (!bytes) return undefined;
  const counts = store.get(SocialKeys.counts(id));
  return {
    record: decodedRecords.decode(bytes),
    counts: counts ? ContentCounts.decode(counts) : ZERO_COUNTS,
  };
}

export function requireContent(store: KVReader, id: bigint): StoredContent {
  const c = loadContent(store, id);
  if (!c) throw new CodedError(SocialErrors.ContentNotFound, `content ${id}`);
  return c;
}

export function setRecord(store: KVStore, r: ContentRecord): void {
  store.set(SocialKeys.content(r.id), ContentRecord.toBytes(r));
}

export function setCounts(store: KVStore, id: bigint, counts: ContentCounts): void {
  store.set(SocialKeys.counts(id), ContentCounts.toBytes(counts));
}

export function getVote(store: KVReader, target: bigint, voter: string): Vote | undefined {
  const bytes = store.get(SocialKeys.vote(target, voter));
  return bytes ? Vote.decode(bytes) : undefined;
}

// --- follows ------------------------------------------------------------------------------------

export function getFollowCounts(store: KVReader, address: string): FollowCounts {
  const bytes = store.get(SocialKeys.followCounts(address));
  return bytes ? FollowCounts.decode(bytes) : { followers: 0n, following: 0n };
}

export function setFollowCounts(store: KVStore, address: string, counts: FollowCounts): void {
  if (counts.followers === 0n && counts.following === 0n) store.delete(SocialKeys.followCounts(address));
  else store.set(SocialKeys.followCounts(address), FollowCounts.toBytes(counts));
}

export function isFollowing(store: KVReader, follower: string, followee: string): boolean {
  return store.get(SocialKeys.following(follower, followee)) !== undefined;
}

// --- rate limits --------------------------------------------------------------------------------

const ACTION_FIELD: Record<RateAction, keyof NonNullable<SocialParams["rateLimits"]>> = {
  [RateAction.POST]: "post",
  [RateAction.COMMENT]: "comment",
  [RateAction.VOTE]: "vote",
  [RateAction.REACT]: "react",
  [RateAction.FOLLOW]: "follow",
  [RateAction.COMMUNITY_CREATE]: "communityCreate",
  [RateAction.EDIT]: "edit",
};

const ACTION_NAME: Record<RateAction, string> = {
  [RateAction.POST]: "post",
  [RateAction.COMMENT]: "comment",
  [RateAction.VOTE]: "vote",
  [RateAction.REACT]: "react",
  [RateAction.FOLLOW]: "follow",
  [RateAction.COMMUNITY_CREATE]: "community create",
  [RateAction.EDIT]: "edit",
};

/** Whether rule `a` allows fewer actions per second than `b` (a forbidding rule is strictest). */
export function stricter(a: RateRule, b: RateRule): boolean {
  return BigInt(a.max) * BigInt(b.windowSeconds) < BigInt(b.max) * BigInt(a.windowSeconds);
}

export type RateTier = "normal" | "newAccount" | "agent" | "limitedReach";

/** The strictest rule among the tiers `actor` belongs to now, and that tier. */
export function rateRuleFor(
  store: KVReader,
  params: SocialParams,
  actor: Actor,
  action: RateAction,
  nowSeconds: bigint,
): { rule: RateRule; tier: RateTier } {
  const limits: ActionRateLimits =
    params.rateLimits?.[ACTION_FIELD[action]] ?? DEFAULT_RATE_LIMITS[ACTION_FIELD[action]]!;
  let tier: RateTier = "normal";
  let rule = limits.normal!;
  const consider = (t: RateTier, r: RateRule | undefined) => {
    if (r && stricter(r, rule)) {
      rule = r;
      tier = t;
    }
  };
  if (nowSeconds - registeredAt(actor) < params.newAccountSeconds) consider("newAccount", limits.newAccount);
  if (actor.kind === "agent") consider("agent", limits.agent);
  // Reach costs three reads: only ask when its rule would be stricter than the one chosen so far.
  if (limits.limitedReach && stricter(limits.limitedReach, rule) && isLimitedReach(store, actor.address))
    consider("limitedReach", limits.limitedReach);
  return { rule, tier };
}

/** Counts one `action` by `actor` against its rate limit, or throws ratelimit/2 with retry_after. */
export function limitRate(ctx: ExecContext, params: SocialParams, actor: Actor, action: RateAction): void {
  const { rule } = rateRuleFor(ctx.store, params, actor, action, ctx.block.time.seconds);
  // One limiter record per account, a slot per action: a busy account writes one key per block.
  consumeRateSlot(
    ctx.store,
    SocialKeys.rate(actor.address),
    action - 1,
    rule,
    ctx.block,
    ACTION_NAME[action],
  );
}
