import { describe, expect, it } from "vitest";
import { SocialEvents } from "../../../contracts/social/events.js";
import type { StreamEvent } from "./block-events.js";
import type { Topic } from "./protocol.js";
import { GOV_VOTING_ENDED, GOV_VOTING_ENDS_SOON, matches, type RouteMeta } from "./routing.js";
import { namedValues, TopicIndex } from "./topic-index.js";

const A = "vivim1alice";
const B = "vivim1bob";
const C = "vivim1carol";
let n = 0;
const ev = (type: string, attributes: Record<string, string>): StreamEvent => ({
  cursor: { height: 5n, index: n++ },
  tx: "AB",
  type,
  attributes,
});

interface Item {
  readonly name: string;
  readonly topic: Topic;
  readonly account: string;
}

const TOPICS: Topic[] = [
  { kind: "blocks" },
  { kind: "notifications" },
  { kind: "community", id: 1n },
  { kind: "community", id: 7n },
  { kind: "community", id: 8n },
  { kind: "thread", post: 10n },
  { kind: "thread", post: 11n },
  { kind: "thread", post: 99n },
];
const ITEMS: Item[] = TOPICS.flatMap((topic) =>
  [A, B, C].map((account) => ({
    name: `${JSON.stringify(topic, (_k, v) => (typeof v === "bigint" ? `${v}` : v))}@${account}`,
    topic,
    account,
  })),
);

const myPost = { author: A, communityId: 7n, rootId: 10n };
const CASES: Array<{ e: StreamEvent; meta?: RouteMeta }> = [
  { e: ev("new_block", { height: "5", hash: "AA", time: "t", num_txs: "1" }) },
  { e: ev(SocialEvents.PostCreated, { content_id: "10", community_id: "7", author: B }) },
  {
    e: ev(SocialEvents.PostCreated, { content_id: "12", community_id: "8", author: B }),
    meta: { mentions: new Set([C]) },
  },
  {
    e: ev(SocialEvents.CommentCreated, {
      content_id: "11",
      post_id: "10",
      parent_id: "10",
      community_id: "7",
      author: B,
    }),
    meta: { ...myPost, mentions: new Set([C]) },
  },
  { e: ev(SocialEvents.Voted, { content_id: "10", voter: B, author: A, direction: "UP" }), meta: myPost },
  { e: ev(SocialEvents.Voted, { content_id: "10", voter: B, author: A, direction: "UP" }) },
  {
    e: ev(SocialEvents.Reacted, { content_id: "11", reactor: C, added: "true" }),
    meta: { author: A, communityId: 7n, rootId: 10n },
  },
  {
    e: ev(SocialEvents.ContentDeleted, { content_id: "11" }),
    meta: { author: A, communityId: 7n, rootId: 10n },
  },
  { e: ev(SocialEvents.MemberJoined, { community_id: "007", member: B }) },
  { e: ev(SocialEvents.Followed, { follower: B, target: A }) },
  { e: ev(GOV_VOTING_ENDED, { proposal_id: "3", proposal_result: "proposal_passed" }) },
  { e: ev(GOV_VOTING_ENDS_SOON, { proposal_id: "3" }), meta: { voters: new Set([B]) } },
  { e: ev(GOV_VOTING_ENDS_SOON, { proposal_id: "3" }) },
  { e: ev("tx", { fee: "", fee_payer: A }) },
];

function build(items: readonly Item[]): TopicIndex<Item> {
  const index = new TopicIndex<Item>();
  for (const it of items) index.add(it.topic, it.account, it);
  return index;
}

function candidates(index: TopicIndex<Item>, e: StreamEvent, meta: RouteMeta | undefined): Item[] {
  const out: Item[] = [];
  index.forCandidates(e, meta, (it) => out.push(it));
  return out;
}

describe("stream topic index", () => {
  it("offers every subscription `matches` accepts, each once, for every kind of event", () => {
    const index = build(ITEMS);
    expect(index.size).toBe(ITEMS.length);
    for (const { e, meta } of CASES) {
      const got = candidates(index, e, meta);
      expect(new Set(got).size).toBe(got.length);
      const want = ITEMS.filter((it) => matches(it.topic, e, it.account, meta));
      for (const it of want) expect(got, `${e.type} → ${it.name}`).toContain(it);
    }
  });

  it("offers a community's event only to that community's subscriptions", () => {
    const index = build(ITEMS);
    const post = ev(SocialEvents.PostCreated, { content_id: "12", community_id: "8", author: B });
    const got = candidates(index, post, undefined);
    // community 8 (three sessions) plus notifications of B, the only account the event names.
    expect(got.map((it) => it.name).sort()).toEqual(
      ITEMS.filter(
        (it) =>
          (it.topic.kind === "community" && it.topic.id === 8n) ||
          (it.topic.kind === "notifications" && it.account === B),
      )
        .map((it) => it.name)
        .sort(),
    );
    // A block event names its height and tx count: ids no subscription here uses.
    const block = candidates(
      index,
      ev("new_block", { height: "5", hash: "AA", time: "t", num_txs: "0" }),
      undefined,
    );
    expect(block.every((it) => it.topic.kind === "blocks")).toBe(true);
    expect(block).toHaveLength(3);
  });

  it("offers a deadline for everyone to every notifications subscription", () => {
    const index = build(ITEMS);
    const got = candidates(index, ev(GOV_VOTING_ENDED, { proposal_id: "3" }), undefined);
    expect(got.filter((it) => it.topic.kind === "notifications")).toHaveLength(3);
  });

  it("forgets deleted subscriptions, also in the middle of a walk", () => {
    const index = build(ITEMS);
    for (const it of ITEMS.filter((x) => x.topic.kind === "community"))
      index.delete(it.topic, it.account, it);
    expect(index.size).toBe(ITEMS.length - 9);
    const post = ev(SocialEvents.PostCreated, { content_id: "12", community_id: "8", author: B });
    expect(candidates(index, post, undefined).some((it) => it.topic.kind === "community")).toBe(false);

    const again = build(ITEMS);
    const seen: Item[] = [];
    again.forCandidates(ev(GOV_VOTING_ENDED, {}), undefined, (it) => {
      seen.push(it);
      // The first visit drops every notifications subscription: none is visited after it.
      if (seen.length === 1)
        for (const x of ITEMS.filter((y) => y.topic.kind === "notifications"))
          again.delete(x.topic, x.account, x);
    });
    expect(seen).toHaveLength(1);
    expect(again.size).toBe(ITEMS.length - 3);
    // Deleting twice, or what was never added, changes nothing.
    const gone = ITEMS.find((x) => x.topic.kind === "notifications")!;
    again.delete(gone.topic, gone.account, gone);
    again.delete({ kind: "community", id: 5n }, A, gone);
    expect(again.size).toBe(ITEMS.length - 3);
  });

  it("names attribute values, RouteMeta fields and set members", () => {
    const v = namedValues(ev(SocialEvents.Voted, { content_id: "10", author: A }), {
      ...myPost,
      mentions: new Set([C]),
    });
    expect([...v].sort()).toEqual(["10", "7", A, C].sort());
  });
});
