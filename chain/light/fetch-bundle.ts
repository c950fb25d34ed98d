/**
 * Collects a tx inclusion bundle from a node's JSON-RPC: the tx with its proof (`tx`, prove=true),
 * the signed header at its height (`commit`) and the validator set there (`validators`, all pages).
 * The node is not trusted: `verifyTxBundle` checks everything fetched here.
 */
import type { Json } from "../rpc/json.js";
import type { RpcClient } from "./rpc.js";
import { RpcClientError } from "./rpc.js";
import { MAX_BUNDLE_VALIDATORS, type TxProofBundle } from "./verify-tx.js";

const PER_PAGE = 100;

function asObject(v: unknown, what: string): Record<string, Json> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new RpcClientError("RPC_BAD_RESPONSE", `${what}: expected an object`);
  }
  return v as Record<string, Json>;
}

function heightOf(v: unknown): string {
  if (typeof v === "string" && /^\d{1,20}$/.test(v)) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  throw new RpcClientError("RPC_BAD_RESPONSE", "tx: height is not an integer");
}

async function fetchValidators(rpc: RpcClient, height: string): Promise<Json[]> {
  const out: Json[] = [];
  for (let page = 1; ; page++) {
    const r = asObject(
      await rpc.call("validators", { height, page: String(page), per_page: String(PER_PAGE) }),
      "validators",
    );
    const list = r.validators;
    if (!Array.isArray(list)) throw new RpcClientError("RPC_BAD_RESPONSE", "validators: no validators array");
    out.push(...list);
    const total = Number(r.total ?? out.length);
    if (list.length === 0 || out.length >= total || out.length >= MAX_BUNDLE_VALIDATORS) return out;
  }
}

export async function fetchTxBundle(rpc: RpcClient, txHash: string): Promise<TxProofBundle> {
  const hash = txHash.toUpperCase();
  const tx = asObject(await rpc.call("tx", { hash, prove: true }), "tx");
  const height = heightOf(tx.height);
  if (tx.proof === undefined || tx.proof === null) {
    throw new RpcClientError("RPC_BAD_RESPONSE", "tx: the node returned no proof");
  }
  const commit = asObject(await rpc.call("commit", { height }), "commit");
  const signed = asObject(commit.signed_header, "commit.signed_header");
  const header = asObject(signed.header, "commit.signed_header.header");
  const chainId = header.chain_id;
  if (typeof chainId !== "string")
    throw new RpcClientError("RPC_BAD_RESPONSE", "commit: header has no chain_id");
  return {
    chain_id: chainId,
    tx_hash: hash,
    height,
    tx_proof: tx.proof,
    signed_header: { header: signed.header ?? null, commit: signed.commit ?? null },
    validators: await fetchValidators(rpc, height),
  };
}
