/**
 * Parameters of the social module: field limits, the comment depth cap and per-account rate
 * limits, changed by the authority (governance) with MsgUpdateParams.
 *
 * Rate limits are GCRA rules (`max` actions per `windowSeconds`, bursts up to `max`), one per
 * action and tier. An account gets the strictest rule of the tiers it belongs to: `normal` for
 * everyone; `newAccount` while younger than `newAccountSeconds` (from its registration);
 * `agent` for agent accounts; `limitedReach` while reputation says its reach is limited.
 */
import { defineMessage } from "../../chain/codec/proto-message.js";
import { CodedError } from "../../chain/errors/codes.js";
import { moduleAddress } from "../auth/keeper.js";
import type { KVReader, KVStore } from "../types.js";
import { SocialErrors } from "./errors.js";
import { SocialKeys } from "./keys.js";

export interface RateRule {
  max: number;
  windowSeconds: number;
}

export const RateRule = defineMessage<RateRule>("vivim.social.v1.RateRule", [
  { no: 1, name: "max", kind: "uint32" },
  { no: 2, name: "windowSeconds", kind: "uint32" },
]);

export interface ActionRateLimits {
  normal: RateRule | undefined;
  newAccount: RateRule | undefined;
  agent: RateRule | undefined;
  limitedReach: RateRule | undefined;
}

export const ActionRateLimits = defineMessage<ActionRateLimits>("vivim.social.v1.ActionRateLimits", [
  { no: 1, name: "normal", kind: "message", type: () => RateRule },
  { no: 2, name: "newAccount", kind: "message", type: () => RateRule },
  { no: 3, name: "agent", kind: "message", type: () => RateRule },
  { no: 4, name: "limitedReach", kind: "message", type: () => RateRule },
]);

export interface RateLimits {
  post: ActionRateLimits | undefined;
  comment: ActionRateLimits | undefined;
  vote: ActionRateLimits | undefined;
  react: ActionRateLimits | undefined;
  /** Follows and community joins. */
  follow: ActionRateLimits | undefined;
  communityCreate: ActionRateLimits | undefined;
  edit: ActionRateLimits | undefined;
}

export const RateLimits = defineMessage<RateLimits>("vivim.social.v1.RateLimits", [
  { no: 1, name: "post", kind: "message", type: () => ActionRateLimits },
  { no: 2, name: "comment", kind: "message", type: () => ActionRateLimits },
  { no: 3, name: "vote", kind: "message", type: () => ActionRateLimits },
  { no: 4, name: "react", kind: "message", type: () => ActionRateLimits },
  { no: 5, name: "follow", kind: "message", type: () => ActionRateLimits },
  { no: 6, name: "communityCreate", kind: "message", type: () => ActionRateLimits },
  { no: 7, name: "edit", kind: "message", type: () => ActionRateLimits },
]);

export interface SocialParams {
  authority: string;
  maxTitleBytes: number;
  maxPostBodyBytes: number;
  maxCommentBodyBytes: number;
  maxLinkBytes: number;
  maxCollaborators: number;
  maxCommentDepth: number;
  maxRules: number;
  maxRuleBytes: number;
  maxCommunityNameBytes: number;
  maxCommunityDescriptionBytes: number;
  /** Accounts registered less than this many seconds ago get the `newAccount` rate tier. */
  newAccountSeconds: bigint;
  rateLimits: RateLimits | undefined;
}

export const SocialParams = defineMessage<SocialParams>("vivim.social.v1.Params", [
  { no: 1, name: "authority", kind: "string" },
  { no: 2, name: "maxTitleBytes", kind: "uint32" },
  { no: 3, name: "maxPostBodyBytes", kind: "uint32" },
  { no: 4, name: "maxCommentBodyBytes", kind: "uint32" },
  { no: 5, name: "maxLinkBytes", kind: "uint32" },
  { no: 6, name: "maxCollaborators", kind: "uint32" },
  { no: 7, name: "maxCommentDepth", kind: "uint32" },
  { no: 8, name: "maxRules", kind: "uint32" },
  { no: 9, name: "maxRuleBytes", kind: "uint32" },
  { no: 10, name: "maxCommunityNameBytes", kind: "uint32" },
  { no: 11, name: "maxCommunityDescriptionBytes", kind: "uint32" },
  { no: 12, name: "newAccountSeconds", kind: "uint64" },
  { no: 13, name: "rateLimits", kind: "message", type: () => RateLimits },
]);

/**
 * Hard ceilings: stateless validation (validateBasic) enforces these, params may only lower them
 * (the comment depth may be raised up to its ceiling).
 */
export const HARD_LIMITS = Object.freeze({
  titleBytes: 300,
  postBodyBytes: 40_000,
  commentBodyBytes: 10_000,
  linkBytes: 2048,
  collaborators: 10,
  commentDepth: 128,
  rules: 20,
  ruleBytes: 280,
  communityNameBytes: 100,
  communityDescriptionBytes: 2000,
  reasonBytes: 280,
  emojiBytes: 32,
  updateMaskEntries: 8,
});

const HOUR = 3600;
const DAY = 86_400;
const rule = (max: number, windowSeconds: number): RateRule => ({ max, windowSeconds });
const tiers = (normal: RateRule, newAccount: RateRule, agent: RateRule, limitedReach: RateRule) => ({
  normal,
  newAccount,
  agent,
  limitedReach,
});

/**
 * Defaults in Moltbook's spirit (posts rarer than comments, comments rarer than votes), loose
 * enough that a devnet and a benchmark with a few hundred fresh accounts (new *and* limited
 * reach) can run: each limit is also the burst an idle account may spend at once.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  post: tiers(rule(30, HOUR), rule(5, HOUR), rule(10, HOUR), rule(10, HOUR)),
  comment: tiers(rule(300, HOUR), rule(40, HOUR), rule(120, HOUR), rule(60, HOUR)),
  vote: tiers(rule(1200, HOUR), rule(200, HOUR), rule(600, HOUR), rule(300, HOUR)),
  react: tiers(rule(1200, HOUR), rule(200, HOUR), rule(600, HOUR), rule(300, HOUR)),
  follow: tiers(rule(300, HOUR), rule(50, HOUR), rule(100, HOUR), rule(100, HOUR)),
  communityCreate: tiers(rule(10, DAY), rule(1, DAY), rule(2, DAY), rule(2, DAY)),
  edit: tiers(rule(120, HOUR), rule(20, HOUR), rule(60, HOUR), rule(30, HOUR)),
});

export const DEFAULT_SOCIAL_PARAMS: SocialParams = Object.freeze({
  authority: moduleAddress("gov"),
  maxTitleBytes: HARD_LIMITS.titleBytes,
  maxPostBodyBytes: HARD_LIMITS.postBodyBytes,
  maxCommentBodyBytes: HARD_LIMITS.commentBodyBytes,
  maxLinkBytes: HARD_LIMITS.linkBytes,
  maxCollaborators: HARD_LIMITS.collaborators,
  maxCommentDepth: 64,
  maxRules: HARD_LIMITS.rules,
  maxRuleBytes: HARD_LIMITS.ruleBytes,
  maxCommunityNameBytes: HARD_LIMITS.communityNameBytes,
  maxCommunityDescriptionBytes: HARD_LIMITS.communityDescriptionBytes,
  newAccountSeconds: 86_400n,
  rateLimits: DEFAULT_RATE_LIMITS,
});

/** Decoded params by their stored bytes: every social Msg reads params, decoding them once is enough. */
let cached: { bytes: Uint8Array; params: SocialParams } | undefined;

export function getSocialParams(store: KVReader): SocialParams {
  const bytes = store.get(SocialKeys.params());
  if (!bytes) return DEFAULT_SOCIAL_PARAMS;
  if (cached?.bytes === bytes) return cached.params;
  const params = Object.freeze(SocialParams.decode(bytes));
  cached = { bytes, params };
  return params;
}

export function setSocialParams(store: KVStore, params: SocialParams): void {
  store.set(SocialKeys.params(), SocialParams.toBytes(params));
}

const MAX_WINDOW_SECONDS = 366 * DAY;
const MAX_RULE_ACTIONS = 1_000_000;

function checkRule(r: RateRule | undefined, field: string): void {
  if (!r) throw new CodedError(SocialErrors.InvalidField, `${field} is required`);
  if (!Number.isInteger(r.max) || r.max < 0 || r.max > MAX_RULE_ACTIONS)
    throw new CodedError(SocialErrors.InvalidField, `${field}.max must be 0..${MAX_RULE_ACTIONS}`);
  if (!Number.isInteger(r.windowSeconds) || r.windowSeconds < 1 || r.windowSeconds > MAX_WINDOW_SECONDS)
    throw new CodedError(
      SocialErrors.InvalidField,
      `${field}.window_seconds must be 1..${MAX_WINDOW_SECONDS}`,
    );
}

const ACTIONS = ["post", "comment", "vote", "react", "follow", "communityCreate", "edit"] as const;
const TIERS = ["normal", "newAccount", "agent", "limitedReach"] as const;

/** Throws a coded InvalidField naming the first bad parameter. */
export function validateSocialParams(p: SocialParams): void {
  const bounded = (value: number, min: number, max: number, field: string) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new CodedError(SocialErrors.InvalidField, `params.${field} must be ${min}..${max}`);
  };
  bounded(p.maxTitleBytes, 1, HARD_LIMITS.titleBytes, "max_title_bytes");
  bounded(p.maxPostBodyBytes, 1, HARD_LIMITS.postBodyBytes, "max_post_body_bytes");
  bounded(p.maxCommentBodyBytes, 1, HARD_LIMITS.commentBodyBytes, "max_comment_body_bytes");
  bounded(p.maxLinkBytes, 12, HARD_LIMITS.linkBytes, "max_link_bytes");
  bounded(p.maxCollaborators, 0, HARD_LIMITS.collaborators, "max_collaborators");
  bounded(p.maxCommentDepth, 1, HARD_LIMITS.commentDepth, "max_comment_depth");
  bounded(p.maxRules, 0, HARD_LIMITS.rules, "max_rules");
  bounded(p.maxRuleBytes, 1, HARD_LIMITS.ruleBytes, "max_rule_bytes");
  bounded(p.maxCommunityNameBytes, 1, HARD_LIMITS.communityNameBytes, "max_community_name_bytes");
  bounded(
    p.maxCommunityDescriptionBytes,
    0,
    HARD_LIMITS.communityDescriptionBytes,
    "max_community_description_bytes",
  );
  if (p.newAccountSeconds > BigInt(MAX_WINDOW_SECONDS) * 10n)
    throw new CodedError(SocialErrors.InvalidField, "params.new_account_seconds is too large");
  const limits = p.rateLimits;
  if (!limits) throw new CodedError(SocialErrors.InvalidField, "params.rate_limits is required");
  for (const action of ACTIONS) {
    const a = limits[action];
    if (!a)
      throw new CodedError(SocialErrors.InvalidField, `params.rate_limits.${snake(action)} is required`);
    for (const tier of TIERS) checkRule(a[tier], `params.rate_limits.${snake(action)}.${snake(tier)}`);
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
