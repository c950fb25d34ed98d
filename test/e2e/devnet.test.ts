/**
 * The devnet `npm start` creates: devnet.json with endpoints and at least three funded accounts
 * whose mnemonics really control funded addresses on a node started from it, and a living network:
 * profiles, alice's agent, #general/#random/#agents with a threaded conversation and a rating.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { StargateClient } from "@cosmjs/stargate";
import { afterAll, describe, expect, it } from "vitest";
import type { ProtoMessage } from "../../chain/codec/proto-message.js";
import { createDevnet, DEVNET_AGENT, type DevnetDescriptor, readDevnet } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { QueryCardRequest, QueryCardResponse } from "../../contracts/cards/card.js";
import { QueryAgentByNameRequest, QueryAgentByNameResponse } from "../../contracts/identity/query.js";
import { QueryReputationRequest, QueryReputationResponse } from "../../contracts/reputation/query.js";
import {
  QueryCommunityFeedRequest,
  QueryCommunityFeedResponse,
  QueryCommunityRequest,
  QueryCommunityResponse,
  QueryThreadRequest,
  QueryThreadResponse,
} from "../../contracts/social/query-types.js";
import { fastConfig } from "../support/node.js";

async function query<Req, Res>(
  node: VivimNode,
  path: string,
  reqType: ProtoMessage<Req>,
  req: Parameters<ProtoMessage<Req>["fromPartial"]>[0],
  resType: ProtoMessage<Res>,
): Promise<Res> {
  const r = await node.app.query({
    path,
    data: reqType.encode(reqType.fromPartial(req)).finish(),
    prove: false,
  });
  expect(r.log).toBe("");
  return resType.decode(r.value);
}

describe("devnet", () => {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-devnet-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("writes devnet.json and funds its accounts on a node that starts from it", async () => {
    const devnet = await createDevnet(home);
    const onDisk = JSON.parse(readFileSync(path.join(home, "devnet.json"), "utf8")) as DevnetDescriptor;
    expect(onDisk).toEqual(devnet);
    expect(readDevnet(home)).toEqual(devnet);
    expect(devnet).toMatchObject({
      chainId: "vivim-devnet-1",
      prefix: "vivim",
      denom: "uvivim",
      rpc: "http://127.0.0.1:26657",
    });
    expect(devnet.accounts.length).toBeGreaterThanOrEqual(3);
    expect(devnet.nodes).toHaveLength(1);

    const node = await VivimNode.open({
      home: devnet.nodes[0]!.home,
      config: fastConfig(),
      logger: silentLogger(),
    });
    await node.start();
    const rpc = new RpcServer(node);
    await rpc.start();
    try {
      const client = await StargateClient.connect(`http://127.0.0.1:${rpc.port}`);
      for (const account of devnet.accounts) {
        const wallet = await DirectSecp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: "vivim" });
        const [derived] = await wallet.getAccounts();
        expect(derived!.address).toBe(account.address);
        expect(BigInt((await client.getBalance(account.address, "uvivim")).amount)).toBeGreaterThan(0n);
      }
      expect(
        BigInt((await client.getBalance(devnet.nodes[0]!.operator.address, "uvivim")).amount),
      ).toBeGreaterThan(0n);
      client.disconnect();

      // The living network: alice's agent, the seeded communities, a threaded conversation.
      const address = (name: string) => devnet.accounts.find((a) => a.name === name)!.address;
      const scout = await query(
        node,
        "/vivim.identity.v1.Query/AgentByName",
        QueryAgentByNameRequest,
        { name: "@alice/scout" },
        QueryAgentByNameResponse,
      );
      expect(scout.agent).toMatchObject({
        address: address(DEVNET_AGENT),
        owner: address("alice"),
        name: "scout",
      });
      for (const slug of ["general", "random", "agents"]) {
        const c = await query(
          node,
          "/vivim.social.v1.Query/Community",
          QueryCommunityRequest,
          { slug },
          QueryCommunityResponse,
        );
        expect(c.community?.community?.slug).toBe(slug);
      }
      const general = await query(
        node,
        "/vivim.social.v1.Query/Community",
        QueryCommunityRequest,
        { slug: "general" },
        QueryCommunityResponse,
      );
      const feed = await query(
        node,
        "/vivim.social.v1.Query/CommunityFeed",
        QueryCommunityFeedRequest,
        { communityId: general.community!.community!.id },
        QueryCommunityFeedResponse,
      );
      expect(feed.posts.map((p) => p.title)).toEqual(["Welcome to VIVIM"]);
      const thread = await query(
        node,
        "/vivim.social.v1.Query/Thread",
        QueryThreadRequest,
        { postId: feed.posts[0]!.content!.id },
        QueryThreadResponse,
      );
      expect(thread.comments.map((c) => c.authorName)).toEqual(["@bob", "@alice/scout", "@carol"]);
      const alice = await query(
        node,
        "/vivim.reputation.v1.Query/Reputation",
        QueryReputationRequest,
        { address: address("alice") },
        QueryReputationResponse,
      );
      expect(alice.summary?.count).toBe(1n);

      // The cards: an agent with its owner and latest post, a human with her agents and rating.
      const scoutCard = await query(
        node,
        "/vivim.cards.v1.Query/Card",
        QueryCardRequest,
        { account: "@alice/scout" },
        QueryCardResponse,
      );
      expect(scoutCard).toMatchObject({
        kind: "agent",
        displayName: "@alice/scout",
        profile: { handle: "alice" },
      });
      expect(scoutCard.recentPosts.map((p) => p.title)).toEqual(["Hello from @alice/scout"]);
      const aliceCard = await query(
        node,
        "/vivim.cards.v1.Query/Card",
        QueryCardRequest,
        { account: "@alice" },
        QueryCardResponse,
      );
      expect(aliceCard.agents.map((a) => a.name)).toEqual(["scout"]);
      expect(aliceCard.reputation?.summary?.count).toBe(1n);
      const missing = await node.app.query({
        path: "/vivim.cards.v1.Query/Card",
        data: QueryCardRequest.encode(QueryCardRequest.fromPartial({ account: "@nobody" })).finish(),
        prove: false,
      });
      expect(missing.log).toMatch(/no account/);
    } finally {
      await rpc.stop();
      await node.stop();
    }
  });
});
