import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../../contracts/social/events.js";
import type { BlockJobData, JobEvent } from "../../bridge/interests.js";
import { checkJob } from "../feed/plan.js";
import { planModeration } from "./plan.js";

const ev = (type: string, attributes: Record<string, string>): JobEvent => ({ type, tx: "AB", attributes });
const job = (events: JobEvent[]): BlockJobData => ({
  v: 1,
  chainId: "vivim-devnet",
  height: 12,
  time: "2026-11-21T23:00:00.5Z",
  queue: "moderation",
  txCount: events.length,
  failedTxs: 0,
  eventCount: events.length,
  events,
  truncated: false,
});

describe("planModeration", () => {
  it("lists created posts, comments and edits once each, in block order", () => {
    const plan = planModeration(
      job([
        ev(SocialEvents.PostCreated, { content_id: "5", community_id: "1", author: "x" }),
        ev(SocialEvents.CommentCreated, { content_id: "6", post_id: "5", parent_id: "5" }),
        ev(SocialEvents.ContentEdited, { content_id: "5", editor: "x" }),
        ev(SocialEvents.ContentEdited, { content_id: "3", editor: "x" }),
        ev(SocialEvents.Voted, { content_id: "4" }),
      ]),
    );
    expect(plan).toEqual({
      height: 12,
      items: [
        { id: "5", event: "post" },
        { id: "6", event: "comment" },
        { id: "3", event: "edit" },
      ],
      rejected: 0,
    });
  });

  it("counts and skips malformed events, ignores unknown and prototype-named types", () => {
    const plan = planModeration(
      job([
        ev(SocialEvents.PostCreated, { content_id: "0" }),
        ev(SocialEvents.PostCreated, { content_id: "12a" }),
        ev(SocialEvents.CommentCreated, {}),
        ev(SocialEvents.ContentEdited, { content_id: "99999999999999999999999" }),
        ev("constructor", { content_id: "8" }),
        ev("__proto__", { content_id: "8" }),
        null as unknown as JobEvent,
        ev(SocialEvents.PostCreated, { content_id: "7" }),
      ]),
    );
    expect(plan.items).toEqual([{ id: "7", event: "post" }]);
    expect(plan.rejected).toBe(4);
  });

  it("goes with checkJob, which refuses malformed jobs with BAD_JOB", () => {
    expect(() => checkJob({ ...job([]), v: 2 })).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(() => checkJob({ ...job([]), events: "x" })).toThrow(expect.objectContaining({ code: "BAD_JOB" }));
    expect(planModeration(checkJob(job([]))).items).toEqual([]);
  });
});
