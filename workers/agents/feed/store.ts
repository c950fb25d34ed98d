/**
 * The feed in Redis (a cache of the chain; `rebuildFeed` remakes it).
 *
 * Keys live under `vivim:feeds:` (not `vivim:feed:`, which is the BullMQ queue's):
 * - `vivim:feeds:<scope>:<sort>` sorted sets, sort hot | new | top, scope `global`, `c:<community>`
 *   or `a:<author>`; members are zero-padded post ids (`member`), so ties go to the newer post;
 * - `vivim:feeds:post:<id>` hash: author, community, createdAt, createdHeight, score (up − down),
 *   scoreHeight (the chain height the score was first read at), deleted (a tombstone: never re-added);
 * - `vivim:feeds:follows:<follower>` hash: target → version (negative once unfollowed);
 * - `vivim:feeds:meta` hash: rebuiltAt (jobs at or below it are already in), lastHeight.
 *
 * Every write is a Lua script, so each update is atomic and applies only when it is newer than
 * what is stored: replaying or reordering jobs changes nothing.
 */
import type { Redis } from "ioredis";
import type { FollowEdge, NewPost } from "./plan.js";
import { member, postScores } from "./plan.js";

export const FEED_KEY_PREFIX = "vivim:feeds:";
export const RANKED_SORTS = ["hot", "new", "top"] as const;
export type RankedSort = (typeof RANKED_SORTS)[number];

export const keys = {
  ranked: (scope: string, sort: RankedSort) => `${FEED_KEY_PREFIX}${scope}:${sort}`,
  post: (id: string) => `${FEED_KEY_PREFIX}post:${id}`,
  follows: (follower: string) => `${FEED_KEY_PREFIX}follows:${follower}`,
  meta: () => `${FEED_KEY_PREFIX}meta`,
};
export const scopes = {
  global: "global",
  community: (id: string) => `c:${id}`,
  author: (address: string) => `a:${address}`,
};

// ARGV: prefix, id, member, author, community, createdAt, createdHeight, hot
const ADD_POST = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local p, m = ARGV[1], ARGV[3]
redis.call('HSET', KEYS[1], 'author', ARGV[4], 'community', ARGV[5], 'createdAt', ARGV[6],
  'createdHeight', ARGV[7], 'score', '0', 'scoreHeight', ARGV[7])
for _, scope in ipairs({'global', 'c:' .. ARGV[5], 'a:' .. ARGV[4]}) do
  redis.call('ZADD', p .. scope .. ':hot', ARGV[8], m)
  redis.call('ZADD', p .. scope .. ':new', ARGV[6], m)
  redis.call('ZADD', p .. scope .. ':top', '0', m)
end
return 1`;

// ARGV: prefix, member, score, height, hot
const SET_SCORE = `
local h = redis.call('HMGET', KEYS[1], 'author', 'community', 'scoreHeight', 'deleted', 'score')
if not h[1] or h[4] then return 0 end
if h[5] == ARGV[3] or tonumber(ARGV[4]) < tonumber(h[3]) then return 0 end
redis.call('HSET', KEYS[1], 'score', ARGV[3], 'scoreHeight', ARGV[4])
for _, scope in ipairs({'global', 'c:' .. h[2], 'a:' .. h[1]}) do
  redis.call('ZADD', ARGV[1] .. scope .. ':hot', 'XX', ARGV[5], ARGV[2])
  redis.call('ZADD', ARGV[1] .. scope .. ':top', 'XX', ARGV[3], ARGV[2])
end
return 1`;

// ARGV: prefix, member, height
const DELETE_POST = `
local h = redis.call('HMGET', KEYS[1], 'author', 'community', 'deleted')
if h[3] then return 0 end
if h[1] then
  for _, scope in ipairs({'global', 'c:' .. h[2], 'a:' .. h[1]}) do
    for _, sort in ipairs({'hot', 'new', 'top'}) do redis.call('ZREM', ARGV[1] .. scope .. ':' .. sort, ARGV[2]) end
  end
end
redis.call('HSET', KEYS[1], 'deleted', ARGV[3])
return 1`;

// ARGV: target, signed version
const SET_FOLLOW = `
local old = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local new = tonumber(ARGV[2])
if math.abs(new) <= math.abs(old) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

interface FeedCommands {
  feedAddPost(key: string, ...argv: string[]): Promise<number>;
  feedSetScore(key: string, ...argv: string[]): Promise<number>;
  feedDeletePost(key: string, ...argv: string[]): Promise<number>;
  feedSetFollow(key: string, ...argv: string[]): Promise<number>;
}

const defined = new WeakSet<Redis>();

/** The connection with the feed's scripts defined on it (EVALSHA, loaded on first use). */
function withScripts(redis: Redis): Redis & FeedCommands {
  if (!defined.has(redis)) {
    redis.defineCommand("feedAddPost", { numberOfKeys: 1, lua: ADD_POST });
    redis.defineCommand("feedSetScore", { numberOfKeys: 1, lua: SET_SCORE });
    redis.defineCommand("feedDeletePost", { numberOfKeys: 1, lua: DELETE_POST });
    redis.defineCommand("feedSetFollow", { numberOfKeys: 1, lua: SET_FOLLOW });
    defined.add(redis);
  }
  return redis as Redis & FeedCommands;
}

/** Adds a post with score 0 unless it is already there (or deleted). Returns whether it was added. */
export async function addPost(redis: Redis, p: NewPost): Promise<boolean> {
  const s = postScores(0, p.createdAt);
  const r = await withScripts(redis).feedAddPost(
    keys.post(p.id),
    FEED_KEY_PREFIX,
    p.id,
    member(p.id),
    p.author,
    p.community,
    String(p.createdAt),
    String(p.createdHeight),
    String(s.hot),
  );
  return r === 1;
}

/** Sets a post's score as read from the chain at `height`, unless a newer one is stored. */
export async function setScore(redis: Redis, id: string, score: number, height: number): Promise<boolean> {
  const createdAt = Number(await redis.hget(keys.post(id), "createdAt"));
  if (!Number.isFinite(createdAt)) return false;
  const s = postScores(score, createdAt);
  const r = await withScripts(redis).feedSetScore(
    keys.post(id),
    FEED_KEY_PREFIX,
    member(id),
    String(score),
    String(height),
    String(s.hot),
  );
  return r === 1;
}

/** Removes a post from every ranking and leaves a tombstone so that a replay does not bring it back. */
export async function deletePost(redis: Redis, id: string, height: number): Promise<boolean> {
  const r = await withScripts(redis).feedDeletePost(
    keys.post(id),
    FEED_KEY_PREFIX,
    member(id),
    String(height),
  );
  return r === 1;
}

export async function setFollow(redis: Redis, e: FollowEdge): Promise<boolean> {
  const version = e.following ? e.version : -e.version;
  const r = await withScripts(redis).feedSetFollow(keys.follows(e.follower), e.target, String(version));
  return r === 1;
}

/** Whether the feed holds this post, not deleted (votes on anything else are not the feed's). */
export async function isLivePost(redis: Redis, id: string): Promise<boolean> {
  const [author, deleted] = await redis.hmget(keys.post(id), "author", "deleted");
  return author !== null && deleted === null;
}

/** Every key of the feed (not the queue's), for a rebuild to clear. */
export async function clearFeed(redis: Redis): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", `${FEED_KEY_PREFIX}*`, "COUNT", 1000);
    cursor = next;
    if (found.length > 0) n += await redis.unlink(...found);
  } while (cursor !== "0");
  return n;
}
