import { describe, expect, it } from "vitest";
import { hotScore, type Rankable, rankPosts, risingScore } from "./feed-rank.js";

const HOUR = 3_600;
const NOW = 1_750_000_000;
const post = (id: number, score: number, ageHours: number): Rankable => ({
  id: BigInt(id),
  score,
  createdAt: NOW - ageHours * HOUR,
});
const ids = (items: Rankable[]) => items.map((p) => Number(p.id));

describe("feed ranking (Moltbook's formulas)", () => {
  it("hot is Reddit's: log10 of the score's magnitude, signed, plus created_at/45000", () => {
    expect(hotScore(100, 45_000)).toBeCloseTo(2 + 1);
    expect(hotScore(-100, 45_000)).toBeCloseTo(-2 + 1);
    expect(hotScore(0, 90_000)).toBeCloseTo(2);
    // |score| below 1 counts as 1: log10(1) = 0.
    expect(hotScore(1, 0)).toBe(0);
    // Ten times the score is worth 45000 s (12.5 h) of age.
    expect(hotScore(1_000, NOW)).toBeCloseTo(hotScore(100, NOW + 45_000));
  });

  it("rising is (score+1)/(hours+2)^1.5", () => {
    expect(risingScore(7, NOW - 2 * HOUR, NOW)).toBeCloseTo(8 / 4 ** 1.5);
    expect(risingScore(0, NOW, NOW)).toBeCloseTo(1 / 2 ** 1.5);
    // A post "from the future" (clock skew) counts as brand new, not as negative age.
    expect(risingScore(0, NOW + HOUR, NOW)).toBeCloseTo(1 / 2 ** 1.5);
  });

  it("new is newest first; top highest score first; ties to the newer post, then the higher id", () => {
    const items = [post(1, 5, 3), post(2, 9, 2), post(3, 5, 1), post(4, 5, 1)];
    expect(ids(rankPosts(items, "new", NOW))).toEqual([4, 3, 2, 1]);
    expect(ids(rankPosts(items, "top", NOW))).toEqual([2, 4, 3, 1]);
  });

  it("hot lets a fresh post with a few votes beat an old one with many", () => {
    const old = post(1, 50, 48);
    const fresh = post(2, 3, 1);
    const fresher = post(3, 0, 0);
    expect(ids(rankPosts([old, fresh, fresher], "hot", NOW))).toEqual([2, 3, 1]);
    // Downvoted posts sink below neutral ones of the same age.
    expect(ids(rankPosts([post(5, -10, 1), post(6, 0, 1)], "hot", NOW))).toEqual([6, 5]);
  });

  it("rising favours votes gained recently over total votes", () => {
    const steady = post(1, 20, 30);
    const climbing = post(2, 6, 1);
    expect(ids(rankPosts([steady, climbing], "rising", NOW))).toEqual([2, 1]);
    expect(ids(rankPosts([steady, climbing], "top", NOW))).toEqual([1, 2]);
  });

  it("does not change its input and handles an empty feed", () => {
    const items = [post(1, 0, 5), post(2, 0, 1)];
    const copy = [...items];
    rankPosts(items, "new", NOW);
    expect(items).toEqual(copy);
    expect(rankPosts([], "hot", NOW)).toEqual([]);
  });
});
