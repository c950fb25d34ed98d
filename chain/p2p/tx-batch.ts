/**
 * Wire encoding of the txs topic: a batch of raw `TxRaw` bytes, `message TxBatch { repeated bytes
 * txs = 1; }`. Gossiping txs a batch at a time instead of one by one divides libp2p's per-message
 * work (framing, noise encryption, socket writes, yamux window updates, seen-cache and message-id
 * hashing) by the batch size; each tx inside is still checked on its own by CheckTx.
 */
import "../codec/writer-alloc.js";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

export class TxBatchDecodeError extends Error {
  readonly code = "TX_BATCH_INVALID";
  constructor(reason: string) {
    super(`invalid tx batch: ${reason}`);
    this.name = "TxBatchDecodeError";
  }
}

export interface TxBatchLimits {
  /** Most txs one batch may carry. */
  readonly maxTxs: number;
  /** Largest single tx (the mempool's `max_tx_bytes`). */
  readonly maxTxBytes: number;
}

const TXS_FIELD_TAG = (1 << 3) | 2;

export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  const w = BinaryWriter.create();
  for (const tx of txs) w.uint32(TXS_FIELD_TAG).bytes(tx);
  return w.finish();
}

/**
 * Decodes a batch from a peer. Only field 1 is allowed, with at least one and at most `maxTxs`
 * non-empty txs of at most `maxTxBytes` each; anything else is one coded error. The txs returned
 * are views into `bytes`.
 */
export function decodeTxBatch(bytes: Uint8Array, limits: TxBatchLimits): Uint8Array[] {
  const r = new BinaryReader(bytes);
  const txs: Uint8Array[] = [];
  try {
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag !== TXS_FIELD_TAG) throw new TxBatchDecodeError(`unexpected field tag ${tag}`);
      const length = r.uint32();
      if (length === 0) throw new TxBatchDecodeError("empty tx");
      if (length > limits.maxTxBytes)
        throw new TxBatchDecodeError(`tx of ${length} bytes, max ${limits.maxTxBytes}`);
      if (r.pos + length > r.len) throw new TxBatchDecodeError("truncated tx");
      if (txs.length === limits.maxTxs) throw new TxBatchDecodeError(`more than ${limits.maxTxs} txs`);
      txs.push(bytes.subarray(r.pos, r.pos + length));
      r.pos += length;
    }
  } catch (err) {
    if (err instanceof TxBatchDecodeError) throw err;
    throw new TxBatchDecodeError(err instanceof Error ? err.message : String(err));
  }
  if (txs.length === 0) throw new TxBatchDecodeError("no txs");
  return txs;
}
