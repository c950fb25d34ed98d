/**
 * The labels module through the unmodified cosmjs SigningStargateClient against a real node:
 * profiles, a community and a post made by their own Msgs, then every MsgCreateLabel path and
 * refusal with its codespace/code, negation and expiry as the queries (and the social module's
 * content view) see them, params, and the REST routes.
 *
 * Genesis names carol as the labels authority and the one labeler (governance's role on a real chain).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type AccountData, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { type DeliverTxResponse, QueryClient, type SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { initHome } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  connectVivim,
  IdentityErrors,
  LabelsErrors,
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgCreateLabel,
  MsgCreateLabelResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgJoinCommunity,
  MsgRegisterProfile,
  MsgSetMemberRole,
  MsgUpdateLabelsParams,
  msgResponse,
  QueryLabelsByIssuerRequest,
  QueryLabelsByIssuerResponse,
  QueryLabelsOfRequest,
  QueryLabelsOfResponse,
  Role,
  TrustLevel,
  Visibility,
  type VivimEncodeObject,
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
const FEE = { amount: [{ denom: "uvivim", amount: "20000" }], gas: "500000" };
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });

type Body = Record<string, unknown>;

describe("labels module through cosmjs", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let alice: TestAccount; // owns #general
  let bob: TestAccount; // member, later moderator; author of the post
  let carol: TestAccount; // labeler and params authority
  let dave: AccountData; // never registers
  const clients = new Map<string, SigningStargateClient>();
  let communityId: bigint;
  let postId: bigint;
  let post: string;

  beforeAll(async () => {
    const accounts = await Promise.all(TEST_MNEMONICS.map(testAccount));
    [alice, bob, carol] = accounts as [TestAccount, TestAccount, TestAccount];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-labels-e2e-"));
    const appState = devnetAppState(accounts.map((a) => ({ address: a.address, amount: FUNDS })));
    const config = fastConfig();
    initHome({
      home,
      moniker: "test-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: {
        ...appState,
        labels: { params: { authority: carol.address, labelers: [carol.address] } },
      },
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    for (const a of accounts) clients.set(a.address, await connectVivim(net.rpcUrl, a.wallet, POLL));
    const daveWallet = await DirectSecp256k1Wallet.fromKey(new Uint8Array(32).fill(0x4d), "vivim");
    [dave] = (await daveWallet.getAccounts()) as [AccountData];
    clients.set(dave.address, await connectVivim(net.rpcUrl, daveWallet, POLL));
    const deadline = Date.now() + 10_000;
    while (net.node.blockStore.latestHeight === 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    for (const c of clients.values()) c.disconnect();
    comet?.disconnect();
    await api?.stop();
    await net?.stop();
  });

  async function send(from: string, msg: VivimEncodeObject<unknown>): Promise<Outcome> {
    return txOutcome(clients.get(from)!, comet, from, [msg], FEE);
  }

  async function ok(from: string, msg: VivimEncodeObject<unknown>): Promise<DeliverTxResponse> {
    return committed(await send(from, msg));
  }

  async function refused(from: string, msg: VivimEncodeObject<unknown>) {
    return codeOf(await send(from, msg));
  }

  async function get(p: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  }

  const attrs = (r: DeliverTxResponse, type: string) =>
    Object.fromEntries(r.events.find((e) => e.type === type)?.attributes.map((a) => [a.key, a.value]) ?? []);

  const label = (
    issuer: TestAccount,
    subject: string,
    value: string,
    extra: Partial<Pick<MsgCreateLabel, "negate" | "expiresAt" | "reason">> = {},
  ) => vivimMsg(MsgCreateLabel, { issuer: issuer.address, subject, value, ...extra });

  /** The labels in force on `subject` (LabelsOf over abci_query), as "value@issuer". */
  async function inForce(subject: string, includeExpired = false): Promise<string[]> {
    const res = await QueryClient.withExtensions(comet).queryAbci(
      "/vivim.labels.v1.Query/LabelsOf",
      QueryLabelsOfRequest.encode(QueryLabelsOfRequest.fromPartial({ subject, includeExpired })).finish(),
    );
    const name = (a: string) => (a === alice.address ? "alice" : a === bob.address ? "bob" : "carol");
    return QueryLabelsOfResponse.decode(res.value).labels.map(
      (l) => `${l.neg ? "-" : ""}${l.value}@${name(l.issuer)}`,
    );
  }

  it("sets up profiles, a community and a post through their Msgs", async () => {
    for (const [a, handle] of [
      [alice, "alice"],
      [bob, "bob"],
      [carol, "carol"],
    ] as const)
      await ok(a.address, vivimMsg(MsgRegisterProfile, { creator: a.address, handle, displayName: handle }));
    const c = await ok(
      alice.address,
      vivimMsg(MsgCreateCommunity, {
        creator: alice.address,
        slug: "general",
        name: "General",
        visibility: Visibility.PUBLIC,
      }),
    );
    communityId = msgResponse(c, MsgCreateCommunityResponse).communityId;
    await ok(bob.address, vivimMsg(MsgJoinCommunity, { member: bob.address, communityId }));
    const p = await ok(
      bob.address,
      vivimMsg(MsgCreatePost, {
        author: bob.address,
        communityId,
        title: "Cheap watches",
        body: "click here",
      }),
    );
    postId = msgResponse(p, MsgCreatePostResponse).id;
    post = `content:${postId}`;
  });

  it("lets a moderator label content; refuses members, unknown subjects and bad fields", async () => {
    expect(await refused(bob.address, label(bob, post, "spam"))).toEqual(coded(LabelsErrors.NotModerator));
    const r = await ok(alice.address, label(alice, post, "spam", { reason: "link farm" }));
    const { labelId } = msgResponse(r, MsgCreateLabelResponse);
    expect(attrs(r, "vivim.labels.v1.EventLabelCreated")).toMatchObject({
      label_id: labelId.toString(),
      subject: post,
      value: "spam",
      issuer: alice.address,
    });
    expect(await inForce(post)).toEqual(["spam@alice"]);

    // The social module's content view annotates or hides by the viewer's choice.
    const view = await get(`/vivim/social/v1/content/${postId}`);
    expect(view.body).toMatchObject({ item: { labels: ["spam"], hidden: false } });
    const hidden = await get(`/vivim/social/v1/content/${postId}?label_policy=HIDE`);
    expect(hidden.body).toMatchObject({ item: { labels: ["spam"], hidden: true } });

    // Stateless refusals (CheckTx).
    expect(await refused(alice.address, label(alice, post, "Spam!"))).toEqual(
      coded(LabelsErrors.InvalidField),
    );
    expect(await refused(alice.address, label(alice, post, "spam", { reason: "r".repeat(281) }))).toEqual(
      coded(LabelsErrors.InvalidField),
    );
    expect(await refused(alice.address, label(alice, `post:${postId}`, "spam"))).toEqual(
      coded(LabelsErrors.InvalidSubject),
    );
    expect(
      await refused(alice.address, label(alice, post, "spam", { negate: true, expiresAt: 10n ** 12n })),
    ).toEqual(coded(LabelsErrors.InvalidExpiry));
    // Stateful refusals (DeliverTx).
    expect(await refused(alice.address, label(alice, "content:999", "spam"))).toEqual(
      coded(LabelsErrors.UnknownSubject),
    );
    expect(await refused(alice.address, label(alice, post, "spam", { expiresAt: 1_000n }))).toEqual(
      coded(LabelsErrors.InvalidExpiry),
    );
  });

  it("lets only labelers label accounts", async () => {
    expect(await refused(alice.address, label(alice, `account:${bob.address}`, "spam"))).toEqual(
      coded(LabelsErrors.NotLabeler),
    );
    await ok(carol.address, label(carol, `account:${bob.address}`, "spam"));
    expect(await inForce(`account:${bob.address}`)).toEqual(["spam@carol"]);
    const view = await get(`/vivim/social/v1/content/${postId}`);
    expect(view.body).toMatchObject({ item: { author_labels: ["spam"] } });
    expect(await refused(carol.address, label(carol, `account:${dave.address}`, "spam"))).toEqual(
      coded(LabelsErrors.UnknownSubject),
    );
    // An unregistered issuer is refused by identity.
    await ok(alice.address, {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: {
        fromAddress: alice.address,
        toAddress: dave.address,
        amount: [{ denom: "uvivim", amount: "100000" }],
      },
    } as VivimEncodeObject<unknown>);
    expect(
      await refused(
        dave.address,
        vivimMsg(MsgCreateLabel, { issuer: dave.address, subject: post, value: "spam" }),
      ),
    ).toEqual(coded(IdentityErrors.NotRegistered));
  });

  it("negates: a member cannot, a new moderator can; negated labels leave the active set", async () => {
    expect(await refused(bob.address, label(bob, post, "spam", { negate: true }))).toEqual(
      coded(LabelsErrors.NotModerator),
    );
    await ok(
      alice.address,
      vivimMsg(MsgSetMemberRole, {
        actor: alice.address,
        communityId,
        member: bob.address,
        role: Role.MODERATOR,
        trustLevel: TrustLevel.LOCAL,
      }),
    );
    const r = await ok(bob.address, label(bob, post, "spam", { negate: true, reason: "appeal accepted" }));
    const neg = msgResponse(r, MsgCreateLabelResponse);
    expect(neg.removedIds).toHaveLength(1);
    expect(attrs(r, "vivim.labels.v1.EventLabelNegated")).toMatchObject({
      subject: post,
      value: "spam",
      issuer: bob.address,
    });
    expect(await inForce(post)).toEqual([]);
    expect(await inForce(post, true)).toEqual(["-spam@bob", "spam@alice"]);
    expect((await get(`/vivim/social/v1/content/${postId}`)).body).toMatchObject({ item: { labels: [] } });
    expect(await refused(bob.address, label(bob, post, "spam", { negate: true }))).toEqual(
      coded(LabelsErrors.LabelNotFound),
    );
  });

  it("drops an expired label from the active set once block time passes its expiry", async () => {
    const expiresAt = BigInt(Math.floor(Date.now() / 1000)) + 2n;
    await ok(alice.address, label(alice, post, "heated", { expiresAt }));
    await expect.poll(() => inForce(post), { timeout: 20_000, interval: 250 }).toEqual([]);
    expect(await inForce(post, true)).toContain("heated@alice");
  });

  it("changes params only through the authority", async () => {
    const params = {
      authority: carol.address,
      labelers: [carol.address, alice.address],
      maxLabelsPerSubject: 5,
    };
    expect(
      await refused(alice.address, vivimMsg(MsgUpdateLabelsParams, { authority: alice.address, params })),
    ).toEqual(coded(LabelsErrors.InvalidAuthority));
    expect(
      await refused(
        carol.address,
        vivimMsg(MsgUpdateLabelsParams, {
          authority: carol.address,
          params: { ...params, maxLabelsPerSubject: 0 },
        }),
      ),
    ).toEqual(coded(LabelsErrors.InvalidParams));
    await ok(carol.address, vivimMsg(MsgUpdateLabelsParams, { authority: carol.address, params }));
    await ok(alice.address, label(alice, `account:${bob.address}`, "misleading")); // alice is a labeler now
    expect((await get("/vivim/labels/v1/params")).body).toEqual({
      params: {
        authority: carol.address,
        labelers: [carol.address, alice.address],
        max_labels_per_subject: 5,
      },
    });
    expect(await refused(bob.address, vivimMsg(MsgUpdateLabelsParams, { authority: "bad", params }))).toEqual(
      {
        codespace: "sdk",
        code: 7,
      },
    );
  });

  it("serves labels by subject and by issuer over abci_query and REST", async () => {
    const res = await QueryClient.withExtensions(comet).queryAbci(
      "/vivim.labels.v1.Query/LabelsByIssuer",
      QueryLabelsByIssuerRequest.encode(
        QueryLabelsByIssuerRequest.fromPartial({ issuer: alice.address }),
      ).finish(),
    );
    const mine = QueryLabelsByIssuerResponse.decode(res.value).labels;
    expect(mine.map((l) => l.value)).toEqual(["misleading", "heated", "spam"]);
    expect(mine.find((l) => l.value === "spam")?.removedBy).toBeGreaterThan(0n);

    const active = await get(`/vivim/labels/v1/subjects/account:${bob.address}`);
    expect(active.status).toBe(200);
    expect((active.body.labels as Body[]).map((l) => [l.value, l.issuer])).toEqual([
      ["spam", carol.address],
      ["misleading", alice.address],
    ]);
    const history = await get(`/vivim/labels/v1/subjects/${encodeURIComponent(post)}?include_expired=true`);
    expect((history.body.labels as Body[]).map((l) => l.value)).toEqual(["heated", "spam", "spam"]);
    const page = await get(`/vivim/labels/v1/issuers/${alice.address}?pagination.limit=2`);
    expect((page.body.labels as Body[]).map((l) => l.value)).toEqual(["misleading", "heated"]);
    const next = (page.body.pagination as Body).next_key as string;
    const rest = await get(
      `/vivim/labels/v1/issuers/${alice.address}?pagination.key=${encodeURIComponent(next)}`,
    );
    expect((rest.body.labels as Body[]).map((l) => l.value)).toEqual(["spam"]);
    expect((await get("/vivim/labels/v1/subjects/post:1")).status).toBe(400);
    expect((await get("/vivim/labels/v1/issuers/nope")).status).toBe(400);
  });
});
