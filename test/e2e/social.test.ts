/**
 * The social module through the unmodified cosmjs SigningStargateClient against a real node:
 * every Msg, every rejection path with its codespace/code (missing capability, private community,
 * bans, wrong author, rate limit with retry_after, oversize fields, the depth cap, double votes,
 * self-follow), the gRPC queries over abci_query and the REST routes.
 *
 * Accounts register profiles with identity's MsgRegisterProfile first. The genesis names a separate `dao`
 * account as the social params authority (governance's role on a real chain, which overrides community
 * owners), so MsgUpdateParams can succeed and the members' own checks still apply to carol.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import {
  calculateFee,
  type DeliverTxResponse,
  GasPrice,
  QueryClient,
  type SigningStargateClient,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { loadGenesis } from "../../chain/config/genesis.js";
import { initHome } from "../../chain/config/home.js";
import { validatorsFromGenesis } from "../../chain/light/trusted.js";
import { type EventProofBundle, provenEvent, verifyEventBundle } from "../../chain/light/verify-event.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  connectVivim,
  DEFAULT_SOCIAL_PARAMS,
  IdentityErrors,
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
  MsgRegisterProfile,
  MsgSetCommunityRules,
  MsgSetMemberRole,
  MsgUnbanMember,
  MsgUnfollow,
  MsgUpdateCommunity,
  MsgUpdateSocialParams,
  MsgVote,
  MsgVoteResponse,
  msgResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryThreadRequest,
  QueryThreadResponse,
  Role,
  SOCIAL_QUERY_PATHS,
  SocialErrors,
  SocialEvents,
  TrustLevel,
  Visibility,
  type VivimEncodeObject,
  VoteDirection,
  vivimMsg,
} from "../../client/index.js";
import {
  FUNDS,
  fastConfig,
  startTestNode,
  TEST_MNEMONICS,
  type TestAccount,
  type TestNode,
  testAccount,
} from "../support/node.js";
import { codeOf, committed, type Outcome, txOutcome } from "../support/tx-outcome.js";

const CHAIN_ID = "vivim-test-1";
const PRICE = GasPrice.fromString("0.025uvivim");
const FEE = calculateFee(600_000, PRICE);
const BIG_FEE = calculateFee(8_000_000, PRICE);
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const EXTRA_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

type Body = Record<string, unknown>;

const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });
const RATE_LIMITED = { codespace: "ratelimit", code: 2 };

describe("social module through cosmjs", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;
  let dave: TestAccount;
  let erin: TestAccount;
  /** The social params authority (governance's account on a real chain), a member of nothing. */
  let dao: TestAccount;
  const clients = new Map<string, SigningStargateClient>();
  let general: bigint;
  let secret: bigint;
  let post: bigint;

  beforeAll(async () => {
    const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
    [alice, bob, carol] = accounts as [TestAccount, TestAccount, TestAccount];
    const extra = await DirectSecp256k1HdWallet.fromMnemonic(EXTRA_MNEMONIC, {
      prefix: "vivim",
      hdPaths: [makeCosmoshubPath(0), makeCosmoshubPath(1), makeCosmoshubPath(2)],
    });
    const extraAccounts = await extra.getAccounts();
    dave = { mnemonic: EXTRA_MNEMONIC, address: extraAccounts[0]!.address, wallet: extra };
    erin = { mnemonic: EXTRA_MNEMONIC, address: extraAccounts[1]!.address, wallet: extra };
    dao = { mnemonic: EXTRA_MNEMONIC, address: extraAccounts[2]!.address, wallet: extra };
    const funded = [...accounts.map((a) => a.address), dave.address, erin.address, dao.address];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-social-e2e-"));
    const config = fastConfig();
    initHome({
      home,
      moniker: "test-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: {
        ...devnetAppState(funded.map((address) => ({ address, amount: FUNDS }))),
        social: { params: { authority: dao.address } },
      },
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    for (const a of accounts) clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, POLL));
    const extraClient = await connectVivim(net.rpcUrl, extra, POLL);
    clients.set(dave.address, extraClient);
    clients.set(erin.address, extraClient);
    clients.set(dao.address, extraClient);
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    for (const c of new Set(clients.values())) c.disconnect();
    comet?.disconnect();
    await api?.stop();
    await net?.stop();
  });

  async function send(from: string, msgs: VivimEncodeObject<unknown>[], fee = FEE): Promise<Outcome> {
    return txOutcome(clients.get(from)!, comet, from, msgs, fee);
  }

  async function ok(from: string, ...msgs: VivimEncodeObject<unknown>[]): Promise<DeliverTxResponse> {
    return committed(await send(from, msgs));
  }

  async function refused(
    from: string,
    msg: VivimEncodeObject<unknown>,
  ): Promise<{ codespace: string; code: number }> {
    return codeOf(await send(from, [msg]));
  }

  async function query<T>(p: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
    const res = await QueryClient.withExtensions(comet).queryAbci(p, data);
    return decode(res.value);
  }

  async function get(p: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  }

  const attrs = (r: DeliverTxResponse, type: string) =>
    Object.fromEntries(r.events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);

  it("refuses social writes from unregistered accounts, then accounts register profiles", async () => {
    expect(
      await refused(dave.address, vivimMsg(MsgFollow, { follower: dave.address, target: alice.address })),
    ).toEqual(coded(IdentityErrors.NotRegistered));
    const people: Array<[TestAccount, string]> = [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
      [dave, "dave"],
      [erin, "erin"],
    ];
    // dave and erin share a client (one HD wallet): their txs go in turn.
    await Promise.all(
      people
        .slice(0, 3)
        .map(([a, handle]) =>
          ok(a.address, vivimMsg(MsgRegisterProfile, { creator: a.address, handle, displayName: handle })),
        ),
    );
    for (const [a, handle] of people.slice(3))
      await ok(a.address, vivimMsg(MsgRegisterProfile, { creator: a.address, handle, displayName: handle }));
  });

  it("creates communities; slugs are unique; new accounts create one a day", async () => {
    const r = await ok(
      alice.address,
      vivimMsg(MsgCreateCommunity, {
        creator: alice.address,
        slug: "general",
        name: "General",
        description: "Everything VIVIM",
        rules: ["Be kind"],
        visibility: Visibility.PUBLIC,
      }),
    );
    general = msgResponse(r, MsgCreateCommunityResponse).communityId;
    expect(attrs(r, SocialEvents.CommunityCreated)).toMatchObject({
      community_id: String(general),
      slug: "general",
    });
    const s = await ok(
      bob.address,
      vivimMsg(MsgCreateCommunity, {
        creator: bob.address,
        slug: "secret",
        name: "Secret",
        visibility: Visibility.PRIVATE,
      }),
    );
    secret = msgResponse(s, MsgCreateCommunityResponse).communityId;
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgCreateCommunity, {
          creator: carol.address,
          slug: "general",
          name: "Mine",
          visibility: Visibility.PUBLIC,
        }),
      ),
    ).toEqual(coded(SocialErrors.SlugTaken));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgCreateCommunity, {
          creator: carol.address,
          slug: "No Caps",
          name: "x",
          visibility: Visibility.PUBLIC,
        }),
      ),
    ).toEqual(coded(SocialErrors.InvalidField));
    // Rate limit: alice's account is new, so one community a day; the refusal says when to retry.
    const limited = await send(alice.address, [
      vivimMsg(MsgCreateCommunity, {
        creator: alice.address,
        slug: "second",
        name: "Second",
        visibility: Visibility.PUBLIC,
      }),
    ]);
    expect(coded(limited)).toEqual(RATE_LIMITED);
    const retryAfter = Number(/retry_after=(\d+)/.exec(limited.log)?.[1]);
    const now = Math.floor(Date.now() / 1000);
    expect(retryAfter).toBeGreaterThan(now);
    expect(retryAfter).toBeLessThanOrEqual(now + 86_400 + 60);
  });

  it("joins, invites and private communities", async () => {
    await Promise.all(
      [bob, carol].map((a) =>
        ok(a.address, vivimMsg(MsgJoinCommunity, { member: a.address, communityId: general })),
      ),
    );
    await ok(dave.address, vivimMsg(MsgJoinCommunity, { member: dave.address, communityId: general }));
    expect(
      await refused(dave.address, vivimMsg(MsgJoinCommunity, { member: dave.address, communityId: general })),
    ).toEqual(coded(SocialErrors.AlreadyMember));
    expect(
      await refused(dave.address, vivimMsg(MsgJoinCommunity, { member: dave.address, communityId: secret })),
    ).toEqual(coded(SocialErrors.NotInvited));
    expect(
      await refused(
        dave.address,
        vivimMsg(MsgCreatePost, { author: dave.address, communityId: secret, title: "let me in" }),
      ),
    ).toEqual(coded(SocialErrors.NotMember));
    await ok(
      bob.address,
      vivimMsg(MsgInviteMember, { actor: bob.address, communityId: secret, invitee: carol.address }),
    );
    await ok(carol.address, vivimMsg(MsgJoinCommunity, { member: carol.address, communityId: secret }));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgInviteMember, { actor: carol.address, communityId: secret, invitee: dave.address }),
      ),
    ).toEqual(coded(SocialErrors.MissingCapability));
    await ok(
      bob.address,
      vivimMsg(MsgInviteMember, { actor: bob.address, communityId: secret, invitee: dave.address }),
    );
    await ok(dave.address, vivimMsg(MsgJoinCommunity, { member: dave.address, communityId: secret }));
    await ok(
      dave.address,
      vivimMsg(MsgCreatePost, { author: dave.address, communityId: secret, title: "inside" }),
    );
    await ok(dave.address, vivimMsg(MsgLeaveCommunity, { member: dave.address, communityId: secret }));
    expect(
      await refused(bob.address, vivimMsg(MsgLeaveCommunity, { member: bob.address, communityId: secret })),
    ).toEqual(coded(SocialErrors.SoleOwner));
  });

  it("roles, trust levels, rules and settings", async () => {
    await ok(
      alice.address,
      vivimMsg(MsgSetMemberRole, {
        actor: alice.address,
        communityId: general,
        member: bob.address,
        role: Role.MODERATOR,
        trustLevel: TrustLevel.LOCAL,
      }),
    );
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgSetMemberRole, {
          actor: bob.address,
          communityId: general,
          member: carol.address,
          role: Role.MODERATOR,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
    ).toEqual(coded(SocialErrors.OwnerOnly));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgSetMemberRole, {
          actor: carol.address,
          communityId: general,
          member: dave.address,
          role: Role.GUEST,
          trustLevel: TrustLevel.LOCAL,
        }),
      ),
    ).toEqual(coded(SocialErrors.MissingCapability));
    // A moderator restricts dave to UNTRUSTED: no links, then gives LOCAL trust back.
    await ok(
      bob.address,
      vivimMsg(MsgSetMemberRole, {
        actor: bob.address,
        communityId: general,
        member: dave.address,
        role: Role.MEMBER,
        trustLevel: TrustLevel.UNTRUSTED,
      }),
    );
    expect(
      await refused(
        dave.address,
        vivimMsg(MsgCreatePost, {
          author: dave.address,
          communityId: general,
          title: "spam?",
          link: "https://example.com",
        }),
      ),
    ).toEqual(coded(SocialErrors.LinkNotAllowed));
    await ok(
      bob.address,
      vivimMsg(MsgSetMemberRole, {
        actor: bob.address,
        communityId: general,
        member: dave.address,
        role: Role.MEMBER,
        trustLevel: TrustLevel.LOCAL,
      }),
    );
    await ok(
      bob.address,
      vivimMsg(MsgSetCommunityRules, {
        actor: bob.address,
        communityId: general,
        rules: ["Be kind", "No spam"],
      }),
    );
    expect(
      await refused(
        dave.address,
        vivimMsg(MsgSetCommunityRules, { actor: dave.address, communityId: general, rules: [] }),
      ),
    ).toEqual(coded(SocialErrors.MissingCapability));
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgSetCommunityRules, {
          actor: bob.address,
          communityId: general,
          rules: ["r".repeat(281)],
        }),
      ),
    ).toEqual(coded(SocialErrors.FieldTooLong));
    await ok(
      alice.address,
      vivimMsg(MsgUpdateCommunity, {
        actor: alice.address,
        communityId: general,
        name: "General chat",
        updateMask: ["name"],
      }),
    );
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgUpdateCommunity, {
          actor: bob.address,
          communityId: general,
          name: "Mine",
          updateMask: ["name"],
        }),
      ),
    ).toEqual(coded(SocialErrors.OwnerOnly));
    expect(
      await refused(
        alice.address,
        vivimMsg(MsgLeaveCommunity, { member: alice.address, communityId: general }),
      ),
    ).toEqual(coded(SocialErrors.SoleOwner));
  });

  it("posts: capability, sizes, collaborators; the creating event names the content id", async () => {
    expect(
      await refused(
        erin.address,
        vivimMsg(MsgCreatePost, { author: erin.address, communityId: general, title: "hi" }),
      ),
    ).toEqual(coded(SocialErrors.MissingCapability));
    expect(
      await refused(
        dave.address,
        vivimMsg(MsgCreatePost, { author: dave.address, communityId: general, title: "t".repeat(301) }),
      ),
    ).toEqual(coded(SocialErrors.FieldTooLong));
    const big = await send(
      dave.address,
      [
        vivimMsg(MsgCreatePost, {
          author: dave.address,
          communityId: general,
          title: "big",
          body: "b".repeat(40_001),
        }),
      ],
      BIG_FEE,
    );
    expect(coded(big)).toEqual(coded(SocialErrors.FieldTooLong));
    const r = await ok(
      dave.address,
      vivimMsg(MsgCreatePost, {
        author: dave.address,
        communityId: general,
        title: "Agents and humans",
        body: "What should **VIVIM** build first?",
        link: "https://vivim.dev/roadmap",
        collaborators: [carol.address],
      }),
    );
    post = msgResponse(r, MsgCreatePostResponse).id;
    expect(attrs(r, SocialEvents.PostCreated)).toEqual({
      content_id: String(post),
      community_id: String(general),
      author: dave.address,
    });

    // The post with its proof: the app API hands out the bundle, anyone checks it offline against
    // the genesis validators.
    const proofUrl = `${base}/vivim/proofs/v1/events?height=${r.height}&type=${SocialEvents.PostCreated}&attr=content_id=${post}`;
    const bundle = (await (await fetch(proofUrl)).json()) as EventProofBundle;
    const genesis = loadGenesis(path.join(net.home, "config", "genesis.json"), {
      validateAppState: () => {},
    });
    const verified = verifyEventBundle(bundle, validatorsFromGenesis(genesis), { chainId: genesis.chain_id });
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(provenEvent(bundle).event.attributes).toContainEqual({
      key: "content_id",
      value: String(post),
      index: true,
    });
    const forged = {
      ...bundle,
      claim: { type: SocialEvents.PostCreated, attributes: { content_id: String(post + 1n) } },
    };
    expect(verifyEventBundle(forged, validatorsFromGenesis(genesis)).ok).toBe(false);
    const missing = await fetch(
      `${base}/vivim/proofs/v1/events?height=${r.height}&type=${SocialEvents.PostCreated}&attr=content_id=999999`,
    );
    expect(missing.status).toBe(404);
    expect((await fetch(`${base}/vivim/proofs/v1/events?height=0&type=x&attr=a=b`)).status).toBe(400);
  });

  it("threads comments to the depth cap (64 by default)", async () => {
    // Content ids are sequential: 32 replies in one tx each answer the one before.
    const chain = (author: string, first: bigint, parent: bigint) =>
      Array.from({ length: 32 }, (_, i) =>
        vivimMsg(MsgCreateComment, {
          author,
          parentId: i === 0 ? parent : first + BigInt(i - 1),
          body: `level by ${author.slice(-4)}`,
        }),
      );
    const firstId = post + 1n;
    const a = await send(alice.address, chain(alice.address, firstId, post), BIG_FEE);
    expect(a.log).toBe("");
    expect(msgResponse(a.result!, MsgCreateCommentResponse, 31)).toEqual({
      id: firstId + 31n,
      postId: post,
      depth: 32,
    });
    const b = await send(bob.address, chain(bob.address, firstId + 32n, firstId + 31n), BIG_FEE);
    expect(b.log).toBe("");
    const deepest = msgResponse(b.result!, MsgCreateCommentResponse, 31);
    expect(deepest.depth).toBe(64);
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgCreateComment, { author: carol.address, parentId: deepest.id, body: "too deep" }),
      ),
    ).toEqual(coded(SocialErrors.DepthExceeded));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgCreateComment, { author: carol.address, parentId: post, body: "c".repeat(10_001) }),
      ),
    ).toEqual(coded(SocialErrors.FieldTooLong));
    const c = await ok(
      carol.address,
      vivimMsg(MsgCreateComment, { author: carol.address, parentId: post, body: "Second top-level" }),
    );
    const top2 = msgResponse(c, MsgCreateCommentResponse).id;
    expect(attrs(c, SocialEvents.CommentCreated)).toMatchObject({
      content_id: String(top2),
      post_id: String(post),
      parent_id: String(post),
    });

    const thread = await query(
      SOCIAL_QUERY_PATHS.Thread,
      QueryThreadRequest.encode(
        QueryThreadRequest.fromPartial({ postId: post, pagination: { limit: 100n } }),
      ).finish(),
      QueryThreadResponse.decode,
    );
    expect(thread.comments.map((x) => x.content?.depth)).toEqual([
      ...Array.from({ length: 64 }, (_, i) => i + 1),
      1,
    ]);
    expect(thread.comments[64]?.content?.id).toBe(top2);
    expect(thread.post?.content?.commentCount).toBe(65n);
  });

  it("votes: the same vote twice removes it, the opposite switches it", async () => {
    const vote = async (direction: VoteDirection) =>
      msgResponse(
        await ok(carol.address, vivimMsg(MsgVote, { voter: carol.address, targetId: post, direction })),
        MsgVoteResponse,
      );
    expect(await vote(VoteDirection.UP)).toEqual({ direction: VoteDirection.UP, upvotes: 1n, downvotes: 0n });
    expect(await vote(VoteDirection.UP)).toEqual({
      direction: VoteDirection.NONE,
      upvotes: 0n,
      downvotes: 0n,
    });
    await vote(VoteDirection.UP);
    expect(await vote(VoteDirection.DOWN)).toEqual({
      direction: VoteDirection.DOWN,
      upvotes: 0n,
      downvotes: 1n,
    });
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgVote, { voter: carol.address, targetId: post, direction: VoteDirection.NONE }),
      ),
    ).toEqual(coded(SocialErrors.InvalidField));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgVote, { voter: carol.address, targetId: 999_999n, direction: VoteDirection.UP }),
      ),
    ).toEqual(coded(SocialErrors.ContentNotFound));
    const rest = await get(`/vivim/social/v1/content/${post}/votes/${carol.address}`);
    expect(rest.body).toMatchObject({ direction: "VOTE_DIRECTION_DOWN" });
  });

  it("reactions toggle and must be one emoji or a :shortcode:", async () => {
    const react = async (emoji: string) =>
      msgResponse(
        await ok(bob.address, vivimMsg(MsgReact, { reactor: bob.address, targetId: post, emoji })),
        MsgReactResponse,
      );
    expect(await react("🚀")).toEqual({ added: true, count: 1n });
    expect(await react(":tada:")).toEqual({ added: true, count: 1n });
    expect(await react("🚀")).toEqual({ added: false, count: 0n });
    expect(
      await refused(bob.address, vivimMsg(MsgReact, { reactor: bob.address, targetId: post, emoji: "nice" })),
    ).toEqual(coded(SocialErrors.InvalidEmoji));
    const rest = await get(`/vivim/social/v1/content/${post}/reactions`);
    expect(rest.body.reactions).toEqual([{ emoji: ":tada:", count: "1" }]);
  });

  it("edits by the author or a collaborator; deletes by the author or a moderator", async () => {
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgEditContent, { author: bob.address, id: post, title: "mine now", body: "" }),
      ),
    ).toEqual(coded(SocialErrors.NotAuthor));
    await ok(
      carol.address,
      vivimMsg(MsgEditContent, {
        author: carol.address,
        id: post,
        title: "Agents and humans (v2)",
        body: "Edited",
        link: "",
      }),
    );
    const edited = await query(
      SOCIAL_QUERY_PATHS.Content,
      QueryContentRequest.encode({ id: post, labelPolicy: 0 }).finish(),
      QueryContentResponse.decode,
    );
    expect(edited.item).toMatchObject({
      title: "Agents and humans (v2)",
      body: "Edited",
      link: "",
      authorName: "@dave",
    });
    expect(edited.item?.content?.editCount).toBe(1);

    const victim = post + 65n; // carol's second top-level comment
    expect(
      await refused(erin.address, vivimMsg(MsgDeleteContent, { actor: erin.address, id: victim })),
    ).toEqual(coded(SocialErrors.NotAuthor));
    const del = await ok(
      bob.address,
      vivimMsg(MsgDeleteContent, { actor: bob.address, id: victim, reason: "duplicate" }),
    );
    expect(attrs(del, SocialEvents.ContentDeleted)).toMatchObject({
      content_id: String(victim),
      by_moderator: "true",
    });
    const tomb = await get(`/vivim/social/v1/content/${victim}`);
    expect(tomb.body.item).toMatchObject({ body: "", delete_reason: "duplicate" });
    expect((tomb.body.item as Body).content).toMatchObject({ deleted: true, deleted_by: bob.address });
    expect(
      await refused(carol.address, vivimMsg(MsgDeleteContent, { actor: carol.address, id: victim })),
    ).toEqual(coded(SocialErrors.ContentDeleted));
  });

  it("bans: a banned account cannot take part until unbanned", async () => {
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgBanMember, { actor: bob.address, communityId: general, member: alice.address }),
      ),
    ).toEqual(coded(SocialErrors.OwnerOnly));
    await ok(
      bob.address,
      vivimMsg(MsgBanMember, {
        actor: bob.address,
        communityId: general,
        member: erin.address,
        reason: "spam",
      }),
    );
    expect(
      await refused(erin.address, vivimMsg(MsgJoinCommunity, { member: erin.address, communityId: general })),
    ).toEqual(coded(SocialErrors.Banned));
    expect(
      await refused(
        erin.address,
        vivimMsg(MsgVote, { voter: erin.address, targetId: post, direction: VoteDirection.UP }),
      ),
    ).toEqual(coded(SocialErrors.Banned));
    const m = await get(`/vivim/social/v1/communities/${general}/members/${erin.address}`);
    expect(m.body).toMatchObject({ banned: true, capabilities: [] });
    await ok(
      bob.address,
      vivimMsg(MsgUnbanMember, { actor: bob.address, communityId: general, member: erin.address }),
    );
    expect(
      await refused(
        bob.address,
        vivimMsg(MsgUnbanMember, { actor: bob.address, communityId: general, member: erin.address }),
      ),
    ).toEqual(coded(SocialErrors.NotBanned));
    await ok(erin.address, vivimMsg(MsgJoinCommunity, { member: erin.address, communityId: general }));
    await ok(
      erin.address,
      vivimMsg(MsgVote, { voter: erin.address, targetId: post, direction: VoteDirection.UP }),
    );
  });

  it("follows: no self-follow, no double follow", async () => {
    expect(
      await refused(dave.address, vivimMsg(MsgFollow, { follower: dave.address, target: dave.address })),
    ).toEqual(coded(SocialErrors.SelfFollow));
    const f = await ok(dave.address, vivimMsg(MsgFollow, { follower: dave.address, target: alice.address }));
    expect(attrs(f, SocialEvents.Followed)).toEqual({ follower: dave.address, target: alice.address });
    expect(
      await refused(dave.address, vivimMsg(MsgFollow, { follower: dave.address, target: alice.address })),
    ).toEqual(coded(SocialErrors.AlreadyFollowing));
    await ok(erin.address, vivimMsg(MsgFollow, { follower: erin.address, target: alice.address }));
    const followers = await get(`/vivim/social/v1/accounts/${alice.address}/followers`);
    expect(followers.body.total).toBe("2");
    expect((followers.body.follows as Body[]).map((x) => x.follower).sort()).toEqual(
      [dave.address, erin.address].sort(),
    );
    await ok(dave.address, vivimMsg(MsgUnfollow, { follower: dave.address, target: alice.address }));
    expect(
      await refused(dave.address, vivimMsg(MsgUnfollow, { follower: dave.address, target: alice.address })),
    ).toEqual(coded(SocialErrors.NotFollowing));
  });

  it("params change only through the authority", async () => {
    const params = { ...DEFAULT_SOCIAL_PARAMS, authority: dao.address, maxCommentDepth: 70 };
    expect(
      await refused(alice.address, vivimMsg(MsgUpdateSocialParams, { authority: alice.address, params })),
    ).toEqual(coded(SocialErrors.InvalidAuthority));
    expect(
      await refused(
        dao.address,
        vivimMsg(MsgUpdateSocialParams, {
          authority: dao.address,
          params: { ...params, maxCommentDepth: 500 },
        }),
      ),
    ).toEqual(coded(SocialErrors.InvalidField));
    await ok(dao.address, vivimMsg(MsgUpdateSocialParams, { authority: dao.address, params }));
    const rest = await get("/vivim/social/v1/params");
    expect(rest.body.params).toMatchObject({ authority: dao.address, max_comment_depth: 70 });
  });

  it("serves communities, feeds and threads over REST in gateway JSON", async () => {
    const c = await get("/vivim/social/v1/communities/general");
    expect(c.status).toBe(200);
    expect(c.body.community).toMatchObject({ member_count: "5" });
    expect((c.body.community as Body).community).toMatchObject({
      slug: "general",
      name: "General chat",
      visibility: "VISIBILITY_PUBLIC",
      retention: "RETENTION_TIER_FEEDS",
      rules: ["Be kind", "No spam"],
    });
    const list = await get("/vivim/social/v1/communities?pagination.limit=1");
    expect((list.body.communities as Body[]).length).toBe(1);
    expect(list.body.pagination).toMatchObject({ next_key: expect.any(String) });

    const feed = await get(`/vivim/social/v1/communities/${general}/feed?label_policy=HIDE`);
    const posts = feed.body.posts as Body[];
    expect(posts[0]).toMatchObject({ title: "Agents and humans (v2)", author_name: "@dave", hidden: false });
    expect((posts[0]!.content as Body).id).toBe(String(post));
    expect((posts[0]!.content as Body).created_height).toMatch(/^[1-9]\d*$/);
    const authorFeed = await get(`/vivim/social/v1/authors/${dave.address}/feed`);
    expect((authorFeed.body.posts as Body[]).map((p) => p.title)).toEqual([
      "Agents and humans (v2)",
      "inside",
    ]);

    const page1 = await get(`/vivim/social/v1/threads/${post}?pagination.limit=10`);
    expect((page1.body.comments as Body[]).length).toBe(10);
    const key = encodeURIComponent((page1.body.pagination as Body).next_key as string);
    const page2 = await get(`/vivim/social/v1/threads/${post}?pagination.limit=10&pagination.key=${key}`);
    expect(((page2.body.comments as Body[])[0]!.content as Body).depth).toBe(11);

    const membership = await get(`/vivim/social/v1/communities/${general}/members/${bob.address}`);
    expect(membership.body).toMatchObject({ role: "ROLE_MODERATOR", trust_level: "TRUST_LEVEL_LOCAL" });
    expect(membership.body.capabilities).toContain("CAPABILITY_MODERATE");
    const members = await get(`/vivim/social/v1/communities/${general}/members`);
    expect((members.body.members as Body[]).length).toBe(5);

    expect((await get("/vivim/social/v1/content/424242")).status).toBe(404);
    expect((await get("/vivim/social/v1/communities/no-such-place")).status).toBe(404);
    expect((await get(`/vivim/social/v1/threads/${post}?label_policy=LOUD`)).status).toBe(400);
    expect((await get(`/vivim/social/v1/threads/${post}?pagination.limit=101`)).status).toBe(400);
  });
});
