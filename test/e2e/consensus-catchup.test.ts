/**
 * Two consensus races found by the QA run's pause and isolate perturbations, replayed on purpose
 * with four real in-process validators (test/support/linked-validators.ts) whose wire the test
 * controls:
 * - a validator that missed every precommit of a height, in a step with no timer running, asks its
 *   peers for the height after the stall time and adopts the committed block by block-sync;
 * - a decision for a block that block-sync committed first (both paths at once) changes nothing:
 *   no second commit, no error, and consensus goes on;
 * - proposals and votes that reach a validator after it stopped (its WAL closed) are ignored, not
 *   logged: a full run once failed on such a message thrown out of the WAL.
 */
import { afterEach, describe, expect, it } from "vitest";
import { blockIdOf } from "../../chain/consensus/block-builder.js";
import { SignedMsgType } from "../../chain/consensus/messages.js";
import { toHex } from "../../chain/crypto/hash.js";
import type { VivimNode } from "../../chain/node/node.js";
import { decodeBlock } from "../../chain/types/codec.js";
import { type LinkedValidators, releaseHeld, startLinkedValidators } from "../support/linked-validators.js";
import { until } from "../support/until.js";

/** The height whose precommits one validator misses (a few heights in, past genesis' special case). */
const H = 3n;

/** Block hash and app hash at heights 1..upTo, from the node's block store. */
async function chainOf(node: VivimNode, upTo: bigint): Promise<string[]> {
  const out: string[] = [];
  for (let h = 1n; h <= upTo; h++) {
    const block = await node.blockStore.getBlock(h);
    out.push(block ? `${toHex(blockIdOf(block).hash)}/${toHex(block.header.appHash)}` : "missing");
  }
  return out;
}

const heightOf = (node: VivimNode) => node.blockStore.latestHeight;

/** Precommits of height H addressed to its round-0 proposer: that validator is left with no timer. */
const precommitToProposer = (
  linked: LinkedValidators,
  to: number,
  m: Parameters<LinkedValidators["route"]>[2],
) =>
  m.kind === "vote" &&
  m.vote.type === SignedMsgType.Precommit &&
  m.vote.height === H &&
  linked.proposers.get(H) === to;

/** Waits until `node` has committed `height`; an error any node logs meanwhile ends the wait and fails. */
async function committedOrError(net: LinkedValidators, node: VivimNode, height: bigint, what: string) {
  await until(`${what} (or an error)`, () => heightOf(node) >= height || net.errors.length > 0, 30_000);
  expect(net.errors).toEqual([]);
}

async function syncedBlocks(node: VivimNode): Promise<number> {
  return (await node.metrics.syncedBlocks.get()).values.reduce((sum, v) => sum + v.value, 0);
}

describe("consensus catch-up races among four in-process validators", () => {
  let linked: LinkedValidators | undefined;

  afterEach(async () => {
    await linked?.stop();
    linked = undefined;
  });

  it("a validator that missed a height's precommits catches up by block-sync after the stall time", async () => {
    linked = await startLinkedValidators({ count: 4, stallCatchupMs: 1_000 });
    const net = linked;
    // The proposer of H precommits its own block with +2/3 prevotes in hand, so it has neither a
    // prevote nor a precommit timer: only the stall timer can get it out of H.
    net.route = (_from, to, m) => (precommitToProposer(net, to, m) ? "drop" : "deliver");
    await until("H to be proposed", () => net.proposers.has(H));
    const stalled = net.proposers.get(H)!;
    const others = net.nodes.filter((_, i) => i !== stalled);
    const node = net.nodes[stalled]!;

    await until("the others to commit two heights past H", () => others.every((n) => heightOf(n) >= H + 2n));
    await committedOrError(net, node, H + 2n, "the stalled validator to catch up");
    expect(await syncedBlocks(node)).toBeGreaterThanOrEqual(1);
    const reference = await chainOf(others[0]!, H + 2n);
    expect(await chainOf(node, H + 2n)).toEqual(reference);
    for (const other of others.slice(1)) expect(await chainOf(other, H + 2n)).toEqual(reference);
    expect(net.penalties).toEqual([]);
  });

  it("a decision for a block that block-sync committed first is not a second commit nor an error", async () => {
    // The default stall time (10 s) is far longer than this scenario's window: the validator's
    // only ways out of H are the two the test opens at the same moment.
    linked = await startLinkedValidators({ count: 4 });
    const net = linked;
    net.route = (_from, to, m) => (precommitToProposer(net, to, m) ? "hold" : "deliver");
    await until("H to be proposed", () => net.proposers.has(H));
    const racing = net.proposers.get(H)!;
    const node = net.nodes[racing]!;
    const peer = net.nodes[(racing + 1) % net.nodes.length]!;
    await until("a peer to commit H", () => heightOf(peer) >= H);
    expect(heightOf(node)).toBe(H - 1n);
    // The peer committed with +2/3 precommits, so at least two besides the racing validator's own
    // were sent to it and held: enough for it to decide H once they arrive.
    expect(net.held.get(racing)?.length).toBeGreaterThanOrEqual(2);
    const bytes = (await peer.blockStore.getBlockBytes(H))!;
    const commit = (await peer.blockStore.getSeenCommit(H))!;

    // In one synchronous stretch: the held precommits (the engine queues their processing, which
    // decides H and queues the commit of the decision) and the committed block from block-sync
    // (queued between the two). Block-sync commits H first; the decision then finds it the tip.
    releaseHeld(net, racing);
    const adopted = node.consensus.applyCommittedBlock(decodeBlock(bytes), bytes.length, commit);
    expect(await adopted).toBe(true);

    await committedOrError(net, node, H + 2n, "the racing validator to go on committing");
    expect(await syncedBlocks(node)).toBeGreaterThanOrEqual(1);
    expect(await chainOf(node, H + 2n)).toEqual(await chainOf(peer, H + 2n));
  });

  it("a stopped validator ignores the proposals and votes still on their way to it", async () => {
    linked = await startLinkedValidators({ count: 4 });
    const net = linked;
    const node = net.nodes[0]!;
    await until("validator 0 to commit height 2", () => heightOf(node) >= 2n);
    // Hold everything addressed to validator 0: it stays in its height while the other three (3/4
    // of the power) go on, so what it holds includes their votes for the height it is in.
    net.route = (_from, to) => (to === 0 ? "hold" : "deliver");
    await until("the others to commit two heights past validator 0", () =>
      net.nodes.slice(1).every((n) => heightOf(n) >= heightOf(node) + 2n),
    );
    const held = net.held.get(0) ?? [];
    const open = heightOf(node) + 1n;
    expect(held.some((m) => m.kind === "vote" && m.vote.height === open)).toBe(true);

    // Its engine, WAL and database close; the held messages arrive after, as late gossip would.
    await net.stopNode(0);
    const verdicts = held.map((m) =>
      m.kind === "vote" ? node.consensus.receiveVote(m.vote) : node.consensus.receiveProposal(m.msg),
    );
    expect(new Set(verdicts)).toEqual(new Set(["ignore"]));
    expect(net.errors).toEqual([]);
  });
});
