/**
 * Query handlers (abci `/vivim.social.v1.Query/<Name>`, REST under `/vivim/social/v1/`). Every
 * list is one prefix range of the store in display order, cursor-paged (`pagination.key`, default
 * 20 items, at most 100); a page costs one range scan plus a few point reads per item.
 */

import type { ProtoMessage } from "../../chain/codec/proto-message.js";
import { decodeAddress, encodeAddress } from "../../chain/crypto/address.js";
import { CodedError, SdkErrors } from "../../chain/errors/codes.js";
import { displayName, getActor } from "../identity/keeper.js";
import { accountSubject, activeLabelValues, communitySubject, contentSubject } from "../labels/lookup.js";
import { defineQuery } from "../lib/define.js";
import type { PageRequest, PageResponse } from "../lib/proto-common.js";
import { key, readUint64 } from "../lib/store.js";
import type { KVReader, QueryContext, QueryHandler } from "../types.js";
import { ALL_CAPABILITIES, bit, standingOf } from "./capabilities.js";
import { ContentKind, LabelPolicy, RetentionTier, VoteDirection } from "./enums.js";
import {
  communityIdOfSlug,
  getCommunity,
  getCommunityStats,
  getFollowCounts,
  getMembership,
  getVote,
  loadContent,
  type StoredContent,
} from "./keeper.js";
import { idFromFeedKey, SocialKeys, SocialPrefix } from "./keys.js";
import { getSocialParams } from "./params.js";
import {
  type CommunityView,
  type ContentView,
  type Follow,
  QueryAuthorFeedRequest,
  QueryAuthorFeedResponse,
  QueryCommunitiesRequest,
  QueryCommunitiesResponse,
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryCommunityRequest,
  QueryCommunityResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryFollowingRequest,
  QueryFollowingResponse,
  QueryMembershipRequest,
  QueryMembershipResponse,
  QueryMembersRequest,
  QueryMembersResponse,
  QueryReactionsRequest,
  QueryReactionsResponse,
  QuerySocialParamsRequest,
  QuerySocialParamsResponse,
  QueryThreadRequest,
  QueryThreadResponse,
  QueryVoteRequest,
  QueryVoteResponse,
} from "./query-types.js";
import { MAX_VOTE_TARGETS, QueryVotesRequest, QueryVotesResponse } from "./query-votes.js";
import { Community, type ContentRecord, contentHeader, Membership } from "./records.js";

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
const MAX_CURSOR_BYTES = 1024;

const DAY = 86_400n;
/** How long content stays readable per retention tier (the Vibes seed's defaults); 0 = forever. */
export const RETENTION_SECONDS: Readonly<Record<RetentionTier, bigint>> = {
  [RetentionTier.UNSPECIFIED]: 0n,
  [RetentionTier.EPHEMERAL]: DAY,
  [RetentionTier.SESSIONS]: 30n * DAY,
  [RetentionTier.CHANNELS]: 90n * DAY,
  [RetentionTier.THREADS]: 365n * DAY,
  [RetentionTier.FEEDS]: 0n,
};

/**
 * `defineQuery` for the hot list queries: the handler builds a complete response, so it is encoded
 * as is, without `fromPartial`'s deep copy of every item.
 */
function listQuery<Req, Res>(
  request: ProtoMessage<Req>,
  response: ProtoMessage<Res>,
  fn: (ctx: QueryContext, req: Req) => Promise<Res>,
): QueryHandler {
  return async (ctx, bytes) => {
    let req: Req;
    try {
      req = request.decode(bytes);
    } catch {
      throw badRequest(`malformed ${request.typeUrl.slice(1)}`);
    }
    return response.toBytes(await fn(ctx, req));
  };
}

const badRequest = (detail: string) => new CodedError(SdkErrors.InvalidRequest, detail);
const notFound = (detail: string) => new CodedError(SdkErrors.NotFound, detail);

// --- pagination ---------------------------------------------------------------------------------

interface Scan {
  rows: Array<[Uint8Array, Uint8Array]>;
  pagination: PageResponse;
}

/** One page of the entries under `prefix`, after the cursor `page.key`. */
export async function scanPage(
  ctx: QueryContext,
  prefix: Uint8Array,
  page: PageRequest | undefined,
): Promise<Scan> {
  const limit = page?.limit ? Number(page.limit) : DEFAULT_PAGE_LIMIT;
  if (page?.limit && page.limit > BigInt(MAX_PAGE_LIMIT))
    throw badRequest(`pagination.limit must be at most ${MAX_PAGE_LIMIT}`);
  if (page?.offset) throw badRequest("pagination.offset is not supported: page with pagination.key");
  if (page?.reverse) throw new CodedError(SdkErrors.NotSupported, "reverse pagination");
  const cursor = page?.key ?? new Uint8Array();
  if (cursor.length > MAX_CURSOR_BYTES) throw badRequest("pagination.key is too long");
  const rows = await ctx.range(prefix, {
    limit: limit + 1,
    ...(cursor.length > 0 ? { after: key(prefix, cursor) } : {}),
  });
  const more = rows.length > limit;
  const window = more ? rows.slice(0, limit) : rows;
  const last = window[window.length - 1];
  return {
    rows: window,
    pagination: { nextKey: more && last ? last[0].subarray(prefix.length) : new Uint8Array(), total: 0n },
  };
}

// --- views --------------------------------------------------------------------------------------

function parsePolicy(p: LabelPolicy): LabelPolicy {
  if (p === LabelPolicy.UNSPECIFIED) return LabelPolicy.ANNOTATE;
  if (p === LabelPolicy.SHOW || p === LabelPolicy.ANNOTATE || p === LabelPolicy.HIDE) return p;
  throw badRequest("label_policy must be SHOW, ANNOTATE or HIDE");
}

/** Builds content views for one query, remembering communities and authors it has looked up. */
export class ContentViews {
  private readonly communities = new Map<bigint, Community | undefined>();
  private readonly authors = new Map<string, { name: string; labels: string[] }>();
  private readonly now: bigint;
  private readonly policy: LabelPolicy;

  constructor(
    private readonly store: KVReader,
    nowSeconds: bigint,
    policy: LabelPolicy,
  ) {
    this.now = nowSeconds;
    this.policy = parsePolicy(policy);
  }

  community(id: bigint): Community | undefined {
    if (!this.communities.has(id)) this.communities.set(id, getCommunity(this.store, id));
    return this.communities.get(id);
  }

  private author(address: string): { name: string; labels: string[] } {
    let a = this.authors.get(address);
    if (!a) {
      const actor = getActor(this.store, address);
      a = {
        name: actor ? displayName(actor) : "",
        labels:
          this.policy === LabelPolicy.SHOW
            ? []
            : activeLabelValues(this.store, accountSubject(address), this.now),
      };
      this.authors.set(address, a);
    }
    return a;
  }

  isExpired(c: Pick<ContentRecord, "communityId" | "createdAt">): boolean {
    const community = this.community(c.communityId);
    const keep = community ? (RETENTION_SECONDS[community.retention] ?? 0n) : 0n;
    return keep > 0n && this.now >= c.createdAt + keep;
  }

  /**
   * The view of a stored post or comment; `hidden` marks what the HIDE policy withholds (lists
   * leave it out, a thread keeps a placeholder).
   */
  view(c: StoredContent): ContentView {
    const r = c.record;
    const author = this.author(r.author);
    const labels =
      this.policy === LabelPolicy.SHOW ? [] : activeLabelValues(this.store, contentSubject(r.id), this.now);
    const hidden = this.policy === LabelPolicy.HIDE && (labels.length > 0 || author.labels.length > 0);
    const expired = this.isExpired(r);
    const withheld = hidden || expired;
    return {
      content: contentHeader(r, c.counts),
      title: withheld ? "" : r.title,
      body: withheld ? "" : r.body,
      link: withheld ? "" : r.link,
      collaborators: withheld ? [] : r.collaborators,
      deleteReason: r.deleteReason,
      authorName: author.name,
      labels,
      authorLabels: author.labels,
      hidden,
      expired,
      usage: r.usage,
    };
  }
}

function communityView(store: KVReader, c: Community, now: bigint): CommunityView {
  const stats = getCommunityStats(store, c.id);
  return {
    community: c,
    memberCount: stats.memberCount,
    ownerCount: stats.ownerCount,
    labels: activeLabelValues(store, communitySubject(c.id), now),
  };
}

function requireAddress(address: string, field: string): Uint8Array {
  try {
    return decodeAddress(address);
  } catch {
    throw badRequest(`${field} must be a vivim bech32 address`);
  }
}

function requireId(id: bigint, field: string): void {
  if (id <= 0n) throw badRequest(`${field} must be a positive id`);
}

// --- handlers -----------------------------------------------------------------------------------

const community = defineQuery(QueryCommunityRequest, QueryCommunityResponse, (ctx, req) => {
  let id = req.id;
  if (id === 0n) {
    if (req.slug === "") throw badRequest("give id or slug");
    id = communityIdOfSlug(ctx, req.slug) ?? 0n;
    if (id === 0n) throw notFound(`community ${JSON.stringify(req.slug.slice(0, 40))}`);
  }
  const c = getCommunity(ctx, id);
  if (!c) throw notFound(`community ${id}`);
  return { community: communityView(ctx, c, ctx.block.time.seconds) };
});

const communities = defineQuery(QueryCommunitiesRequest, QueryCommunitiesResponse, async (ctx, req) => {
  const { rows, pagination } = await scanPage(ctx, SocialPrefix.community, req.pagination);
  const now = ctx.block.time.seconds;
  return {
    communities: rows.map(([, v]) => communityView(ctx, Community.decode(v), now)),
    pagination,
  };
});

const members = defineQuery(QueryMembersRequest, QueryMembersResponse, async (ctx, req) => {
  requireId(req.communityId, "community_id");
  if (!getCommunity(ctx, req.communityId)) throw notFound(`community ${req.communityId}`);
  const { rows, pagination } = await scanPage(ctx, SocialKeys.membersPrefix(req.communityId), req.pagination);
  return { members: rows.map(([, v]) => Membership.decode(v)), pagination };
});

const membership = defineQuery(QueryMembershipRequest, QueryMembershipResponse, (ctx, req) => {
  requireId(req.communityId, "community_id");
  requireAddress(req.address, "address");
  const c = getCommunity(ctx, req.communityId);
  if (!c) throw notFound(`community ${req.communityId}`);
  const record = getMembership(ctx, c.id, req.address);
  const s = standingOf(c, record);
  return {
    membership: record,
    role: s.role,
    trustLevel: s.trust,
    capabilities: ALL_CAPABILITIES.filter((cap) => (s.mask & bit(cap)) !== 0),
    banned: s.banned,
  };
});

const content = defineQuery(QueryContentRequest, QueryContentResponse, (ctx, req) => {
  requireId(req.id, "id");
  const c = loadContent(ctx, req.id);
  if (!c) throw notFound(`content ${req.id}`);
  return { item: new ContentViews(ctx, ctx.block.time.seconds, req.labelPolicy).view(c) };
});

const thread = listQuery(QueryThreadRequest, QueryThreadResponse, async (ctx, req) => {
  requireId(req.postId, "post_id");
  const post = loadContent(ctx, req.postId);
  if (!post || post.record.kind !== ContentKind.POST) throw notFound(`post ${req.postId}`);
  const views = new ContentViews(ctx, ctx.block.time.seconds, req.labelPolicy);
  const { rows, pagination } = await scanPage(ctx, SocialKeys.threadPrefix(post.record.id), req.pagination);
  const comments: ContentView[] = [];
  for (const [, v] of rows) {
    const c = loadContent(ctx, readUint64(v));
    if (c) comments.push(views.view(c));
  }
  return { post: views.view(post), comments, pagination };
});

/** Feed pages leave out what HIDE withholds and what has expired. */
async function feed(
  ctx: QueryContext,
  prefix: Uint8Array,
  req: { pagination: PageRequest | undefined; labelPolicy: LabelPolicy },
  stopAtExpired: boolean,
): Promise<{ posts: ContentView[]; pagination: PageResponse }> {
  const views = new ContentViews(ctx, ctx.block.time.seconds, req.labelPolicy);
  const { rows, pagination } = await scanPage(ctx, prefix, req.pagination);
  const posts: ContentView[] = [];
  for (const [k] of rows) {
    const c = loadContent(ctx, idFromFeedKey(k));
    if (!c) continue;
    if (views.isExpired(c.record)) {
      // A community feed is in creation order: everything after an expired post has expired too.
      if (stopAtExpired) return { posts, pagination: { nextKey: new Uint8Array(), total: 0n } };
      continue;
    }
    const v = views.view(c);
    if (!v.hidden) posts.push(v);
  }
  return { posts, pagination };
}

const communityFeed = listQuery(QueryCommunityFeedRequest, QueryCommunityFeedResponse, async (ctx, req) => {
  requireId(req.communityId, "community_id");
  if (!getCommunity(ctx, req.communityId)) throw notFound(`community ${req.communityId}`);
  return feed(ctx, SocialKeys.communityFeedPrefix(req.communityId), req, true);
});

const authorFeed = listQuery(QueryAuthorFeedRequest, QueryAuthorFeedResponse, async (ctx, req) => {
  requireAddress(req.author, "author");
  return feed(ctx, SocialKeys.authorFeedPrefix(req.author), req, false);
});

function follows(
  rows: Array<[Uint8Array, Uint8Array]>,
  prefixLength: number,
  fixed: string,
  fixedIsFollower: boolean,
): Follow[] {
  return rows.map(([k, v]) => {
    const other = encodeAddress(k.subarray(prefixLength));
    return fixedIsFollower
      ? { follower: fixed, target: other, createdHeight: readUint64(v) }
      : { follower: other, target: fixed, createdHeight: readUint64(v) };
  });
}

const followers = defineQuery(QueryFollowersRequest, QueryFollowersResponse, async (ctx, req) => {
  requireAddress(req.address, "address");
  const prefix = SocialKeys.followersPrefix(req.address);
  const { rows, pagination } = await scanPage(ctx, prefix, req.pagination);
  return {
    follows: follows(rows, prefix.length, req.address, false),
    pagination,
    total: getFollowCounts(ctx, req.address).followers,
  };
});

const following = defineQuery(QueryFollowingRequest, QueryFollowingResponse, async (ctx, req) => {
  requireAddress(req.address, "address");
  const prefix = SocialKeys.followingPrefix(req.address);
  const { rows, pagination } = await scanPage(ctx, prefix, req.pagination);
  return {
    follows: follows(rows, prefix.length, req.address, true),
    pagination,
    total: getFollowCounts(ctx, req.address).following,
  };
});

const reactions = defineQuery(QueryReactionsRequest, QueryReactionsResponse, async (ctx, req) => {
  requireId(req.targetId, "target_id");
  if (!loadContent(ctx, req.targetId)) throw notFound(`content ${req.targetId}`);
  const prefix = SocialKeys.reactionCountPrefix(req.targetId);
  const { rows, pagination } = await scanPage(ctx, prefix, req.pagination);
  const decoder = new TextDecoder();
  return {
    reactions: rows.map(([k, v]) => ({
      emoji: decoder.decode(k.subarray(prefix.length + 1)),
      count: readUint64(v),
    })),
    pagination,
  };
});

const vote = defineQuery(QueryVoteRequest, QueryVoteResponse, (ctx, req) => {
  requireAddress(req.voter, "voter");
  requireId(req.targetId, "target_id");
  if (!loadContent(ctx, req.targetId)) throw notFound(`content ${req.targetId}`);
  const v = getVote(ctx, req.targetId, req.voter);
  return { direction: v?.direction ?? 0, createdHeight: v?.createdHeight ?? 0n };
});

const votes = defineQuery(QueryVotesRequest, QueryVotesResponse, (ctx, req) => {
  requireAddress(req.voter, "voter");
  if (req.targetIds.length > MAX_VOTE_TARGETS) throw badRequest(`at most ${MAX_VOTE_TARGETS} target_ids`);
  for (const id of req.targetIds) requireId(id, "target_ids");
  const asked = [...new Set(req.targetIds)];
  return {
    votes: asked.flatMap((targetId) => {
      const direction = getVote(ctx, targetId, req.voter)?.direction ?? VoteDirection.NONE;
      return direction === VoteDirection.NONE ? [] : [{ targetId, direction }];
    }),
  };
});

const params = defineQuery(QuerySocialParamsRequest, QuerySocialParamsResponse, (ctx) => ({
  params: getSocialParams(ctx),
}));

const PATH = (name: string) => `/vivim.social.v1.Query/${name}`;

export const SOCIAL_QUERY_PATHS = {
  Community: PATH("Community"),
  Communities: PATH("Communities"),
  Members: PATH("Members"),
  Membership: PATH("Membership"),
  Content: PATH("Content"),
  Thread: PATH("Thread"),
  CommunityFeed: PATH("CommunityFeed"),
  AuthorFeed: PATH("AuthorFeed"),
  Followers: PATH("Followers"),
  Following: PATH("Following"),
  Reactions: PATH("Reactions"),
  Vote: PATH("Vote"),
  Votes: PATH("Votes"),
  Params: PATH("Params"),
} as const;

export const socialQueries: Readonly<Record<string, QueryHandler>> = {
  [SOCIAL_QUERY_PATHS.Community]: community,
  [SOCIAL_QUERY_PATHS.Communities]: communities,
  [SOCIAL_QUERY_PATHS.Members]: members,
  [SOCIAL_QUERY_PATHS.Membership]: membership,
  [SOCIAL_QUERY_PATHS.Content]: content,
  [SOCIAL_QUERY_PATHS.Thread]: thread,
  [SOCIAL_QUERY_PATHS.CommunityFeed]: communityFeed,
  [SOCIAL_QUERY_PATHS.AuthorFeed]: authorFeed,
  [SOCIAL_QUERY_PATHS.Followers]: followers,
  [SOCIAL_QUERY_PATHS.Following]: following,
  [SOCIAL_QUERY_PATHS.Reactions]: reactions,
  [SOCIAL_QUERY_PATHS.Vote]: vote,
  [SOCIAL_QUERY_PATHS.Votes]: votes,
  [SOCIAL_QUERY_PATHS.Params]: params,
};
