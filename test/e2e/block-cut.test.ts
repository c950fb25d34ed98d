/**
 * Where a height cuts its block on a real node. Under load, clients' txs arrive in bursts and the
 * verify pool checks a burst's signatures together; a height started at the first admitted tx
 * would propose that tx almost alone and leave the rest of its burst to a double-size block after.
 * The engine waits for the CheckTx calls already begun (at most a quarter of timeout_commit) both
 * when txs are waiting at the end of timeout_commit and when the first tx reaches an idle,
 * empty mempool. This test drives the second case, which only the e2e load showed before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommittedBlock } from "../../chain/consensus/engine.js";
import { fastConfig, startTestNode, type TestNode } from "../support/node.js";
import { signedSends } from "../support/sends.js";
import { until } from "../support/until.js";

/** Long enough that the check-in cap (a quarter of it) outlasts verifying the burst on a busy CI. */
const TIMEOUT_COMMIT_MS = 1_000;
const TXS_PER_ACCOUNT = 12;

describe("block cut", () => {
  let net: TestNode;

  beforeAll(async () => {
    const cfg = fastConfig();
    // An idle chain makes no empty blocks during the test: the next height waits for a tx.
    const consensus = {
      ...cfg.consensus,
      timeout_commit: TIMEOUT_COMMIT_MS,
      create_empty_blocks_interval: 600_000,
    };
    net = await startTestNode({ config: { ...cfg, consensus } });
  });

  afterAll(async () => {
    await net?.stop();
  });

  it("proposes a burst that reaches an idle, empty mempool in one block", async () => {
    const { node, accounts } = net;
    const burst = (
      await Promise.all(
        accounts.map((a, i) =>
          signedSends(net.rpcUrl, a, accounts[(i + 1) % accounts.length]!.address, {
            count: TXS_PER_ACCOUNT,
          }),
        ),
      )
    ).flat();
    await until("the first block", () => node.blockStore.latestHeight >= 1n);
    // Past timeout_commit with nothing to propose, the engine is waiting for the first tx.
    await new Promise((r) => setTimeout(r, TIMEOUT_COMMIT_MS + 500));
    expect(node.mempool.size).toBe(0);
    const idleHeight = node.blockStore.latestHeight;

    const blocks: CommittedBlock[] = [];
    node.consensus.on("committed", (c) => blocks.push(c));
    // All at once, as a client's burst reaches CheckTx: their signatures verify together.
    const outcomes = await Promise.all(burst.map((tx) => node.mempool.add(tx)));
    expect(outcomes.map((o) => o.code)).toEqual(burst.map(() => 0));
    await until(
      "the burst to commit",
      () => blocks.reduce((n, b) => n + b.block.txs.length, 0) >= burst.length,
    );

    expect(blocks[0]!.block.header.height).toBe(idleHeight + 1n);
    expect(blocks.map((b) => b.block.txs.length)).toEqual([burst.length]);
  });
});
