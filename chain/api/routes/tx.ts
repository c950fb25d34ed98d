/** `GET /cosmos/tx/v1beta1/txs/{hash}` and `POST /cosmos/tx/v1beta1/txs` (broadcast). */
import { fromBase64, fromHex, sha256, toHexUpper } from "../../crypto/hash.js";
import { badRequest, notFound, type RouteResult } from "../http.js";
import type { ApiContext, Route, RouteRequest } from "../router.js";
import { pendingTxResponseJson, txResponseJson, txToJson } from "../tx-json.js";

const TX_HASH = /^[0-9a-fA-F]{64}$/;

async function getTx(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const hashText = req.params[0] ?? "";
  if (!TX_HASH.test(hashText)) throw badRequest("tx hash must be 64 hex characters");
  const hash = toHexUpper(fromHex(hashText));
  const { blockStore } = ctx.node;
  const loc = await blockStore.getTxLocation(fromHex(hashText));
  const result = loc ? await blockStore.getTxResult(loc) : undefined;
  const block = loc ? await blockStore.getBlock(loc.height) : undefined;
  const txBytes = loc ? block?.txs[loc.index] : undefined;
  if (!loc || !result || !block || !txBytes) throw notFound(`tx not found: ${hash}`);
  const tx = txToJson(txBytes, ctx.resolvers);
  const txResponse = txResponseJson(
    { hash, height: loc.height, txBytes, result, time: block.header.time },
    tx,
  );
  return { json: { tx, tx_response: txResponse } };
}

type BroadcastMode = "sync" | "async";

function broadcastMode(v: unknown): BroadcastMode {
  if (v === undefined || v === null || v === "BROADCAST_MODE_SYNC" || v === 2) return "sync";
  if (v === "BROADCAST_MODE_ASYNC" || v === 3) return "async";
  if (v === "BROADCAST_MODE_BLOCK" || v === 1) {
    throw badRequest(
      "BROADCAST_MODE_BLOCK is not supported; use BROADCAST_MODE_SYNC and poll GET /cosmos/tx/v1beta1/txs/{hash}",
    );
  }
  throw badRequest("mode must be BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC");
}

async function broadcast(ctx: ApiContext, req: RouteRequest): Promise<RouteResult> {
  const body = await req.body();
  const mode = broadcastMode(body.mode);
  if (typeof body.tx_bytes !== "string" || body.tx_bytes.length === 0) {
    throw badRequest("tx_bytes must be a non-empty base64 string");
  }
  let txBytes: Uint8Array;
  try {
    txBytes = fromBase64(body.tx_bytes);
  } catch {
    throw badRequest("tx_bytes must be standard base64");
  }
  const hash = toHexUpper(sha256(txBytes));
  const pending = ctx.node.mempool.add(txBytes);
  if (mode === "async") {
    void pending.then((r) => {
      if (r.code !== 0)
        ctx.log.debug({ hash, code: r.code, codespace: r.codespace }, "async broadcast rejected");
    });
    return {
      json: {
        tx_response: pendingTxResponseJson({
          hash,
          code: 0,
          codespace: "",
          log: "",
          gasWanted: 0n,
          gasUsed: 0n,
        }),
      },
    };
  }
  const r = await pending;
  return { json: { tx_response: pendingTxResponseJson({ ...r, hash }) } };
}

export const txRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/cosmos\/tx\/v1beta1\/txs\/([^/]+)$/, name: "tx.get", handler: getTx },
  { method: "POST", pattern: /^\/cosmos\/tx\/v1beta1\/txs$/, name: "tx.broadcast", handler: broadcast },
];
