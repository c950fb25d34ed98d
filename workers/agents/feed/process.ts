/**
 * The feed agent's processor for `feed` queue jobs (one per block, from the block bridge).
 *
 * Posts are added with score 0; a block's votes refresh the voted posts' scores from the chain
 * (QueryContent: upvotes − downvotes, with the height read at), so a score is always a value the
 * chain had, never a sum of deltas; deletions remove a post everywhere and leave a tombstone;
 * follows and unfollows set the edge at the event's version. Each update applies only when newer,
 * and jobs at or below the last rebuild's height are skipped: a replayed or reordered job changes
 * nothing.
 */

import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { SOCIAL_QUERY_PATHS as Q } from "../../../contracts/social/query.js";
import { QueryContentRequest, QueryContentResponse } from "../../../contracts/social/query-types.js";
import { DEFAULT_INTERESTS } from "../../bridge/interests.js";
import { clientsOf, type JobSourceContext, wholeJob } from "../job-source.js";
import { checkJob, planJob } from "./plan.js";
import { addPost, deletePost, isLivePost, keys, setFollow, setScore } from "./store.js";

/** `nodeRpcUrl` (or `chain`/`node`): without them votes do not move scores (until a rebuild). */
export interface FeedContext extends JobSourceContext {
  readonly redis: Redis;
  readonly log: Logger;
}

export interface FeedJobResult {
  readonly height: number;
  readonly skipped: boolean;
  readonly added: number;
  readonly deleted: number;
  readonly rescored: number;
  readonly follows: number;
  readonly rejected: number;
}

const FEED_INTEREST = DEFAULT_INTERESTS.find((i) => i.queue === "feed")!;
/** Votes read at once per job (one QueryContent each). */
const VOTE_READS = 16;

export async function processFeedJob(data: unknown, ctx: FeedContext): Promise<FeedJobResult> {
  let job = checkJob(data);
  const { redis, log } = ctx;
  const rebuiltAt = Number((await redis.hget(keys.meta(), "rebuiltAt")) ?? 0);
  if (job.height <= rebuiltAt) {
    return { height: job.height, skipped: true, added: 0, deleted: 0, rescored: 0, follows: 0, rejected: 0 };
  }
  const { chain, node } = clientsOf(ctx);
  if (job.truncated) {
    if (node) job = await wholeJob(job, node, FEED_INTEREST);
    else
      log.warn(
        { height: job.height, code: "JOB_TRUNCATED" },
        "feed job truncated and no node to read the block",
      );
  }
  const plan = planJob(job);
  let added = 0;
  for (const p of plan.posts) if (await addPost(redis, p)) added += 1;
  let deleted = 0;
  for (const id of plan.deleted) if (await deletePost(redis, id, job.height)) deleted += 1;
  let follows = 0;
  for (const e of plan.follows) if (await setFollow(redis, e)) follows += 1;
  let rescored = 0;
  const voted: string[] = [];
  for (const id of plan.voted) if (await isLivePost(redis, id)) voted.push(id);
  if (voted.length > 0 && !chain) {
    log.warn(
      { height: job.height, posts: voted.length, code: "NO_NODE" },
      "votes not scored: no node to read",
    );
  } else if (chain) {
    for (let i = 0; i < voted.length; i += VOTE_READS) {
      await Promise.all(
        voted.slice(i, i + VOTE_READS).map(async (id) => {
          const r = await chain.query(
            Q.Content,
            QueryContentRequest,
            { id: BigInt(id) },
            QueryContentResponse,
          );
          const c = r.value.item?.content;
          if (!c) return;
          if (c.deleted) {
            if (await deletePost(redis, id, Number(c.deletedHeight))) deleted += 1;
          } else if (await setScore(redis, id, Number(c.upvotes) - Number(c.downvotes), r.height))
            rescored += 1;
        }),
      );
    }
  }
  const result = {
    height: job.height,
    skipped: false,
    added,
    deleted,
    rescored,
    follows,
    rejected: plan.rejected,
  };
  log.debug(result, "feed job applied");
  if (plan.rejected > 0)
    log.warn(
      { height: job.height, rejected: plan.rejected, code: "BAD_EVENT" },
      "malformed feed events skipped",
    );
  return result;
}
