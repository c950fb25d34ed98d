// What bench:workers runs beside the bench network: a private redis-server on a free port, a
// watcher of the node's NewBlock events (when each height was seen committed, its header time and
// its txs), a NodeRpc that counts the events the bridge reads, and small latency statistics.
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { freePort } from "../lib/ports.mjs";
import { ROOT } from "../lib/setup.mjs";

const load = (...p) => import(path.join(ROOT, "dist", ...p));

/** A private redis-server (workers/redis/redis-server.js) with its data under `dir`. */
export async function startPrivateRedis(dir) {
  const { RedisServer } = await load("workers", "redis", "redis-server.js");
  mkdirSync(dir, { recursive: true });
  const server = new RedisServer({ dataDir: dir, port: await freePort() });
  await server.start();
  return server;
}

/** Milliseconds of an RFC 3339 time with up to nanosecond digits (Date.parse takes three). */
export function rfc3339Ms(time) {
  return Date.parse(String(time).replace(/(\.\d{3})\d*/, "$1"));
}

/**
 * Follows the node's NewBlock events over /websocket: `blocks` maps height → { seenAt (local ms
 * when the event arrived), headerMs, txs: upper-case hex hashes }.
 */
export async function watchBlocks(rpcPort) {
  const { WebSocket } = await import("ws");
  const blocks = new Map();
  const ws = new WebSocket(`ws://127.0.0.1:${rpcPort}/websocket`);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  ws.send(
    JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='NewBlock'" } }),
  );
  ws.on("message", (data) => {
    const seenAt = Date.now();
    const block = JSON.parse(data.toString()).result?.data?.value?.block;
    const height = Number(block?.header?.height);
    if (!Number.isSafeInteger(height) || height < 1) return;
    const txs = (block.data?.txs ?? []).map((tx) =>
      createHash("sha256").update(Buffer.from(tx, "base64")).digest("hex").toUpperCase(),
    );
    blocks.set(height, { seenAt, headerMs: rfc3339Ms(block.header.time), txs });
  });
  return {
    blocks,
    /** The lowest and highest heights holding any of `hashes`. */
    range(hashes) {
      const wanted = new Set(hashes);
      let from = Number.POSITIVE_INFINITY;
      let to = 0;
      for (const [h, b] of blocks) {
        if (!b.txs.some((t) => wanted.has(t))) continue;
        from = Math.min(from, h);
        to = Math.max(to, h);
      }
      return { from, to };
    },
    close: () => ws.close(),
  };
}

/**
 * The bridge's NodeRpc with counters: blocks read, successful txs and the events the bridge sees
 * (the successful txs' events plus the finalize-block events, as blockEvents takes them).
 */
export async function countingNodeRpc(rpcUrl) {
  const { httpNodeRpc } = await load("workers", "bridge", "node-rpc.js");
  const rpc = httpNodeRpc(rpcUrl);
  const counts = new Map();
  return {
    counts,
    node: {
      status: () => rpc.status(),
      block: (h) => rpc.block(h),
      async blockResults(h) {
        const r = await rpc.blockResults(h);
        let events = r.finalize_block_events?.length ?? 0;
        let txs = 0;
        for (const t of r.txs_results ?? []) {
          if (Number(t.code ?? 0) !== 0) continue;
          txs += 1;
          events += t.events?.length ?? 0;
        }
        counts.set(h, { txs, events });
        return r;
      },
    },
  };
}

/** Nearest-rank percentile of an ascending array. */
export const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** { count, p50, p99, max } of samples (ms, rounded). */
export function latency(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x) => (Number.isFinite(x) ? Math.round(x) : null);
  return { count: s.length, p50: r(pct(s, 50)), p99: r(pct(s, 99)), max: r(s[s.length - 1]) };
}
