/**
 * Rebuilds the whole feed from the chain: every community's CommunityFeed pages (posts with their
 * vote counts) and the Followers pages of every account that can post (post authors and community
 * members). The cache is cleared first; jobs at or below the height read at the start are then
 * skipped (they are in), later ones apply on top (each update applies only when newer).
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { LabelPolicy } from "../../../contracts/social/enums.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../../contracts/social/query.js";
import {
  QueryCommunitiesRequest,
  QueryCommunitiesResponse,
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryMembersRequest,
  QueryMembersResponse,
} from "../../../contracts/social/query-types.js";
import { httpNodeRpc, type NodeRpc } from "../../bridge/node-rpc.js";
import { type ChainQuery, httpChainQuery } from "./chain.js";
import { EVENT_SLOTS, isAddress } from "./plan.js";
import { addPost, clearFeed, keys, setFollow, setScore } from "./store.js";

const PAGE = 100n;
/** A rebuild reads at most this many pages of one list (100 items each). */
const MAX_PAGES = 100_000;

export interface FeedChain {
  readonly node: Pick<NodeRpc, "status">;
  readonly chain: ChainQuery;
}

export function feedChain(rpcUrl: string): FeedChain {
  return { node: httpNodeRpc(rpcUrl), chain: httpChainQuery(rpcUrl) };
}

async function pages(next: (key: Uint8Array) => Promise<Uint8Array | undefined>): Promise<void> {
  let key = new Uint8Array();
  for (let i = 0; i < MAX_PAGES; i++) {
    const after = await next(key);
    if (!after || after.length === 0) return;
    key = new Uint8Array(after);
  }
}

export interface RebuildResult {
  readonly height: number;
  readonly communities: number;
  readonly posts: number;
  readonly follows: number;
}

export async function rebuildFeed(
  redis: Redis,
  nodeRpc: string | FeedChain,
  log?: Logger,
): Promise<RebuildResult> {
  const { node, chain } = typeof nodeRpc === "string" ? feedChain(nodeRpc) : nodeRpc;
  const started = Date.now();
  const { latestHeight: height } = await node.status();
  await clearFeed(redis);
  const accounts = new Set<string>();
  let communities = 0;
  let posts = 0;
  let follows = 0;
  await pages(async (key) => {
    const r = await chain.query(
      Q.Communities,
      QueryCommunitiesRequest,
      { pagination: { limit: PAGE, key } },
      QueryCommunitiesResponse,
    );
    for (const view of r.value.communities) {
      const id = view.community?.id;
      if (id === undefined) continue;
      communities += 1;
      await pages(async (feedKey) => {
        const f = await chain.query(
          Q.CommunityFeed,
          QueryCommunityFeedRequest,
          { communityId: id, labelPolicy: LabelPolicy.SHOW, pagination: { limit: PAGE, key: feedKey } },
          QueryCommunityFeedResponse,
        );
        for (const p of f.value.posts) {
          const c = p.content;
          if (!c || c.deleted) continue;
          const postId = c.id.toString();
          await addPost(redis, {
            id: postId,
            community: c.communityId.toString(),
            author: c.author,
            createdHeight: Number(c.createdHeight),
            createdAt: Number(c.createdAt),
          });
          await setScore(redis, postId, Number(c.upvotes) - Number(c.downvotes), f.height);
          accounts.add(c.author);
          posts += 1;
        }
        return f.value.pagination?.nextKey;
      });
      await pages(async (memberKey) => {
        const m = await chain.query(
          Q.Members,
          QueryMembersRequest,
          { communityId: id, pagination: { limit: PAGE, key: memberKey } },
          QueryMembersResponse,
        );
        for (const member of m.value.members) accounts.add(member.address);
        return m.value.pagination?.nextKey;
      });
    }
    return r.value.pagination?.nextKey;
  });
  // Every follow of an account that can post: what any following feed draws from.
  const version = height * EVENT_SLOTS + (EVENT_SLOTS - 1);
  for (const target of accounts) {
    if (!isAddress(target)) continue;
    await pages(async (key) => {
      const r = await chain.query(
        Q.Followers,
        QueryFollowersRequest,
        { address: target, pagination: { limit: PAGE, key } },
        QueryFollowersResponse,
      );
      for (const f of r.value.follows) {
        if (!isAddress(f.follower)) continue;
        await setFollow(redis, { follower: f.follower, target, following: true, version });
        follows += 1;
      }
      return r.value.pagination?.nextKey;
    });
  }
  await redis.hset(keys.meta(), "rebuiltAt", String(height));
  log?.info({ height, communities, posts, follows, ms: Date.now() - started }, "feed rebuilt from the chain");
  return { height, communities, posts, follows };
}
