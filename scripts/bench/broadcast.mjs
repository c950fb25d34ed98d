// One JSON-RPC batch of broadcast_tx_sync calls over keep-alive HTTP: the way every load generator
// of the benches offers pre-signed txs. Resolves to the batch's JSON-RPC answers in order; a
// failed request rejects.
export async function broadcastBatch(rpcUrl, txs, firstId) {
  const body = JSON.stringify(
    txs.map((t, j) => ({
      jsonrpc: "2.0",
      id: firstId + j,
      method: "broadcast_tx_sync",
      params: { tx: t.tx },
    })),
  );
  return (
    await fetch(rpcUrl, { method: "POST", body, headers: { "content-type": "application/json" } })
  ).json();
}
