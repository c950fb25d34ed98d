/**
 * The block bridge against a real node (in-process, real RPC and /websocket) and a real private
 * redis-server (workers/redis/redis-server.ts, append-only persistence, in a temp dir on a free
 * port): a post on chain becomes exactly one job per interested queue for its block; stopping and
 * restarting the bridge, and replaying from an earlier height, add no second job; restarting
 * redis-server mid-stream loses nothing and the bridge catches up on what committed meanwhile.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { calculateFee, type DeliverTxResponse, GasPrice, type SigningStargateClient } from "@cosmjs/stargate";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../chain/util/logger.js";
import {
  connectVivim,
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgRegisterProfile,
  msgResponse,
  SocialEvents,
  Visibility,
  vivimMsg,
} from "../../client/index.js";
import { BlockBridge } from "../../workers/bridge/block-bridge.js";
import { readCursor, writeCursor } from "../../workers/bridge/cursor.js";
import type { BlockJobData } from "../../workers/bridge/interests.js";
import { httpNodeRpc, NewBlockListener } from "../../workers/bridge/node-rpc.js";
import { WorkersError } from "../../workers/errors.js";
import { connectRedis, QUEUE_PREFIX } from "../../workers/redis/connection.js";
import { RedisServer } from "../../workers/redis/redis-server.js";
import { startTestNode, type TestNode } from "../support/node.js";
import { freePort } from "../support/process.js";

const FEE = calculateFee(600_000, GasPrice.fromString("0.025uvivim"));
const POLL = { broadcastPollIntervalMs: 150, broadcastTimeoutMs: 20_000 };
const QUEUES = ["feed", "moderation", "reputation", "health"] as const;
const STATES = [
  "waiting",
  "active",
  "completed",
  "failed",
  "delayed",
  "prioritized",
  "waiting-children",
] as const;

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("block bridge: a real node into BullMQ queues on a real redis-server", () => {
  let net: TestNode;
  let dataDir: string;
  let server: RedisServer;
  let redis: Redis;
  let inspect: Redis;
  let client: SigningStargateClient;
  let alice: string;
  let community: bigint;
  const queues = new Map<string, Queue<BlockJobData>>();
  const bridges: BlockBridge[] = [];

  const newBridge = () => {
    const bridge = new BlockBridge(
      {
        node: httpNodeRpc(net.rpcUrl),
        redis,
        logger: silentLogger(),
        newBlocks: new NewBlockListener(net.rpcUrl),
      },
      { pollMs: 200 },
    );
    bridges.push(bridge);
    return bridge;
  };

  async function jobs(queue: string) {
    return (await queues.get(queue)!.getJobs([...STATES], 0, -1)).filter((j) => j !== undefined);
  }

  /** Every queue's jobs by height: a height with two jobs on one queue fails the test. */
  async function jobsByHeight(): Promise<Map<string, Map<number, { id: string; added: number }>>> {
    const out = new Map<string, Map<number, { id: string; added: number }>>();
    for (const q of QUEUES) {
      const byHeight = new Map<number, { id: string; added: number }>();
      for (const j of await jobs(q)) {
        expect(byHeight.has(j.data.height), `${q} has two jobs for block ${j.data.height}`).toBe(false);
        expect(j.id).toBe(`${q}-${j.data.height}`);
        byHeight.set(j.data.height, { id: j.id!, added: j.timestamp });
      }
      out.set(q, byHeight);
    }
    return out;
  }

  async function post(title: string): Promise<{ height: number; id: bigint; tx: DeliverTxResponse }> {
    const tx = await client.signAndBroadcast(
      alice,
      [vivimMsg(MsgCreatePost, { author: alice, communityId: community, title, body: "hello, workers" })],
      FEE,
    );
    expect(tx.code).toBe(0);
    return { height: tx.height, id: msgResponse(tx, MsgCreatePostResponse).id, tx };
  }

  beforeAll(async () => {
    net = await startTestNode();
    dataDir = mkdtempSync(path.join(tmpdir(), "vivim-redis-"));
    server = new RedisServer({ dataDir, port: await freePort() });
    await server.start();
    redis = connectRedis(server.url, "producer");
    inspect = connectRedis(server.url, "producer");
    for (const name of QUEUES) {
      const q = new Queue<BlockJobData>(name, { connection: inspect, prefix: QUEUE_PREFIX });
      q.on("error", () => undefined); // the outage below is on purpose
      queues.set(name, q);
    }
    const account = net.accounts[0]!;
    alice = account.address;
    client = await connectVivim(net.rpcUrl, account.wallet, POLL);
    const reg = await client.signAndBroadcast(
      alice,
      [vivimMsg(MsgRegisterProfile, { creator: alice, handle: "alice", displayName: "Alice" })],
      FEE,
    );
    expect(reg.code).toBe(0);
    const made = await client.signAndBroadcast(
      alice,
      [
        vivimMsg(MsgCreateCommunity, {
          creator: alice,
          slug: "general",
          name: "General",
          visibility: Visibility.PUBLIC,
        }),
      ],
      FEE,
    );
    expect(made.code).toBe(0);
    community = msgResponse(made, MsgCreateCommunityResponse).communityId;
  });

  afterAll(async () => {
    for (const b of bridges) await b.stop();
    for (const q of queues.values()) await q.close();
    client?.disconnect();
    redis?.disconnect();
    inspect?.disconnect();
    await server?.stop();
    await net?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("a missing redis-server binary is a coded error naming the install command", async () => {
    const missing = new RedisServer({ dataDir, port: await freePort(), binary: "/nonexistent/redis-server" });
    const err = await missing.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkersError);
    expect((err as WorkersError).code).toBe("REDIS_NOT_INSTALLED");
    expect((err as WorkersError).message).toContain("apt-get install -y redis-server");
  });

  it("the private redis-server runs with AOF on and noeviction", async () => {
    expect(await redis.config("GET", "appendonly")).toEqual(["appendonly", "yes"]);
    expect(await redis.config("GET", "maxmemory-policy")).toEqual(["maxmemory-policy", "noeviction"]);
    expect(await redis.config("GET", "dir")).toEqual(["dir", path.resolve(dataDir)]);
  });

  it("refuses to feed queues whose cursor belongs to another chain", async () => {
    await writeCursor(redis, "vivimother", { chainId: "another-chain-1", height: 3 });
    const bridge = new BlockBridge(
      { node: httpNodeRpc(net.rpcUrl), redis, logger: silentLogger() },
      { prefix: "vivimother" },
    );
    const err = await bridge.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkersError);
    expect((err as WorkersError).code).toBe("CHAIN_MISMATCH");
  });

  it("enqueues exactly one job per interested queue for the block of a post, with its event", async () => {
    const bridge = newBridge();
    await bridge.start();
    const p = await post("first");
    await until("the bridge to pass the post's block", () => bridge.processedHeight >= p.height);

    const done = bridge.processedHeight;
    const byHeight = await jobsByHeight();
    for (const q of ["feed", "moderation", "health"]) expect(byHeight.get(q)!.has(p.height)).toBe(true);
    expect(byHeight.get("reputation")!.has(p.height)).toBe(false);
    // Health gets every block from the first; feed also got the community's creation.
    for (let h = 1; h <= done; h++) expect(byHeight.get("health")!.has(h), `health job for ${h}`).toBe(true);

    const feed = (await queues.get("feed")!.getJob(`feed-${p.height}`))!.data;
    expect(feed).toMatchObject({ v: 1, height: p.height, queue: "feed", txCount: 1, truncated: false });
    expect(feed.events).toEqual([
      {
        type: SocialEvents.PostCreated,
        tx: p.tx.transactionHash,
        attributes: { content_id: String(p.id), community_id: String(community), author: alice },
      },
    ]);
    const moderation = (await queues.get("moderation")!.getJob(`moderation-${p.height}`))!.data;
    expect(moderation.events.map((e) => e.type)).toEqual([SocialEvents.PostCreated]);
    const health = (await queues.get("health")!.getJob(`health-${p.height}`))!.data;
    expect(health).toMatchObject({ height: p.height, txCount: 1, eventCount: 0, events: [] });
    expect((await readCursor(redis, QUEUE_PREFIX))?.height).toBeGreaterThanOrEqual(p.height);
  });

  it("a restarted bridge resumes from its cursor, and a replay from height 1 adds no second job", async () => {
    const first = bridges.at(-1)!;
    await first.stop();
    const stoppedAt = first.processedHeight;
    const before = await jobsByHeight();

    const resumed = newBridge();
    await resumed.start();
    expect(resumed.processedHeight).toBe(stoppedAt);
    const p = await post("second");
    await until("the resumed bridge to pass the new post", () => resumed.processedHeight >= p.height);
    await resumed.stop();

    // An operator's replay: the cursor set back to the start.
    const cursor = await readCursor(redis, QUEUE_PREFIX);
    await writeCursor(redis, QUEUE_PREFIX, { chainId: cursor!.chainId, height: 0 });
    const replay = newBridge();
    await replay.start();
    expect(replay.processedHeight).toBe(0);
    await until("the replay to catch up", () => replay.processedHeight >= p.height);

    const after = await jobsByHeight();
    for (const q of QUEUES) {
      // Every job from before is still the same job (added once, at the same time).
      for (const [height, job] of before.get(q)!) expect(after.get(q)!.get(height)).toEqual(job);
    }
    expect(after.get("feed")!.has(p.height)).toBe(true);
    expect(after.get("moderation")!.has(p.height)).toBe(true);
  });

  it("redis-server restarted mid-stream: nothing queued is lost and blocks committed meanwhile are bridged", async () => {
    const bridge = bridges.at(-1)!;
    const before = await jobsByHeight();
    await server.stop();
    const p = await post("while redis is down");
    // The post's block committed while Redis was down: the bridge could not have queued it yet.
    expect(bridge.processedHeight).toBeLessThan(p.height);
    await server.start();
    await until(
      "the bridge to catch up after redis came back",
      () => bridge.processedHeight >= p.height,
      45_000,
    );

    const after = await jobsByHeight();
    for (const q of QUEUES) {
      for (const [height, job] of before.get(q)!) expect(after.get(q)!.get(height)).toEqual(job);
    }
    const feed = (await queues.get("feed")!.getJob(`feed-${p.height}`))!.data;
    expect(feed.events).toEqual([
      {
        type: SocialEvents.PostCreated,
        tx: p.tx.transactionHash,
        attributes: { content_id: String(p.id), community_id: String(community), author: alice },
      },
    ]);
    // Health: one job for each block from 1 to the cursor, none missing across the outage.
    const health = after.get("health")!;
    for (let h = 1; h <= bridge.processedHeight; h++) expect(health.has(h), `health job for ${h}`).toBe(true);
  }, 90_000);
});
