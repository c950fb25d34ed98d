/**
 * Store layout of the social module. Every key starts with `ModulePrefix.social` (0x06); every
 * list a query shows is one prefix range in display order:
 *
 *   06 00                                   → Params
 *   06 01                                   → next content id (uint64)
 *   06 02                                   → next community id (uint64)
 *   06 10 | community id                    → Community
 *   06 11 | slug                            → community id
 *   06 12 | community id                    → CommunityStats
 *   06 13 | community id | addr             → Membership            (Members, by address)
 *   06 20 | content id                      → ContentRecord (header and text)
 *   06 21 | content id                      → ContentCounts (votes, replies; absent = 0)
 *   06 E2 | post id | path                  → comment id            (Thread, depth-first)
 *   06 E3 | community id | ~content id      → created height        (CommunityFeed, newest first)
 *   06 E4 | author addr | ~content id       → created height        (AuthorFeed, newest first)
 *   06 30 | content id | voter addr         → Vote
 *   06 31 | content id | len emoji | addr   → created height        (who reacted)
 *   06 32 | content id | len emoji          → count (uint64)        (Reactions)
 *   06 40 | follower | followee             → created height        (Following)
 *   06 E1 | followee | follower             → created height        (Followers)
 *   06 42 | addr                            → FollowCounts
 *   06 50 | addr                            → rate limiter state (GCRA arrival time per action)
 *   06 60 | agent addr                      → LastAnswer            (the agent's latest usage report)
 *
 * Sub-prefixes E1-E4 are query indexes (contracts/lib/store.ts): derived from the records above,
 * written by handlers, read only by queries, not hashed into the app hash — a post or comment then
 * costs the tree two or three keys fewer.
 *
 * Ids and counts are uint64 big-endian; `~id` is `2^64-1-id`, so newer sorts first; addresses are
 * their 20 raw bytes. A comment's path is its ancestors' thread-local sequence numbers and its own
 * (uint32 BE each, the post's comment count when it was made), so a parent sorts right before its
 * replies, replies in the order they were made: a prefix scan walks the thread depth-first.
 */
import { decodeAddress } from "../../chain/crypto/address.js";
import { key, lengthPrefixed, ModulePrefix, readUint64, uint64Bytes, utf8 } from "../lib/store.js";

const P = ModulePrefix.social;
export const MAX_UINT64 = (1n << 64n) - 1n;

const at = (sub: number) => new Uint8Array([P, sub]);
const inv = (id: bigint) => uint64Bytes(MAX_UINT64 - id);
const addr = (address: string) => decodeAddress(address);

export const SocialPrefix = {
  params: at(0x00),
  nextContentId: at(0x01),
  nextCommunityId: at(0x02),
  community: at(0x10),
  slug: at(0x11),
  communityStats: at(0x12),
  membership: at(0x13),
  content: at(0x20),
  counts: at(0x21),
  thread: at(0xe2),
  communityFeed: at(0xe3),
  authorFeed: at(0xe4),
  vote: at(0x30),
  reaction: at(0x31),
  reactionCount: at(0x32),
  following: at(0x40),
  followers: at(0xe1),
  followCounts: at(0x42),
  rate: at(0x50),
  lastAnswer: at(0x60),
} as const;

/** Rate-limited actions; action n has slot n-1 of the account's limiter record. */
export enum RateAction {
  POST = 1,
  COMMENT = 2,
  VOTE = 3,
  REACT = 4,
  FOLLOW = 5,
  COMMUNITY_CREATE = 6,
  EDIT = 7,
}

export const SocialKeys = {
  params: () => SocialPrefix.params,
  nextContentId: () => SocialPrefix.nextContentId,
  nextCommunityId: () => SocialPrefix.nextCommunityId,
  community: (id: bigint) => key(SocialPrefix.community, uint64Bytes(id)),
  slug: (slug: string) => key(SocialPrefix.slug, utf8(slug)),
  communityStats: (id: bigint) => key(SocialPrefix.communityStats, uint64Bytes(id)),
  membersPrefix: (community: bigint) => key(SocialPrefix.membership, uint64Bytes(community)),
  membership: (community: bigint, address: string) =>
    key(SocialPrefix.membership, uint64Bytes(community), addr(address)),
  content: (id: bigint) => key(SocialPrefix.content, uint64Bytes(id)),
  counts: (id: bigint) => key(SocialPrefix.counts, uint64Bytes(id)),
  threadPrefix: (postId: bigint) => key(SocialPrefix.thread, uint64Bytes(postId)),
  thread: (postId: bigint, path: Uint8Array) => key(SocialPrefix.thread, uint64Bytes(postId), path),
  communityFeedPrefix: (community: bigint) => key(SocialPrefix.communityFeed, uint64Bytes(community)),
  communityFeed: (community: bigint, id: bigint) =>
    key(SocialPrefix.communityFeed, uint64Bytes(community), inv(id)),
  authorFeedPrefix: (author: string) => key(SocialPrefix.authorFeed, addr(author)),
  authorFeed: (author: string, id: bigint) => key(SocialPrefix.authorFeed, addr(author), inv(id)),
  vote: (target: bigint, voter: string) => key(SocialPrefix.vote, uint64Bytes(target), addr(voter)),
  reaction: (target: bigint, emoji: string, reactor: string) =>
    key(SocialPrefix.reaction, uint64Bytes(target), lengthPrefixed(utf8(emoji)), addr(reactor)),
  reactionCountPrefix: (target: bigint) => key(SocialPrefix.reactionCount, uint64Bytes(target)),
  reactionCount: (target: bigint, emoji: string) =>
    key(SocialPrefix.reactionCount, uint64Bytes(target), lengthPrefixed(utf8(emoji))),
  followingPrefix: (follower: string) => key(SocialPrefix.following, addr(follower)),
  following: (follower: string, followee: string) =>
    key(SocialPrefix.following, addr(follower), addr(followee)),
  followersPrefix: (followee: string) => key(SocialPrefix.followers, addr(followee)),
  followers: (followee: string, follower: string) =>
    key(SocialPrefix.followers, addr(followee), addr(follower)),
  followCounts: (address: string) => key(SocialPrefix.followCounts, addr(address)),
  rate: (address: string) => key(SocialPrefix.rate, addr(address)),
  lastAnswer: (agent: string) => key(SocialPrefix.lastAnswer, addr(agent)),
};

/** The content id at the end of a feed key (`~id`). */
export function idFromFeedKey(k: Uint8Array): bigint {
  return MAX_UINT64 - readUint64(k.subarray(k.length - 8));
}

/** Appends a thread-local sequence number to a parent's path. */
export function childPath(parentPath: Uint8Array, seq: number): Uint8Array {
  const out = new Uint8Array(parentPath.length + 4);
  out.set(parentPath, 0);
  new DataView(out.buffer).setUint32(parentPath.length, seq);
  return out;
}
