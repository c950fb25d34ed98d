/**
 * Collects a tx inclusion bundle from a node's JSON-RPC: the tx with its proof (`tx`, prove=true),
 * the signed header at its height (`commit`) and the validator set there (`validators`, all pages).
 * The node is not trusted: `verifyTxBundle` checks everything fetched here.
 */
import { commitFromJson, headerFromJson, type Json, validatorFromJson } from "../rpc/json.js";
import { RpcClientError } from "./rpc.js";

/** What the bundle builders need from a node: JSON-RPC calls (an RpcClient, or the node itself). */
export interface RpcCaller {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

import type { LightBlock } from "./skipping.js";
import type { EventProofBundle } from "./verify-event.js";
import { MAX_BUNDLE_VALIDATORS, type TxProofBundle } from "./verify-tx.js";

const PER_PAGE = 100;

export function asObject(v: unknown, what: string): Record<string, Json> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new RpcClientError("RPC_BAD_RESPONSE", `${what}: expected an object`);
  }
  return v as Record<string, Json>;
}

export function heightOf(v: unknown, what = "tx"): string {
  if (typeof v === "string" && /^\d{1,20}$/.test(v)) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  throw new RpcClientError("RPC_BAD_RESPONSE", `${what}: height is not an integer`);
}

async function fetchValidators(rpc: RpcCaller, height: string): Promise<Json[]> {
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

interface SignedHeaderJson {
  readonly chainId: string;
  readonly signed_header: { header: Json; commit: Json };
}

async function fetchSignedHeader(rpc: RpcCaller, height: string): Promise<SignedHeaderJson> {
  const commit = asObject(await rpc.call("commit", { height }), "commit");
  const signed = asObject(commit.signed_header, "commit.signed_header");
  const header = asObject(signed.header, "commit.signed_header.header");
  const chainId = header.chain_id;
  if (typeof chainId !== "string")
    throw new RpcClientError("RPC_BAD_RESPONSE", "commit: header has no chain_id");
  return { chainId, signed_header: { header: signed.header ?? null, commit: signed.commit ?? null } };
}

export async function fetchTxBundle(rpc: RpcCaller, txHash: string): Promise<TxProofBundle> {
  const hash = txHash.toUpperCase();
  const tx = asObject(await rpc.call("tx", { hash, prove: true }), "tx");
  const height = heightOf(tx.height);
  if (tx.proof === undefined || tx.proof === null) {
    throw new RpcClientError("RPC_BAD_RESPONSE", "tx: the node returned no proof");
  }
  const { chainId, signed_header } = await fetchSignedHeader(rpc, height);
  return {
    chain_id: chainId,
    tx_hash: hash,
    height,
    tx_proof: tx.proof,
    signed_header,
    validators: await fetchValidators(rpc, height),
  };
}

/** Which event of a block to prove: its type and the attribute values it must carry. */
export interface EventSelector {
  readonly height: bigint;
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

function matches(e: Json, sel: EventSelector): boolean {
  if (typeof e !== "object" || e === null || Array.isArray(e) || e.type !== sel.type) return false;
  const attrs = Array.isArray(e.attributes) ? e.attributes : [];
  return Object.entries(sel.attributes).every(([k, v]) =>
    attrs.some(
      (a) => typeof a === "object" && a !== null && !Array.isArray(a) && a.key === k && a.value === v,
    ),
  );
}

/** Finds (tx_index, event_index) of the first event of the block that matches; -1 = block events. */
async function locateEvent(
  rpc: RpcCaller,
  sel: EventSelector,
): Promise<{ txIndex: number; eventIndex: number }> {
  const results = asObject(
    await rpc.call("block_results", { height: sel.height.toString() }),
    "block_results",
  );
  const txs = Array.isArray(results.txs_results) ? results.txs_results : [];
  for (const [txIndex, r] of txs.entries()) {
    const events = asObject(r, "txs_results[]").events;
    const at = Array.isArray(events) ? events.findIndex((e) => matches(e, sel)) : -1;
    if (at >= 0) return { txIndex, eventIndex: at };
  }
  const blockEvents = Array.isArray(results.finalize_block_events) ? results.finalize_block_events : [];
  const at = blockEvents.findIndex((e) => matches(e, sel));
  if (at >= 0) return { txIndex: -1, eventIndex: at };
  throw new RpcClientError(
    "RPC_BAD_RESPONSE",
    `no ${sel.type} event with those attributes at height ${sel.height}`,
  );
}

/** Collects an event inclusion bundle: the event's leaf and proof, the signed header, the validators. */
export async function fetchEventBundle(rpc: RpcCaller, sel: EventSelector): Promise<EventProofBundle> {
  const { txIndex, eventIndex } = await locateEvent(rpc, sel);
  const height = sel.height.toString();
  const proof = asObject(
    await rpc.call("event_proof", { height, tx_index: String(txIndex), event_index: String(eventIndex) }),
    "event_proof",
  );
  if (typeof proof.leaf !== "string") throw new RpcClientError("RPC_BAD_RESPONSE", "event_proof: no leaf");
  const { chainId, signed_header } = await fetchSignedHeader(rpc, height);
  return {
    chain_id: chainId,
    height,
    claim: { type: sel.type, attributes: { ...sel.attributes } },
    event_proof: { leaf: proof.leaf, proof: proof.proof ?? null },
    signed_header,
    validators: await fetchValidators(rpc, height),
  };
}

/** The light block at `height`: its signed header and validator set, decoded strictly (not yet verified). */
export async function fetchLightBlock(rpc: RpcCaller, height: bigint): Promise<LightBlock> {
  const h = height.toString();
  const { signed_header } = await fetchSignedHeader(rpc, h);
  const validators = await fetchValidators(rpc, h);
  try {
    return {
      header: headerFromJson(signed_header.header, "commit.signed_header.header"),
      commit: commitFromJson(signed_header.commit, "commit.signed_header.commit"),
      validators: validators.map((v, i) => validatorFromJson(v, `validators[${i}]`)),
    };
  } catch (err) {
    throw new RpcClientError("RPC_BAD_RESPONSE", `light block ${h}: ${(err as Error).message}`);
  }
}
