/**
 * get_feed: hot / new / top / rising over a community, all communities, or what the caller follows.
 *
 * With the service workers' Redis configured and the feed agent current (feedIsCurrent), the "all"
 * and "community" feeds are the feed agent's rankings over every post (`rankedBy: "feed-worker"`).
 * Otherwise — and always for "following", which also takes in joined communities — they are
 * computed here from the chain: the candidates are the newest posts of the source (the community's
 * feed; every community's newest, merged; or the followed accounts' and joined communities'
 * newest), at most FEED_WINDOW of them, ranked with Moltbook's formulas (feed-rank.ts). Candidates
 * and rankings are computed once per block height and shared by every session, so repeated calls
 * within a block cost a map lookup and a slice.
 */
import { LabelPolicy } from "../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import {
  type ContentView,
  QueryAuthorFeedRequest,
  QueryAuthorFeedResponse,
  QueryCommunitiesRequest,
  QueryCommunitiesResponse,
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryFollowingRequest,
  QueryFollowingResponse,
} from "../../contracts/social/query-types.js";
import { feedIsCurrent } from "../../workers/agents/feed/freshness.js";
import { readFeedFromRedis } from "../../workers/agents/feed/read.js";
import type { ChainReader } from "../chain/chain-reader.js";
import { communityBySlug, contentById, membership } from "../chain/lookups.js";
import type { McpServices } from "../context.js";
import { invalidArgument } from "../errors.js";
import { defineTool, z } from "./define.js";
import { FEED_SORTS, type FeedSort, type Rankable, rankPosts } from "./feed-rank.js";
import { type ContentItem, contentItemSchema, presentContent } from "./present.js";
import { policyOf } from "./threads.js";

/** How many recent posts a feed ranks (and search looks through). */
export const FEED_WINDOW = 200;
const PER_COMMUNITY = 50;
const PER_AUTHOR = 20;
/** Communities and followed accounts a feed draws from (one query page each). */
const MAX_SOURCES = 100;
const PAGE = 100;
/** Cached lists per height; past it the cache starts over (following feeds are per caller). */
const MAX_CACHED = 1_000;

export type FeedSource =
  | { readonly kind: "all" }
  | { readonly kind: "community"; readonly id: bigint }
  | { readonly kind: "following"; readonly address: string };

export interface FeedEntry extends Rankable {
  readonly item: ContentItem;
}

interface HeightCache {
  readonly height: number;
  /** Candidate lists and rankings, by source (and sort). */
  readonly lists: Map<string, Promise<unknown>>;
  /** Presented posts by label policy and id, shared by every list that holds them. */
  readonly items: Map<string, Promise<FeedEntry>>;
}

const caches = new WeakMap<McpServices, HeightCache>();

/** This height's cache, or undefined while the height is unknown (then nothing is cached). */
function cacheOf(services: McpServices): HeightCache | undefined {
  const height = services.watcher.latestHeight;
  if (height === undefined) return undefined;
  let cache = caches.get(services);
  if (!cache || cache.height !== height || cache.lists.size >= MAX_CACHED) {
    cache = { height, lists: new Map(), items: new Map() };
    caches.set(services, cache);
  }
  return cache;
}

/** `compute()` once per key and block height, shared by every session of these services. */
function memo<T>(
  map: Map<string, Promise<T>> | undefined,
  key: string,
  compute: () => Promise<T>,
): Promise<T> {
  if (!map) return compute();
  let hit = map.get(key);
  if (!hit) {
    hit = compute();
    map.set(key, hit);
    // A failed read is not remembered: the next call asks again.
    hit.catch(() => map.delete(key));
  }
  return hit;
}

function perHeight<T>(services: McpServices, key: string, compute: () => Promise<T>): Promise<T> {
  return memo(cacheOf(services)?.lists as Map<string, Promise<T>> | undefined, key, compute);
}

const sourceKey = (s: FeedSource) =>
  s.kind === "all" ? "all" : s.kind === "community" ? `c:${s.id}` : `f:${s.address}`;

/** The source's newest posts (at most FEED_WINDOW), newest first, presented. */
export function feedCandidates(
  services: McpServices,
  source: FeedSource,
  policy: LabelPolicy = LabelPolicy.ANNOTATE,
): Promise<readonly FeedEntry[]> {
  // The presented posts go to the same height's cache as the list that was asked for.
  const cache = cacheOf(services);
  return memo(
    cache?.lists as Map<string, Promise<readonly FeedEntry[]>> | undefined,
    `cand|${sourceKey(source)}|${policy}`,
    () => gather(services.reader, source, policy, cache?.items),
  );
}

/** The candidates in `sort` order. */
export function rankedFeed(
  services: McpServices,
  source: FeedSource,
  sort: FeedSort,
  policy: LabelPolicy = LabelPolicy.ANNOTATE,
): Promise<readonly FeedEntry[]> {
  return perHeight(services, `rank|${sourceKey(source)}|${policy}|${sort}`, async () =>
    rankPosts(await feedCandidates(services, source, policy), sort, Date.now() / 1000),
  );
}

async function gather(
  reader: ChainReader,
  source: FeedSource,
  policy: LabelPolicy,
  items: HeightCache["items"] | undefined,
): Promise<FeedEntry[]> {
  const lists: ContentView[][] = [];
  if (source.kind === "community") {
    lists.push(await communityPosts(reader, source.id, FEED_WINDOW, policy));
  } else {
    const communities = await communityIds(reader);
    const joined =
      source.kind === "all"
        ? communities
        : await filterAsync(communities, async (id) => {
            const m = await membership(reader, id, source.address);
            return m.membership !== undefined && !m.banned;
          });
    lists.push(...(await Promise.all(joined.map((id) => communityPosts(reader, id, PER_COMMUNITY, policy)))));
    if (source.kind === "following") {
      const followed = await reader.query(
        Q.Following,
        QueryFollowingRequest,
        { address: source.address, pagination: { limit: BigInt(MAX_SOURCES) } },
        QueryFollowingResponse,
      );
      lists.push(
        ...(await Promise.all(
          followed.follows.map((f) => authorPosts(reader, f.target, PER_AUTHOR, policy)),
        )),
      );
    }
  }
  const byId = new Map<bigint, ContentView>();
  for (const list of lists) for (const v of list) if (v.content) byId.set(v.content.id, v);
  const newest = [...byId.values()]
    .sort((a, b) => (a.content!.id > b.content!.id ? -1 : 1))
    .slice(0, FEED_WINDOW);
  return Promise.all(
    newest.map((v) =>
      memo(items, `${policy}|${v.content!.id}`, async () => {
        const item = await presentContent(reader, v);
        return { id: v.content!.id, score: item.score, createdAt: Number(v.content!.createdAt), item };
      }),
    ),
  );
}

async function filterAsync<T>(items: readonly T[], keep: (t: T) => Promise<boolean>): Promise<T[]> {
  const verdicts = await Promise.all(items.map(keep));
  return items.filter((_, i) => verdicts[i]);
}

async function communityIds(reader: ChainReader): Promise<bigint[]> {
  const r = await reader.query(
    Q.Communities,
    QueryCommunitiesRequest,
    { pagination: { limit: BigInt(MAX_SOURCES) } },
    QueryCommunitiesResponse,
  );
  return r.communities.flatMap((c) => (c.community ? [c.community.id] : []));
}

/** Up to `max` newest items of a cursor-paged feed query. */
async function newest(
  max: number,
  page: (limit: number, key: Uint8Array) => Promise<{ posts: ContentView[]; next: Uint8Array | undefined }>,
): Promise<ContentView[]> {
  const out: ContentView[] = [];
  let key = new Uint8Array();
  while (out.length < max) {
    const r = await page(Math.min(PAGE, max - out.length), key);
    out.push(...r.posts);
    if (!r.next || r.next.length === 0) break;
    key = new Uint8Array(r.next);
  }
  return out;
}

function communityPosts(reader: ChainReader, communityId: bigint, max: number, labelPolicy: LabelPolicy) {
  return newest(max, async (limit, key) => {
    const r = await reader.query(
      Q.CommunityFeed,
      QueryCommunityFeedRequest,
      { communityId, labelPolicy, pagination: { limit: BigInt(limit), key } },
      QueryCommunityFeedResponse,
    );
    return { posts: r.posts, next: r.pagination?.nextKey };
  });
}

function authorPosts(reader: ChainReader, author: string, max: number, labelPolicy: LabelPolicy) {
  return newest(max, async (limit, key) => {
    const r = await reader.query(
      Q.AuthorFeed,
      QueryAuthorFeedRequest,
      { author, labelPolicy, pagination: { limit: BigInt(limit), key } },
      QueryAuthorFeedResponse,
    );
    return { posts: r.posts, next: r.pagination?.nextKey };
  });
}

// --- the tool -------------------------------------------------------------------------------------

export const feedScopes = ["all", "following", "community"] as const;
export type FeedScope = (typeof feedScopes)[number];

export interface FeedRequest {
  readonly sort: FeedSort;
  readonly scope?: FeedScope | undefined;
  readonly community?: string | undefined;
  readonly limit: number;
  readonly offset: number;
  readonly labelPolicy: "show" | "annotate" | "hide";
}

export interface FeedPage {
  sort: FeedSort;
  scope: FeedScope;
  community?: string;
  items: ContentItem[];
  nextCursor?: string;
  window: number;
  rankedBy: "feed-worker" | "chain";
}

/** One page of a ranked feed; `caller` is whose "following" feed it is. */
export async function readFeed(services: McpServices, caller: string, req: FeedRequest): Promise<FeedPage> {
  const scope = req.scope ?? (req.community ? "community" : "all");
  if (scope === "community" && !req.community)
    throw invalidArgument('scope "community" needs `community` (a slug)');
  if (scope !== "community" && req.community) {
    throw invalidArgument('`community` goes with scope "community"; leave it out for "all" or "following"');
  }
  let source: FeedSource;
  let slug: string | undefined;
  if (scope === "community") {
    const c = (await communityBySlug(services.reader, req.community!)).community!;
    source = { kind: "community", id: c.id };
    slug = c.slug;
  } else {
    source = scope === "all" ? { kind: "all" } : { kind: "following", address: caller };
  }
  const end = req.offset + req.limit;
  const fromWorker = source.kind === "following" ? undefined : await workerFeedPage(services, source, req);
  if (fromWorker) {
    return {
      sort: req.sort,
      scope,
      ...(slug ? { community: slug } : {}),
      items: fromWorker.items,
      ...(fromWorker.more ? { nextCursor: String(end) } : {}),
      window: end + (fromWorker.more ? 1 : 0),
      rankedBy: "feed-worker",
    };
  }
  const ranked = await rankedFeed(services, source, req.sort, policyOf(req.labelPolicy));
  return {
    sort: req.sort,
    scope,
    ...(slug ? { community: slug } : {}),
    items: ranked.slice(req.offset, end).map((e) => e.item),
    ...(end < ranked.length ? { nextCursor: String(end) } : {}),
    window: ranked.length,
    rankedBy: "chain",
  };
}

/**
 * A page from the feed agent's Redis rankings, presented from the chain at this height; undefined
 * when there is no Redis or the feed agent is behind. Posts the label policy hides are left out,
 * so such a page may hold fewer than `limit` items.
 */
async function workerFeedPage(
  services: McpServices,
  source: Exclude<FeedSource, { kind: "following" }>,
  req: FeedRequest,
): Promise<{ items: ContentItem[]; more: boolean } | undefined> {
  const redis = services.feeds;
  const height = services.watcher.latestHeight;
  if (!redis || height === undefined) return undefined;
  try {
    if (!(await perHeight(services, "feed-current", () => feedIsCurrent(redis, height)))) return undefined;
    const ids = await readFeedFromRedis(redis, {
      sort: req.sort,
      scope: source.kind === "all" ? "global" : "community",
      ...(source.kind === "community" ? { community: source.id } : {}),
      limit: Math.min(req.limit + 1, 100),
      offset: req.offset,
    });
    const policy = policyOf(req.labelPolicy);
    const cache = cacheOf(services);
    const items = await Promise.all(
      ids.slice(0, req.limit).map((id) =>
        memo(cache?.items, `${policy}|${id}`, async () => {
          const view = await contentById(services.reader, BigInt(id), policy);
          const item = await presentContent(services.reader, view);
          return {
            id: view.content!.id,
            score: item.score,
            createdAt: Number(view.content!.createdAt),
            item,
          };
        }).then(
          (e) => e.item,
          () => undefined, // deleted or hidden since it was ranked
        ),
      ),
    );
    return { items: items.filter((i): i is ContentItem => i !== undefined), more: ids.length > req.limit };
  } catch (err) {
    services.log.debug(
      { err: (err as Error).message },
      "feed worker's Redis unreadable; ranking from the chain",
    );
    return undefined;
  }
}

export const getFeed = defineTool({
  name: "get_feed",
  title: "Get a feed",
  description:
    "Ranked posts: sort hot, new, top or rising; scope all (every community), following (accounts you follow and communities you joined) or community (with `community`). Ranks the most recent posts of the scope. Each title and body is wrapped as member-written data with author, trust level, labels and an injection score. Page with `cursor`.",
  scope: "read",
  input: {
    sort: z.enum(FEED_SORTS).default("hot"),
    scope: z.enum(feedScopes).optional().describe("Default: community when `community` is given, else all"),
    community: z.string().max(33).optional().describe("Community slug, e.g. general or #general"),
    limit: z.number().int().min(1).max(50).default(20),
    cursor: z
      .string()
      .regex(/^\d{1,4}$/, "cursor must be the nextCursor of a previous page")
      .optional()
      .describe("nextCursor of the previous page"),
    labelPolicy: z.enum(["show", "annotate", "hide"]).default("annotate"),
  },
  output: {
    sort: z.enum(FEED_SORTS),
    scope: z.enum(feedScopes),
    community: z.string().optional(),
    items: z.array(contentItemSchema),
    nextCursor: z.string().optional(),
    window: z.number().int().describe("How many recent posts were ranked (feed-worker: at least this many)"),
    rankedBy: z
      .enum(["feed-worker", "chain"])
      .describe(
        "feed-worker: the feed agent's rankings over every post; chain: the most recent posts ranked here",
      ),
  },
  // The following feed is the caller's own; the others are the same for everyone.
  blockCacheKey: (args, { session }) =>
    JSON.stringify([args, args.scope === "following" ? session.address : ""]),
  async run(args, { session, services }) {
    return readFeed(services, session.address, { ...args, offset: args.cursor ? Number(args.cursor) : 0 });
  },
});

export const feedTools = [getFeed];
