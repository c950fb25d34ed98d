/**
 * A committed block's events, read from the node's CometBFT JSON-RPC answers to `block` and
 * `block_results` at one height: each successful tx's events with the tx's hash (sha256 of its
 * bytes, upper-case hex, as CometBFT names txs), then the block's own finalize-block events. Failed
 * txs changed nothing, so their events are left out (they are counted).
 */
import { createHash } from "node:crypto";
import { WorkersError } from "../errors.js";

export interface ChainEvent {
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The tx that emitted it, or null for a finalize-block (end-block) event. */
  readonly tx: string | null;
}

export interface BlockEvents {
  readonly height: number;
  /** The header's RFC 3339 time. */
  readonly time: string;
  /** Hashes of the block's successful txs, in block order. */
  readonly txs: readonly string[];
  readonly failedTxs: number;
  readonly events: readonly ChainEvent[];
}

interface RpcEvent {
  type?: unknown;
  attributes?: Array<{ key?: unknown; value?: unknown }>;
}

/** The parts of `block` and `block_results` that are read. */
export interface BlockJson {
  block?: { header?: { height?: unknown; time?: unknown }; data?: { txs?: unknown } };
}
export interface BlockResultsJson {
  height?: unknown;
  txs_results?: Array<{ code?: unknown; events?: RpcEvent[] }> | null;
  finalize_block_events?: RpcEvent[] | null;
}

export function txHash(base64Tx: string): string {
  return createHash("sha256").update(Buffer.from(base64Tx, "base64")).digest("hex").toUpperCase();
}

function event(e: RpcEvent, tx: string | null): ChainEvent {
  const attributes: Record<string, string> = {};
  for (const a of e.attributes ?? []) {
    if (typeof a.key === "string") attributes[a.key] = typeof a.value === "string" ? a.value : "";
  }
  return { type: String(e.type ?? ""), attributes, tx };
}

export function blockEvents(height: number, block: BlockJson, results: BlockResultsJson): BlockEvents {
  const header = block.block?.header;
  const txs = block.block?.data?.txs ?? [];
  const txResults = results.txs_results ?? [];
  if (Number(header?.height) !== height || Number(results.height) !== height || !Array.isArray(txs)) {
    throw new WorkersError(
      "BAD_BLOCK",
      `the node's block and block_results do not describe height ${height}`,
    );
  }
  if (txs.length !== txResults.length) {
    throw new WorkersError(
      "BAD_BLOCK",
      `block ${height} has ${txs.length} txs but ${txResults.length} tx results`,
    );
  }
  const events: ChainEvent[] = [];
  const ok: string[] = [];
  let failedTxs = 0;
  txResults.forEach((r, i) => {
    if (Number(r.code ?? 0) !== 0) {
      failedTxs += 1;
      return;
    }
    const hash = txHash(String(txs[i]));
    ok.push(hash);
    for (const e of r.events ?? []) events.push(event(e, hash));
  });
  for (const e of results.finalize_block_events ?? []) events.push(event(e, null));
  return { height, time: String(header?.time ?? ""), txs: ok, failedTxs, events };
}
