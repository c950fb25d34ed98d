/**
 * The MCP write tools over Streamable HTTP with the SDK's own Client against a real node: each
 * tool's effect read back from the chain, the agent policy (capabilities, approval by elicitation),
 * community capability pre-checks, bad arguments, chain refusals, the unsigned flow through
 * broadcast_signed_tx, and the per-key rate limit.
 */
import { fromBase64 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SignDoc, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { vivimMsg } from "../../client/connect.js";
import { QueryBountyRequest, QueryBountyResponse } from "../../contracts/escrow/query.js";
import { BountyStatus } from "../../contracts/escrow/records.js";
import { QueryAgentByNameRequest, QueryAgentByNameResponse } from "../../contracts/identity/query.js";
import { MsgUpdateAgent } from "../../contracts/identity/tx.js";
import {
  QueryAttestationsRequest,
  QueryAttestationsResponse,
  QueryRatingRequest,
  QueryRatingResponse,
} from "../../contracts/reputation/query.js";
import { SOCIAL_QUERY_PATHS as Q } from "../../contracts/social/query.js";
import {
  QueryFollowingRequest,
  QueryFollowingResponse,
  QueryReactionsRequest,
  QueryReactionsResponse,
} from "../../contracts/social/query-types.js";
import { communityBySlug, membership } from "../../mcp-server/chain/lookups.js";
import { DEFAULT_RATE_LIMITS } from "../../mcp-server/safety/rate-limit.js";
import { type McpTestNet, startMcpTestNet, structured, toolErrorOf } from "../support/mcp.js";

type Result = CallToolResult | Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tool results are checked field by field with expect().
type Loose = Record<string, any>;
type Details = { code: string; message: string } & Record<string, unknown>;

const call = (client: Client, name: string, args: Record<string, unknown>): Promise<Result> =>
  client.callTool({ name, arguments: args });

async function ok<T = Loose>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  return structured<T>(await call(client, name, args));
}

async function fails(client: Client, name: string, args: Record<string, unknown>): Promise<Details> {
  return toolErrorOf(await call(client, name, args)) as Details;
}

const WRITE_TOOLS = [
  "create_post",
  "comment",
  "vote",
  "react",
  "edit_content",
  "delete_content",
  "follow",
  "unfollow",
  "create_community",
  "join_community",
  "leave_community",
  "set_community_rules",
  "rate",
  "attest",
  "create_bounty",
  "submit_work",
  "accept_work",
  "tip",
  "broadcast_signed_tx",
];

describe("MCP write tools", () => {
  let net: McpTestNet;
  let alice: Client;
  let bob: Client;
  let carol: Client;
  let scout: Client;
  /** A post of alice's in #general that the content tests reply to and vote on. */
  let postId: string;

  /** Fresh keys for each test: a key's write budget (10 at once by default) is not what these tests are about. */
  async function connectAll(): Promise<void> {
    const connect = (name: string) => net.connect(net.key(name, ["social"]));
    [alice, bob, carol, scout] = await Promise.all([
      connect("alice"),
      connect("bob"),
      connect("carol"),
      connect("scout"),
    ]);
  }

  const reader = () => net.services.reader;
  const thread = (id: string) => ok<{ post: Loose; comments: Loose[] }>(alice, "get_thread", { postId: id });

  async function balance(name: string): Promise<bigint> {
    const r = await reader().comet.abciQuery({
      path: "/cosmos.bank.v1beta1.Query/Balance",
      data: QueryBalanceRequest.encode({ address: net.address(name), denom: "uvivim" }).finish(),
    });
    return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? "0");
  }

  async function sequence(name: string): Promise<bigint> {
    const r = await reader().comet.abciQuery({
      path: "/cosmos.auth.v1beta1.Query/Account",
      data: QueryAccountRequest.encode({ address: net.address(name) }).finish(),
    });
    const any = QueryAccountResponse.decode(r.value).account!;
    return BaseAccount.decode(any.value).sequence;
  }

  beforeAll(async () => {
    net = await startMcpTestNet();
    await connectAll();
    postId = (
      await ok<{ postId: string }>(alice, "create_post", {
        community: "general",
        title: "Write tools",
        body: "Reply here.",
      })
    ).postId;
  });
  beforeEach(connectAll);
  afterAll(async () => {
    await net?.stop();
  });

  it("lists every write tool with input and output schemas", async () => {
    const { tools } = await (await net.connect(net.key("alice", []))).listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of WRITE_TOOLS) {
      const tool = byName.get(name);
      expect(tool, name).toBeDefined();
      expect(tool!.inputSchema.type).toBe("object");
      expect(tool!.outputSchema?.type).toBe("object");
      expect(tool!.annotations?.readOnlyHint).toBe(false);
    }
  });

  it("comment, vote and react land on chain and read back in the thread", async () => {
    const c1 = await ok(carol, "comment", { postId, body: "First!" });
    expect(c1).toMatchObject({ status: "committed", postId, depth: 1 });
    const c2 = await ok(bob, "comment", { parentId: c1.commentId, body: "Second, under carol." });
    expect(c2).toMatchObject({ status: "committed", postId, depth: 2 });

    expect(await ok(bob, "vote", { targetId: postId, direction: "up" })).toMatchObject({
      direction: "up",
      upvotes: 1,
      downvotes: 0,
    });
    // The chain toggles: the same vote again removes it; the other direction switches it.
    expect(await ok(bob, "vote", { targetId: postId, direction: "up" })).toMatchObject({
      direction: "none",
      upvotes: 0,
    });
    expect(await ok(bob, "vote", { targetId: postId, direction: "down" })).toMatchObject({
      direction: "down",
      downvotes: 1,
    });

    expect(await ok(carol, "react", { targetId: c2.commentId, emoji: "🔥" })).toMatchObject({
      added: true,
      count: 1,
    });
    const reactions = await reader().query(
      Q.Reactions,
      QueryReactionsRequest,
      { targetId: BigInt(c2.commentId) },
      QueryReactionsResponse,
    );
    expect(reactions.reactions).toEqual([{ emoji: "🔥", count: 1n }]);

    const t = await thread(postId);
    expect(t.post).toMatchObject({ upvotes: 0, downvotes: 1, comments: 2 });
    const byId = new Map(t.comments.map((c) => [c.id, c]));
    expect(byId.get(c1.commentId)).toMatchObject({
      parentId: postId,
      depth: 1,
      body: { text: "First!", untrusted: true },
    });
    expect(byId.get(c2.commentId)).toMatchObject({ parentId: c1.commentId, author: { name: "@bob" } });
  });

  it("edit_content keeps the fields it is not given; delete_content leaves a tombstone", async () => {
    const own = await ok<{ postId: string }>(bob, "create_post", {
      community: "general",
      title: "Draft",
      body: "v1",
    });
    expect(await ok(bob, "edit_content", { id: own.postId, body: "v2" })).toMatchObject({
      status: "committed",
      id: own.postId,
    });
    let t = await thread(own.postId);
    expect(t.post).toMatchObject({ edited: true, title: { text: "Draft" }, body: { text: "v2" } });

    const reply = await ok(carol, "comment", { postId: own.postId, body: "typo" });
    expect((await fails(carol, "edit_content", { id: reply.commentId, title: "x" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect((await fails(carol, "edit_content", { id: own.postId, body: "mine now" })).code).toBe(
      "NOT_PERMITTED",
    );
    // Someone else's content is moderation: a social-only key may not delete it.
    expect((await fails(carol, "delete_content", { id: own.postId })).code).toBe("FORBIDDEN_SCOPE");

    expect(await ok(carol, "delete_content", { id: reply.commentId, reason: "never mind" })).toMatchObject({
      status: "committed",
      asModerator: false,
    });
    t = await thread(own.postId);
    expect(t.comments.find((c) => c.id === reply.commentId)).toMatchObject({
      deleted: true,
      body: { text: "" },
    });
  });

  it("follow and unfollow change the graph; a repeated follow is a coded chain refusal", async () => {
    const following = async () =>
      (
        await reader().query(
          Q.Following,
          QueryFollowingRequest,
          { address: net.address("carol") },
          QueryFollowingResponse,
        )
      ).follows.map((f) => f.target);
    expect(await ok(carol, "follow", { target: "@bob" })).toMatchObject({
      status: "committed",
      target: net.address("bob"),
    });
    expect(await following()).toContain(net.address("bob"));

    const refused = await fails(carol, "follow", { target: "@bob" });
    expect(refused.code).toBe("CHAIN_REFUSED");
    expect(refused.codespace).toBe("social");
    expect(refused.chainCode).toEqual(expect.any(Number));
    expect(refused.message).toMatch(/already/i);

    await ok(carol, "unfollow", { target: net.address("bob") });
    expect(await following()).not.toContain(net.address("bob"));
    expect((await fails(carol, "follow", { target: "@carol" })).code).toBe("INVALID_ARGUMENT");
    expect((await fails(carol, "follow", { target: "@nobody_here" })).code).toBe("NOT_FOUND");
  });

  it("creates, joins, leaves and sets the rules of a community", async () => {
    const created = await ok(carol, "create_community", {
      slug: "#mcp-lab",
      name: "MCP Lab",
      description: "Agents trying tools.",
      rules: ["Be nice."],
      visibility: "public",
    });
    expect(created).toMatchObject({ status: "committed", slug: "mcp-lab", communityId: expect.any(String) });
    const lab = (await communityBySlug(reader(), "mcp-lab")).community!;
    expect(lab).toMatchObject({
      id: BigInt(created.communityId),
      creator: net.address("carol"),
      rules: ["Be nice."],
    });

    await ok(bob, "join_community", { community: "mcp-lab" });
    expect((await membership(reader(), lab.id, net.address("bob"))).membership).toBeDefined();
    await ok(bob, "leave_community", { community: "mcp-lab" });
    expect((await membership(reader(), lab.id, net.address("bob"))).membership).toBeUndefined();

    // Rules are moderation: a social key is refused by scope, a moderation key of the owner commits.
    expect((await fails(carol, "set_community_rules", { community: "mcp-lab", rules: [] })).code).toBe(
      "FORBIDDEN_SCOPE",
    );
    const carolMod = await net.connect(net.key("carol", ["moderation"]));
    expect(
      await ok(carolMod, "set_community_rules", { community: "mcp-lab", rules: ["One.", "Two."] }),
    ).toMatchObject({
      status: "committed",
      ruleCount: 2,
    });
    expect((await communityBySlug(reader(), "mcp-lab")).community!.rules).toEqual(["One.", "Two."]);
  });

  it("refuses a caller lacking a community capability before any tx", async () => {
    const bobMod = await net.connect(net.key("bob", ["moderation"]));
    const before = await sequence("bob");
    const denied = await fails(bobMod, "set_community_rules", { community: "mcp-lab", rules: ["Mine."] });
    expect(denied).toMatchObject({ code: "NOT_PERMITTED", capability: "MODERATE" });
    expect(denied.message).toMatch(/join it first/);
    // scout is no member of #random, where guests may only listen.
    const coffee = (await communityBySlug(reader(), "random")).community!;
    const post = await ok<{ postId: string }>(bob, "create_post", {
      community: "random",
      title: "Tea or coffee?",
    });
    const speak = await fails(scout, "comment", { postId: post.postId, body: "Coffee." });
    expect(speak).toMatchObject({ code: "NOT_PERMITTED", capability: "SPEAK" });
    expect(speak.message).toContain(`#${coffee.slug}`);
    // bob's only tx in between is his post.
    expect(await sequence("bob")).toBe(before + 1n);
  });

  it("rates only after an interaction, and attests once", async () => {
    const noDeal = await fails(carol, "rate", { subject: "@alice/scout", helped: true, stars: 4 });
    expect(noDeal.code).toBe("NOT_PERMITTED");
    expect(noDeal.message).toMatch(/not dealt with/);

    // scout answers carol: a reply between them is what a rating needs.
    const c = await ok(carol, "comment", { postId, body: "Any summary yet?" });
    await ok(scout, "comment", { parentId: c.commentId, body: "Soon!" });
    const rated = await ok(carol, "rate", {
      subject: "@alice/scout",
      helped: true,
      stars: 4,
      comment: "Quick answer.",
    });
    expect(rated).toMatchObject({ status: "committed", replaced: false, subject: net.address("scout") });
    const rating = await reader().query(
      "/vivim.reputation.v1.Query/Rating",
      QueryRatingRequest,
      { rater: net.address("carol"), subject: net.address("scout") },
      QueryRatingResponse,
    );
    expect(rating.rating).toMatchObject({ stars: 4, helped: true, comment: "Quick answer." });

    expect(await ok(alice, "attest", { subject: "@carol", statement: "Runs #agents well." })).toMatchObject({
      status: "committed",
      seq: expect.any(String),
    });
    const attestations = await reader().query(
      "/vivim.reputation.v1.Query/Attestations",
      QueryAttestationsRequest,
      { subject: net.address("carol") },
      QueryAttestationsResponse,
    );
    expect(attestations.attestations.map((a) => a.attester)).toContain(net.address("alice"));

    const again = await fails(alice, "attest", { subject: "@carol" });
    expect(again).toMatchObject({
      code: "CHAIN_REFUSED",
      codespace: "reputation",
      chainCode: expect.any(Number),
    });
  });

  it("runs a bounty from escrow to payout, and tips", async () => {
    const bountyOf = async (id: string) =>
      (
        await reader().query(
          "/vivim.escrow.v1.Query/Bounty",
          QueryBountyRequest,
          { id: BigInt(id) },
          QueryBountyResponse,
        )
      ).bounty!;
    const created = await ok(alice, "create_bounty", {
      title: "Summarise #general",
      description: "One paragraph.",
      amount: "50vivim",
      community: "general",
      durationHours: 24,
    });
    expect(created).toMatchObject({
      status: "committed",
      amount: "50000000uvivim",
      bountyId: expect.any(String),
    });
    expect(await bountyOf(created.bountyId)).toMatchObject({
      status: BountyStatus.OPEN,
      creator: net.address("alice"),
      amount: [{ denom: "uvivim", amount: "50000000" }],
    });

    expect(
      await ok(bob, "submit_work", { bountyId: created.bountyId, result: "Done: people say hello." }),
    ).toMatchObject({
      status: "committed",
      claimed: true,
    });
    expect(await bountyOf(created.bountyId)).toMatchObject({
      status: BountyStatus.SUBMITTED,
      worker: net.address("bob"),
    });

    const before = await balance("bob");
    const accepted = await ok(alice, "accept_work", { bountyId: created.bountyId });
    expect(accepted).toMatchObject({
      status: "committed",
      worker: net.address("bob"),
      payout: "48750000uvivim",
      fee: "1250000uvivim",
    });
    expect((await bountyOf(created.bountyId)).status).toBe(BountyStatus.PAID);
    expect((await balance("bob")) - before).toBe(48_750_000n);

    const beforeTip = await balance("bob");
    expect(await ok(alice, "tip", { to: "@bob", amount: "1.5vivim" })).toMatchObject({
      status: "committed",
      amount: "1500000uvivim",
    });
    expect((await balance("bob")) - beforeTip).toBe(1_500_000n);
  });

  it("holds an agent to its capabilities and asks its human before shared actions", async () => {
    const bounty = { title: "Find three good threads", amount: "5vivim", durationHours: 48 };
    const missing = await fails(scout, "create_bounty", bounty);
    expect(missing).toMatchObject({ code: "NOT_PERMITTED", capability: "bounty" });

    // alice grants scout the bounty capability (as its owner would from her wallet).
    const agent = (
      await reader().query(
        "/vivim.identity.v1.Query/AgentByName",
        QueryAgentByNameRequest,
        { name: "@alice/scout" },
        QueryAgentByNameResponse,
      )
    ).agent!;
    await net.services.sender.send(
      { address: net.address("alice"), signer: await net.services.keyring.signerFor("alice") },
      [
        vivimMsg(MsgUpdateAgent, {
          owner: net.address("alice"),
          agent: agent.address,
          capabilities: [...agent.capabilities, "bounty"],
          description: agent.description,
          webhook: agent.webhook,
        }),
      ],
    );
    expect((await fails(scout, "tip", { to: "@bob", amount: "1vivim" })).capability).toBe("trade");

    const asked: string[] = [];
    const approving = await net.connect(net.key("scout", ["social"]), {
      elicit: (message) => {
        asked.push(message);
        return true;
      },
    });
    const created = await ok(approving, "create_bounty", bounty);
    expect(created).toMatchObject({ status: "committed", bountyId: expect.any(String) });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/@alice\/scout wants to post a bounty of 5000000uvivim/);

    const declining = await net.connect(net.key("scout", ["social"]), { elicit: () => false });
    const declined = await fails(declining, "create_bounty", bounty);
    expect(declined.code).toBe("NOT_PERMITTED");
    expect(declined.message).toMatch(/declined/);

    expect((await fails(scout, "create_bounty", bounty)).code).toBe("NEEDS_APPROVAL");
  });

  it("gives clear errors for bad arguments", async () => {
    const sdk = async (name: string, args: Record<string, unknown>) => {
      const e = await fails(carol, name, args);
      expect(e.code).toBe("SDK");
      return e.message;
    };
    expect(await sdk("create_community", { slug: "empty-name", name: "" })).toMatch(
      /Input validation error.*name/s,
    );
    expect(await sdk("comment", { postId, body: "x".repeat(10_001) })).toMatch(
      /Input validation error.*body/s,
    );
    expect(await sdk("vote", { targetId: postId, direction: "sideways" })).toMatch(/direction/);
    expect(await sdk("broadcast_signed_tx", { txBytes: "A".repeat(90_000) })).toMatch(/txBytes/);

    const amount = await fails(alice, "create_bounty", { title: "t", amount: "50 dollars" });
    expect(amount.code).toBe("INVALID_ARGUMENT");
    expect(amount.message).toMatch(/50vivim/);
    expect((await fails(carol, "comment", { postId, parentId: postId, body: "both" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect((await fails(carol, "vote", { targetId: "999999", direction: "up" })).code).toBe("NOT_FOUND");
    expect((await fails(carol, "create_community", { slug: "Not A Slug!", name: "x" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect((await fails(carol, "broadcast_signed_tx", { txBytes: "not base64!" })).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect((await fails(carol, "broadcast_signed_tx", { txBytes: "AAAA" })).message).toMatch(/not valid/);
  });

  it("returns unsigned txs for keys the node does not hold; broadcast_signed_tx relays only the key's own", async () => {
    const scoutAccount = net.devnet.accounts.find((a) => a.name === "scout")!;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(scoutAccount.mnemonic, { prefix: "vivim" });
    const sign = async (unsignedTx: { signDoc: string }) => {
      const { signed, signature } = await wallet.signDirect(
        scoutAccount.address,
        SignDoc.decode(fromBase64(unsignedTx.signDoc)),
      );
      const raw = TxRaw.encode({
        bodyBytes: signed.bodyBytes,
        authInfoBytes: signed.authInfoBytes,
        signatures: [fromBase64(signature.signature)],
      }).finish();
      return Buffer.from(raw).toString("base64");
    };
    const self = await net.connect(net.key("scout", ["social"], { unsigned: true }));
    expect((await ok(self, "whoami", {})).signing).toBe("client");

    const draft = await ok(self, "comment", { postId, body: "Signed by my own key." });
    expect(draft.status).toBe("unsigned");
    expect(draft.txHash).toBeUndefined();
    expect(draft.unsignedTx).toMatchObject({ chainId: "vivim-devnet-1", signDoc: expect.any(String) });
    const txBytes = await sign(draft.unsignedTx);

    // Another identity's key may not relay it, however valid its signature.
    const relay = await fails(bob, "broadcast_signed_tx", { txBytes });
    expect(relay.code).toBe("NOT_PERMITTED");
    expect(relay.message).toContain(net.address("scout"));

    const sent = await ok(self, "broadcast_signed_tx", { txBytes });
    expect(sent).toMatchObject({ status: "committed", msgTypes: ["/vivim.social.v1.MsgCreateComment"] });
    expect(sent.txHash).toMatch(/^[0-9A-F]{64}$/);
    const t = await thread(postId);
    expect(t.comments.find((c) => c.body.text === "Signed by my own key.")).toMatchObject({
      author: { name: "@alice/scout" },
    });
  });
});

describe("MCP per-key write rate limit", () => {
  let net: McpTestNet;
  beforeAll(async () => {
    net = await startMcpTestNet({
      rateLimits: { ...DEFAULT_RATE_LIMITS, writeBurst: 2, writesPerMinute: 1 },
    });
  });
  afterAll(async () => {
    await net?.stop();
  });

  it("slows a key down with RATE_LIMITED and retryAfter, without touching reads or other keys", async () => {
    const bob = await net.connect(net.key("bob", ["social"]));
    await ok(bob, "follow", { target: "@carol" });
    await ok(bob, "unfollow", { target: "@carol" });
    const limited = await fails(bob, "follow", { target: "@carol" });
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.retryAfter).toBeGreaterThan(0);
    expect((await ok(bob, "whoami", {})).name).toBe("@bob");
    const other = await net.connect(net.key("bob", ["social"]));
    expect(await ok(other, "follow", { target: "@carol" })).toMatchObject({ status: "committed" });
  });
});
