/**
 * `ContentMetaReader.forEvent` against the real application (genesis content, cosmjs-signed gov
 * txs): what routing reads for replies, mentions and voting reminders, through the query path.
 */
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GovEvents } from "../../../contracts/gov/events.js";
import { VIVIM_MODULES } from "../../../contracts/index.js";
import { SocialEvents } from "../../../contracts/social/events.js";
import { type SpecAccount, SpecChain, specAccounts } from "../../../test/support/spec-chain.js";
import { toBase64 } from "../../crypto/hash.js";
import type { StreamEvent } from "./block-events.js";
import { ContentMetaReader } from "./content-meta.js";
import { matches } from "./routing.js";

const uv = (n: number) => [{ denom: "uvivim", amount: String(n) }];
let n = 0;
const ev = (type: string, attributes: Record<string, string>): StreamEvent => ({
  cursor: { height: 1n, index: n++ },
  type,
  attributes,
});
const NT = { kind: "notifications" } as const;

describe("ContentMetaReader.forEvent on a real chain", () => {
  let h: SpecChain;
  let alice: SpecAccount;
  let bob: SpecAccount;
  let carol: SpecAccount;
  let scout: SpecAccount;
  let op: SpecAccount;
  let reader: ContentMetaReader;

  beforeAll(async () => {
    [alice, bob, carol, scout, op] = (await specAccounts(5)) as [
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
      SpecAccount,
    ];
    h = await SpecChain.start(VIVIM_MODULES, {
      bank: { balances: [alice, bob, carol, scout, op].map((a) => ({ address: a.address, coins: uv(1e6) })) },
      identity: {
        profiles: [
          { address: alice.address, handle: "alice", display_name: "Alice" },
          { address: bob.address, handle: "bob", display_name: "Bob" },
          { address: carol.address, handle: "carol", display_name: "Carol" },
        ],
        agents: [
          {
            owner: alice.address,
            name: "scout",
            pub_key_type: "secp256k1",
            pub_key: toBase64(scout.pubKey),
            capabilities: ["comment"],
          },
        ],
      },
      social: {
        communities: [
          {
            slug: "general",
            name: "General",
            visibility: "PUBLIC",
            creator: alice.address,
            members: [bob.address, carol.address, scout.address],
          },
        ],
        posts: [
          {
            ref: "p1",
            community: "general",
            author: alice.address,
            title: "Hello @Bob",
            body: "and @carol, ask @alice/scout; not @nobody, me@alice.org or `@carol`. Also @alice.",
          },
          { ref: "quiet", community: "general", author: bob.address, title: "No one", body: "just text" },
        ],
        comments: [{ parent: "p1", author: bob.address, body: "thanks @alice and @bob" }],
      },
      validators: {
        validators: [
          { pub_key: toBase64(new Uint8Array(32).fill(1)), power: "10", moniker: "v1", operator: op.address },
        ],
      },
      gov: { params: { min_deposit: uv(1000), voting_period: "100s", expedited_voting_period: "30s" } },
    });
    reader = new ContentMetaReader({ app: h.app });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it("a post: the accounts its title and body mention, resolved through identity", async () => {
    const post = ev(SocialEvents.PostCreated, { content_id: "1", community_id: "1", author: alice.address });
    const meta = await reader.forEvent(post);
    expect(meta?.author).toBeUndefined();
    expect([...(meta?.mentions ?? [])].sort()).toEqual(
      [bob.address, carol.address, scout.address, alice.address].sort(),
    );
    expect(matches(NT, post, bob.address, meta)).toBe(true);
    expect(matches(NT, post, scout.address, meta)).toBe(true);
    expect(matches(NT, post, alice.address, meta)).toBe(false); // its author mentioned itself
    expect(matches(NT, post, op.address, meta)).toBe(false);
    // Nothing mentioned: nothing to route on.
    expect(
      await reader.forEvent(ev(SocialEvents.PostCreated, { content_id: "2", community_id: "1" })),
    ).toBeUndefined();
    // Content that does not exist (yet): nothing read, nothing cached.
    expect(await reader.forEvent(ev(SocialEvents.PostCreated, { content_id: "99" }))).toBeUndefined();
  });

  it("a comment: its parent's author and its own mentions", async () => {
    const comment = ev(SocialEvents.CommentCreated, {
      content_id: "3",
      post_id: "1",
      parent_id: "1",
      community_id: "1",
      author: bob.address,
    });
    const meta = await reader.forEvent(comment);
    expect(meta).toMatchObject({ author: alice.address, communityId: 1n, rootId: 1n });
    expect([...(meta?.mentions ?? [])].sort()).toEqual([alice.address, bob.address].sort());
    expect(matches(NT, comment, alice.address, meta)).toBe(true);
    expect(matches(NT, comment, bob.address, meta)).toBe(false);
    expect(matches(NT, comment, carol.address, meta)).toBe(false);
    // A vote on the post reads the same cached facts.
    expect(await reader.forEvent(ev(SocialEvents.Voted, { content_id: "1" }))).toEqual({
      author: alice.address,
      communityId: 1n,
      rootId: 1n,
    });
  });

  it("a voting reminder: the proposal's voters so far", async () => {
    const submitted = await h.exec(alice, {
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: {
        messages: [],
        initialDeposit: uv(1000),
        proposer: alice.address,
        metadata: "",
        title: "Reminded",
        summary: "spec",
        expedited: false,
      },
    });
    expect(submitted.code, submitted.log).toBe(0);
    const id = submitted.event("submit_proposal")!.proposal_id!;
    const soon = ev(GovEvents.VotingEndsSoon, { proposal_id: id, voting_end_time: "x" });
    expect(await reader.forEvent(soon)).toEqual({ voters: new Set() });
    const voted = await h.exec(op, {
      typeUrl: "/cosmos.gov.v1.MsgVote",
      value: { proposalId: BigInt(id), voter: op.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" },
    });
    expect(voted.code, voted.log).toBe(0);
    const meta = await reader.forEvent(soon);
    expect(meta).toEqual({ voters: new Set([op.address]) });
    expect(matches(NT, soon, op.address, meta)).toBe(false);
    expect(matches(NT, soon, alice.address, meta)).toBe(true);
    // An unknown proposal: voters unread, so nobody is left out.
    const unknown = ev(GovEvents.VotingEndsSoon, { proposal_id: "999" });
    expect(await reader.forEvent(unknown)).toBeUndefined();
    expect(matches(NT, unknown, op.address, undefined)).toBe(true);
  });

  it("events that need nothing read nothing", async () => {
    expect(await reader.forEvent(ev(SocialEvents.Followed, { follower: bob.address }))).toBeUndefined();
    expect(await reader.forEvent(ev("new_block", { height: "1" }))).toBeUndefined();
  });
});
