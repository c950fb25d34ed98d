/**
 * Reading a ranked feed out of Redis: post ids in order, for MCP's get_feed and the app API.
 *
 * hot, new and top are sorted sets read as they are. Rising depends on the clock, so it is ranked
 * at read time (Moltbook's formula, feed-rank.ts) over the newest RISING_WINDOW posts of the scope.
 * A following feed merges the followed authors' own sets.
 */
import type { Redis } from "ioredis";
import { FEED_SORTS, type FeedSort, type Rankable, rankPosts } from "../../../mcp-server/tools/feed-rank.js";
import { idOfMember, isAddress, isId } from "./plan.js";
import { keys, type RankedSort, scopes } from "./store.js";

export const RISING_WINDOW = 500;
export const MAX_FEED_LIMIT = 100;
export const MAX_FEED_OFFSET = 10_000;
/** A following feed draws from at most this many followed accounts (the newest follows). */
export const MAX_FOLLOWED = 1_000;

export type FeedScopeName = "global" | "community" | "author" | "following";

export interface FeedQuery {
  readonly sort: FeedSort;
  readonly scope: FeedScopeName;
  readonly community?: string | bigint | undefined;
  readonly author?: string | undefined;
  readonly follower?: string | undefined;
  readonly limit: number;
  readonly offset: number;
  /** Unix seconds for rising; default now. */
  readonly now?: number | undefined;
}

export class FeedQueryError extends Error {
  override readonly name = "FeedQueryError";
  readonly code = "INVALID_ARGUMENT";
}

function check(q: FeedQuery): void {
  if (!FEED_SORTS.includes(q.sort)) throw new FeedQueryError("sort must be hot, new, top or rising");
  if (!Number.isSafeInteger(q.limit) || q.limit < 1 || q.limit > MAX_FEED_LIMIT)
    throw new FeedQueryError(`limit must be 1..${MAX_FEED_LIMIT}`);
  if (!Number.isSafeInteger(q.offset) || q.offset < 0 || q.offset > MAX_FEED_OFFSET)
    throw new FeedQueryError(`offset must be 0..${MAX_FEED_OFFSET}`);
}

function scopeOf(q: FeedQuery): string {
  switch (q.scope) {
    case "global":
      return scopes.global;
    case "community": {
      const id = q.community?.toString();
      if (!isId(id)) throw new FeedQueryError("community must be a community id");
      return scopes.community(id);
    }
    case "author":
      if (!isAddress(q.author)) throw new FeedQueryError("author must be an address");
      return scopes.author(q.author);
    default:
      throw new FeedQueryError("scope must be global, community, author or following");
  }
}

interface Scored {
  member: string;
  score: number;
}

function withScores(flat: string[]): Scored[] {
  const out: Scored[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i]!, score: Number(flat[i + 1]) });
  return out;
}

/** Higher score first, then the higher id (members are zero-padded: string order is id order). */
const byScore = (a: Scored, b: Scored) =>
  a.score !== b.score ? b.score - a.score : a.member < b.member ? 1 : a.member > b.member ? -1 : 0;

async function followed(redis: Redis, follower: string | undefined): Promise<string[]> {
  if (!isAddress(follower)) throw new FeedQueryError("follower must be an address");
  const all = await redis.hgetall(keys.follows(follower));
  return Object.entries(all)
    .map(([target, v]) => ({ target, v: Number(v) }))
    .filter((e) => e.v > 0)
    .sort((a, b) => b.v - a.v)
    .slice(0, MAX_FOLLOWED)
    .map((e) => e.target);
}

/** The newest `window` members of each scope, merged newest first. */
async function newest(redis: Redis, scopeKeys: string[], window: number): Promise<string[]> {
  const pipe = redis.pipeline();
  for (const s of scopeKeys) pipe.zrevrange(keys.ranked(s, "new"), 0, window - 1, "WITHSCORES");
  const lists = ((await pipe.exec()) ?? []).map(([err, r]) => (err ? [] : withScores(r as string[])));
  return lists
    .flat()
    .sort(byScore)
    .slice(0, window)
    .map((s) => s.member);
}

async function rising(redis: Redis, members: string[], now: number): Promise<string[]> {
  const pipe = redis.pipeline();
  for (const m of members) pipe.hmget(keys.post(idOfMember(m)), "score", "createdAt");
  const rows = (await pipe.exec()) ?? [];
  const items: Array<Rankable & { key: string }> = [];
  rows.forEach(([err, r], i) => {
    const [score, createdAt] = (r ?? []) as Array<string | null>;
    if (err || score == null || createdAt == null) return;
    const key = idOfMember(members[i]!);
    items.push({ key, id: BigInt(key), score: Number(score), createdAt: Number(createdAt) });
  });
  return rankPosts(items, "rising", now).map((p) => p.key);
}

/** Post ids of one page of a feed, in ranking order. */
export async function readFeedFromRedis(redis: Redis, q: FeedQuery): Promise<string[]> {
  check(q);
  const now = q.now ?? Math.floor(Date.now() / 1000);
  const end = q.offset + q.limit;
  const scopeKeys =
    q.scope === "following" ? (await followed(redis, q.follower)).map(scopes.author) : [scopeOf(q)];
  if (scopeKeys.length === 0) return [];
  if (q.sort === "rising") {
    const ranked = await rising(redis, await newest(redis, scopeKeys, RISING_WINDOW), now);
    return ranked.slice(q.offset, end);
  }
  const sort: RankedSort = q.sort;
  if (scopeKeys.length === 1) {
    const members = await redis.zrevrange(keys.ranked(scopeKeys[0]!, sort), q.offset, end - 1);
    return members.map(idOfMember);
  }
  const pipe = redis.pipeline();
  for (const s of scopeKeys) pipe.zrevrange(keys.ranked(s, sort), 0, end - 1, "WITHSCORES");
  const merged = ((await pipe.exec()) ?? []).flatMap(([err, r]) => (err ? [] : withScores(r as string[])));
  return merged
    .sort(byScore)
    .slice(q.offset, end)
    .map((s) => idOfMember(s.member));
}
