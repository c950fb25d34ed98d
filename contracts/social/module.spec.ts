/**
 * The social module inside the real application over LevelDB: genesis, every Msg signed by cosmjs,
 * the refusals with their codes, the depth-first thread, feeds and rate-limit tiers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  msg,
  type SpecAccount,
  SpecChain,
  type SpecResult,
  specAccounts,
} from "../../test/support/spec-chain.js";
import { authModule } from "../auth/module.js";
import { bankModule } from "../bank/module.js";
import { IdentityErrors } from "../identity/errors.js";
import { identityModule } from "../identity/module.js";
import { getInteraction, getKarma } from "../reputation/interactions.js";
import { hasCapability } from "./capabilities.js";
import { getContent } from "./content.js";
import { Capability, LabelPolicy, Role, TrustLevel, Visibility, VoteDirection } from "./enums.js";
import { SocialErrors } from "./errors.js";
import { SocialEvents } from "./events.js";
import { socialModule } from "./module.js";
import { SOCIAL_QUERY_PATHS as Q } from "./query.js";
import {
  QueryAuthorFeedRequest,
  QueryAuthorFeedResponse,
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryCommunityRequest,
  QueryCommunityResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryFollowersRequest,
  QueryFollowersResponse,
  QueryMembershipRequest,
  QueryMembershipResponse,
  QueryMembersRequest,
  QueryMembersResponse,
  QueryReactionsRequest,
  QueryReactionsResponse,
  QueryThreadRequest,
  QueryThreadResponse,
  QueryVoteRequest,
  QueryVoteResponse,
} from "./query-types.js";
import {
  MsgBanMember,
  MsgCreateComment,
  MsgCreateCommentResponse,
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgDeleteContent,
  MsgEditContent,
  MsgFollow,
  MsgInviteMember,
  MsgJoinCommunity,
  MsgLeaveCommunity,
  MsgReact,
  MsgReactResponse,
  MsgSetCommunityRules,
  MsgSetMemberRole,
  MsgUnbanMember,
  MsgUnfollow,
  MsgUpdateCommunity,
  MsgUpdateSocialParams,
  MsgVote,
  MsgVoteResponse,
} from "./tx.js";

const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "scout", "dao"];

let chain: SpecChain;
let alice: SpecAccount;
let bob: SpecAccount;
let carol: SpecAccount;
let dave: SpecAccount;
let erin: SpecAccount;
let frank: SpecAccount;
/** alice's agent @alice/scout, granted comment and vote only. */
let scout: SpecAccount;
/** The params authority, standing in for the gov module account: no profile, no memberships. */
let dao: SpecAccount;

function expectCode(r: SpecResult, codespace: string, code: number): void {
  expect({ codespace: r.codespace, code: r.code, log: r.log }).toMatchObject({ codespace, code });
}

async function ok(r: Promise<SpecResult>): Promise<SpecResult> {
  const res = await r;
  expect(res.log).toBe("");
  expect(res.code).toBe(0);
  return res;
}

beforeAll(async () => {
  const accounts = await specAccounts(NAMES.length);
  [alice, bob, carol, dave, erin, frank, scout, dao] = accounts as [
    SpecAccount,
    SpecAccount,
    SpecAccount,
    SpecAccount,
    SpecAccount,
    SpecAccount,
    SpecAccount,
    SpecAccount,
  ];
  const [scoutKey] = await scout.wallet.getAccounts();
  chain = await SpecChain.start([authModule, bankModule, identityModule, socialModule], {
    bank: {
      balances: accounts.map((a) => ({
        address: a.address,
        coins: [{ denom: "uvivim", amount: "1000000" }],
      })),
    },
    identity: {
      profiles: accounts
        .slice(0, 6)
        .map((a, i) => ({ address: a.address, handle: NAMES[i], display_name: NAMES[i] })),
      agents: [
        {
          owner: alice.address,
          name: "scout",
          pub_key_type: "secp256k1",
          pub_key: Buffer.from(scoutKey!.pubkey).toString("base64"),
          capabilities: ["comment", "vote"],
        },
      ],
    },
    social: {
      params: {
        authority: dao.address,
        max_comment_depth: 3,
        // frank gets a tiny post budget to exercise the limiter; everyone's accounts are new.
        rate_limits: { post: { new_account: { max: 3, window_seconds: 3600 } } },
      },
      communities: [
        {
          slug: "general",
          name: "General",
          description: "Everything",
          rules: ["Be kind"],
          visibility: "PUBLIC",
          creator: alice.address,
          moderators: [bob.address],
          members: [carol.address, scout.address],
        },
        { slug: "secret", name: "Secret", visibility: "VISIBILITY_PRIVATE", creator: alice.address },
      ],
      posts: [
        {
          ref: "welcome",
          community: "general",
          author: alice.address,
          title: "Welcome",
          body: "Hello **all**",
        },
      ],
      comments: [
        { ref: "c1", parent: "welcome", author: carol.address, body: "Hi!" },
        { parent: "c1", author: bob.address, body: "Hi carol" },
      ],
      votes: [{ voter: carol.address, target: "welcome", direction: "UP" }],
      follows: [{ follower: carol.address, target: alice.address }],
    },
  });
});

afterAll(async () => {
  await chain?.stop();
});

describe("genesis", () => {
  it("seeds communities, members, a thread, votes and follows", async () => {
    const general = await chain.query(
      Q.Community,
      QueryCommunityRequest,
      { slug: "general" },
      QueryCommunityResponse,
    );
    expect(general.community?.community?.id).toBe(1n);
    expect(general.community?.memberCount).toBe(4n);
    expect(general.community?.community?.rules).toEqual(["Be kind"]);
    const members = await chain.query(
      Q.Members,
      QueryMembersRequest,
      { communityId: 1n },
      QueryMembersResponse,
    );
    const roles = new Map(members.members.map((m) => [m.address, m.role]));
    expect(roles.get(alice.address)).toBe(Role.OWNER);
    expect(roles.get(bob.address)).toBe(Role.MODERATOR);
    expect(roles.get(carol.address)).toBe(Role.MEMBER);

    const post = getContent(chain.store, 1n)!;
    expect(post.upvotes).toBe(1n);
    expect(post.commentCount).toBe(2n);
    expect(post.replyCount).toBe(1n);
    expect(getKarma(chain.store, alice.address)).toBe(1n);
    expect(getInteraction(chain.store, carol.address, alice.address)?.count).toBe(1n);
    const followers = await chain.query(
      Q.Followers,
      QueryFollowersRequest,
      { address: alice.address },
      QueryFollowersResponse,
    );
    expect(followers.total).toBe(1n);
    expect(followers.follows[0]?.follower).toBe(carol.address);
  });

  it("refuses a genesis naming an unregistered author", () => {
    expect(() =>
      socialModule.validateGenesis({ posts: [{ community: "nope", author: alice.address, title: "x" }] }),
    ).toThrow(/posts\[0\]\.community/);
    expect(() =>
      socialModule.validateGenesis({ comments: [{ parent: "missing", author: alice.address, body: "x" }] }),
    ).toThrow(/comments\[0\]\.parent/);
  });
});

describe("communities and membership", () => {
  it("creates a community; the slug is unique and must be well-formed", async () => {
    const r = await ok(
      chain.exec(
        dave,
        msg(MsgCreateCommunity, {
          creator: dave.address,
          slug: "daves-den",
          name: "Dave's den",
          visibility: Visibility.PUBLIC,
        }),
      ),
    );
    expect(MsgCreateCommunityResponse.decode(r.response!).communityId).toBe(3n);
    expect(r.event(SocialEvents.CommunityCreated)).toMatchObject({ community_id: "3", slug: "daves-den" });
    expectCode(
      await chain.exec(
        erin,
        msg(MsgCreateCommunity, {
          creator: erin.address,
          slug: "daves-den",
          name: "Mine",
          visibility: Visibility.PUBLIC,
        }),
      ),
      "social",
      SocialErrors.SlugTaken.code,
    );
    expectCode(
      await chain.exec(
        erin,
        msg(MsgCreateCommunity, {
          creator: erin.address,
          slug: "Bad Slug",
          name: "x",
          visibility: Visibility.PUBLIC,
        }),
      ),
      "social",
      SocialErrors.InvalidField.code,
    );
    expectCode(
      await chain.exec(
        erin,
        msg(MsgCreateCommunity, {
          creator: erin.address,
          slug: "long-name",
          name: "x".repeat(101),
          visibility: Visibility.PUBLIC,
        }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
  });

  it("a private community needs an invite from a moderator", async () => {
    expectCode(
      await chain.exec(dave, msg(MsgJoinCommunity, { member: dave.address, communityId: 2n })),
      "social",
      SocialErrors.NotInvited.code,
    );
    expectCode(
      await chain.exec(dave, msg(MsgCreatePost, { author: dave.address, communityId: 2n, title: "hi" })),
      "social",
      SocialErrors.NotMember.code,
    );
    expectCode(
      await chain.exec(
        carol,
        msg(MsgInviteMember, { actor: carol.address, communityId: 2n, invitee: dave.address }),
      ),
      "social",
      SocialErrors.NotMember.code,
    );
    await ok(
      chain.exec(
        alice,
        msg(MsgInviteMember, { actor: alice.address, communityId: 2n, invitee: dave.address }),
      ),
    );
    expect(hasCapability(chain.store, 2n, dave.address, Capability.SPEAK)).toBe(false);
    await ok(chain.exec(dave, msg(MsgJoinCommunity, { member: dave.address, communityId: 2n })));
    expect(hasCapability(chain.store, 2n, dave.address, Capability.SPEAK)).toBe(true);
    expect(hasCapability(chain.store, 2n, dave.address, Capability.MODERATE)).toBe(false);
    expectCode(
      await chain.exec(dave, msg(MsgJoinCommunity, { member: dave.address, communityId: 2n })),
      "social",
      SocialErrors.AlreadyMember.code,
    );
    await ok(
      chain.exec(dave, msg(MsgCreatePost, { author: dave.address, communityId: 2n, title: "inside" })),
    );
  });

  it("guests of a public community listen but must join to speak", async () => {
    expect(hasCapability(chain.store, 1n, erin.address, Capability.LISTEN)).toBe(true);
    expectCode(
      await chain.exec(erin, msg(MsgCreatePost, { author: erin.address, communityId: 1n, title: "hello" })),
      "social",
      SocialErrors.MissingCapability.code,
    );
    await ok(chain.exec(erin, msg(MsgJoinCommunity, { member: erin.address, communityId: 1n })));
    await ok(chain.exec(erin, msg(MsgCreatePost, { author: erin.address, communityId: 1n, title: "hello" })));
    const m = await chain.query(
      Q.Membership,
      QueryMembershipRequest,
      { communityId: 1n, address: erin.address },
      QueryMembershipResponse,
    );
    expect(m.role).toBe(Role.MEMBER);
    expect(m.trustLevel).toBe(TrustLevel.LOCAL);
    expect(m.capabilities).toContain(Capability.SPEAK);
  });

  it("moderators ban and unban; a banned account cannot act or rejoin", async () => {
    expectCode(
      await chain.exec(
        carol,
        msg(MsgBanMember, { actor: carol.address, communityId: 1n, member: erin.address }),
      ),
      "social",
      SocialErrors.MissingCapability.code,
    );
    expectCode(
      await chain.exec(
        bob,
        msg(MsgBanMember, { actor: bob.address, communityId: 1n, member: alice.address }),
      ),
      "social",
      SocialErrors.OwnerOnly.code,
    );
    const ban = await ok(
      chain.exec(
        bob,
        msg(MsgBanMember, { actor: bob.address, communityId: 1n, member: erin.address, reason: "spam" }),
      ),
    );
    expect(ban.event(SocialEvents.MemberBanned)).toMatchObject({ member: erin.address, actor: bob.address });
    expectCode(
      await chain.exec(erin, msg(MsgCreatePost, { author: erin.address, communityId: 1n, title: "again" })),
      "social",
      SocialErrors.Banned.code,
    );
    expectCode(
      await chain.exec(
        erin,
        msg(MsgVote, { voter: erin.address, targetId: 1n, direction: VoteDirection.UP }),
      ),
      "social",
      SocialErrors.Banned.code,
    );
    expectCode(
      await chain.exec(erin, msg(MsgJoinCommunity, { member: erin.address, communityId: 1n })),
      "social",
      SocialErrors.Banned.code,
    );
    await ok(
      chain.exec(bob, msg(MsgUnbanMember, { actor: bob.address, communityId: 1n, member: erin.address })),
    );
    expectCode(
      await chain.exec(
        bob,
        msg(MsgUnbanMember, { actor: bob.address, communityId: 1n, member: erin.address }),
      ),
      "social",
      SocialErrors.NotBanned.code,
    );
    await ok(chain.exec(erin, msg(MsgJoinCommunity, { member: erin.address, communityId: 1n })));
  });

  it("only owners manage moderators; the sole owner cannot leave", async () => {
    expectCode(
      await chain.exec(
        bob,
        msg(MsgSetMemberRole, {
          actor: bob.address,
          communityId: 1n,
          member: carol.address,
          role: Role.MODERATOR,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
      "social",
      SocialErrors.OwnerOnly.code,
    );
    // A moderator may restrict a member's trust: UNTRUSTED members may not post links.
    await ok(
      chain.exec(
        bob,
        msg(MsgSetMemberRole, {
          actor: bob.address,
          communityId: 1n,
          member: carol.address,
          role: Role.MEMBER,
          trustLevel: TrustLevel.UNTRUSTED,
        }),
      ),
    );
    expectCode(
      await chain.exec(
        carol,
        msg(MsgCreatePost, {
          author: carol.address,
          communityId: 1n,
          title: "link",
          link: "https://example.com/x",
        }),
      ),
      "social",
      SocialErrors.LinkNotAllowed.code,
    );
    await ok(
      chain.exec(carol, msg(MsgCreatePost, { author: carol.address, communityId: 1n, title: "no link" })),
    );
    await ok(
      chain.exec(
        alice,
        msg(MsgSetMemberRole, {
          actor: alice.address,
          communityId: 1n,
          member: carol.address,
          role: Role.MEMBER,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
    );
    expectCode(
      await chain.exec(alice, msg(MsgLeaveCommunity, { member: alice.address, communityId: 1n })),
      "social",
      SocialErrors.SoleOwner.code,
    );
    expectCode(
      await chain.exec(
        alice,
        msg(MsgSetMemberRole, {
          actor: alice.address,
          communityId: 1n,
          member: alice.address,
          role: Role.MEMBER,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
      "social",
      SocialErrors.SoleOwner.code,
    );
    expectCode(
      await chain.exec(carol, msg(MsgLeaveCommunity, { member: carol.address, communityId: 3n })),
      "social",
      SocialErrors.NotMember.code,
    );
  });

  it("rules and settings: moderators set rules, only owners update the community", async () => {
    await ok(
      chain.exec(
        bob,
        msg(MsgSetCommunityRules, { actor: bob.address, communityId: 1n, rules: ["Be kind", "No spam"] }),
      ),
    );
    expectCode(
      await chain.exec(
        bob,
        msg(MsgSetCommunityRules, { actor: bob.address, communityId: 1n, rules: Array(21).fill("r") }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
    expectCode(
      await chain.exec(
        bob,
        msg(MsgUpdateCommunity, { actor: bob.address, communityId: 1n, name: "X", updateMask: ["name"] }),
      ),
      "social",
      SocialErrors.OwnerOnly.code,
    );
    await ok(
      chain.exec(
        alice,
        msg(MsgUpdateCommunity, {
          actor: alice.address,
          communityId: 1n,
          description: "All things",
          roleCapabilities: [{ role: Role.GUEST, capabilities: [Capability.LISTEN, Capability.SPEAK] }],
          updateMask: ["description", "role_capabilities"],
        }),
      ),
    );
    const c = await chain.query(Q.Community, QueryCommunityRequest, { id: 1n }, QueryCommunityResponse);
    expect(c.community?.community?.description).toBe("All things");
    expect(c.community?.community?.name).toBe("General");
    expect(c.community?.community?.rules).toEqual(["Be kind", "No spam"]);
    // Guests are UNTRUSTED: SPEAK survives the trust cap, so a guest may now post.
    expect(hasCapability(chain.store, 1n, frank.address, Capability.SPEAK)).toBe(true);
  });
});

describe("posts, comments and threads", () => {
  let post: bigint;

  it("posts with collaborators; collaborators must be registered", async () => {
    await ok(chain.exec(dave, msg(MsgJoinCommunity, { member: dave.address, communityId: 1n })));
    expectCode(
      await chain.exec(
        dave,
        msg(MsgCreatePost, {
          author: dave.address,
          communityId: 1n,
          title: "t",
          collaborators: ["vivim1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqdy2g6u"],
        }),
      ),
      "social",
      SocialErrors.InvalidField.code,
    );
    expectCode(
      await chain.exec(
        dave,
        msg(MsgCreatePost, { author: dave.address, communityId: 1n, title: "x".repeat(301) }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
    expectCode(
      await chain.exec(
        dave,
        msg(MsgCreatePost, { author: dave.address, communityId: 1n, title: "t", body: "b".repeat(40_001) }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
    expectCode(
      await chain.exec(
        dave,
        msg(MsgCreatePost, {
          author: dave.address,
          communityId: 1n,
          title: "t",
          link: "javascript:alert(1)",
        }),
      ),
      "social",
      SocialErrors.InvalidField.code,
    );
    const r = await ok(
      chain.exec(
        dave,
        msg(MsgCreatePost, {
          author: dave.address,
          communityId: 1n,
          title: "Thread",
          body: "root",
          link: "https://vivim.dev/a?b=c#d",
          collaborators: [carol.address],
        }),
      ),
    );
    post = MsgCreatePostResponse.decode(r.response!).id;
    expect(r.event(SocialEvents.PostCreated)).toEqual({
      content_id: post.toString(),
      community_id: "1",
      author: dave.address,
    });
  });

  it("threads comments depth-first, to the depth cap", async () => {
    const reply = async (who: SpecAccount, parent: bigint, body: string) => {
      const r = await ok(
        chain.exec(who, msg(MsgCreateComment, { author: who.address, parentId: parent, body })),
      );
      return MsgCreateCommentResponse.decode(r.response!);
    };
    const a = await reply(alice, post, "A");
    const b = await reply(bob, post, "B");
    const a1 = await reply(carol, a.id, "A1");
    const a1x = await reply(dave, a1.id, "A1x");
    expect(a1x.depth).toBe(3);
    expectCode(
      await chain.exec(
        alice,
        msg(MsgCreateComment, { author: alice.address, parentId: a1x.id, body: "too deep" }),
      ),
      "social",
      SocialErrors.DepthExceeded.code,
    );
    const a2 = await reply(bob, a.id, "A2");
    const b1 = await reply(alice, b.id, "B1");
    const thread = await chain.query(Q.Thread, QueryThreadRequest, { postId: post }, QueryThreadResponse);
    expect(thread.post?.title).toBe("Thread");
    expect(thread.comments.map((c) => [c.body, c.content?.depth])).toEqual([
      ["A", 1],
      ["A1", 2],
      ["A1x", 3],
      ["A2", 2],
      ["B", 1],
      ["B1", 2],
    ]);
    expect(thread.comments.map((c) => c.content?.id)).toEqual([a.id, a1.id, a1x.id, a2.id, b.id, b1.id]);
    expect(thread.post?.content?.commentCount).toBe(6n);
    expect(thread.post?.content?.replyCount).toBe(2n);
    expect(thread.comments[0]?.content?.replyCount).toBe(2n);
    // Paged with the cursor: same order.
    const first = await chain.query(
      Q.Thread,
      QueryThreadRequest,
      { postId: post, pagination: { limit: 4n } },
      QueryThreadResponse,
    );
    expect(first.comments).toHaveLength(4);
    const second = await chain.query(
      Q.Thread,
      QueryThreadRequest,
      { postId: post, pagination: { key: first.pagination!.nextKey, limit: 4n } },
      QueryThreadResponse,
    );
    expect(second.comments.map((c) => c.body)).toEqual(["B", "B1"]);
    expect(second.pagination?.nextKey.length).toBe(0);
    // Replying to someone else is an interaction reputation can see.
    expect(getInteraction(chain.store, carol.address, alice.address)!.count).toBeGreaterThanOrEqual(2n);
    expectCode(
      await chain.exec(alice, msg(MsgCreateComment, { author: alice.address, parentId: 9999n, body: "?" })),
      "social",
      SocialErrors.ContentNotFound.code,
    );
    expectCode(
      await chain.exec(
        alice,
        msg(MsgCreateComment, { author: alice.address, parentId: post, body: "x".repeat(10_001) }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
  });

  it("feeds: community and author, newest first, cursor paged", async () => {
    const feed = await chain.query(
      Q.CommunityFeed,
      QueryCommunityFeedRequest,
      { communityId: 1n, pagination: { limit: 2n } },
      QueryCommunityFeedResponse,
    );
    expect(feed.posts.map((p) => p.title)).toEqual(["Thread", "no link"]);
    expect(feed.posts[0]?.authorName).toBe("@dave");
    const next = await chain.query(
      Q.CommunityFeed,
      QueryCommunityFeedRequest,
      { communityId: 1n, pagination: { key: feed.pagination!.nextKey } },
      QueryCommunityFeedResponse,
    );
    expect(next.posts.map((p) => p.title)).toEqual(["hello", "Welcome"]);
    const mine = await chain.query(
      Q.AuthorFeed,
      QueryAuthorFeedRequest,
      { author: dave.address },
      QueryAuthorFeedResponse,
    );
    expect(mine.posts.map((p) => p.title)).toEqual(["Thread", "inside"]);
  });

  it("edits by author or collaborator only; counts edits", async () => {
    expectCode(
      await chain.exec(
        bob,
        msg(MsgEditContent, { author: bob.address, id: post, title: "hijack", body: "" }),
      ),
      "social",
      SocialErrors.NotAuthor.code,
    );
    await ok(
      chain.exec(
        carol,
        msg(MsgEditContent, { author: carol.address, id: post, title: "Thread (edited)", body: "new" }),
      ),
    );
    const c = await chain.query(Q.Content, QueryContentRequest, { id: post }, QueryContentResponse);
    expect(c.item?.title).toBe("Thread (edited)");
    expect(c.item?.link).toBe("");
    expect(c.item?.content?.editCount).toBe(1);
    expect(c.item?.content?.editedHeight).toBe(chain.lastHeight);
    expectCode(
      await chain.exec(dave, msg(MsgEditContent, { author: dave.address, id: post, title: "", body: "" })),
      "social",
      SocialErrors.InvalidField.code,
    );
  });

  it("votes: the same vote twice removes it, the opposite switches it; karma follows", async () => {
    const karma0 = getKarma(chain.store, dave.address);
    const vote = async (who: SpecAccount, direction: VoteDirection) =>
      MsgVoteResponse.decode(
        (await ok(chain.exec(who, msg(MsgVote, { voter: who.address, targetId: post, direction }))))
          .response!,
      );
    expect(await vote(alice, VoteDirection.UP)).toEqual({
      direction: VoteDirection.UP,
      upvotes: 1n,
      downvotes: 0n,
    });
    expect(getKarma(chain.store, dave.address)).toBe(karma0 + 1n);
    expect(await vote(alice, VoteDirection.UP)).toEqual({
      direction: VoteDirection.NONE,
      upvotes: 0n,
      downvotes: 0n,
    });
    expect(getKarma(chain.store, dave.address)).toBe(karma0);
    await vote(alice, VoteDirection.UP);
    expect(await vote(alice, VoteDirection.DOWN)).toEqual({
      direction: VoteDirection.DOWN,
      upvotes: 0n,
      downvotes: 1n,
    });
    expect(getKarma(chain.store, dave.address)).toBe(karma0 - 1n);
    const v = await chain.query(
      Q.Vote,
      QueryVoteRequest,
      { voter: alice.address, targetId: post },
      QueryVoteResponse,
    );
    expect(v.direction).toBe(VoteDirection.DOWN);
    expect(v.createdHeight).toBe(chain.lastHeight);
    // A vote on one's own content counts but earns no karma.
    await vote(dave, VoteDirection.UP);
    expect(getKarma(chain.store, dave.address)).toBe(karma0 - 1n);
    expect(getContent(chain.store, post)?.upvotes).toBe(1n);
    expectCode(
      await chain.exec(alice, msg(MsgVote, { voter: alice.address, targetId: post, direction: 0 })),
      "social",
      SocialErrors.InvalidField.code,
    );
  });

  it("reactions toggle; only a single emoji or a :shortcode:", async () => {
    const react = async (who: SpecAccount, emoji: string) =>
      MsgReactResponse.decode(
        (await ok(chain.exec(who, msg(MsgReact, { reactor: who.address, targetId: post, emoji })))).response!,
      );
    expect(await react(alice, "🔥")).toEqual({ added: true, count: 1n });
    expect(await react(bob, "🔥")).toEqual({ added: true, count: 2n });
    expect(await react(bob, ":rocket:")).toEqual({ added: true, count: 1n });
    expect(await react(alice, "🔥")).toEqual({ added: false, count: 1n });
    const r = await chain.query(
      Q.Reactions,
      QueryReactionsRequest,
      { targetId: post },
      QueryReactionsResponse,
    );
    // Ordered by the emoji's key: its UTF-8 length, then its bytes.
    expect(r.reactions).toEqual([
      { emoji: "🔥", count: 1n },
      { emoji: ":rocket:", count: 1n },
    ]);
    for (const bad of ["", "ab", "🔥🔥", ":Not Valid:", "x".repeat(40)])
      expectCode(
        await chain.exec(alice, msg(MsgReact, { reactor: alice.address, targetId: post, emoji: bad })),
        "social",
        SocialErrors.InvalidEmoji.code,
      );
  });

  it("deletes leave a tombstone: author or moderator only", async () => {
    expectCode(
      await chain.exec(carol, msg(MsgDeleteContent, { actor: carol.address, id: post })),
      "social",
      SocialErrors.NotAuthor.code,
    );
    const thread0 = await chain.query(Q.Thread, QueryThreadRequest, { postId: post }, QueryThreadResponse);
    const target = thread0.comments[1]!.content!; // A1 by carol
    const del = await ok(
      chain.exec(bob, msg(MsgDeleteContent, { actor: bob.address, id: target.id, reason: "off-topic" })),
    );
    expect(del.event(SocialEvents.ContentDeleted)).toMatchObject({
      content_id: target.id.toString(),
      by_moderator: "true",
    });
    const thread = await chain.query(Q.Thread, QueryThreadRequest, { postId: post }, QueryThreadResponse);
    expect(thread.comments).toHaveLength(6);
    const tomb = thread.comments[1]!;
    expect(tomb.body).toBe("");
    expect(tomb.deleteReason).toBe("off-topic");
    expect(tomb.content).toMatchObject({ deleted: true, deletedBy: bob.address, replyCount: 1n });
    expectCode(
      await chain.exec(
        alice,
        msg(MsgVote, { voter: alice.address, targetId: target.id, direction: VoteDirection.UP }),
      ),
      "social",
      SocialErrors.ContentDeleted.code,
    );
    expectCode(
      await chain.exec(bob, msg(MsgDeleteContent, { actor: bob.address, id: target.id })),
      "social",
      SocialErrors.ContentDeleted.code,
    );
    expectCode(
      await chain.exec(carol, msg(MsgEditContent, { author: carol.address, id: target.id, body: "back" })),
      "social",
      SocialErrors.ContentDeleted.code,
    );
    // A deleted post leaves the feeds.
    await ok(chain.exec(dave, msg(MsgDeleteContent, { actor: dave.address, id: post })));
    const feed = await chain.query(
      Q.CommunityFeed,
      QueryCommunityFeedRequest,
      { communityId: 1n },
      QueryCommunityFeedResponse,
    );
    expect(feed.posts.map((p) => p.content?.id)).not.toContain(post);
  });
});

describe("agents", () => {
  it("act only within the capabilities their owner granted", async () => {
    expectCode(
      await chain.exec(scout, msg(MsgCreatePost, { author: scout.address, communityId: 1n, title: "beep" })),
      "social",
      SocialErrors.AgentNotPermitted.code,
    );
    expectCode(
      await chain.exec(scout, msg(MsgFollow, { follower: scout.address, target: alice.address })),
      "social",
      SocialErrors.AgentNotPermitted.code,
    );
    const r = await ok(
      chain.exec(scout, msg(MsgCreateComment, { author: scout.address, parentId: 1n, body: "beep boop" })),
    );
    expect(r.event(SocialEvents.CommentCreated)).toMatchObject({ author: scout.address });
    const c = await chain.query(
      Q.Content,
      QueryContentRequest,
      { id: MsgCreateCommentResponse.decode(r.response!).id },
      QueryContentResponse,
    );
    expect(c.item?.authorName).toBe("@alice/scout");
    await ok(
      chain.exec(scout, msg(MsgVote, { voter: scout.address, targetId: 1n, direction: VoteDirection.UP })),
    );
  });
});

describe("follows", () => {
  it("follows and unfollows; no self-follow, no double follow", async () => {
    expectCode(
      await chain.exec(bob, msg(MsgFollow, { follower: bob.address, target: bob.address })),
      "social",
      SocialErrors.SelfFollow.code,
    );
    await ok(chain.exec(bob, msg(MsgFollow, { follower: bob.address, target: alice.address })));
    expectCode(
      await chain.exec(bob, msg(MsgFollow, { follower: bob.address, target: alice.address })),
      "social",
      SocialErrors.AlreadyFollowing.code,
    );
    const f = await chain.query(
      Q.Followers,
      QueryFollowersRequest,
      { address: alice.address },
      QueryFollowersResponse,
    );
    expect(f.total).toBe(2n);
    await ok(chain.exec(bob, msg(MsgUnfollow, { follower: bob.address, target: alice.address })));
    expectCode(
      await chain.exec(bob, msg(MsgUnfollow, { follower: bob.address, target: alice.address })),
      "social",
      SocialErrors.NotFollowing.code,
    );
  });
});

describe("rate limits", () => {
  it("refuses the action over the limit with a coded retry_after, and allows it again later", async () => {
    // frank is a guest who may speak in #general (see above); new accounts: 3 posts an hour here.
    for (let i = 0; i < 3; i++)
      await ok(
        chain.exec(frank, msg(MsgCreatePost, { author: frank.address, communityId: 1n, title: `p${i}` })),
      );
    const now = chain.time;
    const r = await chain.exec(
      frank,
      msg(MsgCreatePost, { author: frank.address, communityId: 1n, title: "one more" }),
      now,
    );
    expectCode(r, "ratelimit", 2);
    const retry = BigInt(/retry_after=(\d+)/.exec(r.log)![1]!);
    expect(retry).toBeGreaterThan(now);
    expect(retry).toBeLessThanOrEqual(now + 1200n);
    await ok(
      chain.exec(
        frank,
        msg(MsgCreatePost, { author: frank.address, communityId: 1n, title: "later" }),
        retry,
      ),
    );
  });

  it("only the authority updates params", async () => {
    const params = (await import("./params.js")).DEFAULT_SOCIAL_PARAMS;
    expectCode(
      await chain.exec(
        bob,
        msg(MsgUpdateSocialParams, { authority: bob.address, params: { ...params, authority: bob.address } }),
      ),
      "social",
      SocialErrors.InvalidAuthority.code,
    );
    await ok(
      chain.exec(
        dao,
        msg(MsgUpdateSocialParams, {
          authority: dao.address,
          params: { ...params, authority: dao.address, maxCommentDepth: 5 },
        }),
      ),
    );
    expect((await import("./params.js")).getSocialParams(chain.store).maxCommentDepth).toBe(5);
  });
});

describe("label policy", () => {
  it("defaults to ANNOTATE and accepts every policy", async () => {
    for (const labelPolicy of [
      LabelPolicy.UNSPECIFIED,
      LabelPolicy.SHOW,
      LabelPolicy.ANNOTATE,
      LabelPolicy.HIDE,
    ]) {
      const c = await chain.query(
        Q.Content,
        QueryContentRequest,
        { id: 1n, labelPolicy },
        QueryContentResponse,
      );
      expect(c.item?.hidden).toBe(false);
      expect(c.item?.title).toBe("Welcome");
    }
    const bad = await chain.queryRaw(
      Q.Content,
      QueryContentRequest.encode({ id: 1n, labelPolicy: 9 as LabelPolicy }).finish(),
    );
    expect(bad.code).toBe(18);
    const missing = await chain.queryRaw(
      Q.Content,
      QueryContentRequest.encode({ id: 12345n, labelPolicy: 0 }).finish(),
    );
    expect(missing.code).toBe(38);
  });
});

describe("governance overrides community owners", () => {
  // dao is the params authority (the gov module account on a real chain): no profile, no seat.
  it("updates any community's settings and rules, with the usual field checks", async () => {
    expectCode(
      await chain.exec(
        erin,
        msg(MsgUpdateCommunity, { actor: erin.address, communityId: 3n, name: "Mine", updateMask: ["name"] }),
      ),
      "social",
      SocialErrors.MissingCapability.code,
    );
    const r = await ok(
      chain.exec(
        dao,
        msg(MsgUpdateCommunity, {
          actor: dao.address,
          communityId: 3n,
          name: "The commons",
          visibility: Visibility.PUBLIC,
          updateMask: ["name", "visibility"],
        }),
      ),
    );
    expect(r.event(SocialEvents.CommunityUpdated)).toMatchObject({
      community_id: "3",
      actor: dao.address,
      fields: "name,visibility",
    });
    expectCode(
      await chain.exec(
        dao,
        msg(MsgUpdateCommunity, {
          actor: dao.address,
          communityId: 3n,
          name: "x".repeat(101),
          updateMask: ["name"],
        }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
    expectCode(
      await chain.exec(
        dao,
        msg(MsgUpdateCommunity, { actor: dao.address, communityId: 99n, name: "x", updateMask: ["name"] }),
      ),
      "social",
      SocialErrors.CommunityNotFound.code,
    );
    // A private community it is no member of.
    const rules = await ok(
      chain.exec(dao, msg(MsgSetCommunityRules, { actor: dao.address, communityId: 2n, rules: ["By vote"] })),
    );
    expect(rules.event(SocialEvents.CommunityRulesSet)).toMatchObject({
      community_id: "2",
      actor: dao.address,
    });
    expectCode(
      await chain.exec(
        dao,
        msg(MsgSetCommunityRules, { actor: dao.address, communityId: 2n, rules: Array(21).fill("r") }),
      ),
      "social",
      SocialErrors.FieldTooLong.code,
    );
    const c3 = await chain.query(Q.Community, QueryCommunityRequest, { id: 3n }, QueryCommunityResponse);
    expect(c3.community?.community?.name).toBe("The commons");
    const c2 = await chain.query(Q.Community, QueryCommunityRequest, { id: 2n }, QueryCommunityResponse);
    expect(c2.community?.community?.rules).toEqual(["By vote"]);
  });

  it("bans, unbans and sets roles as an owner would; owners are still not banned", async () => {
    // bob moderates #general: only an owner may ban him, and governance may.
    const ban = await ok(
      chain.exec(
        dao,
        msg(MsgBanMember, { actor: dao.address, communityId: 1n, member: bob.address, reason: "by vote" }),
      ),
    );
    expect(ban.event(SocialEvents.MemberBanned)).toMatchObject({ member: bob.address, actor: dao.address });
    expectCode(
      await chain.exec(
        dao,
        msg(MsgBanMember, { actor: dao.address, communityId: 1n, member: alice.address }),
      ),
      "social",
      SocialErrors.OwnerOnly.code,
    );
    await ok(
      chain.exec(dao, msg(MsgUnbanMember, { actor: dao.address, communityId: 1n, member: bob.address })),
    );
    expectCode(
      await chain.exec(
        dao,
        msg(MsgUnbanMember, { actor: dao.address, communityId: 1n, member: bob.address }),
      ),
      "social",
      SocialErrors.NotBanned.code,
    );
    // Hand the private #secret to dave and retire alice, its sole owner until then.
    await ok(
      chain.exec(
        dao,
        msg(MsgSetMemberRole, {
          actor: dao.address,
          communityId: 2n,
          member: dave.address,
          role: Role.OWNER,
          trustLevel: TrustLevel.OWNER,
        }),
      ),
    );
    await ok(
      chain.exec(
        dao,
        msg(MsgSetMemberRole, {
          actor: dao.address,
          communityId: 2n,
          member: alice.address,
          role: Role.MEMBER,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
    );
    expectCode(
      await chain.exec(
        dao,
        msg(MsgSetMemberRole, {
          actor: dao.address,
          communityId: 2n,
          member: dave.address,
          role: Role.MEMBER,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
      "social",
      SocialErrors.SoleOwner.code,
    );
    const m = await chain.query(
      Q.Membership,
      QueryMembershipRequest,
      { communityId: 2n, address: dave.address },
      QueryMembershipResponse,
    );
    expect(m.role).toBe(Role.OWNER);
  });

  it("is tied to the params authority: once it changes, the old one is nobody", async () => {
    const params = (await import("./params.js")).getSocialParams(chain.store);
    await ok(
      chain.exec(
        dao,
        msg(MsgUpdateSocialParams, {
          authority: dao.address,
          params: { ...params, authority: carol.address },
        }),
      ),
    );
    // dao has no profile: refused before any community check.
    expectCode(
      await chain.exec(
        dao,
        msg(MsgSetCommunityRules, { actor: dao.address, communityId: 2n, rules: ["Again"] }),
      ),
      "identity",
      IdentityErrors.NotRegistered.code,
    );
  });
});
