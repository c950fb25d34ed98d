/**
 * A committed block as the stream's ordered list of events: index 0 is the block itself
 * (`new_block`: height, hash, time, num_txs), then each tx's events in tx order, then the block's
 * end-block events, exactly as the RPC's `block_results` serves them (`txs_results[i].events`,
 * `finalize_block_events`). Live blocks (the consensus `committed` event) and replayed ones (the
 * block store) go through the same function, so cursors agree between the two.
 */
import type { AbciEvent } from "../../../contracts/types.js";
import { blockHash } from "../../consensus/block-builder.js";
import type { CommittedBlock } from "../../consensus/engine.js";
import { sha256, toHexUpper } from "../../crypto/hash.js";
import type { BlockStore } from "../../db/block-store.js";
import type { Block, TxResult } from "../../types/block.js";
import { timestampToRfc3339 } from "../../types/timestamp.js";
import { type Cursor, formatCursor } from "./cursor.js";

export const NEW_BLOCK_EVENT = "new_block";

export interface StreamEvent {
  readonly cursor: Cursor;
  /** Upper-case hex hash of the tx that emitted it; absent for block and end-block events. */
  readonly tx?: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, string>>;
}

function attrs(e: AbciEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of e.attributes) out[a.key] = a.value;
  return out;
}

export function streamEventsOf(
  block: Block,
  blockHash: Uint8Array,
  results: readonly TxResult[],
  txHashes: readonly Uint8Array[],
  endBlockEvents: readonly AbciEvent[],
): StreamEvent[] {
  const height = block.header.height;
  let index = 0;
  const out: StreamEvent[] = [
    {
      cursor: { height, index: index++ },
      type: NEW_BLOCK_EVENT,
      attributes: {
        height: height.toString(),
        hash: toHexUpper(blockHash),
        time: timestampToRfc3339(block.header.time),
        num_txs: String(block.txs.length),
      },
    },
  ];
  results.forEach((result, i) => {
    const tx = toHexUpper(txHashes[i] ?? sha256(block.txs[i]!));
    for (const e of result.events)
      out.push({ cursor: { height, index: index++ }, tx, type: e.type, attributes: attrs(e) });
  });
  for (const e of endBlockEvents)
    out.push({ cursor: { height, index: index++ }, type: e.type, attributes: attrs(e) });
  return out;
}

export function committedStreamEvents(c: CommittedBlock): StreamEvent[] {
  return streamEventsOf(c.block, c.blockId.hash, c.results, c.txHashes, c.endBlockEvents);
}

/** The events of a stored block, read from the block store (what `block_results` reads). */
export async function storedStreamEvents(store: BlockStore, height: bigint): Promise<StreamEvent[]> {
  const block = await store.getBlock(height);
  if (!block) throw new Error(`block ${height} is not in the block store`);
  const [results, endBlockEvents] = await Promise.all([
    store.getBlockResults(height),
    store.getEndBlockEvents(height),
  ]);
  return streamEventsOf(block, blockHash(block.header), results, block.txs.map(sha256), endBlockEvents);
}

/** The delivered frame of an event for subscription `sub`. */
export function eventFrame(sub: string, e: StreamEvent): string {
  return JSON.stringify({
    type: "event",
    sub,
    cursor: formatCursor(e.cursor),
    height: e.cursor.height.toString(),
    ...(e.tx ? { tx: e.tx } : {}),
    event: { type: e.type, attributes: e.attributes },
  });
}
