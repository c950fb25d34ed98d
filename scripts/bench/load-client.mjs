// A load-generating client process: receives pre-signed txs over IPC, sends them at a fixed rate as
// JSON-RPC broadcast_tx_sync batches over keep-alive HTTP, and reports each tx's send time and code.
// Batch k goes out on lane k % lanes, one request in flight per lane: the orchestrator makes every
// account's txs fall on one lane, so they reach the node in sequence order, as a wallet sends them.
// It also reports the CPU it spent sending (it shares the machine's cores with the node).
import { broadcastBatch } from "./broadcast.mjs";

const BATCH = 8;

process.on("message", async (msg) => {
  if (msg.type !== "run") return;
  const { rpcUrl, txs, rate, lanes } = msg; // txs: [{ hash, tx (base64) }]
  const intervalMs = (1000 * BATCH) / rate;
  const sent = [];
  const cpu = process.cpuUsage();
  const start = Date.now();
  const laneTail = Array.from({ length: lanes }, () => Promise.resolve());
  const post = async (batch, offset) => {
    const sentAt = Date.now();
    try {
      const res = await broadcastBatch(rpcUrl, batch, offset);
      for (const [j, t] of batch.entries()) {
        sent.push({
          hash: t.hash,
          sentAt,
          code: res[j]?.result?.code ?? -1,
          log: res[j]?.result?.log ?? res[j]?.error?.data,
        });
      }
    } catch (err) {
      for (const t of batch) sent.push({ hash: t.hash, sentAt, code: -1, log: String(err) });
    }
  };
  for (let i = 0, k = 0; i < txs.length; i += BATCH, k++) {
    const wait = start + k * intervalMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = txs.slice(i, i + BATCH);
    const lane = k % lanes;
    laneTail[lane] = laneTail[lane].then(() => post(batch, i));
  }
  await Promise.all(laneTail);
  const used = process.cpuUsage(cpu);
  process.send({
    type: "done",
    sent,
    offeredSeconds: (Date.now() - start) / 1000,
    cpuMs: (used.user + used.system) / 1000,
  });
});
process.send({ type: "ready" });
