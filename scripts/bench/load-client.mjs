// A load-generating client process: receives pre-signed txs over IPC, sends them at a fixed rate as
// JSON-RPC broadcast_tx_sync batches over keep-alive HTTP, and reports each tx's send time and code.
const BATCH = 8;

process.on("message", async (msg) => {
  if (msg.type !== "run") return;
  const { rpcUrl, txs, rate } = msg; // txs: [{ hash, tx (base64) }]
  const intervalMs = (1000 * BATCH) / rate;
  const sent = [];
  const start = Date.now();
  const inflight = [];
  for (let i = 0; i < txs.length; i += BATCH) {
    const due = start + (i / BATCH) * intervalMs;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = txs.slice(i, i + BATCH);
    const sentAt = Date.now();
    const body = JSON.stringify(
      batch.map((t, j) => ({ jsonrpc: "2.0", id: i + j, method: "broadcast_tx_sync", params: { tx: t.tx } })),
    );
    inflight.push(
      fetch(rpcUrl, { method: "POST", body, headers: { "content-type": "application/json" } })
        .then((r) => r.json())
        .then((res) => {
          for (const [j, t] of batch.entries())
            sent.push({
              hash: t.hash,
              sentAt,
              code: res[j]?.result?.code ?? -1,
              log: res[j]?.result?.log ?? res[j]?.error?.data,
            });
        })
        .catch((err) => {
          for (const t of batch) sent.push({ hash: t.hash, sentAt, code: -1, log: String(err) });
        }),
    );
  }
  await Promise.all(inflight);
  process.send({ type: "done", sent, offeredSeconds: (Date.now() - start) / 1000 });
});
process.send({ type: "ready" });
