/**
 * Mempool admission limits on a real node: per-account cap, total cap, duplicates, and the order
 * of an account's pending txs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastConfig, startTestNode, type TestNode } from "../support/node.js";
import { rpcCall } from "../support/process.js";
import { signedSends } from "../support/sends.js";

describe("mempool limits", () => {
  let net: TestNode;

  beforeAll(async () => {
    const cfg = fastConfig();
    net = await startTestNode({
      config: {
        ...cfg,
        mempool: { ...cfg.mempool, size: 4, max_txs_per_account: 3 },
        // Long block times keep the txs pending while the test looks at the mempool.
        consensus: { ...cfg.consensus, timeout_commit: 4000, create_empty_blocks_interval: 60_000 },
      },
    });
  });

  afterAll(async () => {
    await net?.stop();
  });

  async function signedTxs(index: number, count: number): Promise<string[]> {
    const txs = await signedSends(net.rpcUrl, net.accounts[index]!, net.accounts[2]!.address, { count });
    return txs.map((tx) => Buffer.from(tx).toString("base64"));
  }

  it("rejects a tx whose sequence skips ahead with code 32, leaving the mempool empty", async () => {
    const txs = await signedTxs(2, 2);
    const skipped = await rpcCall<{ code: number; log: string }>(net.rpcUrl, "broadcast_tx_sync", {
      tx: txs[1],
    });
    expect(skipped.code).toBe(32);
    expect(skipped.log).toMatch(/expected \d+, got \d+/);
    expect((await rpcCall<{ n_txs: string }>(net.rpcUrl, "num_unconfirmed_txs")).n_txs).toBe("0");
  });

  it("caps txs per account and in total with code 20, and refuses a duplicate with code 19", async () => {
    const alice = await signedTxs(0, 4);
    const bob = await signedTxs(1, 2);
    const codes: number[] = [];
    for (const tx of alice)
      codes.push((await rpcCall<{ code: number }>(net.rpcUrl, "broadcast_tx_sync", { tx })).code);
    expect(codes).toEqual([0, 0, 0, 20]);
    const dup = await rpcCall<{ code: number }>(net.rpcUrl, "broadcast_tx_sync", { tx: alice[0] });
    expect(dup.code).toBe(19);
    expect((await rpcCall<{ code: number }>(net.rpcUrl, "broadcast_tx_sync", { tx: bob[0] })).code).toBe(0);
    const full = await rpcCall<{ code: number; log: string }>(net.rpcUrl, "broadcast_tx_sync", {
      tx: bob[1],
    });
    expect(full.code).toBe(20);
    expect(full.log).toMatch(/mempool/);
    const pending = await rpcCall<{ n_txs: string }>(net.rpcUrl, "num_unconfirmed_txs");
    expect(pending.n_txs).toBe("4");
  });
});
