import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../../contracts/social/events.js";
import { hotScore } from "../../../mcp-server/tools/feed-rank.js";
import type { BlockJobData, JobEvent } from "../../bridge/interests.js";
import { blockSeconds, checkJob, EVENT_SLOTS, idOfMember, member, planJob, postScores } from "./plan.js";

const ALICE = "vivim1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
const BOB = "vivim1zgfpyysjzgfpyysjzgfpyysjzgfpyysjl2d8g9";

function job(events: JobEvent[], height = 7, time = "2026-01-02T03:04:05.987654321Z"): BlockJobData {
  return {
    v: 1,
    chainId: "vivim-test",
    height,
    time,
    queue: "feed",
    txCount: events.length,
    failedTxs: 0,
    eventCount: events.length,
    events,
    truncated: false,
  };
}
const ev = (type: string, attributes: Record<string, string>): JobEvent => ({ type, tx: "AB", attributes });

describe("feed plan", () => {
  it("reads the block time's whole seconds like the chain's block.time.seconds", () => {
    expect(blockSeconds("2026-01-02T03:04:05.987654321Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(blockSeconds("2026-01-02T03:04:05Z")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(blockSeconds("2026-01-02T05:04:05.5+02:00")).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(() => blockSeconds("yesterday")).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
  });

  it("turns a block's events into posts, deletions, voted ids and versioned follow edges", () => {
    const plan = planJob(
      job([
        ev(SocialEvents.PostCreated, { content_id: "5", community_id: "1", author: ALICE }),
        ev(SocialEvents.CommentCreated, { content_id: "6", post_id: "5", community_id: "1", author: BOB }),
        ev(SocialEvents.Voted, {
          content_id: "5",
          voter: BOB,
          author: ALICE,
          direction: "VOTE_DIRECTION_UP",
        }),
        ev(SocialEvents.Voted, {
          content_id: "5",
          voter: ALICE,
          author: ALICE,
          direction: "VOTE_DIRECTION_UP",
        }),
        ev(SocialEvents.Followed, { follower: BOB, target: ALICE }),
        ev(SocialEvents.Unfollowed, { follower: BOB, target: ALICE }),
        ev(SocialEvents.ContentDeleted, { content_id: "4", actor: ALICE, by_moderator: "false" }),
      ]),
    );
    expect(plan.posts).toEqual([
      {
        id: "5",
        community: "1",
        author: ALICE,
        createdHeight: 7,
        createdAt: Date.UTC(2026, 0, 2, 3, 4, 5) / 1000,
      },
    ]);
    expect(plan.voted).toEqual(["5"]);
    expect(plan.deleted).toEqual(["4"]);
    expect(plan.follows).toEqual([
      { follower: BOB, target: ALICE, following: true, version: 7 * EVENT_SLOTS + 4 },
      { follower: BOB, target: ALICE, following: false, version: 7 * EVENT_SLOTS + 5 },
    ]);
    expect(plan.rejected).toBe(0);
  });

  it("skips and counts malformed events instead of storing them", () => {
    const plan = planJob(
      job([
        ev(SocialEvents.PostCreated, { content_id: "0", community_id: "1", author: ALICE }),
        ev(SocialEvents.PostCreated, { content_id: "5", community_id: "1", author: "vivim:feed:global:hot" }),
        ev(SocialEvents.Voted, { content_id: "99999999999999999999999" }),
        ev(SocialEvents.Followed, { follower: BOB }),
      ]),
    );
    expect(plan.posts).toEqual([]);
    expect(plan.voted).toEqual([]);
    expect(plan.follows).toEqual([]);
    expect(plan.rejected).toBe(4);
  });

  it("refuses job data that is not a version 1 block job", () => {
    expect(() => checkJob(null)).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(() => checkJob({ ...job([]), v: 2 })).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(() => checkJob({ ...job([]), height: -1 })).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(() => checkJob({ ...job([]), events: "x" })).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(checkJob(job([])).height).toBe(7);
  });

  it("scores with Moltbook's formulas and pads members so ties order by id", () => {
    expect(postScores(3, 90_000)).toEqual({ hot: hotScore(3, 90_000), new: 90_000, top: 3 });
    expect(postScores(-2, 90_000).hot).toBeLessThan(postScores(0, 90_000).hot);
    expect(member(42n)).toBe("00000000000000000042");
    expect(member("9") < member("10")).toBe(true);
    expect(idOfMember(member("120"))).toBe("120");
    expect(idOfMember("00000000000000000000")).toBe("0");
  });
});
