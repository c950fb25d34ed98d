/**
 * Answer usage ("cost of the last answer") through the unmodified cosmjs SigningStargateClient
 * against a real node seeded with the devnet's social history: the seeded @alice/scout answer shows
 * on its card; scout's post and comment with usage are committed, the content JSON carries the
 * usage and the card's last_answer follows the latest one (over REST and abci_query); a human's
 * usage is refused with social/31 and an over-cap report with social/32, leaving the card as it was.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, QueryClient, type SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { initHome } from "../../chain/config/home.js";
import { devnetAppState } from "../../chain/node/devnet-genesis.js";
import {
  connectVivim,
  MsgCreateComment,
  MsgCreateCommentResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  msgResponse,
  QueryCardRequest,
  QueryCardResponse,
  SocialErrors,
  USAGE_LIMITS,
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
import { codeOf, committed, txOutcome } from "../support/tx-outcome.js";

const CHAIN_ID = "vivim-usage-e2e-1";
const FEE = calculateFee(600_000, GasPrice.fromString("0.025uvivim"));
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const SCOUT_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const coded = (e: { codespace: string; code: number }) => ({ codespace: e.codespace, code: e.code });

type Json = Record<string, unknown>;

describe("answer usage through cosmjs and REST", () => {
  let net: TestNode;
  let api: ApiServer;
  let base: string;
  let comet: Comet38Client;
  let bob: TestAccount;
  let scout: string;
  const clients = new Map<string, SigningStargateClient>();

  beforeAll(async () => {
    const people = await Promise.all(TEST_MNEMONICS.map(testAccount));
    bob = people[1]!;
    const scoutWallet = await DirectSecp256k1HdWallet.fromMnemonic(SCOUT_MNEMONIC, {
      prefix: "vivim",
      hdPaths: [makeCosmoshubPath(0)],
    });
    const [scoutAccount] = await scoutWallet.getAccounts();
    scout = scoutAccount!.address;
    const funded = [...people.map((a) => a.address), scout];
    const home = mkdtempSync(path.join(tmpdir(), "vivim-usage-e2e-"));
    const config = fastConfig();
    initHome({
      home,
      moniker: "usage-node",
      chainId: CHAIN_ID,
      config,
      genesisAppState: devnetAppState(
        funded.map((address) => ({ address, amount: FUNDS })),
        {
          social: {
            alice: people[0]!.address,
            bob: people[1]!.address,
            carol: people[2]!.address,
            scout: { address: scout, pubkey: Buffer.from(scoutAccount!.pubkey).toString("base64") },
          },
        },
      ),
    });
    net = await startTestNode({ home, config });
    api = new ApiServer(net.node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
    comet = await Comet38Client.connect(net.rpcUrl);
    clients.set(bob.address, await connectVivim(net.rpcUrl, bob.wallet, POLL));
    clients.set(scout, await connectVivim(net.rpcUrl, scoutWallet, POLL));
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

  const send = (from: string, msg: VivimEncodeObject<unknown>) =>
    txOutcome(clients.get(from)!, comet, from, [msg], FEE);

  async function get(p: string): Promise<Json> {
    const res = await fetch(base + p);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  }

  const scoutCard = () => get("/vivim/cards/v1/cards/@alice/scout");

  async function cardOverAbci(account: string): Promise<QueryCardResponse> {
    const req = QueryCardRequest.encode(QueryCardRequest.fromPartial({ account })).finish();
    const res = await QueryClient.withExtensions(comet).queryAbci("/vivim.cards.v1.Query/Card", req);
    return QueryCardResponse.decode(res.value);
  }

  it("shows the devnet's seeded answer as scout's last answer; a human's card has none", async () => {
    const card = await scoutCard();
    expect(card.last_answer).toMatchObject({
      cost_micro_usd: "1200",
      duration_ms: 3400,
      model: "vivim-demo-1",
    });
    const seeded = await get(`/vivim/social/v1/content/${(card.last_answer as Json).id}`);
    expect((seeded.item as Json).usage).toEqual({
      cost_micro_usd: "1200",
      duration_ms: 3400,
      model: "vivim-demo-1",
    });
    expect((await get("/vivim/cards/v1/cards/alice")).last_answer).toBeNull();
  });

  it("commits scout's post and comment with usage; the card's last answer follows the latest", async () => {
    const postUsage = { costMicroUsd: 120_000n, durationMs: 34_000, model: "big-model" };
    const posted = committed(
      await send(
        scout,
        vivimMsg(MsgCreatePost, {
          author: scout,
          communityId: 3n,
          title: "Today's threads, summarised",
          body: "Three threads worth reading.",
          usage: postUsage,
        }),
      ),
    );
    const postId = msgResponse(posted, MsgCreatePostResponse).id;
    const content = await get(`/vivim/social/v1/content/${postId}`);
    expect((content.item as Json).usage).toEqual({
      cost_micro_usd: "120000",
      duration_ms: 34000,
      model: "big-model",
    });
    expect((await scoutCard()).last_answer).toEqual({
      id: postId.toString(),
      cost_micro_usd: "120000",
      duration_ms: 34000,
      model: "big-model",
      height: String(posted.height),
    });

    const commentUsage = { costMicroUsd: 900n, durationMs: 1_250, model: "small-model" };
    const replied = committed(
      await send(
        scout,
        vivimMsg(MsgCreateComment, {
          author: scout,
          parentId: postId,
          body: "Sources below.",
          usage: commentUsage,
        }),
      ),
    );
    const commentId = msgResponse(replied, MsgCreateCommentResponse).id;
    const thread = await get(`/vivim/social/v1/threads/${postId}`);
    const comment = (thread.comments as Json[]).find((c) => (c.content as Json).id === commentId.toString());
    expect(comment?.usage).toEqual({ cost_micro_usd: "900", duration_ms: 1250, model: "small-model" });
    const typed = await cardOverAbci("@alice/scout");
    expect(typed.lastAnswer).toEqual({ id: commentId, ...commentUsage, height: BigInt(replied.height) });
  });

  it("refuses a human's usage (social/31) and an over-cap report (social/32); the card is unchanged", async () => {
    const before = (await scoutCard()).last_answer;
    const human = await send(
      bob.address,
      vivimMsg(MsgCreateComment, {
        author: bob.address,
        parentId: 1n,
        body: "I am not an agent.",
        usage: { costMicroUsd: 1n, durationMs: 1, model: "me" },
      }),
    );
    expect(codeOf(human)).toEqual(coded(SocialErrors.UsageNotAgent));
    const overCap = await send(
      scout,
      vivimMsg(MsgCreateComment, {
        author: scout,
        parentId: 1n,
        body: "Too expensive to be true.",
        usage: { costMicroUsd: USAGE_LIMITS.maxCostMicroUsd + 1n, durationMs: 1, model: "x" },
      }),
    );
    expect(codeOf(overCap)).toEqual(coded(SocialErrors.InvalidUsage));
    expect((await scoutCard()).last_answer).toEqual(before);
  });
});
