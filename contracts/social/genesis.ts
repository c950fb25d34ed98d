/**
 * The module's genesis section, `app_state.social` (every key optional):
 *
 *   {
 *     "params": {                                  // every field optional (defaults in params.ts)
 *       "authority": "vivim1...",                  // default: the gov module account
 *       "max_title_bytes": 300, "max_post_body_bytes": 40000, "max_comment_body_bytes": 10000,
 *       "max_link_bytes": 2048, "max_collaborators": 10, "max_comment_depth": 64,
 *       "max_rules": 20, "max_rule_bytes": 280, "max_community_name_bytes": 100,
 *       "max_community_description_bytes": 2000, "new_account_seconds": "86400",
 *       "rate_limits": {                           // per action, per tier, each optional
 *         "post": { "normal": { "max": 30, "window_seconds": 3600 }, "new_account": {...},
 *                   "agent": {...}, "limited_reach": {...} },
 *         "comment": {...}, "vote": {...}, "react": {...}, "follow": {...},
 *         "community_create": {...}, "edit": {...}
 *       }
 *     },
 *     "communities": [                             // ids 1, 2, ... in this order
 *       { "slug": "general", "name": "General", "description": "...", "rules": ["Be kind"],
 *         "visibility": "PUBLIC",                  // or PRIVATE
 *         "retention": "FEEDS",                    // optional: EPHEMERAL | SESSIONS | CHANNELS | THREADS | FEEDS
 *         "role_capabilities": [{ "role": "MEMBER", "capabilities": ["SPEAK", "LISTEN"] }],  // optional
 *         "default_trust": "LOCAL",                // optional
 *         "creator": "vivim1...",                  // becomes OWNER
 *         "moderators": ["vivim1..."],             // optional: MODERATOR, LOCAL trust
 *         "members": ["vivim1..."] }               // optional: MEMBER, the default trust
 *     ],
 *     "posts": [                                   // content ids 1, 2, ... in this order
 *       { "ref": "welcome",                        // optional name for comments and votes below
 *         "community": "general",                  // slug
 *         "author": "vivim1...", "title": "...", "body": "...",
 *         "link": "https://...", "collaborators": ["vivim1..."],            // optional
 *         "usage": { "cost_micro_usd": "1200", "duration_ms": 3400, "model": "..." } }  // optional, agents only
 *     ],
 *     "comments": [                                // ids continue after the posts, in this order
 *       { "ref": "c1", "parent": "welcome",        // parent: the ref of a post or an earlier comment
 *         "author": "vivim1...", "body": "...", "usage": {...} }             // usage: optional, agents only
 *     ],
 *     "votes": [{ "voter": "vivim1...", "target": "c1", "direction": "UP" }],   // or DOWN
 *     "follows": [{ "follower": "vivim1...", "target": "vivim1..." }]
 *   }
 *
 * Enum values may be written short (`PUBLIC`) or with their protobuf prefix (`VISIBILITY_PUBLIC`).
 * Every account named must be registered in identity's genesis (which runs first), and everything
 * a Msg would check is checked (slugs, sizes, SPEAK of authors, no self-follow, ...) except rate
 * limits; a failure names the field. Objects are created at the genesis height and time.
 */
import { isCodedError } from "../../chain/errors/codes.js";
import { getActor } from "../identity/keeper.js";
import {
  asArray,
  asEnum,
  asObject,
  asString,
  asUint,
  GenesisFieldError,
  rejectUnknownKeys,
} from "../lib/genesis.js";
import type { ExecContext } from "../types.js";
import { type AnswerUsage, requireAgentForUsage } from "./answer-usage.js";
import {
  CAPABILITY_NAMES,
  Capability,
  RETENTION_TIER_NAMES,
  ROLE_NAMES,
  Role,
  TRUST_LEVEL_NAMES,
  TrustLevel,
  VISIBILITY_NAMES,
  VOTE_DIRECTION_NAMES,
  VoteDirection,
} from "./enums.js";
import { isFollowing, requireCapability, requireCommunity, requireContent } from "./keeper.js";
import { createCommunity, msgCreateCommunity } from "./msg-community.js";
import {
  checkNewPost,
  msgCreateComment,
  msgCreatePost,
  replyTarget,
  writeComment,
  writePost,
} from "./msg-content.js";
import { msgFollow, writeFollow } from "./msg-follow.js";
import { addMember } from "./msg-membership.js";
import { applyVote, msgVote } from "./msg-vote.js";
import {
  type ActionRateLimits,
  DEFAULT_SOCIAL_PARAMS,
  type RateLimits,
  type RateRule,
  type SocialParams,
  setSocialParams,
  validateSocialParams,
} from "./params.js";
import type { MsgCreateCommunity } from "./tx.js";
import { checkAddress } from "./validation.js";

const SECTION = "app_state.social";
const MAX_SEED = 100_000;

export interface GenesisPost {
  ref: string;
  community: string;
  author: string;
  title: string;
  body: string;
  link: string;
  collaborators: string[];
  usage?: AnswerUsage;
}

export interface GenesisComment {
  ref: string;
  parent: string;
  author: string;
  body: string;
  usage?: AnswerUsage;
}

export interface SocialGenesis {
  params: SocialParams;
  communities: Array<{ msg: MsgCreateCommunity; moderators: string[]; members: string[] }>;
  posts: GenesisPost[];
  comments: GenesisComment[];
  votes: Array<{ voter: string; target: string; direction: VoteDirection }>;
  follows: Array<{ follower: string; target: string }>;
}

/** Runs a stateless or stateful check, turning its coded error into a GenesisFieldError. */
function at<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (isCodedError(err)) throw new GenesisFieldError(field, err.log);
    throw err;
  }
}

function enumField(
  names: readonly string[],
  prefix: string,
  value: unknown,
  field: string,
  dflt: number,
): number {
  return value === undefined ? dflt : asEnum(value, field, names, prefix);
}

function stringList(value: unknown, field: string, max: number): string[] {
  if (value === undefined) return [];
  return asArray(value, field, max).map((v, i) => asString(v, `${field}[${i}]`));
}

function optString(value: unknown, field: string): string {
  return value === undefined ? "" : asString(value, field);
}

/** An optional `usage` object; its bounds are checked by the Msg's validateBasic. */
function optUsage(value: unknown, field: string): { usage?: AnswerUsage } {
  if (value === undefined) return {};
  const u = asObject(value, field);
  rejectUnknownKeys(u, ["cost_micro_usd", "duration_ms", "model"], field);
  return {
    usage: {
      costMicroUsd: u.cost_micro_usd === undefined ? 0n : asUint(u.cost_micro_usd, `${field}.cost_micro_usd`),
      durationMs: small(u.duration_ms, `${field}.duration_ms`, 0),
      model: optString(u.model, `${field}.model`),
    },
  };
}

function small(value: unknown, field: string, dflt: number): number {
  if (value === undefined) return dflt;
  const v = asUint(value, field);
  if (v > 0xffff_ffffn) throw new GenesisFieldError(field, "must fit in 32 bits");
  return Number(v);
}

function parseRule(value: unknown, field: string, dflt: RateRule): RateRule {
  if (value === undefined) return dflt;
  const o = asObject(value, field);
  rejectUnknownKeys(o, ["max", "window_seconds"], field);
  return {
    max: small(o.max, `${field}.max`, dflt.max),
    windowSeconds: small(o.window_seconds, `${field}.window_seconds`, dflt.windowSeconds),
  };
}

const ACTION_KEYS: Array<[string, keyof RateLimits]> = [
  ["post", "post"],
  ["comment", "comment"],
  ["vote", "vote"],
  ["react", "react"],
  ["follow", "follow"],
  ["community_create", "communityCreate"],
  ["edit", "edit"],
];
const TIER_KEYS: Array<[string, keyof ActionRateLimits]> = [
  ["normal", "normal"],
  ["new_account", "newAccount"],
  ["agent", "agent"],
  ["limited_reach", "limitedReach"],
];

function parseRateLimits(value: unknown, field: string, dflt: RateLimits): RateLimits {
  if (value === undefined) return dflt;
  const o = asObject(value, field);
  rejectUnknownKeys(
    o,
    ACTION_KEYS.map(([k]) => k),
    field,
  );
  const out = { ...dflt };
  for (const [jsonKey, prop] of ACTION_KEYS) {
    if (o[jsonKey] === undefined) continue;
    const a = asObject(o[jsonKey], `${field}.${jsonKey}`);
    rejectUnknownKeys(
      a,
      TIER_KEYS.map(([k]) => k),
      `${field}.${jsonKey}`,
    );
    const base = dflt[prop]!;
    const next = { ...base };
    for (const [tierKey, tier] of TIER_KEYS)
      next[tier] = parseRule(a[tierKey], `${field}.${jsonKey}.${tierKey}`, base[tier]!);
    out[prop] = next;
  }
  return out;
}

const PARAM_KEYS = [
  "authority",
  "max_title_bytes",
  "max_post_body_bytes",
  "max_comment_body_bytes",
  "max_link_bytes",
  "max_collaborators",
  "max_comment_depth",
  "max_rules",
  "max_rule_bytes",
  "max_community_name_bytes",
  "max_community_description_bytes",
  "new_account_seconds",
  "rate_limits",
];

function parseParams(value: unknown): SocialParams {
  const field = `${SECTION}.params`;
  const d = DEFAULT_SOCIAL_PARAMS;
  if (value === undefined) return d;
  const p = asObject(value, field);
  rejectUnknownKeys(p, PARAM_KEYS, field);
  const params: SocialParams = {
    authority: p.authority === undefined ? d.authority : asString(p.authority, `${field}.authority`),
    maxTitleBytes: small(p.max_title_bytes, `${field}.max_title_bytes`, d.maxTitleBytes),
    maxPostBodyBytes: small(p.max_post_body_bytes, `${field}.max_post_body_bytes`, d.maxPostBodyBytes),
    maxCommentBodyBytes: small(
      p.max_comment_body_bytes,
      `${field}.max_comment_body_bytes`,
      d.maxCommentBodyBytes,
    ),
    maxLinkBytes: small(p.max_link_bytes, `${field}.max_link_bytes`, d.maxLinkBytes),
    maxCollaborators: small(p.max_collaborators, `${field}.max_collaborators`, d.maxCollaborators),
    maxCommentDepth: small(p.max_comment_depth, `${field}.max_comment_depth`, d.maxCommentDepth),
    maxRules: small(p.max_rules, `${field}.max_rules`, d.maxRules),
    maxRuleBytes: small(p.max_rule_bytes, `${field}.max_rule_bytes`, d.maxRuleBytes),
    maxCommunityNameBytes: small(
      p.max_community_name_bytes,
      `${field}.max_community_name_bytes`,
      d.maxCommunityNameBytes,
    ),
    maxCommunityDescriptionBytes: small(
      p.max_community_description_bytes,
      `${field}.max_community_description_bytes`,
      d.maxCommunityDescriptionBytes,
    ),
    newAccountSeconds:
      p.new_account_seconds === undefined
        ? d.newAccountSeconds
        : asUint(p.new_account_seconds, `${field}.new_account_seconds`),
    rateLimits: parseRateLimits(p.rate_limits, `${field}.rate_limits`, d.rateLimits!),
  };
  at(`${field}.authority`, () => checkAddressField(params.authority));
  at(field, () => validateSocialParams(params));
  return params;
}

function checkAddressField(address: string): void {
  checkAddress(address, "address");
}

/** Parses and statelessly checks `app_state.social`; throws a GenesisFieldError naming the field. */
export function parseSocialGenesis(state: unknown): SocialGenesis {
  if (state === undefined || state === null)
    return {
      params: DEFAULT_SOCIAL_PARAMS,
      communities: [],
      posts: [],
      comments: [],
      votes: [],
      follows: [],
    };
  const g = asObject(state, SECTION);
  rejectUnknownKeys(g, ["params", "communities", "posts", "comments", "votes", "follows"], SECTION);
  const params = parseParams(g.params);

  const slugs = new Set<string>();
  const communities = (
    g.communities === undefined ? [] : asArray(g.communities, `${SECTION}.communities`, 10_000)
  ).map((value, i) => {
    const field = `${SECTION}.communities[${i}]`;
    const c = asObject(value, field);
    rejectUnknownKeys(
      c,
      [
        "slug",
        "name",
        "description",
        "rules",
        "visibility",
        "retention",
        "role_capabilities",
        "default_trust",
        "creator",
        "moderators",
        "members",
      ],
      field,
    );
    const roleCapabilities =
      c.role_capabilities === undefined
        ? []
        : asArray(c.role_capabilities, `${field}.role_capabilities`, 4).map((rcValue, j) => {
            const f = `${field}.role_capabilities[${j}]`;
            const rc = asObject(rcValue, f);
            rejectUnknownKeys(rc, ["role", "capabilities"], f);
            return {
              role: enumField(ROLE_NAMES, "ROLE", rc.role, `${f}.role`, 0) as Role,
              capabilities: stringList(rc.capabilities, `${f}.capabilities`, 7).map(
                (name, k) =>
                  enumField(CAPABILITY_NAMES, "CAPABILITY", name, `${f}.capabilities[${k}]`, 0) as Capability,
              ),
            };
          });
    const msg: MsgCreateCommunity = {
      creator: asString(c.creator, `${field}.creator`),
      slug: asString(c.slug, `${field}.slug`),
      name: asString(c.name, `${field}.name`),
      description: optString(c.description, `${field}.description`),
      rules: stringList(c.rules, `${field}.rules`, 1000),
      visibility: enumField(VISIBILITY_NAMES, "VISIBILITY", c.visibility, `${field}.visibility`, 1),
      retention: enumField(RETENTION_TIER_NAMES, "RETENTION_TIER", c.retention, `${field}.retention`, 0),
      roleCapabilities,
      defaultTrust: enumField(TRUST_LEVEL_NAMES, "TRUST_LEVEL", c.default_trust, `${field}.default_trust`, 0),
    };
    at(field, () => msgCreateCommunity.validateBasic(msg));
    if (slugs.has(msg.slug)) throw new GenesisFieldError(`${field}.slug`, `duplicate slug ${msg.slug}`);
    slugs.add(msg.slug);
    const moderators = stringList(c.moderators, `${field}.moderators`, MAX_SEED);
    const members = stringList(c.members, `${field}.members`, MAX_SEED);
    const seen = new Set<string>([msg.creator]);
    for (const [list, name] of [
      [moderators, "moderators"],
      [members, "members"],
    ] as const)
      list.forEach((a, j) => {
        at(`${field}.${name}[${j}]`, () => checkAddressField(a));
        if (seen.has(a))
          throw new GenesisFieldError(`${field}.${name}[${j}]`, "account listed twice in this community");
        seen.add(a);
      });
    return { msg, moderators, members };
  });

  const refs = new Set<string>();
  const addRef = (ref: string, field: string) => {
    if (ref === "") return;
    if (refs.has(ref)) throw new GenesisFieldError(field, `duplicate ref ${JSON.stringify(ref)}`);
    refs.add(ref);
  };
  const needRef = (ref: string, field: string) => {
    if (!refs.has(ref))
      throw new GenesisFieldError(field, `no earlier post or comment has ref ${JSON.stringify(ref)}`);
  };

  const posts = (g.posts === undefined ? [] : asArray(g.posts, `${SECTION}.posts`, MAX_SEED)).map(
    (value, i) => {
      const field = `${SECTION}.posts[${i}]`;
      const p = asObject(value, field);
      rejectUnknownKeys(
        p,
        ["ref", "community", "author", "title", "body", "link", "collaborators", "usage"],
        field,
      );
      const post: GenesisPost = {
        ref: optString(p.ref, `${field}.ref`),
        community: asString(p.community, `${field}.community`),
        author: asString(p.author, `${field}.author`),
        title: asString(p.title, `${field}.title`),
        body: optString(p.body, `${field}.body`),
        link: optString(p.link, `${field}.link`),
        collaborators: stringList(p.collaborators, `${field}.collaborators`, 100),
        ...optUsage(p.usage, `${field}.usage`),
      };
      if (!slugs.has(post.community))
        throw new GenesisFieldError(
          `${field}.community`,
          `no community with slug ${JSON.stringify(post.community)}`,
        );
      at(field, () => msgCreatePost.validateBasic({ ...post, communityId: 1n }));
      addRef(post.ref, `${field}.ref`);
      return post;
    },
  );

  const comments = (g.comments === undefined ? [] : asArray(g.comments, `${SECTION}.comments`, MAX_SEED)).map(
    (value, i) => {
      const field = `${SECTION}.comments[${i}]`;
      const c = asObject(value, field);
      rejectUnknownKeys(c, ["ref", "parent", "author", "body", "usage"], field);
      const comment: GenesisComment = {
        ref: optString(c.ref, `${field}.ref`),
        parent: asString(c.parent, `${field}.parent`),
        author: asString(c.author, `${field}.author`),
        body: asString(c.body, `${field}.body`),
        ...optUsage(c.usage, `${field}.usage`),
      };
      needRef(comment.parent, `${field}.parent`);
      at(field, () => msgCreateComment.validateBasic({ ...comment, parentId: 1n }));
      addRef(comment.ref, `${field}.ref`);
      return comment;
    },
  );

  const voted = new Set<string>();
  const votes = (g.votes === undefined ? [] : asArray(g.votes, `${SECTION}.votes`, MAX_SEED)).map(
    (value, i) => {
      const field = `${SECTION}.votes[${i}]`;
      const v = asObject(value, field);
      rejectUnknownKeys(v, ["voter", "target", "direction"], field);
      const vote = {
        voter: asString(v.voter, `${field}.voter`),
        target: asString(v.target, `${field}.target`),
        direction: enumField(
          VOTE_DIRECTION_NAMES,
          "VOTE_DIRECTION",
          v.direction,
          `${field}.direction`,
          VoteDirection.UP,
        ),
      };
      needRef(vote.target, `${field}.target`);
      at(field, () => msgVote.validateBasic({ voter: vote.voter, targetId: 1n, direction: vote.direction }));
      const pair = `${vote.voter}>${vote.target}`;
      if (voted.has(pair)) throw new GenesisFieldError(field, "one vote per voter and target");
      voted.add(pair);
      return vote;
    },
  );

  const pairs = new Set<string>();
  const follows = (g.follows === undefined ? [] : asArray(g.follows, `${SECTION}.follows`, MAX_SEED)).map(
    (value, i) => {
      const field = `${SECTION}.follows[${i}]`;
      const f = asObject(value, field);
      rejectUnknownKeys(f, ["follower", "target"], field);
      const follow = {
        follower: asString(f.follower, `${field}.follower`),
        target: asString(f.target, `${field}.target`),
      };
      at(field, () => msgFollow.validateBasic(follow));
      const pair = `${follow.follower}>${follow.target}`;
      if (pairs.has(pair)) throw new GenesisFieldError(field, "follow listed twice");
      pairs.add(pair);
      return follow;
    },
  );

  return { params, communities, posts, comments, votes, follows };
}

function requireRegistered(ctx: ExecContext, address: string, field: string): void {
  if (!getActor(ctx.store, address))
    throw new GenesisFieldError(field, `${address} has no profile or agent in identity genesis`);
}

/** A post or comment's author, registered, and an agent if it carries usage. */
function requireAuthor(ctx: ExecContext, c: { author: string; usage?: AnswerUsage }, field: string): void {
  requireRegistered(ctx, c.author, `${field}.author`);
  at(`${field}.usage`, () => requireAgentForUsage(getActor(ctx.store, c.author)!, c.usage));
}

export function initSocialGenesis(ctx: ExecContext, state: unknown): void {
  const g = parseSocialGenesis(state);
  setSocialParams(ctx.store, g.params);
  const params = g.params;
  const communityIds = new Map<string, bigint>();
  g.communities.forEach(({ msg, moderators, members }, i) => {
    const field = `${SECTION}.communities[${i}]`;
    requireRegistered(ctx, msg.creator, `${field}.creator`);
    const community = at(field, () => createCommunity(ctx, msg, params));
    communityIds.set(msg.slug, community.id);
    moderators.forEach((a, j) => {
      requireRegistered(ctx, a, `${field}.moderators[${j}]`);
      addMember(ctx, community, a, Role.MODERATOR, TrustLevel.LOCAL, "");
    });
    members.forEach((a, j) => {
      requireRegistered(ctx, a, `${field}.members[${j}]`);
      addMember(ctx, community, a, Role.MEMBER, community.defaultTrust, "");
    });
  });

  const ids = new Map<string, bigint>();
  g.posts.forEach((p, i) => {
    const field = `${SECTION}.posts[${i}]`;
    requireAuthor(ctx, p, field);
    const community = requireCommunity(ctx.store, communityIds.get(p.community)!);
    at(field, () => checkNewPost(ctx, params, p, community));
    const post = writePost(ctx, { ...p, community });
    if (p.ref) ids.set(p.ref, post.id);
  });

  g.comments.forEach((c, i) => {
    const field = `${SECTION}.comments[${i}]`;
    requireAuthor(ctx, c, field);
    const comment = at(field, () => {
      const { parent, root } = replyTarget(ctx, params, ids.get(c.parent)!);
      requireCapability(
        ctx.store,
        requireCommunity(ctx.store, root.record.communityId),
        c.author,
        Capability.SPEAK,
      );
      return writeComment(ctx, c.author, parent, root, c.body, c.usage);
    });
    if (c.ref) ids.set(c.ref, comment.id);
  });

  g.votes.forEach((v, i) => {
    const field = `${SECTION}.votes[${i}]`;
    requireRegistered(ctx, v.voter, `${field}.voter`);
    at(field, () => {
      const content = requireContent(ctx.store, ids.get(v.target)!);
      const community = requireCommunity(ctx.store, content.record.communityId);
      requireCapability(ctx.store, community, v.voter, Capability.LISTEN);
      applyVote(ctx, content, v.voter, v.direction);
    });
  });

  g.follows.forEach((f, i) => {
    const field = `${SECTION}.follows[${i}]`;
    requireRegistered(ctx, f.follower, `${field}.follower`);
    requireRegistered(ctx, f.target, `${field}.target`);
    if (isFollowing(ctx.store, f.follower, f.target))
      throw new GenesisFieldError(field, "follow listed twice");
    writeFollow(ctx, f.follower, f.target);
  });
}
