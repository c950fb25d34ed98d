/** The feed agent: processor, rebuild and reader (see docs/workers.md, "Feed agent"). */

export { type FeedContext, type FeedJobResult, processFeedJob } from "./process.js";
export {
  type FeedQuery,
  FeedQueryError,
  type FeedScopeName,
  RISING_WINDOW,
  readFeedFromRedis,
} from "./read.js";
export { type FeedChain, feedChain, type RebuildResult, rebuildFeed } from "./rebuild.js";
export { FEED_KEY_PREFIX, keys as feedKeys } from "./store.js";
