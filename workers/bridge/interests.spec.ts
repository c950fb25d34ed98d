import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../contracts/social/events.js";
import type { BlockEvents } from "./block-events.js";
import { blockJob, blockJobId, DEFAULT_INTERESTS, type WorkerInterest, wants } from "./interests.js";

const interest = (queue: string): WorkerInterest => {
  const found = DEFAULT_INTERESTS.find((i) => i.queue === queue);
  if (!found) throw new Error(queue);
  return found;
};

function block(events: BlockEvents["events"], height = 7): BlockEvents {
  return { height, time: "2026-01-01T00:00:00Z", txs: ["AA", "BB"], failedTxs: 1, events };
}

const post = { type: SocialEvents.PostCreated, tx: "AA", attributes: { content_id: "3", author: "vivim1x" } };
const rated = { type: "vivim.reputation.v1.EventRated", tx: "BB", attributes: { rater: "vivim1y" } };
const transfer = { type: "transfer", tx: "AA", attributes: { amount: "5uvivim" } };

describe("worker interests", () => {
  it("feed and moderation want posts, reputation wants ratings, health wants every block", () => {
    expect(wants(interest("feed"), SocialEvents.PostCreated)).toBe(true);
    expect(wants(interest("moderation"), SocialEvents.CommentCreated)).toBe(true);
    expect(wants(interest("moderation"), SocialEvents.Voted)).toBe(false);
    expect(wants(interest("feed"), SocialEvents.Voted)).toBe(true);
    expect(wants(interest("reputation"), "vivim.reputation.v1.EventAttested")).toBe(true);
    expect(wants(interest("reputation"), SocialEvents.PostCreated)).toBe(false);
    expect(wants(interest("health"), "vivim.workers.v1.EventWorkerPaused")).toBe(true);
    expect(DEFAULT_INTERESTS.every((i) => !wants(i, "transfer"))).toBe(true);
  });

  it("queue names fit BullMQ (no ':') and job ids are per queue and height, never an integer", () => {
    for (const i of DEFAULT_INTERESTS) expect(i.queue).not.toContain(":");
    expect(blockJobId("feed", 12)).toBe("feed-12");
    expect(blockJobId("feed", 12)).not.toBe(blockJobId("moderation", 12));
    expect(`${Number.parseInt(blockJobId("feed", 12), 10)}`).not.toBe(blockJobId("feed", 12));
  });

  it("one job per interested queue with only its events; none for a queue that wants nothing", () => {
    const b = block([transfer, post, rated]);
    const feed = blockJob("c-1", b, interest("feed"));
    expect(feed).toMatchObject({
      v: 1,
      chainId: "c-1",
      height: 7,
      queue: "feed",
      txCount: 2,
      failedTxs: 1,
      eventCount: 1,
      truncated: false,
      events: [
        { type: SocialEvents.PostCreated, tx: "AA", attributes: { content_id: "3", author: "vivim1x" } },
      ],
    });
    expect(blockJob("c-1", b, interest("reputation"))?.events.map((e) => e.type)).toEqual([rated.type]);
    expect(blockJob("c-1", block([transfer]), interest("feed"))).toBeUndefined();
    const health = blockJob("c-1", block([transfer]), interest("health"));
    expect(health).toMatchObject({ queue: "health", eventCount: 0, events: [] });
  });

  it("caps a job's events by bytes and long attribute values, and says so", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...post, attributes: { content_id: String(i) } }));
    const job = blockJob("c", block(many), interest("feed"), { maxEventBytes: 1_000, maxValueChars: 1024 });
    expect(job?.eventCount).toBe(100);
    expect(job?.truncated).toBe(true);
    expect(job!.events.length).toBeGreaterThan(0);
    expect(job!.events.length).toBeLessThan(100);
    expect(Buffer.byteLength(JSON.stringify(job!.events))).toBeLessThanOrEqual(1_000);

    const long = { ...post, attributes: { reason: "x".repeat(5_000) } };
    const cut = blockJob("c", block([long]), interest("feed"), { maxEventBytes: 1 << 20, maxValueChars: 64 });
    expect(cut?.events[0]?.attributes.reason).toHaveLength(64);
    expect(cut?.truncated).toBe(true);
  });
});
