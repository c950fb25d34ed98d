// One JSON-RPC batch of broadcast_tx_sync calls over keep-alive HTTP: the way every load generator
// of the benches offers pre-signed txs. Resolves to the batch's JSON-RPC answers in order; a
// failed request rejects.
//
// node:http with a keep-alive agent rather than fetch: the load clients share the machine's cores
// with the node under test, and undici's fetch costs several times more CPU per request.
import http from "node:http";

// A socket left idle in the pool expires on this side first (the node closes idle ones after 30 s):
// without a timeout, node:http keeps idle sockets forever, and a burst that reached for one the
// node was closing at that moment lost its batch to ECONNRESET.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 15_000 });
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function broadcastBatch(rpcUrl, txs, firstId) {
  const body = JSON.stringify(
    txs.map((t, j) => ({
      jsonrpc: "2.0",
      id: firstId + j,
      method: "broadcast_tx_sync",
      params: { tx: t.tx },
    })),
  );
  return new Promise((resolve, reject) => {
    const req = http.request(
      rpcUrl,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        let size = 0;
        res.on("data", (chunk) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error("response too large"));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch (err) {
            reject(new Error(`HTTP ${res.statusCode}: ${err.message}`));
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
