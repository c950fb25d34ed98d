/**
 * A permitted but hostile peer over real libp2p: malformed, oversized, wrongly signed and
 * out-of-height consensus messages are rejected and counted, the node keeps committing, the peer is
 * banned once its offences add up, and a peer outside the permissioned set is never let in.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeIdOf } from "../../chain/config/home.js";
import { SignedMsgType } from "../../chain/consensus/messages.js";
import { encodeProposalMessage, encodeVote } from "../../chain/consensus/wire.js";
import type { NodeMetrics } from "../../chain/metrics/metrics.js";
import type { P2pHost } from "../../chain/p2p/host.js";
import { chainTopics } from "../../chain/p2p/topics.js";
import { encodeTxBatch } from "../../chain/p2p/tx-batch.js";
import { NIL_BLOCK_ID } from "../../chain/types/block.js";
import { timestampFromMs } from "../../chain/types/timestamp.js";
import { fastConfig, startTestNode, type TestNode } from "../support/node.js";
import { testPeer } from "../support/peer.js";
import { freePort } from "../support/process.js";

function newNodeKey() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  return { id: nodeIdOf(raw), publicKey: raw, privateKey };
}

async function counter(metrics: NodeMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return Number(value?.value ?? 0);
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("hostile peers", () => {
  let victim: TestNode;
  let port: number;
  const rogueKey = newNodeKey();
  const txRogueKey = newNodeKey();
  const hosts: P2pHost[] = [];

  function peerHost(key: ReturnType<typeof newNodeKey>): P2pHost {
    const host = testPeer(victim.node.chainId, key, [
      { id: victim.node.nodeKey.id, host: "127.0.0.1", port },
    ]);
    hosts.push(host);
    return host;
  }

  beforeAll(async () => {
    port = await freePort();
    const base = fastConfig();
    victim = await startTestNode({
      config: {
        ...base,
        p2p: {
          ...base.p2p,
          laddr: `tcp://127.0.0.1:${port}`,
          allowed_node_ids: `${rogueKey.id},${txRogueKey.id}`,
        },
      },
    });
  });

  afterAll(async () => {
    for (const h of hosts) await h.stop();
    await victim?.stop();
  });

  it("rejects and counts bad consensus messages, keeps committing, and bans the sender", async () => {
    const rogue = peerHost(rogueKey);
    await rogue.start();
    await until(() => victim.node.network.host.connectedNodeIds().includes(rogueKey.id));
    const topics = chainTopics(victim.node.chainId);
    const m = victim.node.metrics;
    const validator = victim.node.validators.getByIndex(0)!;
    const vote = (height: bigint, signature: Uint8Array) =>
      encodeVote({
        type: SignedMsgType.Prevote,
        height,
        round: 0,
        blockId: NIL_BLOCK_ID,
        timestamp: timestampFromMs(Date.now()),
        validatorAddress: validator.address,
        validatorIndex: 0,
        signature,
      });
    const heightBefore = victim.node.consensus.height;

    // Gossip reaches the victim only once it has seen the rogue's subscriptions: resend until counted.
    const rejectedFor = (reason: string) => counter(m, "vivim_p2p_rejected_messages_total", { reason });
    const sendUntilRejected = (topic: string, bytes: () => Uint8Array, reason: string) =>
      until(async () => {
        await rogue.publish(topic, bytes());
        await new Promise((r) => setTimeout(r, 200));
        return (await rejectedFor(reason)) >= 1;
      });
    await sendUntilRejected(topics.votes, () => randomBytes(100), "malformed");
    await sendUntilRejected(topics.votes, () => randomBytes(4096), "oversized");
    await sendUntilRejected(
      topics.votes,
      () => vote(victim.node.consensus.height + 1_000n, randomBytes(64)),
      "wrong_height",
    );

    // Forged signatures on a vote and a proposal for the height in progress.
    await rogue.publish(topics.votes, vote(victim.node.consensus.height + 1n, randomBytes(64)));
    const forged = encodeProposalMessage({
      proposal: {
        height: victim.node.consensus.height + 1n,
        round: 0,
        polRound: -1,
        blockId: { hash: randomBytes(32), parts: { total: 1, hash: randomBytes(32) } },
        timestamp: timestampFromMs(Date.now()),
        signature: randomBytes(64),
      },
      block: randomBytes(200),
    });
    await rogue.publish(topics.proposals, forged);
    await until(async () => (await counter(m, "vivim_p2p_peer_bans_total", {})) >= 1);
    expect(
      await counter(m, "vivim_p2p_gossip_messages_total", { topic: "votes", verdict: "reject" }),
    ).toBeGreaterThanOrEqual(3);

    // Banned: disconnected, and its redials are refused.
    await until(() => !victim.node.network.host.connectedNodeIds().includes(rogueKey.id));
    await until(
      async () => (await counter(m, "vivim_p2p_refused_connections_total", { reason: "banned" })) >= 1,
    );

    // None of it stalled consensus.
    await until(() => victim.node.consensus.height >= heightBefore + 3n);
  }, 60_000);

  it("rejects a tx batch that does not decode or carries a tx that does not, and forwards neither", async () => {
    const rogue = peerHost(txRogueKey);
    await rogue.start();
    await until(() => victim.node.network.host.connectedNodeIds().includes(txRogueKey.id));
    const topics = chainTopics(victim.node.chainId);
    const m = victim.node.metrics;
    const rejectedBatches = () =>
      counter(m, "vivim_p2p_gossip_messages_total", { topic: "txs", verdict: "reject" });
    // Gossip reaches the victim only once it has seen the rogue's subscriptions: resend until counted.
    await until(async () => {
      await rogue.publish(topics.txs, encodeTxBatch([randomBytes(120)]));
      await new Promise((r) => setTimeout(r, 200));
      return (await rejectedBatches()) >= 1;
    });
    const before = await rejectedBatches();
    // Field 2 does not exist in a batch.
    await rogue.publish(topics.txs, Uint8Array.of(0x12, 0x01, 0x00));
    await until(async () => (await rejectedBatches()) > before);
    expect(victim.node.mempool.size).toBe(0);
    await rogue.stop();
    await until(() => !victim.node.network.host.connectedNodeIds().includes(txRogueKey.id));
  }, 30_000);

  it("refuses a peer whose node id is not in the permissioned set", async () => {
    const stranger = peerHost(newNodeKey());
    await stranger.start();
    const m = victim.node.metrics;
    await until(
      async () => (await counter(m, "vivim_p2p_refused_connections_total", { reason: "not_permitted" })) >= 1,
    );
    expect(victim.node.network.host.connectedNodeIds()).toEqual([]);
  }, 30_000);
});
