// Follows the chain from outside: every 250 ms each validator's height (the height-over-time series
// and the recovery measurements), and every committed block in order, fetched from whichever node
// has it, with its txs' hashes. `onCommit(hash, height, seenAt)` is called once per committed tx.
// Also the cheap agreement check during the run (sampleAgreement).
import { createHash } from "node:crypto";
import { heightOf, rpcCall, sleep } from "./cluster.mjs";

const POLL_MS = 250;

export function startFollower(cluster, onCommit) {
  const blocks = new Map(); // height → { seenAt, txs: upper-case hex hashes }
  const samples = []; // { t, heights: (number|null)[] }
  let fetched = 0;
  let running = true;

  async function fetchBlock(height, heights) {
    // Healthy nodes first: a paused node would only cost the timeout.
    const order = cluster.rpcUrls
      .map((url, i) => ({ url, i }))
      .filter(({ i }) => (heights[i] ?? 0) >= height)
      .sort((a, b) => Number(cluster.perturbed.has(a.i)) - Number(cluster.perturbed.has(b.i)));
    for (const { url } of order) {
      try {
        return await rpcCall(url, "block", { height: String(height) });
      } catch {}
    }
    return undefined;
  }

  const done = (async () => {
    while (running) {
      const heights = await Promise.all(cluster.rpcUrls.map((u) => heightOf(u).catch(() => null)));
      const t = Date.now();
      samples.push({ t, heights });
      const tip = Math.max(0, ...heights.filter((h) => h !== null));
      while (fetched < tip) {
        const b = await fetchBlock(fetched + 1, heights);
        if (!b) break;
        const seenAt = Date.now();
        const txs = (b.block.data.txs ?? []).map((tx) =>
          createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(),
        );
        fetched += 1;
        blocks.set(fetched, { seenAt, txs });
        for (const h of txs) onCommit(h, fetched, seenAt);
      }
      await sleep(POLL_MS);
    }
  })();

  return {
    blocks,
    samples,
    /** The latest heights every node answered (null for a node that did not). */
    latest: () => samples.at(-1)?.heights ?? [],
    async stop() {
      running = false;
      await done;
    },
  };
}

/**
 * Every 10 s, the block hash at the lowest tip of the unperturbed validators, as each of them
 * serves it: `samples` of { t, height, hashes } (a null hash: that node did not answer).
 */
export function sampleAgreement(cluster) {
  const samples = [];
  let running = true;
  const done = (async () => {
    while (running) {
      await sleep(10_000);
      const urls = cluster.healthyRpcUrls();
      const tips = await Promise.all(urls.map((u) => heightOf(u).catch(() => null)));
      const height = Math.min(...tips.filter((h) => h !== null));
      if (!Number.isFinite(height) || height < 1) continue;
      const hashes = await Promise.all(
        urls.map((u) =>
          rpcCall(u, "block", { height: String(height) })
            .then((b) => b.block_id.hash)
            .catch(() => null),
        ),
      );
      samples.push({ t: Date.now(), height, hashes });
    }
  })();
  return {
    samples,
    async stop() {
      running = false;
      await done;
    },
  };
}
