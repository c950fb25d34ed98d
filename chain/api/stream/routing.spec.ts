import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../../contracts/social/events.js";
import type { StreamEvent } from "./block-events.js";
import { type ContentMeta, lookupsOf, matches, type RouteMeta } from "./routing.js";

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
    expect(lookupsOf(vote)).toEqual({ content: 10n });
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
    expect(lookupsOf(comment).content).toBe(10n);
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

  it("lookupsOf: the content, the text to search for mentions, the proposal's voters", () => {
    const comment = ev(SocialEvents.CommentCreated, { content_id: "11", post_id: "10", parent_id: "10" });
    expect(lookupsOf(comment)).toEqual({ content: 10n, mentionsIn: 11n });
    expect(lookupsOf(ev(SocialEvents.PostCreated, { content_id: "12", community_id: "7" }))).toEqual({
      mentionsIn: 12n,
    });
    expect(lookupsOf(ev(SocialEvents.Reacted, { content_id: "10" }))).toEqual({ content: 10n });
    expect(lookupsOf(ev("vivim.gov.v1.EventVotingEndsSoon", { proposal_id: "3" }))).toEqual({
      votersOf: 3n,
    });
    expect(lookupsOf(ev(SocialEvents.Followed, { follower: YOU, target: ME }))).toEqual({});
    expect(lookupsOf(ev("active_proposal", { proposal_id: "3" }))).toEqual({});
    expect(lookupsOf(ev(SocialEvents.PostCreated, { content_id: "x" }))).toEqual({ mentionsIn: undefined });
  });

  it("notifications: posts and comments mentioning the account, never its own", () => {
    const nt = { kind: "notifications" } as const;
    const mentionsMe: RouteMeta = { mentions: new Set([ME]) };
    const post = ev(SocialEvents.PostCreated, { content_id: "12", community_id: "7", author: YOU });
    expect(matches(nt, post, ME, mentionsMe)).toBe(true);
    expect(matches(nt, post, ME, { mentions: new Set([YOU]) })).toBe(false);
    expect(matches(nt, post, ME, undefined)).toBe(false);
    const ownPost = ev(SocialEvents.PostCreated, { content_id: "13", community_id: "7", author: ME });
    expect(matches(nt, ownPost, ME, mentionsMe)).toBe(false);

    const comment = ev(SocialEvents.CommentCreated, {
      content_id: "14",
      post_id: "10",
      parent_id: "10",
      community_id: "7",
      author: YOU,
    });
    const yourPost: ContentMeta = { author: YOU, communityId: 7n, rootId: 10n };
    // A comment on someone else's post that mentions the account; one on its own post that does not.
    expect(matches(nt, comment, ME, { ...yourPost, mentions: new Set([ME]) })).toBe(true);
    expect(matches(nt, comment, ME, { ...myPost, mentions: new Set() })).toBe(true);
    expect(matches(nt, comment, ME, { ...myPost, mentions: new Set([ME]) })).toBe(true);
    expect(matches(nt, comment, ME, yourPost)).toBe(false);
    expect(matches(nt, comment, ME, { mentions: new Set([ME]) })).toBe(true); // parent unread
    expect(matches(nt, comment, YOU, { ...yourPost, mentions: new Set([YOU]) })).toBe(false);

    // Mentions change no other topic.
    expect(matches({ kind: "community", id: 8n }, post, ME, mentionsMe)).toBe(false);
    expect(matches({ kind: "thread", post: 12n }, post, ME, mentionsMe)).toBe(true);
    expect(
      matches({ kind: "thread", post: 99n }, comment, ME, { ...yourPost, mentions: new Set([ME]) }),
    ).toBe(false);
  });

  it("notifications: a voting reminder goes to accounts that have not voted", () => {
    const nt = { kind: "notifications" } as const;
    const soon = ev("vivim.gov.v1.EventVotingEndsSoon", {
      proposal_id: "3",
      voting_end_time: "2026-01-01T00:00:00.000000000Z",
    });
    const voted: RouteMeta = { voters: new Set([YOU]) };
    expect(matches(nt, soon, ME, voted)).toBe(true);
    expect(matches(nt, soon, YOU, voted)).toBe(false);
    expect(matches(nt, soon, ME, { voters: new Set() })).toBe(true);
    // Voters that could not be read: everyone is reminded.
    expect(matches(nt, soon, YOU, undefined)).toBe(true);
    expect(matches({ kind: "blocks" }, soon, ME, voted)).toBe(false);
    expect(matches({ kind: "community", id: 3n }, soon, ME, voted)).toBe(false);
    // The outcome stays public, whoever voted.
    expect(matches(nt, ev("active_proposal", { proposal_id: "3" }), YOU, voted)).toBe(true);
  });
});
