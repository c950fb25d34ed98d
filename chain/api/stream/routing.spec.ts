import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../../contracts/social/events.js";
import type { StreamEvent } from "./block-events.js";
import { type ContentMeta, lookupIdOf, matches } from "./routing.js";

const ME = "vivim1me";
const YOU = "vivim1you";
let n = 0;
const ev = (type: string, attributes: Record<string, string>): StreamEvent => ({
  cursor: { height: 5n, index: n++ },
  tx: "AB",
  type,
  attributes,
});
const myPost: ContentMeta = { author: ME, communityId: 7n, rootId: 10n };

describe("stream routing", () => {
  it("blocks: only the block event", () => {
    expect(matches({ kind: "blocks" }, ev("new_block", { height: "5" }), ME, undefined)).toBe(true);
    expect(matches({ kind: "blocks" }, ev(SocialEvents.PostCreated, {}), ME, undefined)).toBe(false);
  });

  it("community: events naming it, and content events by the content's community", () => {
    const c7 = { kind: "community", id: 7n } as const;
    const post = ev(SocialEvents.PostCreated, { content_id: "10", community_id: "7", author: YOU });
    expect(matches(c7, post, ME, undefined)).toBe(true);
    expect(matches({ kind: "community", id: 8n }, post, ME, undefined)).toBe(false);
    expect(
      matches(c7, ev(SocialEvents.MemberJoined, { community_id: "7", member: YOU }), ME, undefined),
    ).toBe(true);
    const vote = ev(SocialEvents.Voted, { content_id: "10", voter: YOU, author: ME, direction: "UP" });
    expect(lookupIdOf(vote)).toBe(10n);
    expect(matches(c7, vote, ME, myPost)).toBe(true);
    expect(matches(c7, vote, ME, { ...myPost, communityId: 8n })).toBe(false);
    expect(matches(c7, vote, ME, undefined)).toBe(false);
    expect(matches(c7, ev(SocialEvents.Followed, { follower: YOU, target: ME }), ME, undefined)).toBe(false);
  });

  it("thread: the post, its comments, and events on them", () => {
    const t10 = { kind: "thread", post: 10n } as const;
    expect(
      matches(t10, ev(SocialEvents.PostCreated, { content_id: "10", community_id: "7" }), ME, undefined),
    ).toBe(true);
    const comment = ev(SocialEvents.CommentCreated, {
      content_id: "11",
      post_id: "10",
      parent_id: "10",
      community_id: "7",
      author: YOU,
    });
    expect(lookupIdOf(comment)).toBe(10n);
    expect(matches(t10, comment, ME, myPost)).toBe(true);
    expect(matches({ kind: "thread", post: 12n }, comment, ME, myPost)).toBe(false);
    const edit = ev(SocialEvents.ContentEdited, { content_id: "11", editor: YOU });
    expect(matches(t10, edit, ME, { author: YOU, communityId: 7n, rootId: 10n })).toBe(true);
  });

  it("notifications: what others do to the account and its content", () => {
    const nt = { kind: "notifications" } as const;
    const reply = ev(SocialEvents.CommentCreated, {
      content_id: "11",
      post_id: "10",
      parent_id: "10",
      community_id: "7",
      author: YOU,
    });
    expect(matches(nt, reply, ME, myPost)).toBe(true);
    expect(matches(nt, reply, YOU, myPost)).toBe(false);
    const selfReply = ev(SocialEvents.CommentCreated, {
      content_id: "12",
      post_id: "10",
      parent_id: "10",
      community_id: "7",
      author: ME,
    });
    expect(matches(nt, selfReply, ME, myPost)).toBe(false);
    expect(
      matches(nt, ev(SocialEvents.Voted, { content_id: "10", voter: YOU, author: ME }), ME, undefined),
    ).toBe(true);
    expect(
      matches(nt, ev(SocialEvents.Voted, { content_id: "10", voter: ME, author: ME }), ME, undefined),
    ).toBe(false);
    expect(
      matches(nt, ev(SocialEvents.Reacted, { content_id: "10", reactor: YOU, added: "true" }), ME, myPost),
    ).toBe(true);
    expect(
      matches(nt, ev(SocialEvents.Reacted, { content_id: "10", reactor: YOU, added: "false" }), ME, myPost),
    ).toBe(false);
    expect(matches(nt, ev(SocialEvents.Followed, { follower: YOU, target: ME }), ME, undefined)).toBe(true);
    expect(matches(nt, ev(SocialEvents.Followed, { follower: ME, target: YOU }), ME, undefined)).toBe(false);
    expect(
      matches(nt, ev("vivim.reputation.v1.EventRated", { rater: YOU, subject: ME }), ME, undefined),
    ).toBe(true);
    expect(
      matches(nt, ev("vivim.reputation.v1.EventAttested", { attester: YOU, subject: ME }), ME, undefined),
    ).toBe(true);
    expect(
      matches(
        nt,
        ev("active_proposal", { proposal_id: "1", proposal_result: "proposal_passed" }),
        ME,
        undefined,
      ),
    ).toBe(true);
    expect(matches(nt, ev("transfer", { recipient: ME }), ME, undefined)).toBe(false);
  });
});
