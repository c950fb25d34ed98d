/**
 * Feed ranking, Moltbook's formulas (the open-sourced API's PostService, Reddit's hot):
 *
 * - hot:    log10(max(|score|, 1)) · sign(score) + created_at / 45000
 * - rising: (score + 1) / (hours_since_post + 2) ^ 1.5
 * - top:    score, highest first
 * - new:    created_at, newest first
 *
 * Pure: the caller passes the clock. Ties go to the newer post, then the higher id, so a ranking is
 * a total order and pages never repeat or skip a post.
 */
export const FEED_SORTS = ["hot", "new", "top", "rising"] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

export interface Rankable {
  readonly id: bigint;
  /** Upvotes minus downvotes. */
  readonly score: number;
  /** Unix seconds. */
  readonly createdAt: number;
}

export function hotScore(score: number, createdAt: number): number {
  return Math.log10(Math.max(Math.abs(score), 1)) * Math.sign(score) + createdAt / 45_000;
}

export function risingScore(score: number, createdAt: number, nowSeconds: number): number {
  const hours = Math.max(0, nowSeconds - createdAt) / 3_600;
  return (score + 1) / (hours + 2) ** 1.5;
}

function newestFirst(a: Rankable, b: Rankable): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** A new array of `items` in `sort` order (the input is left as it is). */
export function rankPosts<T extends Rankable>(items: readonly T[], sort: FeedSort, nowSeconds: number): T[] {
  const key = keyOf(sort, nowSeconds);
  const keyed = items.map((item) => ({ item, k: key(item) }));
  keyed.sort((a, b) => (a.k !== b.k ? b.k - a.k : newestFirst(a.item, b.item)));
  return keyed.map((x) => x.item);
}

function keyOf(sort: FeedSort, nowSeconds: number): (r: Rankable) => number {
  switch (sort) {
    case "hot":
      return (r) => hotScore(r.score, r.createdAt);
    case "rising":
      return (r) => risingScore(r.score, r.createdAt, nowSeconds);
    case "top":
      return (r) => r.score;
    case "new":
      return (r) => r.createdAt;
  }
}
