/**
 * kill -9 at arbitrary moments while txs flow: the node must come back at exactly the blocks it had
 * committed (same hashes, same app hashes), lose no committed tx, and carry on committing.
 */
import { SigningStargateClient } from "@cosmjs/stargate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProcessNode, type ProcessNode, rpcCall } from "../support/process.js";
import { signedSends } from "../support/sends.js";

interface BlockSeen {
  hash: string;
  appHash: string;
}

const fee = { amount: [{ denom: "uvivim", amount: "100" }], gas: "200000" };

describe("restart after kill -9", () => {
  let node: ProcessNode;

  beforeAll(async () => {
    node = await createProcessNode();
    await node.start();
  });

  afterAll(async () => {
    await node?.kill("SIGKILL");
  });

  async function blockAt(height: number): Promise<BlockSeen> {
    const r = await rpcCall<{ block_id: { hash: string }; block: { header: { app_hash: string } } }>(
      node.rpcUrl,
      "block",
      {
        height: String(height),
      },
    );
    return { hash: r.block_id.hash, appHash: r.block.header.app_hash };
  }

  it("comes back at the same committed height and app hash, loses no committed tx, and continues", async () => {
    const [alice, bob] = node.accounts;
    const seenBlocks = new Map<number, BlockSeen>();
    const committed = new Map<string, string>(); // tx hash -> height

    for (let round = 0; round < 4; round++) {
      const txs = await signedSends(node.rpcUrl, alice!, bob!.address, {
        count: 30,
        amount: "7",
        memo: (i) => `r${round}-${i}`,
      });

      // Stream the txs and kill -9 at a moment that varies per round, while blocks are committing.
      const killAfterMs = 50 + round * 170;
      const sending = (async () => {
        for (const tx of txs) {
          try {
            await rpcCall(node.rpcUrl, "broadcast_tx_sync", { tx: Buffer.from(tx).toString("base64") });
          } catch {
            return; // the node is gone
          }
          await new Promise((r) => setTimeout(r, 15));
        }
      })();
      await new Promise((r) => setTimeout(r, killAfterMs));

      // Record what the node reports as committed right before the kill.
      const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(node.rpcUrl, "status");
      const height = Number(status.sync_info.latest_block_height);
      for (let h = Math.max(1, height - 3); h <= height; h++) seenBlocks.set(h, await blockAt(h));
      const found = await rpcCall<{ txs: Array<{ hash: string; height: string }> }>(
        node.rpcUrl,
        "tx_search",
        {
          query: `message.sender='${alice!.address}'`,
          per_page: "100",
          order_by: "desc",
        },
      );
      for (const t of found.txs) committed.set(t.hash, t.height);

      expect(await node.kill("SIGKILL")).toBeNull();
      await sending;
      await node.start();

      const after = await rpcCall<{ sync_info: { latest_block_height: string } }>(node.rpcUrl, "status");
      expect(Number(after.sync_info.latest_block_height)).toBeGreaterThanOrEqual(height);
      for (const [h, seen] of seenBlocks) expect(await blockAt(h), `block ${h}`).toEqual(seen);
      for (const [hash, h] of committed) {
        const tx = await rpcCall<{ height: string; tx_result: { code: number } }>(node.rpcUrl, "tx", {
          hash,
        });
        expect(tx.height, `tx ${hash}`).toBe(h);
      }
    }

    // Still live: a new tx commits after all the kills.
    const client = await SigningStargateClient.connectWithSigner(node.rpcUrl, bob!.wallet, {
      broadcastPollIntervalMs: 200,
    });
    const result = await client.sendTokens(
      bob!.address,
      alice!.address,
      [{ denom: "uvivim", amount: "1" }],
      fee,
    );
    expect(result.code).toBe(0);
    client.disconnect();
    expect(committed.size).toBeGreaterThan(0);
  });
});
