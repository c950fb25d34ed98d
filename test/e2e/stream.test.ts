/**
 * The app API's live event stream `/v1/stream` against a real in-process node and app API, with the
 * real `ws` client and cosmjs signers: ADR-036 session auth (good, bad, none), frame codes, the
 * blocks / community / thread / notifications topics fed by real txs, resume from a cursor after a
 * disconnect (every event exactly once), and a client that never reads being dropped while the node
 * keeps committing.
 */
import type { EncodeObject } from "@cosmjs/proto-signing";
import { calculateFee, GasPrice, type SigningStargateClient } from "@cosmjs/stargate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServer } from "../../chain/api/server.js";
import {
  connectVivim,
  MsgCreateComment,
  MsgCreateCommentResponse,
  MsgCreateCommunity,
  MsgCreateCommunityResponse,
  MsgCreatePost,
  MsgCreatePostResponse,
  MsgFollow,
  MsgJoinCommunity,
  MsgReact,
  MsgRegisterProfile,
  MsgVote,
  msgResponse,
  Visibility,
  VoteDirection,
  vivimMsg,
} from "../../client/index.js";
import { startTestNode, type TestNode } from "../support/node.js";
import { type EventFrame, StreamClient, signChallenge, until } from "../support/stream-client.js";

const FEE = calculateFee(600_000, GasPrice.fromString("0.025uvivim"));
const POLL = { broadcastPollIntervalMs: 100, broadcastTimeoutMs: 20_000 };

const cursorKey = (c: string): [bigint, number] => {
  const [h, i] = c.split(".");
  return [BigInt(h!), Number(i)];
};
const isBefore = (a: string, b: string): boolean => {
  const [ah, ai] = cursorKey(a);
  const [bh, bi] = cursorKey(b);
  return ah < bh || (ah === bh && ai < bi);
};

describe("app API /v1/stream", () => {
  let net: TestNode;
  let api: ApiServer;
  let url: string;
  const clients: SigningStargateClient[] = [];
  const addr: string[] = [];
  const streams: StreamClient[] = [];
  let general: bigint;

  const open = async () => {
    const c = await StreamClient.open(url);
    streams.push(c);
    return c;
  };

  async function send(who: number, msg: EncodeObject) {
    const tx = await clients[who]!.signAndBroadcast(addr[who]!, [msg], FEE);
    expect(tx.code, tx.rawLog).toBe(0);
    return tx;
  }
  const post = async (who: number, title: string) =>
    msgResponse(
      await send(
        who,
        vivimMsg(MsgCreatePost, { author: addr[who]!, communityId: general, title, body: "hi" }),
      ),
      MsgCreatePostResponse,
    ).id;
  const comment = async (who: number, parentId: bigint, body = "reply") =>
    msgResponse(
      await send(who, vivimMsg(MsgCreateComment, { author: addr[who]!, parentId, body })),
      MsgCreateCommentResponse,
    ).id;

  beforeAll(async () => {
    net = await startTestNode();
    // Small caps where a test needs to reach them quickly.
    api = new ApiServer(net.node, {
      stream: { maxSubscriptionsPerSession: 2_000, maxPendingBytes: 256 * 1024, drainTimeoutMs: 1_000 },
    });
    await api.start();
    url = `ws://127.0.0.1:${api.port}/v1/stream`;
    for (const account of net.accounts.slice(0, 3)) {
      addr.push(account.address);
      clients.push(await connectVivim(net.rpcUrl, account.wallet, POLL));
    }
    await Promise.all(
      ["alice", "bob", "carol"].map((handle, i) =>
        send(i, vivimMsg(MsgRegisterProfile, { creator: addr[i]!, handle, displayName: handle })),
      ),
    );
    general = msgResponse(
      await send(
        0,
        vivimMsg(MsgCreateCommunity, {
          creator: addr[0]!,
          slug: "general",
          name: "general",
          visibility: Visibility.PUBLIC,
        }),
      ),
      MsgCreateCommunityResponse,
    ).communityId;
    for (const who of [1, 2])
      await send(who, vivimMsg(MsgJoinCommunity, { member: addr[who]!, communityId: general }));
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) s.ws.terminate();
    for (const c of clients) c.disconnect();
    await api?.stop();
    await net?.stop();
  });

  it("authenticates sessions by an ADR-036 signature over the connection's nonce", async () => {
    const none = await open();
    expect(none.challenge.chain_id).toBe("vivim-test-1");
    expect(none.challenge.nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await none.request({ type: "subscribe", id: "a", topic: { kind: "blocks" } }, "subscribed"),
    ).toMatchObject({ type: "error", code: "UNAUTHENTICATED" });
    expect(await none.request({ type: "ping" }, "pong")).toMatchObject({ code: "UNAUTHENTICATED" });

    const other = await open();
    expect(other.challenge.nonce).not.toBe(none.challenge.nonce);
    // A signature over another connection's nonce does not open this one, and the socket closes.
    expect(await other.auth(net.accounts[0]!, none.challenge.nonce)).toMatchObject({ code: "BAD_SIGNATURE" });
    await until("the socket to close", () => other.closed !== undefined);
    expect(other.closed?.code).toBe(1008);
    // Another account's key claiming alice's address.
    const forged = await open();
    const bobSig = await signChallenge(net.accounts[1]!, forged.challenge.chain_id, forged.challenge.nonce);
    expect(
      await forged.request({ type: "auth", ...bobSig, address: addr[0] }, "authenticated"),
    ).toMatchObject({
      code: "BAD_SIGNATURE",
    });

    expect(await none.auth(net.accounts[0]!)).toEqual({ type: "authenticated", address: addr[0] });
    expect(await none.request({ type: "ping" }, "pong")).toEqual({ type: "pong" });
    expect(await none.auth(net.accounts[0]!)).toMatchObject({ code: "ALREADY_AUTHENTICATED" });
    none.close();
  });

  it("answers oversized and malformed frames, bad topics and cursors with their codes", async () => {
    const s = await open();
    await s.auth(net.accounts[1]!);
    const pad = "x".repeat(20 * 1024);
    expect(await s.request(`{"type":"ping","pad":"${pad}"}`, "pong")).toMatchObject({
      code: "FRAME_TOO_LARGE",
    });
    expect(await s.request("{not json", "pong")).toMatchObject({ code: "BAD_FRAME" });
    expect(await s.request({ type: "dance" }, "pong")).toMatchObject({ code: "BAD_FRAME" });
    expect(await s.subscribe("a", { kind: "everything" })).toMatchObject({ code: "BAD_TOPIC" });
    expect(await s.subscribe("a", { kind: "community", id: "x" })).toMatchObject({ code: "BAD_TOPIC" });
    expect(await s.subscribe("a", { kind: "blocks" }, "nope")).toMatchObject({ code: "BAD_CURSOR" });
    expect(await s.subscribe("a", { kind: "blocks" }, "999999999.0")).toMatchObject({
      code: "CURSOR_AHEAD",
      sub: "a",
    });
    expect(await s.subscribe("a", { kind: "blocks" })).toMatchObject({ type: "subscribed", id: "a" });
    expect(await s.subscribe("a", { kind: "blocks" })).toMatchObject({ code: "DUPLICATE_SUBSCRIPTION" });
    expect(await s.request({ type: "unsubscribe", id: "zz" }, "unsubscribed")).toMatchObject({
      code: "UNKNOWN_SUBSCRIPTION",
    });
    expect(await s.request({ type: "unsubscribe", id: "a" }, "unsubscribed")).toEqual({
      type: "unsubscribed",
      id: "a",
    });
    // The socket stays usable after every refusal.
    expect(await s.request({ type: "ping" }, "pong")).toEqual({ type: "pong" });
    s.close();
  });

  it("routes real txs to blocks, community, thread and notifications subscriptions", async () => {
    const alice = await open();
    await alice.auth(net.accounts[0]!);
    const bob = await open();
    await bob.auth(net.accounts[1]!);
    await alice.subscribe("community", { kind: "community", id: general.toString() });
    await alice.subscribe("notes", { kind: "notifications" });
    await bob.subscribe("blocks", { kind: "blocks" });

    const pA = await post(0, "alice's post");
    await alice.subscribe("thread", { kind: "thread", post: pA.toString() });
    const pB = await post(1, "bob's post");
    const c1 = await comment(1, pA, "bob replies to alice"); // notifies alice
    const c2 = await comment(2, c1, "carol replies to bob"); // not alice's
    await send(2, vivimMsg(MsgVote, { voter: addr[2]!, targetId: pA, direction: VoteDirection.UP })); // notifies alice
    await send(0, vivimMsg(MsgVote, { voter: addr[0]!, targetId: pB, direction: VoteDirection.UP })); // alice's own
    await send(1, vivimMsg(MsgReact, { reactor: addr[1]!, targetId: c1, emoji: ":rocket:" })); // bob on his own comment
    const reacted = await send(1, vivimMsg(MsgReact, { reactor: addr[1]!, targetId: pA, emoji: ":rocket:" })); // notifies alice
    await send(2, vivimMsg(MsgFollow, { follower: addr[2]!, target: addr[1]! })); // not alice
    const followed = await send(2, vivimMsg(MsgFollow, { follower: addr[2]!, target: addr[0]! })); // notifies alice

    await until("alice's notifications", () => alice.events("notes").length >= 4);
    await until("the community's events", () => alice.events("community").length >= 8);
    await until("the blocks", () => bob.events("blocks").some((e) => Number(e.height) >= followed.height));

    const types = (es: EventFrame[]) =>
      es.map(
        (e) =>
          `${e.event.type.replace("vivim.social.v1.", "")}:${e.event.attributes.content_id ?? e.event.attributes.target}`,
      );
    expect(types(alice.events("notes"))).toEqual([
      `EventCommentCreated:${c1}`,
      `EventVoted:${pA}`,
      `EventReacted:${pA}`,
      `EventFollowed:${addr[0]}`,
    ]);
    expect(types(alice.events("community"))).toEqual([
      `EventPostCreated:${pA}`,
      `EventPostCreated:${pB}`,
      `EventCommentCreated:${c1}`,
      `EventCommentCreated:${c2}`,
      `EventVoted:${pA}`,
      `EventVoted:${pB}`,
      `EventReacted:${c1}`,
      `EventReacted:${pA}`,
    ]);
    // Subscribed after pA's block (its PostCreated may or may not have gone out yet): its comments,
    // votes and reactions, nothing of pB.
    expect(types(alice.events("thread")).filter((t) => t !== `EventPostCreated:${pA}`)).toEqual([
      `EventCommentCreated:${c1}`,
      `EventCommentCreated:${c2}`,
      `EventVoted:${pA}`,
      `EventReacted:${c1}`,
      `EventReacted:${pA}`,
    ]);
    const react = alice.events("notes")[2]!;
    expect(react.tx).toBe(reacted.transactionHash);
    expect(react.height).toBe(String(reacted.height));

    // Each committed block once, in order, with its hash, time and tx count as the block store has them.
    const blocks = bob.events("blocks");
    for (let i = 1; i < blocks.length; i++)
      expect(Number(blocks[i]!.height)).toBe(Number(blocks[i - 1]!.height) + 1);
    for (const b of blocks.slice(0, 5)) {
      expect(b.cursor).toBe(`${b.height}.0`);
      const stored = await net.node.blockStore.getBlock(BigInt(b.height));
      expect(b.event.attributes.num_txs).toBe(String(stored!.txs.length));
      expect(b.event.attributes.hash).toMatch(/^[0-9A-F]{64}$/);
      expect(Date.parse(b.event.attributes.time!)).toBeGreaterThan(0);
    }
    const rpcBlock = (await (await fetch(`${net.rpcUrl}/block?height=${blocks[0]!.height}`)).json()) as {
      result: { block_id: { hash: string } };
    };
    expect(blocks[0]!.event.attributes.hash).toBe(rpcBlock.result.block_id.hash);
    alice.close();
    bob.close();
  });

  it("notifies the accounts a post or comment mentions, never its author, and a mentioned parent author once", async () => {
    const alice = await open();
    await alice.auth(net.accounts[0]!);
    const bob = await open();
    await bob.auth(net.accounts[1]!);
    const carol = await open();
    await carol.auth(net.accounts[2]!);
    for (const s of [alice, bob, carol]) await s.subscribe("notes", { kind: "notifications" });
    const mentioning = msgResponse(
      await send(
        2,
        vivimMsg(MsgCreatePost, {
          author: addr[2]!,
          communityId: general,
          title: "thanks @Bob",
          body: "and @alice, cc @carol; not `@nobody` nor me@alice.example",
        }),
      ),
      MsgCreatePostResponse,
    ).id;
    // Bob replies to carol's post mentioning her and alice: carol hears of it once, alice too.
    const reply = await comment(1, mentioning, "@carol @alice agreed");
    await until("bob's mention", () => bob.events("notes").length >= 1);
    await until("alice's mentions", () => alice.events("notes").length >= 2);
    await until("carol's reply", () => carol.events("notes").length >= 1);
    const ids = (s: StreamClient) =>
      s
        .events("notes")
        .map((e) => `${e.event.type.replace("vivim.social.v1.", "")}:${e.event.attributes.content_id}`);
    expect(ids(bob)).toEqual([`EventPostCreated:${mentioning}`]);
    expect(ids(alice)).toEqual([`EventPostCreated:${mentioning}`, `EventCommentCreated:${reply}`]);
    expect(ids(carol)).toEqual([`EventCommentCreated:${reply}`]);
    for (const s of [alice, bob, carol]) s.close();
  });

  it("a client that disconnects and resumes from its last cursor gets every event exactly once", async () => {
    const reference = await open();
    await reference.auth(net.accounts[2]!);
    await reference.subscribe("c", { kind: "community", id: general.toString() });
    const first = await open();
    await first.auth(net.accounts[2]!);
    await first.subscribe("c", { kind: "community", id: general.toString() });

    const root = await post(2, "resume thread");
    await comment(0, root);
    await comment(1, root);
    await until("the first session's events", () => first.events("c").length >= 3);
    const seenFirst = [...first.events("c")];
    const last = seenFirst.at(-1)!.cursor;
    first.ws.terminate();

    // Events while it is away, and more while it replays.
    await comment(0, root, "while away 1");
    await comment(1, root, "while away 2");
    const during = (async () => {
      let height = 0;
      for (let i = 0; i < 3; i++) {
        const tx = await send(
          i,
          vivimMsg(MsgCreateComment, { author: addr[i]!, parentId: root, body: `during ${i}` }),
        );
        height = tx.height;
      }
      return height;
    })();
    const second = await open();
    await second.auth(net.accounts[2]!);
    expect(await second.subscribe("c", { kind: "community", id: general.toString() }, last)).toMatchObject({
      type: "subscribed",
      from: last,
    });
    const lastHeight = await during;
    await until("the reference session's events", () =>
      reference.events("c").some((e) => Number(e.height) >= lastHeight),
    );
    const end = reference.events("c").at(-1)!.cursor;
    await until("the resumed session to catch up", () => second.events("c").some((e) => e.cursor === end));

    const all = [...seenFirst, ...second.events("c")].map((e) => e.cursor).filter((c) => !isBefore(end, c));
    expect(new Set(all).size).toBe(all.length);
    for (let i = 1; i < all.length; i++) expect(isBefore(all[i - 1]!, all[i]!)).toBe(true);
    const expected = reference
      .events("c")
      .map((e) => e.cursor)
      .filter((c) => !isBefore(end, c));
    expect(all).toEqual(expected);
    expect(second.events("c")[0]!.cursor).not.toBe(last);
    reference.close();
    second.close();
  });

  it("replays from any cursor inside the window and refuses one older than it", async () => {
    const s = await open();
    await s.auth(net.accounts[1]!);
    const tip = net.node.blockStore.latestHeight;
    // The window is 10,000 blocks and this chain is younger: height 1 is replayable.
    expect(await s.subscribe("old", { kind: "blocks" }, "1.0")).toMatchObject({ type: "subscribed" });
    await until("the replay", () => s.events("old").some((e) => BigInt(e.height) >= tip + 1n));
    const heights = s.events("old").map((e) => Number(e.height));
    expect(heights.slice(0, 3)).toEqual([2, 3, 4]); // after 1.0: block 1's own event is at the cursor
    for (let i = 1; i < heights.length; i++) expect(heights[i]).toBe(heights[i - 1]! + 1);
    s.close();

    // A second app API on the same node with a 5-block window.
    const narrow = new ApiServer(net.node, {
      stream: { maxReplayBlocks: 5, maxSessionsPerAddress: 1, maxSubscriptionsPerSession: 2 },
    });
    await narrow.start();
    try {
      const n = await StreamClient.open(`ws://127.0.0.1:${narrow.port}/v1/stream`);
      streams.push(n);
      await n.auth(net.accounts[1]!);
      expect(await n.subscribe("old", { kind: "blocks" }, "1.0")).toMatchObject({
        type: "error",
        code: "CURSOR_TOO_OLD",
        sub: "old",
      });
      const recent = `${net.node.blockStore.latestHeight - 2n}.0`;
      expect(await n.subscribe("recent", { kind: "blocks" }, recent)).toMatchObject({ type: "subscribed" });
      expect(await n.subscribe("me", { kind: "notifications" })).toMatchObject({ type: "subscribed" });
      expect(await n.subscribe("third", { kind: "blocks" })).toMatchObject({
        code: "TOO_MANY_SUBSCRIPTIONS",
      });
      // One session per address on this server: a second one for bob is refused and closed.
      const twice = await StreamClient.open(`ws://127.0.0.1:${narrow.port}/v1/stream`);
      streams.push(twice);
      expect(await twice.auth(net.accounts[1]!)).toMatchObject({ code: "TOO_MANY_SESSIONS" });
      await until("the second session to close", () => twice.closed !== undefined);
      n.close();
    } finally {
      await narrow.stop();
    }
  });

  it("drops a client that never reads, while the node keeps committing and others keep receiving", async () => {
    const drops = async () => (await net.node.metrics.streamSlowConsumerDrops.get()).values[0]?.value ?? 0;
    const dropsBefore = await drops();
    const watcher = await open();
    await watcher.auth(net.accounts[0]!);
    await watcher.subscribe("b", { kind: "blocks" });

    const slow = await open();
    await slow.auth(net.accounts[1]!);
    const tcp = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    for (let i = 0; i < 2_000; i++)
      slow.send({ type: "subscribe", id: `s${i}`, topic: { kind: "blocks" }, from: "1.0" });
    tcp.pause();
    const heightBefore = net.node.blockStore.latestHeight;
    const seen = watcher.events("b").length;
    await until("the slow session to be dropped", async () => (await drops()) > dropsBefore, 60_000);
    // The node kept committing and the other session kept receiving while the slow one filled up
    // (and after it was dropped).
    await until("more blocks", () => net.node.blockStore.latestHeight >= heightBefore + 2n);
    await until("the watcher's blocks", () => watcher.events("b").length >= seen + 2);
    const watched = watcher.events("b").map((e) => Number(e.height));
    for (let i = 1; i < watched.length; i++) expect(watched[i]).toBe(watched[i - 1]! + 1);
    tcp.resume();
    await until("the slow client to see its error", () =>
      slow.frames.some((f) => f.type === "error" && f.code === "SLOW_CONSUMER"),
    );
    await until("the slow socket to close", () => slow.closed !== undefined);
    expect(slow.closed?.code).toBe(4008);
    const metrics = await (await fetch(`http://127.0.0.1:${api.port}/metrics`)).text();
    expect(metrics).toMatch(/vivim_stream_slow_consumer_drops_total [1-9]/);
    expect(metrics).toMatch(/vivim_stream_events_delivered_total [1-9]/);
    expect(metrics).toMatch(/vivim_stream_sessions \d/);
    watcher.close();
  }, 120_000);
});
