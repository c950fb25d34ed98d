/**
 * The feed agent's pure part: what one block job asks of the feed (posts to add, posts to remove,
 * posts whose vote score to refresh, follow edges to set), validated, and the sorted-set scores a
 * post gets. Nothing here touches Redis or the node.
 */
import { SocialEvents } from "../../../contracts/social/events.js";
import { hotScore } from "../../../mcp-server/tools/feed-rank.js";
import type { BlockJobData, JobEvent } from "../../bridge/interests.js";
import { WorkersError } from "../../errors.js";

/** Events of one block are versioned `height * EVENT_SLOTS + index`, so later events win. */
export const EVENT_SLOTS = 100_000;

export interface NewPost {
  readonly id: string;
  readonly community: string;
  readonly author: string;
  readonly createdHeight: number;
  /** Unix seconds (the block header's time, as the chain records it). */
  readonly createdAt: number;
}

export interface FollowEdge {
  readonly follower: string;
  readonly target: string;
  readonly following: boolean;
  /** `height * EVENT_SLOTS + index`: an edge only moves to a newer version. */
  readonly version: number;
}

export interface FeedPlan {
  readonly height: number;
  readonly posts: readonly NewPost[];
  readonly deleted: readonly string[];
  /** Content ids voted on in this block (posts or comments: comments are not in the feed). */
  readonly voted: readonly string[];
  readonly follows: readonly FollowEdge[];
  /** Events that were not well formed and were left out (counted, never logged with values). */
  readonly rejected: number;
}

const ID = /^[1-9][0-9]{0,19}$/;
/** A bech32 account address (lower case, human part, separator, data). */
const ADDRESS = /^[a-z][a-z0-9]{0,19}1[02-9ac-hj-np-z]{6,90}$/;
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
const MAX_ID = 18_446_744_073_709_551_615n;

const badJob = (message: string) => new WorkersError("BAD_JOB", message);

export const isId = (s: unknown): s is string => typeof s === "string" && ID.test(s) && BigInt(s) <= MAX_ID;
export const isAddress = (s: unknown): s is string => typeof s === "string" && ADDRESS.test(s);

/** The whole seconds of an RFC 3339 block time (the chain's `block.time.seconds`). */
export function blockSeconds(time: string): number {
  const m = RFC3339.exec(time);
  const ms = m ? Date.parse(`${m[1]}${m[2]}`) : Number.NaN;
  if (!Number.isFinite(ms)) throw badJob(`block time ${JSON.stringify(time.slice(0, 40))} is not RFC 3339`);
  return Math.floor(ms / 1000);
}

/** Checks a job's data (it comes out of Redis: trust nothing) and returns it typed. */
export function checkJob(data: unknown): BlockJobData {
  const d = data as Partial<BlockJobData> | null;
  if (!d || typeof d !== "object" || d.v !== 1) throw badJob("job data is not version 1");
  if (!Number.isSafeInteger(d.height) || (d.height ?? 0) < 1)
    throw badJob("job height is not a positive integer");
  if (typeof d.time !== "string" || d.time.length > 64) throw badJob("job time is missing");
  if (typeof d.chainId !== "string" || d.chainId.length > 128) throw badJob("job chain id is missing");
  if (!Array.isArray(d.events)) throw badJob("job events are missing");
  if ((d.height ?? 0) >= Number.MAX_SAFE_INTEGER / EVENT_SLOTS) throw badJob("job height is too large");
  return d as BlockJobData;
}

/** What `job` asks of the feed. Events are taken in block order; malformed ones are counted and skipped. */
export function planJob(job: BlockJobData): FeedPlan {
  const createdAt = blockSeconds(job.time);
  const posts: NewPost[] = [];
  const deleted: string[] = [];
  const voted = new Set<string>();
  const follows: FollowEdge[] = [];
  let rejected = 0;
  job.events.slice(0, EVENT_SLOTS).forEach((e: JobEvent, index) => {
    const a = (e && typeof e.attributes === "object" && e.attributes) || {};
    switch (e?.type) {
      case SocialEvents.PostCreated:
        if (isId(a.content_id) && isId(a.community_id) && isAddress(a.author)) {
          posts.push({
            id: a.content_id,
            community: a.community_id,
            author: a.author,
            createdHeight: job.height,
            createdAt,
          });
        } else rejected += 1;
        break;
      case SocialEvents.ContentDeleted:
        if (isId(a.content_id)) deleted.push(a.content_id);
        else rejected += 1;
        break;
      case SocialEvents.Voted:
        if (isId(a.content_id)) voted.add(a.content_id);
        else rejected += 1;
        break;
      case SocialEvents.Followed:
      case SocialEvents.Unfollowed:
        if (isAddress(a.follower) && isAddress(a.target)) {
          follows.push({
            follower: a.follower,
            target: a.target,
            following: e.type === SocialEvents.Followed,
            version: job.height * EVENT_SLOTS + index,
          });
        } else rejected += 1;
        break;
      default:
        // Comments, edits, reactions and community events do not change a ranking.
        break;
    }
  });
  return { height: job.height, posts, deleted, voted: [...voted], follows, rejected };
}

/** The sorted-set scores of a post: hot and top move with votes, new never does. */
export function postScores(score: number, createdAt: number): { hot: number; new: number; top: number } {
  return { hot: hotScore(score, createdAt), new: createdAt, top: score };
}

/** Sorted-set members are ids padded to 20 digits, so equal scores order by id (newer first). */
export const member = (id: string | bigint): string => id.toString().padStart(20, "0");
export const idOfMember = (m: string): string => m.replace(/^0+(?=\d)/, "");
