/**
 * What the app reads from a fresh devnet, against a real node with its RPC and app API: the
 * viewer's votes on a page of posts in one request (`GET /vivim/social/v1/votes/{voter}`, bad input
 * refused with coded 400s), which the app's feed (in Chromium) uses instead of asking per card while
 * still showing the viewer's own votes pressed, and the devnet's people carrying reputation, so alice's vote on a
 * members' proposal (a treasury spend) has weight from the first block and moves the tally.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import { createDevnet, type DevnetDescriptor } from "../../chain/node/devnet.js";
import { VivimNode } from "../../chain/node/node.js";
import { RpcServer } from "../../chain/rpc/server.js";
import { silentLogger } from "../../chain/util/logger.js";
import { connectVivim } from "../../client/index.js";
import { GOV_ADDRESS } from "../../contracts/gov/params.js";
import { fastConfig } from "../support/node.js";
import { screenshot, signInAs, startUiFront } from "../support/ui.js";

type Body = Record<string, unknown>;

describe("a devnet as the app reads it", () => {
  const home = mkdtempSync(path.join(tmpdir(), "vivim-devnet-social-"));
  let devnet: DevnetDescriptor;
  let node: VivimNode;
  let rpc: RpcServer;
  let api: ApiServer;
  let base: string;
  const address = (name: string) => devnet.accounts.find((a) => a.name === name)!.address;
  const get = async (p: string): Promise<{ status: number; body: Body }> => {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as Body };
  };

  beforeAll(async () => {
    devnet = await createDevnet(home);
    node = await VivimNode.open({
      home: devnet.nodes[0]!.home,
      config: fastConfig(),
      logger: silentLogger(),
    });
    await node.start();
    rpc = new RpcServer(node);
    await rpc.start();
    api = new ApiServer(node);
    await api.start();
    base = `http://127.0.0.1:${api.port}`;
  });

  afterAll(async () => {
    await api?.stop();
    await rpc?.stop();
    await node?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it("answers a viewer's votes on a page of posts in one request", async () => {
    const feed = await get("/vivim/social/v1/authors/" + address("alice") + "/feed");
    const welcome = (feed.body.posts as Array<{ content: { id: string }; title: string }>).find(
      (p) => p.title === "Welcome to VIVIM",
    )!.content.id;
    const ids = ["1", "2", "3", "4", "5", "6", "7", welcome, "999"];
    // Bob upvoted the welcome post and scout's hello; alice only bob's comment and scout's hello.
    const bob = await get(`/vivim/social/v1/votes/${address("bob")}?target_ids=${ids.join(",")}`);
    expect(bob.status).toBe(200);
    const bobVotes = bob.body.votes as Array<{ target_id: string; direction: string }>;
    expect(bobVotes).toContainEqual({ target_id: welcome, direction: "VOTE_DIRECTION_UP" });
    expect(bobVotes).toHaveLength(2);
    expect(new Set(bobVotes.map((v) => v.target_id)).size).toBe(2);
    // The same answer as asking one post at a time.
    for (const id of ids.slice(0, 7)) {
      const one = await get(`/vivim/social/v1/content/${id}/votes/${address("bob")}`);
      const batch = bobVotes.find((v) => v.target_id === id)?.direction ?? "VOTE_DIRECTION_NONE";
      expect(one.body.direction).toBe(batch);
    }
    const carol = await get(`/vivim/social/v1/votes/${address("carol")}?target_ids=${welcome}`);
    expect(carol.body.votes).toEqual([{ target_id: welcome, direction: "VOTE_DIRECTION_UP" }]);
  });

  it("the app's feed asks the viewer's votes once for its page and shows bob's upvote pressed", async () => {
    const front = await startUiFront(devnet, `http://127.0.0.1:${rpc.port}`, base);
    try {
      const { page, errors } = await front.newPage();
      const asked: string[] = [];
      page.on("request", (r) => {
        if (/\/vivim\/social\/v1\/(votes\/|content\/\d+\/votes\/)/.test(r.url()))
          asked.push(new URL(r.url()).pathname);
      });
      await signInAs(page, front.ui.url, "bob");
      const welcome = page.locator("article.post-card").filter({ hasText: "Welcome to VIVIM" });
      const up = welcome.getByRole("button", { name: "Upvote post" });
      await expect.poll(() => up.getAttribute("aria-pressed"), { timeout: 10_000 }).toBe("true");
      const coffee = page.locator("article.post-card").filter({ hasText: "What are you drinking" });
      expect(await coffee.getByRole("button", { name: "Upvote post" }).getAttribute("aria-pressed")).toBe(
        "false",
      );
      expect(asked.filter((p) => p.includes("/content/"))).toEqual([]);
      expect(asked.filter((p) => p.startsWith("/vivim/social/v1/votes/"))).toEqual([
        `/vivim/social/v1/votes/${address("bob")}`,
      ]);
      await screenshot(page, "feed-votes-bob");
      expect(errors).toEqual([]);
    } finally {
      await front.stop();
    }
  });

  it("refuses bad voters and id lists with coded 400s", async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1).join(",");
    expect((await get(`/vivim/social/v1/votes/${address("bob")}?target_ids=${hundred}`)).status).toBe(200);
    const bad = [
      `/vivim/social/v1/votes/${address("bob")}`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=${hundred},101`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=1,0`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=1,,2`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=1,-2`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=18446744073709551616`,
      `/vivim/social/v1/votes/${address("bob")}?target_ids=${"1".repeat(3000)}`,
      `/vivim/social/v1/votes/not-an-address?target_ids=1`,
    ];
    for (const p of bad) {
      const r = await get(p);
      expect(r.status, p).toBe(400);
      expect(r.body.code, p).toBe(3);
      expect(typeof r.body.message).toBe("string");
      expect(JSON.stringify(r.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
    }
  });

  it("gives alice member voting weight from genesis: her vote on a treasury spend counts", async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(
      devnet.accounts.find((a) => a.name === "alice")!.mnemonic,
      { prefix: "vivim" },
    );
    const alice = address("alice");
    const client = await connectVivim(`http://127.0.0.1:${rpc.port}`, wallet);
    const spend = MsgCommunityPoolSpend.fromPartial({
      authority: GOV_ADDRESS,
      recipient: address("carol"),
      amount: [{ denom: "uvivim", amount: "1000" }],
    });
    const submitted = await client.broadcastVivim(alice, [
      {
        typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
        value: {
          messages: [
            {
              typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
              value: MsgCommunityPoolSpend.encode(spend).finish(),
            },
          ],
          initialDeposit: [{ denom: "uvivim", amount: "10000000" }],
          proposer: alice,
          metadata: "",
          title: "Fund the docs sprint",
          summary: "A small spend from the community pool.",
          expedited: false,
        },
      },
    ]);
    expect(submitted.code).toBe(0);
    const proposals = await get("/cosmos/gov/v1/proposals");
    const id = (proposals.body.proposals as Array<{ id: string; title: string }>).find(
      (p) => p.title === "Fund the docs sprint",
    )!.id;

    const power = await get(`/vivim/gov/v1/proposals/${id}/voting_power/${alice}`);
    expect(power.body).toMatchObject({ electorate: "ELECTORATE_MEMBERS", refusal: "" });
    expect(BigInt(power.body.weight as string)).toBeGreaterThan(0n);
    // Three people at the average score share the electorate equally.
    expect(BigInt(power.body.total_weight as string)).toBe(3n * BigInt(power.body.weight as string));

    const voted = await client.broadcastVivim(alice, [
      {
        typeUrl: "/cosmos.gov.v1.MsgVote",
        value: { proposalId: BigInt(id), voter: alice, option: 1, metadata: "" },
      },
    ]);
    expect(voted.code).toBe(0);
    const tally = await get(`/cosmos/gov/v1/proposals/${id}/tally`);
    expect((tally.body.tally as { yes_count: string }).yes_count).toBe(power.body.weight);
    client.disconnect();
  });
});
